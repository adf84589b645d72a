/**
 * The resolver: registry clients behind two cache layers.
 *
 *   resolve(eco, name) -> in-run promise (shared by concurrent callers, keyed ecosystem:name)
 *                      -> disk cache (fresh: answer; stale: revalidate with the ETag)
 *                      -> shared cache (--cache-url: Redis/Valkey; one instance asks, others wait)
 *                      -> registry (npm packument, PyPI JSON or private simple index)
 *                      -> downloads (npm downloads API in bulk, pypistats; never for private names)
 *
 * A 404 is a fact (`not-found`); anything that stops an answer (timeouts, resets, 5xx after
 * retries, oversized or malformed bodies, redirects elsewhere, offline without a cache entry) is
 * an `unverified` fact with a redacted reason. resolve() never rejects.
 */
import { homedir } from 'node:os';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizePypiName } from '../core/names.js';
import type { Ecosystem, FactNeeds, PackageFacts, RegistrySettings, Resolver, ResolverStats } from '../core/types.js';
import { DEFAULT_TTL, defaultCacheDir, type CacheHit, type CacheKind, type CacheTtl } from './cache.js';
import { openCacheLayers, type CacheLayers } from './cache-layers.js';
import type { SharedCache } from './shared-cache.js';
import { DEFAULT_MAX_RESPONSE_BYTES, HostLimiter, HttpClient, REQUEST_KINDS, describe, type RequestKind, type RetryPolicy } from './http.js';
import { NpmClient, npmFacts, type NpmAnswer } from './npm.js';
import { fetchNpmDownloads } from './npm-downloads.js';
import { fetchPypiJson, pypiJsonFacts, type PypiAnswer } from './pypi.js';
import { fetchPypiSimple, pypiSimpleFacts } from './pypi-simple.js';
import { PYPISTATS_LIMITS, PypistatsClient, type PypistatsLimits } from './pypistats.js';
import { DEFAULT_NPM_DOWNLOADS_API } from './npmrc.js';
import { redact, secretsOf, stripUserinfo } from './redact.js';

/** Popularity known offline (data/ lists), used when pypistats cannot be asked. */
export type PopularityLookup = (ecosystem: Ecosystem, name: string) => { weeklyDownloads?: number; rank?: number } | undefined;

/** Options of {@link createResolver}. Only `registries` is required. */
export interface ResolverOptions {
  registries: RegistrySettings;
  /** Cache directory; default the user cache dir (`~/.cache/slopguard` and platform equivalents). */
  cacheDir?: string;
  /** Neither read nor write the disk cache (nor the shared one). */
  noCache?: boolean;
  /** A shared cache behind the disk cache: `redis://HOST:PORT[/DB]` (Redis or Valkey). */
  cacheUrl?: string;
  /** A shared cache to use instead of opening `cacheUrl` (`serve` shares one; close() leaves it open). */
  sharedCache?: SharedCache;
  /** Bounds of the shared cache (defaults: connect 1 s, command 0.5 s, no retry within a run). */
  sharedTimeouts?: { connectMs?: number; commandMs?: number; retryAfterMs?: number };
  /** Cache only, stale entries included; a miss is `unverified` ("offline: not in cache"). */
  offline?: boolean;
  /** Use cache entries however old; ask the network only on a miss. */
  preferOffline?: boolean;
  /** Revalidate even fresh cache entries (ETag: a 304 costs no body). */
  preferOnline?: boolean;
  /** Per-attempt timeout (default 15 s). */
  timeoutMs?: number;
  /** Requests in flight per host (default 8). */
  concurrency?: number;
  /** Retries after the first attempt on 429/5xx/connection failures (default 2). */
  retries?: number;
  now?: () => Date;
  /** Warnings about slopguard itself (unwritable cache, pypistats limit); each said once. */
  warn?: (msg: string) => void;
  /** Time budget for one lookup, retries and waits included (default 2 x timeoutMs). */
  budgetMs?: number;
  /** First retry delay (default 250 ms; doubles, with jitter). */
  retryBaseDelayMs?: number;
  /** Longest Retry-After worth waiting for (default 10 s); longer means give up. */
  maxRetryAfterMs?: number;
  /** Body cap after decompression (default 32 MiB). */
  maxResponseBytes?: number;
  /** Cache lifetimes. */
  ttl?: Partial<CacheTtl>;
  /** Fallback popularity when pypistats is unavailable (`downloadsSource: 'popular-list'`). */
  popularity?: PopularityLookup;
  /** Whether public PyPI has the name, from the bundled complete list (undefined: cannot say). */
  publicExists?: (ecosystem: Ecosystem, name: string) => boolean | undefined;
  /** pypistats limits (default 5/s, 30/min, wait at most 2 s for a slot). */
  pypistatsLimits?: PypistatsLimits;
  /** For the cache dir default. */
  env?: Record<string, string | undefined>;
  home?: string;
  userAgent?: string;
}

const DEFAULT_NEEDS: FactNeeds = { metadata: true, downloads: true };

/** Registries that serve the public npm namespace. */
const PUBLIC_NPM_HOSTS = new Set(['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com']);

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
/** Longest a download count waits for other names to share its bulk request. */
const BATCH_WAIT_MS = 100;
const FACT_STATUSES = new Set(['found', 'not-found', 'unpublished']);

/** The cached form of registry facts: never `unverified`, never downloads. */
function isCachedFacts(v: unknown): v is PackageFacts {
  if (!v || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  return (f.ecosystem === 'npm' || f.ecosystem === 'pypi') && typeof f.name === 'string' && FACT_STATUSES.has(f.status as string) && typeof f.registry === 'string' && typeof f.fetchedAt === 'string';
}

/** Cached download counts: a number, or null for "the API has no data". */
function isCachedDownloads(v: unknown): v is { weekly: number | null } {
  if (!v || typeof v !== 'object') return false;
  const w = (v as { weekly?: unknown }).weekly;
  return w === null || (typeof w === 'number' && Number.isFinite(w) && w >= 0);
}

/** Downloads as merged into facts. */
interface DownloadInfo {
  weeklyDownloads?: number;
  downloadsSource?: PackageFacts['downloadsSource'];
  popularRank?: number;
}

/** npm downloads as merged into facts (null: the API has no data). */
function downloadInfo(weekly: number | null | undefined): DownloadInfo {
  return typeof weekly === 'number' ? { weeklyDownloads: weekly, downloadsSource: 'npm-downloads-api' } : {};
}

/** Deferred value for the download batcher. */
interface Pending {
  resolve: (v: number | null | undefined) => void;
}

/** The later of two cache reads (a shared entry may be newer than the disk's, or the only one). */
function newer<T>(a: CacheHit<T> | undefined, b: CacheHit<T> | undefined): CacheHit<T> | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.storedAt) > Date.parse(a.storedAt) ? b : a;
}

/** Whether a local `file://` simple index has a folder for the (PEP 503) name. */
function localIndexHas(indexUrl: string, name: string): boolean {
  try {
    return statSync(join(fileURLToPath(indexUrl), normalizePypiName(name))).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `indexUrl` is public PyPI's own simple index (then the JSON API says more). */
/**
 * Names any mirror of public PyPI serves (pip's own toolchain); the first the bundled popular list
 * ranks is asked of an `index-url` to tell a mirror from a private index.
 */
const MIRROR_PROBES = ['pip', 'setuptools', 'wheel'] as const;

function isPublicPypiIndex(indexUrl: string, pypiUrl: string): boolean {
  try {
    const idx = new URL(indexUrl);
    if (idx.hostname === 'pypi.org' || idx.hostname === 'pypi.python.org') return true;
    const ownIndex = new URL(`${pypiUrl.replace(/\/+$/, '')}/simple/`);
    return idx.origin === ownIndex.origin && idx.pathname.replace(/\/*$/, '/') === ownIndex.pathname;
  } catch {
    return false;
  }
}

/**
 * At most `size` lookups per registry send requests at once; the others wait their turn without
 * spending their time budget. (The budget bounds how long a registry may take to answer one
 * lookup. Counted from when the lookup was queued, a 5,000-package lockfile ran most lookups out of
 * budget while they waited, and reported them `unverified`: bench/README.md.)
 */
class LookupSlots {
  #free: number;
  readonly #queue: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter.
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

class RegistryResolver implements Resolver {
  readonly #o: ResolverOptions;
  readonly #settings: RegistrySettings;
  readonly #now: () => Date;
  readonly #http: HttpClient;
  readonly #npm: NpmClient;
  readonly #pypistats: PypistatsClient;
  readonly #cache: CacheLayers | undefined;
  readonly #ttl: CacheTtl;
  readonly #budgetMs: number;
  readonly #secrets: string[];
  readonly #privateIndex: string | undefined;
  /** Whether `#privateIndex` mirrors public PyPI (decided on first need). */
  #mirror: Promise<boolean> | undefined;
  /** Private `extra-index-url`s, asked (in order) for a name the main index does not have. */
  readonly #extraIndexes: string[];
  readonly #facts = new Map<string, Promise<PackageFacts>>();
  /** Lookups talking to each registry at once; see {@link LookupSlots}. */
  readonly #slots = new Map<string, LookupSlots>();
  readonly #slotCount: number;
  readonly #downloads = new Map<string, Promise<DownloadInfo>>();
  readonly #warned = new Set<string>();
  readonly #stats: ResolverStats = { requests: Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])), cacheHits: 0, cacheMisses: 0, revalidated: 0 };
  #batch = new Map<string, Pending[]>();
  #batchTimer: NodeJS.Timeout | undefined;
  #npmLookupsRunning = 0;

  constructor(o: ResolverOptions) {
    this.#o = o;
    this.#settings = o.registries;
    this.#now = o.now ?? (() => new Date());
    const timeoutMs = o.timeoutMs ?? 15_000;
    this.#budgetMs = o.budgetMs ?? 2 * timeoutMs;
    this.#ttl = { ...DEFAULT_TTL, ...o.ttl };
    const s = this.#settings;
    this.#secrets = secretsOf(s.npmrc, [s.npmRegistry, ...Object.values(s.npmScopes), s.npmDownloadsApi, s.pypiUrl, s.pypiIndexUrl, ...(s.pypiExtraIndexUrls ?? []), s.pypistatsApi]);
    const retry: RetryPolicy = { retries: o.retries ?? 2, baseDelayMs: o.retryBaseDelayMs ?? 250, maxRetryAfterMs: o.maxRetryAfterMs ?? 10_000 };
    const limiter = new HostLimiter(Math.max(1, o.concurrency ?? 8));
    this.#slotCount = limiter.limit;
    const onRequest = (kind: RequestKind) => {
      this.#stats.requests[kind] = (this.#stats.requests[kind] ?? 0) + 1;
    };
    const common = {
      timeoutMs,
      retry,
      limiter,
      maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      userAgent: o.userAgent ?? 'slopguard (+https://github.com/slopguard/slopguard)',
      secrets: this.#secrets,
      onRequest,
    };
    const rc = s.npmrc;
    const proxy: { httpProxy?: string; httpsProxy?: string; noProxy?: string } = {};
    if (rc.proxy) proxy.httpProxy = rc.proxy;
    if (rc['https-proxy']) proxy.httpsProxy = rc['https-proxy'];
    if (rc.noproxy) proxy.noProxy = rc.noproxy;
    this.#http = new HttpClient({ ...common, proxy });
    this.#npm = new NpmClient({ ...common, settings: s });
    this.#pypistats = new PypistatsClient(this.#http, s.pypistatsApi, o.pypistatsLimits ?? PYPISTATS_LIMITS, (why) => {
      if (why !== 'error') this.#warnOnce(`pypistats: ${why}`, 'pypistats.org limits requests (5 a second, 30 a minute); download counts for the remaining PyPI packages are unknown in this run');
    });
    if (s.pypiIndexUrl && !isPublicPypiIndex(s.pypiIndexUrl, s.pypiUrl)) this.#privateIndex = s.pypiIndexUrl;
    this.#extraIndexes = (s.pypiExtraIndexUrls ?? []).filter((u) => !isPublicPypiIndex(u, s.pypiUrl) && u !== this.#privateIndex);
    if (!o.noCache) {
      const env = o.env ?? process.env;
      const home = o.home ?? (env.HOME || homedir());
      const dir = o.cacheDir ?? defaultCacheDir(env, home);
      // Throws ConfigError (exit 2) for a cache dir or key that is not the user's own.
      this.#cache = openCacheLayers({
        cacheDir: dir,
        env,
        home,
        now: this.#now,
        warn: (m) => this.#warnOnce(m.includes('shared cache') ? 'shared-cache' : 'cache', m),
        ...(o.cacheUrl ? { cacheUrl: o.cacheUrl } : {}),
        ...(o.sharedCache ? { shared: o.sharedCache } : {}),
        ...(o.sharedTimeouts ? { sharedTimeouts: o.sharedTimeouts } : {}),
      });
    }
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#o.warn?.(message);
  }

  stats(): ResolverStats {
    return { ...this.#stats, requests: { ...this.#stats.requests } };
  }

  async close(): Promise<void> {
    if (this.#batchTimer) {
      clearTimeout(this.#batchTimer);
      this.#flushBatch();
    }
    this.#npm.close();
    await Promise.all([this.#http.close(), this.#cache?.close()]);
  }

  async resolve(ecosystem: Ecosystem, rawName: string, needs: FactNeeds = DEFAULT_NEEDS): Promise<PackageFacts> {
    const name = ecosystem === 'pypi' ? normalizePypiName(rawName) : rawName;
    // npm lookups that may still want downloads: the download batch waits for them (see #enqueue).
    const batching = ecosystem === 'npm' && needs.downloads;
    if (batching) this.#npmLookupsRunning++;
    let facts: PackageFacts;
    try {
      facts = await this.#registryFacts(ecosystem, name, needs.metadata);
    } catch (e) {
      // Defensive: every path below already turns failures into facts.
      facts = this.#unverified(ecosystem, name, this.#registryOf(ecosystem, name), describe(e));
    } finally {
      if (batching) this.#npmLookupsRunning--;
    }
    if (!needs.downloads || facts.status !== 'found' || facts.privateRegistry || (ecosystem === 'npm' && this.#mayBePrivate(name))) {
      if (batching) this.#flushWhenIdle();
      return { ...facts };
    }
    const d = await this.#downloadsOf(ecosystem, name).catch((): DownloadInfo => ({}));
    if (batching) this.#flushWhenIdle();
    return { ...facts, ...d };
  }

  /**
   * With a private default npm registry (a company mirror) and the public downloads API, a name the
   * bundled public list does not know may be a private package: asking api.npmjs.org about it
   * would tell the world the name. Its downloads stay unknown instead (never 0). Scoped private
   * registries are handled by `registryFor().private`.
   */
  #mayBePrivate(name: string): boolean {
    const s = this.#settings;
    if (s.npmDownloadsApi.replace(/\/+$/, '') !== DEFAULT_NPM_DOWNLOADS_API) return false;
    if (PUBLIC_NPM_HOSTS.has(hostOf(s.npmRegistry))) return false;
    return this.#o.popularity?.('npm', name) === undefined;
  }

  async prefetchDownloads(ecosystem: Ecosystem, names: string[]): Promise<void> {
    if (ecosystem !== 'npm') return; // pypistats has no bulk endpoint
    const api = this.#settings.npmDownloadsApi;
    const todo: string[] = [];
    for (const name of new Set(names)) {
      if (this.#downloads.has(`npm:${name}`) || this.#npm.registryFor(name).private || this.#mayBePrivate(name)) continue;
      const hit = this.#cache?.get('downloads', api, 'npm', name, isCachedDownloads);
      if (this.#takes(hit)) continue; // resolve() will take it from the cache
      if (this.#o.offline) continue;
      todo.push(name);
    }
    if (!todo.length) return;
    if (this.#cache?.shared) {
      const shared = await this.#cache.getShared('downloads', api, 'npm', todo, isCachedDownloads);
      const left: string[] = [];
      todo.forEach((name, i) => {
        const hit = shared[i];
        if (this.#takes(hit)) this.#downloads.set(`npm:${name}`, Promise.resolve(downloadInfo(hit!.value.weekly)));
        else left.push(name);
      });
      todo.splice(0, todo.length, ...left);
      if (!todo.length) return;
    }
    const counts = await fetchNpmDownloads(this.#http, api, todo, { deadline: Date.now() + this.#budgetMs });
    for (const name of todo) {
      if (!counts.has(name)) continue; // failed: resolve() may try again on its own
      const weekly = counts.get(name)!;
      this.#cache?.put('downloads', api, 'npm', name, { weekly }, this.#ttl.downloadsMs);
      this.#downloads.set(`npm:${name}`, Promise.resolve(downloadInfo(weekly)));
    }
  }

  // -------------------------------------------------------------------------------------------
  // registry facts

  #registryOf(ecosystem: Ecosystem, name: string): string {
    if (ecosystem === 'npm') return this.#npm.displayRegistry(name);
    return stripUserinfo(this.#privateIndex ?? this.#settings.pypiUrl);
  }

  #unverified(ecosystem: Ecosystem, name: string, registry: string, error: string): PackageFacts {
    const f: PackageFacts = { ecosystem, name, status: 'unverified', registry, error: redact(error, this.#secrets), fetchedAt: this.#now().toISOString() };
    if ((ecosystem === 'npm' && this.#npm.registryFor(name).private) || (ecosystem === 'pypi' && this.#privateIndex)) f.privateRegistry = true;
    // A local (file://) extra index can be read now: only one that has the name, or one that
    // cannot be read without the network, keeps the public list from calling it missing.
    if (ecosystem === 'pypi' && this.#extraIndexes.some((u) => !u.startsWith('file:') || localIndexHas(u, name))) f.extraIndexes = true;
    return f;
  }

  #registryFacts(ecosystem: Ecosystem, name: string, metadata: boolean): Promise<PackageFacts> {
    // npm's abbreviated document lacks creation time; PyPI answers everything in one document.
    const full = ecosystem === 'pypi' || metadata;
    const key = `${ecosystem}:${name}`;
    const fullKey = `${key}:full`;
    const existing = this.#facts.get(fullKey) ?? (full ? undefined : this.#facts.get(`${key}:abbreviated`));
    if (existing) return existing;
    const p = ecosystem === 'npm' ? this.#npmFacts(name, full) : this.#pypiFacts(name).then((f) => this.#publicOnMirror(f));
    this.#facts.set(full ? fullKey : `${key}:abbreviated`, p);
    return p;
  }

  /** Whether a cache entry answers without asking the network. */
  #takes(hit: CacheHit<unknown> | undefined): boolean {
    if (!hit) return false;
    if (this.#o.offline || this.#o.preferOffline) return true;
    return hit.fresh && !this.#o.preferOnline;
  }

  /** Fresh cache entry, stale one (for offline or revalidation), or nothing. */
  #cached(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string): CacheHit<PackageFacts> | undefined {
    return this.#cache?.get(kind, registry, ecosystem, name, isCachedFacts);
  }

  /**
   * The shared cache-then-network flow. `fetch` asks the registry (with the stale entry's ETag)
   * and returns facts, `not-modified`, or throws.
   */
  async #throughCache(
    kind: CacheKind,
    ecosystem: Ecosystem,
    name: string,
    registry: string,
    fetch: (etag: string | undefined, deadline: number) => Promise<{ facts: PackageFacts; etag?: string } | 'not-modified'>,
    alsoFresh?: CacheKind,
  ): Promise<PackageFacts> {
    // The entry of the kind asked first: on a warm run it is there, and a miss costs a failed
    // open (an exception each, ~0.2 ms: asking the other kind first doubled a warm scan's cache time).
    let hit = this.#cached(kind, registry, ecosystem, name);
    if (this.#takes(hit)) {
      this.#stats.cacheHits++;
      return hit!.value;
    }
    let better = alsoFresh ? this.#cached(alsoFresh, registry, ecosystem, name) : undefined;
    if (this.#takes(better)) {
      this.#stats.cacheHits++;
      return better!.value;
    }
    const layers = this.#cache;
    if (layers?.shared) {
      const [own] = await layers.getShared(kind, registry, ecosystem, [name], isCachedFacts);
      if (this.#takes(own)) {
        this.#stats.cacheHits++;
        return own!.value;
      }
      const [other] = alsoFresh ? await layers.getShared(alsoFresh, registry, ecosystem, [name], isCachedFacts) : [undefined];
      if (this.#takes(other)) {
        this.#stats.cacheHits++;
        return other!.value;
      }
      hit = newer(hit, own);
      better = newer(better, other);
    }
    if (this.#o.offline) {
      const stale = hit ?? better;
      if (stale) {
        this.#stats.cacheHits++;
        return stale.value;
      }
      this.#stats.cacheMisses++;
      return this.#unverified(ecosystem, name, registry, 'offline: not in cache');
    }
    if (this.#cache) this.#stats.cacheMisses++;
    // With a shared cache, one instance asks the registry; the others wait for its answer.
    const turn = layers?.shared ? await layers.once(kind, registry, ecosystem, name, isCachedFacts, (h) => this.#takes(h), this.#budgetMs / 2, this.#budgetMs + 1_000) : undefined;
    if (turn && 'hit' in turn) return turn.hit.value;
    try {
      // The budget starts when the lookup's turn comes, not when it was queued behind the others.
      let slots = this.#slots.get(registry);
      if (!slots) this.#slots.set(registry, (slots = new LookupSlots(this.#slotCount)));
      const got = await slots.run(() => fetch(hit?.etag, Date.now() + this.#budgetMs));
      if (got === 'not-modified') {
        if (!hit) throw new Error('the registry answered 304 to a request without an ETag');
        this.#stats.revalidated++;
        this.#cache?.refresh(kind, registry, ecosystem, name, hit, this.#ttlOf(hit.value));
        return hit.value;
      }
      if (got.facts.status !== 'unverified') this.#cache?.put(kind, registry, ecosystem, name, got.facts, this.#ttlOf(got.facts), got.etag);
      return got.facts;
    } catch (e) {
      return this.#unverified(ecosystem, name, registry, describe(e));
    } finally {
      if (turn) turn.release();
    }
  }

  #ttlOf(f: PackageFacts): number {
    return f.status === 'not-found' ? this.#ttl.notFoundMs : this.#ttl.factsMs;
  }

  #npmFacts(name: string, full: boolean): Promise<PackageFacts> {
    const reg = this.#npm.registryFor(name);
    const registry = stripUserinfo(reg.url);
    const ctx = () => ({ name, registry, privateRegistry: reg.private, fetchedAt: this.#now().toISOString() });
    const toFacts = (a: NpmAnswer, isFull: boolean) => {
      if (a.kind === 'not-found') return { facts: this.#notFound('npm', name, registry, reg.private) };
      if (a.kind === 'not-modified') return 'not-modified' as const;
      const facts = npmFacts(a.doc, isFull, ctx());
      return facts ? { facts, ...(a.etag ? { etag: a.etag } : {}) } : undefined;
    };
    return this.#throughCache(
      full ? 'facts' : 'facts-abbreviated',
      'npm',
      name,
      registry,
      async (etag, deadline) => {
        const first = toFacts(await this.#npm.packument(name, { full, deadline, ...(etag ? { etag } : {}) }), full);
        if (first) return first;
        // The abbreviated document cannot tell a tombstone from an empty package: ask for the full one.
        const second = toFacts(await this.#npm.packument(name, { full: true, deadline }), true);
        if (second && second !== 'not-modified') return second;
        throw new Error(`the registry's answer for ${name} has no versions`);
      },
      full ? undefined : 'facts',
    );
  }

  #notFound(ecosystem: Ecosystem, name: string, registry: string, isPrivate: boolean): PackageFacts {
    const f: PackageFacts = { ecosystem, name, status: 'not-found', registry, fetchedAt: this.#now().toISOString() };
    if (isPrivate) f.privateRegistry = true;
    return f;
  }

  /**
   * A PyPI mirror set as `index-url` is not a private registry: a name public PyPI has (by the
   * bundled complete list) is judged as public, so typo checks stay on. Whether the index is a
   * mirror: `privateIndex` from the config when given (false: every name is public), else whether
   * it serves one well-known public name (asked once per run, through the cache).
   */
  async #publicOnMirror(facts: PackageFacts): Promise<PackageFacts> {
    if (!facts.privateRegistry || !this.#privateIndex) return facts;
    // Said by the config: every name is public. Detected: only names public PyPI has, so a private
    // package on a proxying index is neither judged as public nor sent to pypistats.
    const said = this.#settings.pypiIndexPrivate;
    if (said === true) return facts;
    if (said === undefined && this.#o.publicExists?.('pypi', facts.name) !== true) return facts;
    if (!(await (this.#mirror ??= this.#indexIsMirror()))) return facts;
    const { privateRegistry: _, ...rest } = facts;
    return rest;
  }

  async #indexIsMirror(): Promise<boolean> {
    const said = this.#settings.pypiIndexPrivate;
    if (said !== undefined) return !said;
    const probe = MIRROR_PROBES.find((n) => this.#o.popularity?.('pypi', n) !== undefined);
    if (!probe) return false;
    try {
      return (await this.#pypiFacts(probe)).status === 'found';
    } catch {
      return false; // an index that cannot answer is not known to mirror PyPI: names stay private
    }
  }

  #pypiFacts(name: string): Promise<PackageFacts> {
    const index = this.#privateIndex;
    const registry = stripUserinfo(index ?? this.#settings.pypiUrl);
    const ctx = () => ({ name, registry, privateRegistry: !!index, fetchedAt: this.#now().toISOString() });
    // The answer depends on the extra indexes too: they are part of what the cache entry is for.
    const cacheAs = this.#extraIndexes.length ? [registry, ...this.#extraIndexes.map(stripUserinfo)].join(' + ') : registry;
    return this.#throughCache('facts', 'pypi', name, cacheAs, async (etag, deadline) => {
      const o = { deadline, ...(etag ? { etag } : {}) };
      const a: PypiAnswer = index ? await fetchPypiSimple(this.#http, index, name, o) : await fetchPypiJson(this.#http, this.#settings.pypiUrl, name, o);
      if (a.kind === 'not-found') return { facts: await this.#fromExtraIndexes(name, deadline) ?? this.#notFound('pypi', name, registry, !!index) };
      if (a.kind === 'not-modified') return 'not-modified';
      const facts = index ? pypiSimpleFacts(a.doc, ctx()) : pypiJsonFacts(a.doc, ctx());
      return a.etag ? { facts, etag: a.etag } : { facts };
    });
  }

  /**
   * A name the main index does not have, from the first private extra index that does (pip would
   * install it from there): private facts, never judged against the public lists. Undefined when
   * none has it; an extra index that cannot be reached makes the lookup unverified (throws), since
   * "missing" could then be wrong.
   */
  async #fromExtraIndexes(name: string, deadline: number): Promise<PackageFacts | undefined> {
    for (const extra of this.#extraIndexes) {
      if (extra.startsWith('file:')) {
        // A local PEP 503 index (pip reads `file://` ones): the project is a folder named after it.
        if (localIndexHas(extra, name)) return { ecosystem: 'pypi', name, status: 'found', registry: extra, privateRegistry: true, fetchedAt: this.#now().toISOString() };
        continue;
      }
      const a = await fetchPypiSimple(this.#http, extra, name, { deadline });
      if (a.kind === 'doc') return pypiSimpleFacts(a.doc, { name, registry: stripUserinfo(extra), privateRegistry: true, fetchedAt: this.#now().toISOString() });
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // downloads

  #downloadsOf(ecosystem: Ecosystem, name: string): Promise<DownloadInfo> {
    const key = `${ecosystem}:${name}`;
    let p = this.#downloads.get(key);
    if (!p) {
      p = ecosystem === 'npm' ? this.#npmDownloads(name) : this.#pypiDownloads(name);
      this.#downloads.set(key, p);
    }
    return p;
  }

  /** Cached count, or undefined; `null` inside means "no data" (cached too). */
  #cachedDownloads(api: string, ecosystem: Ecosystem, name: string): { weekly: number | null } | undefined {
    const hit = this.#cache?.get('downloads', api, ecosystem, name, isCachedDownloads);
    if (hit && this.#takes(hit)) {
      this.#stats.cacheHits++;
      return hit.value;
    }
    if (this.#cache) this.#stats.cacheMisses++;
    return undefined;
  }

  /** A count from the shared cache, after a disk miss (counted as a hit when taken). */
  async #sharedDownloads(api: string, ecosystem: Ecosystem, name: string): Promise<{ weekly: number | null } | undefined> {
    if (!this.#cache?.shared) return undefined;
    const [hit] = await this.#cache.getShared('downloads', api, ecosystem, [name], isCachedDownloads);
    if (!this.#takes(hit)) return undefined;
    this.#stats.cacheHits++;
    this.#stats.cacheMisses--;
    return hit!.value;
  }

  async #npmDownloads(name: string): Promise<DownloadInfo> {
    const api = this.#settings.npmDownloadsApi;
    const cached = this.#cachedDownloads(api, 'npm', name) ?? (await this.#sharedDownloads(api, 'npm', name));
    let weekly: number | null | undefined = cached?.weekly;
    if (!cached && !this.#o.offline) {
      weekly = await new Promise<number | null | undefined>((resolve) => this.#enqueue(name, resolve));
    }
    return downloadInfo(weekly);
  }

  /**
   * Download counts of names resolved together share bulk requests: a name waits until no other
   * npm lookup that may want downloads is still at the registry (then the batch is complete), or
   * at most BATCH_WAIT_MS, so one slow lookup does not hold up the others.
   */
  #enqueue(name: string, resolve: (v: number | null | undefined) => void): void {
    const list = this.#batch.get(name) ?? [];
    list.push({ resolve });
    this.#batch.set(name, list);
    this.#batchTimer ??= setTimeout(() => this.#flushBatch(), BATCH_WAIT_MS);
    this.#flushWhenIdle();
  }

  #flushWhenIdle(): void {
    if (this.#npmLookupsRunning === 0 && this.#batch.size) {
      clearTimeout(this.#batchTimer);
      this.#flushBatch();
    }
  }

  #flushBatch(): void {
    this.#batchTimer = undefined;
    const batch = this.#batch;
    this.#batch = new Map();
    if (!batch.size) return;
    const api = this.#settings.npmDownloadsApi;
    void fetchNpmDownloads(this.#http, api, [...batch.keys()], { deadline: Date.now() + this.#budgetMs }).then((counts) => {
      for (const [name, waiters] of batch) {
        const weekly = counts.get(name);
        if (weekly !== undefined) this.#cache?.put('downloads', api, 'npm', name, { weekly }, this.#ttl.downloadsMs);
        for (const w of waiters) w.resolve(weekly);
      }
    });
  }

  async #pypiDownloads(name: string): Promise<DownloadInfo> {
    const api = this.#settings.pypistatsApi;
    const cached = this.#cachedDownloads(api, 'pypi', name) ?? (await this.#sharedDownloads(api, 'pypi', name));
    let weekly: number | null | undefined = cached?.weekly;
    if (!cached && !this.#o.offline) {
      weekly = await this.#pypistats.weekly(name, Date.now() + this.#budgetMs);
      if (weekly !== undefined) this.#cache?.put('downloads', api, 'pypi', name, { weekly }, this.#ttl.downloadsMs);
    }
    const out: DownloadInfo = {};
    const known = this.#o.popularity?.('pypi', name);
    if (known?.rank !== undefined) out.popularRank = known.rank;
    if (typeof weekly === 'number') return { ...out, weeklyDownloads: weekly, downloadsSource: 'pypistats' };
    // pypistats unavailable (or without data): an estimate from the popular list beats nothing.
    if (known?.weeklyDownloads !== undefined) return { ...out, weeklyDownloads: known.weeklyDownloads, downloadsSource: 'popular-list' };
    return out;
  }
}

/** Create a resolver for one run. Call close() when done (keep-alive sockets). */
export function createResolver(opts: ResolverOptions): Resolver {
  return new RegistryResolver(opts);
}
