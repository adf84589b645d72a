/**
 * The resolver: registry clients behind two cache layers, composed from parts with one job each.
 *
 *   resolve(eco, name) -> in-run memo (lookup-memo.ts: shared by concurrent callers)
 *                      -> the ecosystem's source (npm-source.ts, pypi-source.ts)
 *                      -> cached lookup (cached-lookup.ts): disk cache, shared cache (--cache-url:
 *                         one instance asks, others wait), then the registry in its turn
 *                         (lookup-slots.ts), as the cache mode says (cache-policy.ts)
 *                      -> downloads (download-batcher.ts: npm's in bulk, pypistats; never for
 *                         private names)
 *
 * A 404 is a fact (`not-found`); anything that stops an answer (timeouts, resets, 5xx after
 * retries, oversized or malformed bodies, redirects elsewhere, offline without a cache entry) is
 * an `unverified` fact with a redacted reason. resolve() never rejects.
 */
import { homedir } from 'node:os';
import { normalizePypiName } from '../core/names.js';
import type { Ecosystem, FactNeeds, PackageFacts, RegistrySettings, Resolver, ResolverStats } from '../core/types.js';
import { defaultCacheDir, type CacheTtl } from './cache.js';
import { openCacheLayers } from './cache-layers.js';
import { CachePolicy, type CacheMode } from './cache-policy.js';
import { CachedLookup } from './cached-lookup.js';
import { NpmDownloadBatcher, PypiDownloads, type DownloadInfo } from './download-batcher.js';
import type { SharedCache } from './shared-cache.js';
import { DEFAULT_MAX_RESPONSE_BYTES, HostLimiter, HttpClient, REQUEST_KINDS, describe, type RequestKind, type RetryPolicy } from './http.js';
import { FactsMemo } from './lookup-memo.js';
import { RegistrySlots } from './lookup-slots.js';
import { NpmClient } from './npm.js';
import { NpmSource } from './npm-source.js';
import { PypiSource } from './pypi-source.js';
import { PYPISTATS_LIMITS, PypistatsClient, type PypistatsLimits } from './pypistats.js';
import { secretsOf } from './redact.js';

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
  /**
   * `online` (default): fresh cache entries answer, stale ones are revalidated. `offline`: cache
   * only, stale entries included; a miss is `unverified` ("offline: not in cache").
   */
  cacheMode?: CacheMode;
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

class RegistryResolver implements Resolver {
  readonly #o: ResolverOptions;
  readonly #http: HttpClient;
  readonly #npmClient: NpmClient;
  readonly #lookup: CachedLookup;
  readonly #npm: NpmSource;
  readonly #pypi: PypiSource;
  readonly #memo = new FactsMemo();
  readonly #npmDownloads: NpmDownloadBatcher;
  readonly #pypiDownloads: PypiDownloads;
  readonly #warned = new Set<string>();
  readonly #stats: ResolverStats = { requests: Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])), cacheHits: 0, cacheMisses: 0, revalidated: 0 };

  constructor(o: ResolverOptions) {
    this.#o = o;
    const s = o.registries;
    const now = o.now ?? (() => new Date());
    const timeoutMs = o.timeoutMs ?? 15_000;
    const secrets = secretsOf(s.npmrc, [s.npmRegistry, ...Object.values(s.npmScopes), s.npmDownloadsApi, s.pypiUrl, s.pypiIndexUrl, ...(s.pypiExtraIndexUrls ?? []), s.pypistatsApi]);
    const retry: RetryPolicy = { retries: o.retries ?? 2, baseDelayMs: o.retryBaseDelayMs ?? 250, maxRetryAfterMs: o.maxRetryAfterMs ?? 10_000 };
    const limiter = new HostLimiter(Math.max(1, o.concurrency ?? 8));
    const onRequest = (kind: RequestKind) => {
      this.#stats.requests[kind] = (this.#stats.requests[kind] ?? 0) + 1;
    };
    const common = {
      timeoutMs,
      retry,
      limiter,
      maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      userAgent: o.userAgent ?? 'slopguard (+https://github.com/slopguard/slopguard)',
      secrets,
      onRequest,
    };
    const rc = s.npmrc;
    const proxy: { httpProxy?: string; httpsProxy?: string; noProxy?: string } = {};
    if (rc.proxy) proxy.httpProxy = rc.proxy;
    if (rc['https-proxy']) proxy.httpsProxy = rc['https-proxy'];
    if (rc.noproxy) proxy.noProxy = rc.noproxy;
    this.#http = new HttpClient({ ...common, proxy });
    this.#npmClient = new NpmClient({ ...common, settings: s, http: this.#http });
    let layers: ReturnType<typeof openCacheLayers>;
    if (!o.noCache) {
      const env = o.env ?? process.env;
      const home = o.home ?? (env.HOME || homedir());
      const dir = o.cacheDir ?? defaultCacheDir(env, home);
      // Throws ConfigError (exit 2) for a cache dir or key that is not the user's own.
      layers = openCacheLayers({
        cacheDir: dir,
        env,
        home,
        now,
        warn: (m) => this.#warnOnce(m.includes('shared cache') ? 'shared-cache' : 'cache', m),
        ...(o.cacheUrl ? { cacheUrl: o.cacheUrl } : {}),
        ...(o.sharedCache ? { shared: o.sharedCache } : {}),
        ...(o.sharedTimeouts ? { sharedTimeouts: o.sharedTimeouts } : {}),
      });
    }
    this.#lookup = new CachedLookup({
      layers,
      policy: new CachePolicy(o.cacheMode ?? 'online', o.ttl),
      slots: new RegistrySlots(limiter.limit),
      budgetMs: o.budgetMs ?? 2 * timeoutMs,
      stats: this.#stats,
    });
    const popularity = o.popularity ? { popularity: o.popularity } : {};
    this.#npm = new NpmSource({ client: this.#npmClient, settings: s, lookup: this.#lookup, now, secrets, ...popularity });
    this.#pypi = new PypiSource({ http: this.#http, settings: s, lookup: this.#lookup, now, secrets, ...popularity, ...(o.publicExists ? { publicExists: o.publicExists } : {}) });
    this.#npmDownloads = new NpmDownloadBatcher(this.#http, s.npmDownloadsApi, this.#lookup);
    const pypistats = new PypistatsClient(this.#http, s.pypistatsApi, o.pypistatsLimits ?? PYPISTATS_LIMITS, (why) => {
      if (why !== 'error') this.#warnOnce(`pypistats: ${why}`, 'pypistats.org limits requests (5 a second, 30 a minute); download counts for the remaining PyPI packages are unknown in this run');
    });
    this.#pypiDownloads = new PypiDownloads(pypistats, s.pypistatsApi, this.#lookup, o.popularity);
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
    await this.#npmDownloads.close();
    this.#npmClient.close();
    await Promise.all([this.#http.close(), this.#lookup.layers?.close()]);
  }

  async resolve(ecosystem: Ecosystem, rawName: string, needs: FactNeeds = DEFAULT_NEEDS): Promise<PackageFacts> {
    const name = ecosystem === 'pypi' ? normalizePypiName(rawName) : rawName;
    // npm lookups that may still want downloads: the download batch waits for them.
    const batching = ecosystem === 'npm' && needs.downloads;
    if (batching) this.#npmDownloads.lookupStarted();
    let facts: PackageFacts;
    try {
      facts = await this.#registryFacts(ecosystem, name, needs.metadata);
    } catch (e) {
      // Defensive: every path below already turns failures into facts.
      facts = ecosystem === 'npm' ? this.#npm.unverified(name, this.#npm.registryOf(name), describe(e)) : this.#pypi.unverified(name, this.#pypi.registry(), describe(e));
    } finally {
      if (batching) this.#npmDownloads.lookupDone();
    }
    if (!needs.downloads || facts.status !== 'found' || facts.privateRegistry || (ecosystem === 'npm' && this.#npm.mayBePrivate(name))) {
      if (batching) this.#npmDownloads.flushWhenIdle();
      return { ...facts };
    }
    const d = await (ecosystem === 'npm' ? this.#npmDownloads.of(name) : this.#pypiDownloads.of(name)).catch((): DownloadInfo => ({}));
    if (batching) this.#npmDownloads.flushWhenIdle();
    return { ...facts, ...d };
  }

  async prefetchDownloads(ecosystem: Ecosystem, names: string[]): Promise<void> {
    if (ecosystem !== 'npm') return; // pypistats has no bulk endpoint
    await this.#npmDownloads.prefetch([...new Set(names)].filter((name) => !this.#npm.isPrivate(name) && !this.#npm.mayBePrivate(name)));
  }

  #registryFacts(ecosystem: Ecosystem, name: string, metadata: boolean): Promise<PackageFacts> {
    // npm's abbreviated document lacks creation time; PyPI answers everything in one document.
    const full = ecosystem === 'pypi' || metadata;
    return this.#memo.get(ecosystem, name, full, () => (ecosystem === 'npm' ? this.#npm.facts(name, full) : this.#pypi.facts(name)));
  }
}

/** Create a resolver for one run. Call close() when done (keep-alive sockets). */
export function createResolver(opts: ResolverOptions): Resolver {
  return new RegistryResolver(opts);
}
