/**
 * A time-limited memo with in-flight sharing: the first caller for a key starts the work, every
 * caller that arrives while it runs (or within `ttlMs` after it settled) gets the same promise.
 * This is what makes "each distinct package asked upstream once per TTL, however many clients
 * ask at once" true for the guard. Bounded in size (oldest entry out first), so a client asking
 * for a million names cannot grow the guard without limit.
 *
 * A shared store (issue 15: Redis) can sit behind the same two methods.
 */
export interface Memo<T> {
  /** The value for `key`, computed by `make` at most once per TTL; `ttlOf` may shorten it per value. */
  get(key: string, make: () => Promise<T>): Promise<T>;
  /** Whether `key` has a value that get() would answer without `make` (fresh or in flight); not a lookup for onLookup. */
  has(key: string): boolean;
  /** Forget one key (a value known to be stale). */
  delete(key: string): void;
  /** Entries held now. */
  readonly size: number;
}

/** Options of {@link createMemo}. */
export interface MemoOptions<T> {
  ttlMs: number;
  /** Most entries kept (default 5,000). */
  maxEntries?: number;
  /** A value's own lifetime (e.g. a failure kept only briefly); defaults to `ttlMs`. */
  ttlOf?: (value: T) => number;
  now?: () => number;
  /** Told per get() whether the key was answered from memory (hit) or `make` ran (for /metrics). */
  onLookup?: (hit: boolean) => void;
}

interface Entry<T> {
  promise: Promise<T>;
  /** Epoch ms after which the entry is stale; Infinity while the work is in flight. */
  expires: number;
}

/** Create a memo (see {@link Memo}). A rejected computation is not kept. */
export function createMemo<T>(o: MemoOptions<T>): Memo<T> {
  const entries = new Map<string, Entry<T>>();
  const now = o.now ?? Date.now;
  const max = o.maxEntries ?? 5_000;
  return {
    get(key, make) {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) {
        o.onLookup?.(true);
        return hit.promise;
      }
      o.onLookup?.(false);
      if (hit) entries.delete(key);
      const entry: Entry<T> = { promise: make(), expires: Infinity };
      entries.set(key, entry);
      entry.promise.then(
        (v) => {
          if (entries.get(key) === entry) entry.expires = now() + (o.ttlOf ? o.ttlOf(v) : o.ttlMs);
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      // Map keeps insertion order: the first key is the oldest.
      while (entries.size > max) entries.delete(entries.keys().next().value!);
      return entry.promise;
    },
    has(key) {
      const hit = entries.get(key);
      return !!hit && hit.expires > now();
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
