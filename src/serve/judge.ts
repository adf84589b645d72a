/**
 * The guard's judge: the same pipeline as `slopguard check` (check() in core/check.ts) for one
 * package at a time, shared by every client.
 *
 * Verdicts are kept per package for a TTL with in-flight sharing (memo.ts), and the facts behind
 * them come from the very document the guard serves: for npm a resolver adapter reads the
 * packument the guard fetched (upstream.ts), so a package that N clients ask for at once costs one
 * packument request upstream, not one for judging plus one per client. Download counts are asked
 * in bulk from the downloads API (download-counts.ts). Serving a document reads ahead: its
 * dependencies are judged before the client asks for them (readAhead). PyPI facts come from the
 * CLI's own resolver (the JSON API; the simple page the client gets is another document), which
 * is replaced every TTL so a long-running guard does not keep facts forever.
 */
import { check, type CheckOptions } from '../core/check.js';
import { openResolver } from '../core/open-resolver.js';
import type { Ecosystem, FactNeeds, PackageFacts, PackageResult, PopularIndex, Resolver, ResolverStats } from '../core/types.js';
import { npmNameProblem } from '../core/specs.js';
import { resolveDataDir } from '../data/location.js';
import { DEFAULT_NETWORK } from '../policy/defaults.js';
import { describe } from '../registry/http.js';
import { npmFacts } from '../registry/npm.js';
import { downloadsWouldLeak } from '../registry/public-npm.js';
import { fetchNpmDownloads } from '../registry/npm-downloads.js';
import { stripUserinfo } from '../registry/redact.js';
import { getPopularIndex } from '../similarity/index.js';
import { DownloadCounts } from './download-counts.js';
import { createMemo, type Memo } from './memo.js';
import type { Upstream } from './upstream.js';

/** What the judge said about one package. */
export type Judgement =
  /** Judged by the pipeline (verdict ok, warn, block or unknown). */
  | { kind: 'result'; result: PackageResult }
  /** Not a name a registry can have; never sent upstream. */
  | { kind: 'invalid'; message: string };

/** Options of {@link Judge}. */
export interface JudgeOptions {
  upstream: Upstream;
  /** check() options: policy, cache, network bounds, clock, popular index, warnings. */
  check: CheckOptions;
  ttlMs: number;
  /** Told per verdict lookup whether the memo answered it (for /metrics' cache hit rate). */
  onCacheLookup?: (hit: boolean) => void;
}

/** An unknown verdict is retried this soon: the upstream may be back. */
const UNKNOWN_TTL_MS = 2_000;
/** How long download questions wait to share one bulk request. */
const DOWNLOADS_BATCH_MS = 2;
/** Most dependency names of one document whose download counts are asked ahead. */
const PREFETCH_MAX = 256;
/** Judgements read ahead at once, as a share of the per-host upstream limit (the rest is the clients'). */
const READ_AHEAD_SHARE = 0.5;
/** Dependency fields npm resolves from the registry (peers too, since npm 7). */
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Judges packages for every client of one guard. */
export class Judge {
  readonly #o: JudgeOptions;
  readonly #verdicts: Memo<Judgement>;
  readonly #downloads: DownloadCounts;
  /** Judgements read ahead (readAhead) still running, and how many may run at once. */
  #readingAhead = 0;
  readonly #readAheadMax: number;
  /** The popular-name index check() reads (the injected one, or the bundled data where check() finds it). */
  readonly #popular: (e: Ecosystem) => PopularIndex;
  /** Judgements made while the downloads API failed: kept as briefly as unknown ones. */
  readonly #shortLived = new WeakSet<Judgement>();
  /** The CLI resolver for PyPI facts, and when it was opened. */
  #pypi: { resolver: Promise<Resolver>; born: number } | undefined;
  readonly #retired: Array<Promise<Resolver>> = [];

  constructor(o: JudgeOptions) {
    this.#o = o;
    const data = { dataDir: resolveDataDir(o.check.env ?? process.env) };
    this.#popular = o.check.popular ?? ((e) => getPopularIndex(e, data));
    const brief = (j: Judgement) => (j.kind === 'result' && j.result.verdict === 'unknown') || this.#shortLived.has(j);
    this.#verdicts = createMemo<Judgement>({ ttlMs: o.ttlMs, ttlOf: (j) => (brief(j) ? UNKNOWN_TTL_MS : o.ttlMs), ...(o.onCacheLookup ? { onLookup: o.onCacheLookup } : {}) });
    this.#readAheadMax = Math.max(1, Math.floor((o.check.concurrency ?? DEFAULT_NETWORK.concurrency) * READ_AHEAD_SHARE));
    const up = o.upstream;
    this.#downloads = new DownloadCounts({
      ttlMs: o.ttlMs,
      batchMs: DOWNLOADS_BATCH_MS,
      fetch: (names) => up.timed('npm-downloads', () => fetchNpmDownloads(up.http, up.settings.npmDownloadsApi, names, { deadline: Date.now() + 2 * (o.check.timeoutMs ?? 15_000) })),
    });
    // Read the popular-name index now, while the first client is still starting, rather than in
    // its first request (with the network modules Upstream loads, ~0.9 s of the bench's first
    // packument under load). An index a test injects is its own.
    if (!o.check.popular) {
      setImmediate(() => {
        try {
          getPopularIndex('npm', { ...data, preload: true });
        } catch {
          // Missing or corrupt data is reported where a question needs it.
        }
      }).unref();
    }
  }

  /** The verdict for one package (shared by concurrent callers, kept for the TTL). */
  judge(ecosystem: Ecosystem, name: string): Promise<Judgement> {
    return this.#verdicts.get(`${ecosystem}:${name}`, () => this.#judge(ecosystem, name));
  }

  /**
   * Read ahead for a document just served to a client: its latest version's dependencies are what
   * the client asks for next (npm resolves a tree one dependency level at a time, so each level
   * waited for a round trip through the guard and one from the guard upstream). Their download
   * counts are asked in one bulk request, and up to half the upstream limit of them are judged
   * now (document and verdict memoised as any client's would be), so the client's requests find
   * them ready. Only registry names (no git, file or URL specs); counts only for names the judge
   * would ask the API about itself (not private, none the bundled list may settle). Read-ahead
   * judgements do not read ahead in turn: what is read is bounded by what clients were served.
   */
  readAhead(doc: Record<string, unknown>): void {
    const latest = ((doc['dist-tags'] ?? {}) as Record<string, unknown>).latest;
    const manifest = typeof latest === 'string' ? ((doc.versions ?? {}) as Record<string, unknown>)[latest] : undefined;
    if (!manifest || typeof manifest !== 'object') return;
    const names = new Set<string>();
    for (const field of DEPENDENCY_FIELDS) {
      const deps = (manifest as Record<string, unknown>)[field];
      if (!deps || typeof deps !== 'object') continue;
      for (const [key, spec] of Object.entries(deps as Record<string, unknown>)) {
        const name = registryNameOf(key, spec);
        if (name && names.size < PREFETCH_MAX && !npmNameProblem(name)) names.add(name);
      }
    }
    const popular = this.#popular;
    this.#downloads.prefetch(
      [...names].filter((n) => {
        if (this.#o.upstream.npmRegistryFor(n).private || this.#mayBePrivate(n)) return false;
        try {
          return popular('npm').popularity(n) === undefined;
        } catch {
          return false;
        }
      }),
    );
    for (const name of names) {
      if (this.#readingAhead >= this.#readAheadMax) break;
      if (this.#verdicts.has(`npm:${name}`)) continue;
      this.#readingAhead++;
      // A failure here is the client's to meet (a rejected judgement is not kept): not an unhandled rejection.
      const done = () => void this.#readingAhead--;
      this.judge('npm', name).then(done, done);
    }
  }

  async #judge(ecosystem: Ecosystem, name: string): Promise<Judgement> {
    let downloadsFailed = false;
    const resolver = this.#resolver(() => (downloadsFailed = true));
    const report = await check([{ ecosystem, name, origin: { file: '<registry request>' } }], { ...this.#o.check, resolver });
    const result = report.packages[0];
    if (result) {
      const j: Judgement = { kind: 'result', result };
      if (downloadsFailed) this.#shortLived.add(j);
      return j;
    }
    const note = report.notes.find((n) => n.code === 'invalid-name');
    return { kind: 'invalid', message: note?.message ?? `\`${name}\` is not a valid package name` };
  }

  /** A Resolver whose npm facts are read from the guard's own documents; `onDownloadsFailed` hears when counts could not be had. */
  #resolver(onDownloadsFailed: () => void): Resolver {
    return {
      resolve: (ecosystem, name, needs) => (ecosystem === 'npm' ? this.#npmFacts(name, needs, onDownloadsFailed) : this.#pypiFacts(name, needs)),
      stats: (): ResolverStats => ({ requests: {}, cacheHits: 0, cacheMisses: 0, revalidated: 0 }),
      close: async () => {},
    };
  }

  async #npmFacts(name: string, needs: FactNeeds | undefined, onDownloadsFailed: () => void): Promise<PackageFacts> {
    const up = this.#o.upstream;
    const reg = up.npmRegistryFor(name);
    const registry = stripUserinfo(reg.url);
    const fetchedAt = (this.#o.check.now ?? (() => new Date()))().toISOString();
    const base = { ecosystem: 'npm' as const, name, registry, fetchedAt, ...(reg.private ? { privateRegistry: true } : {}) };
    // Download counts are asked alongside the document, so the names of a burst of requests share
    // one bulk request (asking after each document arrives spread them over many).
    const wantsDownloads = needs?.downloads !== false && !reg.private && !this.#mayBePrivate(name);
    const downloads = wantsDownloads ? this.#downloads.get(name) : undefined;
    const answer = await up.npmDocument(name);
    if (answer.kind === 'not-found') return { ...base, status: 'not-found' };
    if (answer.kind === 'error') return { ...base, status: 'unverified', error: answer.message };
    let facts: PackageFacts | undefined;
    try {
      facts = npmFacts(answer.doc, true, { name, registry, privateRegistry: reg.private, fetchedAt });
    } catch (e) {
      return { ...base, status: 'unverified', error: up.redact(describe(e)) };
    }
    if (!facts) return { ...base, status: 'unverified', error: `the registry's answer for ${name} has no versions` };
    if (!downloads || facts.status !== 'found') return facts;
    const d = await downloads;
    // A failed lookup leaves the count unknown, as in the CLI (npm-downloads.ts); the verdict made
    // without it is kept only briefly, so the count is asked again soon.
    if (d.kind === 'failed') onDownloadsFailed();
    return d.kind === 'count' ? { ...facts, weeklyDownloads: d.weekly, downloadsSource: 'npm-downloads-api' } : facts;
  }

  /**
   * A private default registry (a company mirror) with the public downloads API: a name the
   * bundled list does not know may be private, and asking api.npmjs.org would tell the world.
   */
  #mayBePrivate(name: string): boolean {
    return downloadsWouldLeak(this.#o.upstream.settings, () => {
      try {
        return this.#popular('npm').popularity(name) !== undefined;
      } catch {
        return false;
      }
    });
  }

  async #pypiFacts(name: string, needs: FactNeeds | undefined): Promise<PackageFacts> {
    const now = Date.now();
    if (!this.#pypi || now - this.#pypi.born > this.#o.ttlMs) {
      if (this.#pypi) {
        // Closed once the lookups that still hold it are done (a lookup takes at most its budget).
        const old = this.#pypi.resolver;
        this.#retired.push(old);
        setTimeout(() => {
          this.#retired.splice(this.#retired.indexOf(old), 1);
          void old.then((r) => r.close());
        }, 4 * (this.#o.check.timeoutMs ?? 15_000)).unref();
      }
      this.#pypi = { resolver: openResolver({ ...this.#o.check, registries: this.#o.upstream.settings }), born: now };
    }
    return (await this.#pypi.resolver).resolve('pypi', name, needs);
  }

  /** Close the PyPI resolvers (keep-alive sockets, cache writes). */
  async close(): Promise<void> {
    this.#downloads.flush();
    const all = [...this.#retired, ...(this.#pypi ? [this.#pypi.resolver] : [])];
    await Promise.all(all.map(async (r) => (await r).close()));
  }
}

/**
 * The registry name a dependency entry resolves to: its key, or the target of an `npm:` alias;
 * undefined for specs that are not registry ranges or tags (git, file, URLs, workspaces, GitHub
 * shorthands).
 */
function registryNameOf(key: string, spec: unknown): string | undefined {
  if (typeof spec !== 'string') return undefined;
  if (spec.startsWith('npm:')) {
    const target = spec.slice(4);
    const at = target.indexOf('@', 1);
    return at > 0 ? target.slice(0, at) : target;
  }
  return spec.includes(':') || spec.includes('/') ? undefined : key;
}

