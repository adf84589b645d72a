/**
 * The guard's judge: the same pipeline as `slopguard check` (check() in core/check.ts) for one
 * package at a time, shared by every client.
 *
 * Verdicts are kept per package for a TTL with in-flight sharing (memo.ts), and the facts behind
 * them come from the very document the guard serves: for npm a resolver adapter reads the
 * packument the guard fetched (upstream.ts), so a package that N clients ask for at once costs one
 * packument request upstream, not one for judging plus one per client. Download counts are asked
 * in small batches from the downloads API, as the CLI's resolver does. PyPI facts come from the
 * CLI's own resolver (the JSON API; the simple page the client gets is another document), which
 * is replaced every TTL so a long-running guard does not keep facts forever.
 */
import { check, type CheckOptions } from '../core/check.js';
import { openResolver } from '../core/open-resolver.js';
import type { Ecosystem, FactNeeds, PackageFacts, PackageResult, Resolver, ResolverStats } from '../core/types.js';
import { describe } from '../registry/http.js';
import { npmFacts } from '../registry/npm.js';
import { DEFAULT_NPM_DOWNLOADS_API } from '../registry/npmrc.js';
import { fetchNpmDownloads } from '../registry/npm-downloads.js';
import { stripUserinfo } from '../registry/redact.js';
import { getPopularIndex } from '../similarity/index.js';
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
const PUBLIC_NPM_HOSTS = new Set(['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com']);

/** Judges packages for every client of one guard. */
export class Judge {
  readonly #o: JudgeOptions;
  readonly #verdicts: Memo<Judgement>;
  readonly #downloads: Memo<number | undefined>;
  #batch = new Map<string, Array<(v: number | undefined) => void>>();
  #batchTimer: NodeJS.Timeout | undefined;
  /** The CLI resolver for PyPI facts, and when it was opened. */
  #pypi: { resolver: Promise<Resolver>; born: number } | undefined;
  readonly #retired: Array<Promise<Resolver>> = [];

  constructor(o: JudgeOptions) {
    this.#o = o;
    this.#verdicts = createMemo<Judgement>({ ttlMs: o.ttlMs, ttlOf: (j) => (j.kind === 'result' && j.result.verdict === 'unknown' ? UNKNOWN_TTL_MS : o.ttlMs), ...(o.onCacheLookup ? { onLookup: o.onCacheLookup } : {}) });
    this.#downloads = createMemo<number | undefined>({ ttlMs: o.ttlMs });
  }

  /** The verdict for one package (shared by concurrent callers, kept for the TTL). */
  judge(ecosystem: Ecosystem, name: string): Promise<Judgement> {
    return this.#verdicts.get(`${ecosystem}:${name}`, () => this.#judge(ecosystem, name));
  }

  async #judge(ecosystem: Ecosystem, name: string): Promise<Judgement> {
    const resolver = this.#resolver();
    const report = await check([{ ecosystem, name, origin: { file: '<registry request>' } }], { ...this.#o.check, resolver });
    const result = report.packages[0];
    if (result) return { kind: 'result', result };
    const note = report.notes.find((n) => n.code === 'invalid-name');
    return { kind: 'invalid', message: note?.message ?? `\`${name}\` is not a valid package name` };
  }

  /** A Resolver whose npm facts are read from the guard's own documents. */
  #resolver(): Resolver {
    return {
      resolve: (ecosystem, name, needs) => (ecosystem === 'npm' ? this.#npmFacts(name, needs) : this.#pypiFacts(name, needs)),
      stats: (): ResolverStats => ({ requests: {}, cacheHits: 0, cacheMisses: 0, revalidated: 0 }),
      close: async () => {},
    };
  }

  async #npmFacts(name: string, needs: FactNeeds | undefined): Promise<PackageFacts> {
    const up = this.#o.upstream;
    const reg = up.npmRegistryFor(name);
    const registry = stripUserinfo(reg.url);
    const fetchedAt = (this.#o.check.now ?? (() => new Date()))().toISOString();
    const base = { ecosystem: 'npm' as const, name, registry, fetchedAt, ...(reg.private ? { privateRegistry: true } : {}) };
    // Download counts are asked alongside the document, so the names of a burst of requests share
    // one bulk request (asking after each document arrives spread them over many).
    const wantsDownloads = needs?.downloads !== false && !reg.private && !this.#mayBePrivate(name);
    const downloads = wantsDownloads ? this.#downloads.get(name, () => this.#queueDownloads(name)) : undefined;
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
    const weekly = await downloads;
    return weekly === undefined ? facts : { ...facts, weeklyDownloads: weekly, downloadsSource: 'npm-downloads-api' };
  }

  /**
   * A private default registry (a company mirror) with the public downloads API: a name the
   * bundled list does not know may be private, and asking api.npmjs.org would tell the world.
   */
  #mayBePrivate(name: string): boolean {
    const s = this.#o.upstream.settings;
    if (s.npmDownloadsApi.replace(/\/+$/, '') !== DEFAULT_NPM_DOWNLOADS_API) return false;
    if (PUBLIC_NPM_HOSTS.has(hostOf(s.npmRegistry))) return false;
    const popular = this.#o.check.popular ?? getPopularIndex;
    try {
      return popular('npm').popularity(name) === undefined;
    } catch {
      return true;
    }
  }

  #queueDownloads(name: string): Promise<number | undefined> {
    return new Promise((resolve) => {
      const waiters = this.#batch.get(name) ?? [];
      waiters.push(resolve);
      this.#batch.set(name, waiters);
      this.#batchTimer ??= setTimeout(() => this.#flushDownloads(), DOWNLOADS_BATCH_MS);
    });
  }

  #flushDownloads(): void {
    this.#batchTimer = undefined;
    const batch = this.#batch;
    this.#batch = new Map();
    const up = this.#o.upstream;
    const deadline = Date.now() + 2 * (this.#o.check.timeoutMs ?? 15_000);
    void up.timed('npm-downloads', () => fetchNpmDownloads(up.http, up.settings.npmDownloadsApi, [...batch.keys()], { deadline })).then((counts) => {
      for (const [name, waiters] of batch) {
        const weekly = counts.get(name);
        for (const w of waiters) w(typeof weekly === 'number' ? weekly : undefined);
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
    if (this.#batchTimer) {
      clearTimeout(this.#batchTimer);
      this.#flushDownloads();
    }
    const all = [...this.#retired, ...(this.#pypi ? [this.#pypi.resolver] : [])];
    await Promise.all(all.map(async (r) => (await r).close()));
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
