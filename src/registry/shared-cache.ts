/**
 * A cache shared by many slopguard processes (CI runners, `serve` instances): sealed entries
 * (cache-entry.ts) under the same keys and lifetimes as the disk cache, plus short claims so that
 * one instance asks the registry about a package while the others wait for its answer.
 *
 * Every method resolves, never rejects: a shared cache that is down or slow is only a miss (the
 * implementation warns once and the disk cache carries on).
 */

/** What {@link SharedCache.claim} found. */
export type Claim = 'ours' | 'taken' | 'unavailable';

/** A cache shared between processes. Keys are cache keys (cache-entry.ts `cacheKey`). */
export interface SharedCache {
  /** The sealed entry under each key; undefined for a miss or when the cache cannot be asked. */
  get(keys: readonly string[]): Promise<Array<Buffer | undefined>>;
  /** Store a sealed entry, kept `keepMs` (in the background; {@link close} waits for it). */
  put(key: string, sealed: string, keepMs: number): void;
  /** Try to become the instance that fetches `key`, for at most `holdMs`. */
  claim(key: string, holdMs: number): Promise<Claim>;
  /** Give up a claim (after the answer was stored, or when the fetch failed). */
  release(key: string): void;
  /** Finish pending writes (bounded) and close the connection. */
  close(): Promise<void>;
}

/** How long shared entries outlive their freshness: stale ones still serve revalidation (ETag) and --offline. */
export const SHARED_STALE_KEEP_MS = 7 * 24 * 3_600_000;
