/**
 * The cache layers under the resolver, opened in one place so every door (the CLI's resolver,
 * `serve`) gets the same rules: the disk cache (default, always the local layer) and, with
 * `cacheUrl`, a shared Redis/Valkey cache behind it. Both hold the same sealed entries under the
 * same keys, authenticated with the user's key (cache-key.ts).
 *
 *   get:  disk (sync) -> shared (async; a hit is kept on disk too)
 *   put:  sealed once, written to both
 *   once: a claim in the shared cache, so one instance asks the registry and the rest wait for it
 */
import { isAbsolute } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Ecosystem } from '../core/types.js';
import { cacheKey, newEntry, openEntry, seal, type CacheHit, type CacheKind } from './cache-entry.js';
import { loadCacheKey } from './cache-key.js';
import { cacheUrlProblem } from './cache-url.js';
import { FactCache } from './cache.js';
import { RedisCache } from './redis-cache.js';
import { SHARED_STALE_KEEP_MS, type SharedCache } from './shared-cache.js';

/** Options of {@link openCacheLayers}. */
export interface CacheLayersOptions {
  /** Disk cache directory (absolute). */
  cacheDir: string;
  /** `redis://HOST:PORT[/DB]` (or `rediss://`): a shared cache behind the disk cache. */
  cacheUrl?: string;
  /** For the key's location (XDG_STATE_HOME, SLOPGUARD_CACHE_KEY_FILE). */
  env: Record<string, string | undefined>;
  home: string;
  now: () => Date;
  /** Warnings about the cache (unwritable dir, no key, shared cache down). */
  warn?: (message: string) => void;
  /**
   * A shared cache opened by the caller (a long-running `serve` shares one connection between
   * its resolvers): used instead of `cacheUrl`, and left open by {@link CacheLayers.close}.
   */
  shared?: SharedCache;
  /** Shared-cache bounds (defaults in redis-cache.ts). */
  sharedTimeouts?: { connectMs?: number; commandMs?: number; retryAfterMs?: number };
}

/** Longest wait between looks at the shared cache while another instance fetches. */
const POLL_MS = 25;

/** Disk + shared cache of sealed entries. */
export class CacheLayers {
  readonly #secret: Buffer;
  readonly #now: () => Date;
  /** The local layer. */
  readonly disk: FactCache;
  /** The shared layer, when configured. */
  readonly shared: SharedCache | undefined;

  readonly #ownsShared: boolean;

  constructor(secret: Buffer, disk: FactCache, shared: SharedCache | undefined, now: () => Date, ownsShared = true) {
    this.#secret = secret;
    this.disk = disk;
    this.shared = shared;
    this.#now = now;
    this.#ownsShared = ownsShared;
  }

  /** The disk entry (synchronous: the warm path). */
  get<T>(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, valid: (v: unknown) => v is T): CacheHit<T> | undefined {
    return this.disk.get(kind, registry, ecosystem, name, valid);
  }

  /** The shared entries of several names (one round trip); authentic hits are kept on disk too. */
  async getShared<T>(kind: CacheKind, registry: string, ecosystem: Ecosystem, names: readonly string[], valid: (v: unknown) => v is T): Promise<Array<CacheHit<T> | undefined>> {
    if (!this.shared) return names.map(() => undefined);
    const keys = names.map((n) => cacheKey(kind, registry, ecosystem, n));
    const raw = await this.shared.get(keys);
    const now = this.#now();
    return raw.map((buf, i) => {
      if (!buf) return undefined;
      const hit = openEntry(this.#secret, buf, keys[i]!, valid, now);
      if (hit) this.disk.putSealed(keys[i]!, buf.toString('utf8'));
      return hit;
    });
  }

  /** Write an entry to every layer. */
  put(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, value: unknown, ttlMs: number, etag?: string): void {
    const key = cacheKey(kind, registry, ecosystem, name);
    const sealed = seal(this.#secret, newEntry(key, value, this.#now(), ttlMs, etag));
    this.disk.putSealed(key, sealed);
    this.shared?.put(key, sealed, ttlMs + SHARED_STALE_KEEP_MS);
  }

  /** After a 304: keep the value and ETag, start a new freshness period. */
  refresh<T>(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, hit: CacheHit<T>, ttlMs: number): void {
    this.put(kind, registry, ecosystem, name, hit.value, ttlMs, hit.etag);
  }

  /**
   * Before asking the registry: with a shared cache, become the one instance that asks, or wait
   * (at most `waitMs`) for the one that does; a claim lapses after `holdMs` (its holder died). Returns its answer when it came in time; otherwise
   * `release`, to call once the caller's own answer is stored (or it failed).
   */
  async once<T>(
    kind: CacheKind,
    registry: string,
    ecosystem: Ecosystem,
    name: string,
    valid: (v: unknown) => v is T,
    takes: (hit: CacheHit<T> | undefined) => boolean,
    waitMs: number,
    holdMs: number,
  ): Promise<{ hit: CacheHit<T> } | { release: () => void }> {
    const shared = this.shared;
    const none = { release: () => undefined };
    if (!shared) return none;
    const key = cacheKey(kind, registry, ecosystem, name);
    const until = Date.now() + waitMs;
    for (let waited = false; ; waited = true) {
      const claim = await shared.claim(key, holdMs);
      if (claim === 'unavailable') return none;
      if (claim === 'ours') {
        const release = () => shared.release(key);
        if (!waited) return { release };
        // The claim was free again: its holder may have just stored the answer and let go.
        const [hit] = await this.getShared(kind, registry, ecosystem, [name], valid);
        if (!takes(hit)) return { release };
        release();
        return { hit: hit! };
      }
      // Another instance is asking: its answer shows up in the shared cache.
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, until - Date.now()))));
      const [hit] = await this.getShared(kind, registry, ecosystem, [name], valid);
      if (takes(hit)) return { hit: hit! };
      // Waited long enough (the other instance may be stuck): ask ourselves.
      if (Date.now() >= until) return none;
    }
  }

  /** Wait for writes in flight and close the shared connection (unless the caller owns it). Never rejects. */
  async close(): Promise<void> {
    await Promise.all([this.disk.flush(), this.#ownsShared ? this.shared?.close() : undefined]);
  }
}

/**
 * Open the cache layers for a run. Throws ConfigError for a cache directory or key file that is
 * not the user's own, and for a bad cache URL; returns undefined (after one warning) when no key
 * can be kept, so the run works uncached.
 */
export function openCacheLayers(o: CacheLayersOptions): CacheLayers | undefined {
  if (!isAbsolute(o.cacheDir)) throw new ConfigError('the cache directory', o.cacheDir, 'expected an absolute path; set it with --cache-dir or SLOPGUARD_CACHE_DIR');
  if (o.cacheUrl !== undefined) {
    const problem = cacheUrlProblem(o.cacheUrl);
    if (problem) throw new ConfigError('the shared cache URL', o.cacheUrl.replace(/\/\/[^@/]*@/, '//***@'), problem);
  }
  const key = loadCacheKey(o.env, o.home);
  if ('unavailable' in key) {
    o.warn?.(`${key.unavailable}; continuing without the cache`);
    return undefined;
  }
  const disk = new FactCache({ dir: o.cacheDir, secret: key.key, now: o.now, ...(o.warn ? { warn: o.warn } : {}) });
  let shared = o.shared;
  if (!shared && o.cacheUrl) {
    const t = o.sharedTimeouts ?? {};
    shared = new RedisCache({
      url: o.cacheUrl,
      ...(o.warn ? { warn: o.warn } : {}),
      ...(t.connectMs !== undefined ? { connectTimeoutMs: t.connectMs } : {}),
      ...(t.commandMs !== undefined ? { commandTimeoutMs: t.commandMs } : {}),
      ...(t.retryAfterMs !== undefined ? { retryAfterMs: t.retryAfterMs } : {}),
    });
  }
  return new CacheLayers(key.key, disk, shared, o.now, o.shared === undefined);
}
