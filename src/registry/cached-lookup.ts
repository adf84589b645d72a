/**
 * One lookup through the cache layers: disk, then the shared cache, then (in its registry's turn)
 * the network, with the stale entry's ETag; the answer is stored for the next run. Which entries
 * answer is the cache mode's call (cache-policy.ts); how many lookups ask one registry at once is
 * lookup-slots.ts'. Counts hits, misses and revalidations for `stats()`.
 */
import type { Ecosystem, PackageFacts, ResolverStats } from '../core/types.js';
import type { CacheHit, CacheKind } from './cache.js';
import type { CacheLayers } from './cache-layers.js';
import { isCachedDownloads, isCachedFacts, type CachePolicy } from './cache-policy.js';
import { describe } from './http.js';
import type { RegistrySlots } from './lookup-slots.js';

/** What a source's fetch answers: facts (with the ETag to store), or "not modified" for the ETag sent. */
export type FetchAnswer = { facts: PackageFacts; etag?: string } | 'not-modified';

/** Asks the registry (with the stale entry's ETag) before `deadline`; throws what stops an answer. */
export type FactsFetch = (etag: string | undefined, deadline: number) => Promise<FetchAnswer>;

/** The later of two cache reads (a shared entry may be newer than the disk's, or the only one). */
function newer<T>(a: CacheHit<T> | undefined, b: CacheHit<T> | undefined): CacheHit<T> | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.storedAt) > Date.parse(a.storedAt) ? b : a;
}

/** Options of {@link CachedLookup}. */
export interface CachedLookupOptions {
  layers: CacheLayers | undefined;
  policy: CachePolicy;
  slots: RegistrySlots;
  /** Time budget of one lookup, counted from its turn at the registry. */
  budgetMs: number;
  stats: ResolverStats;
}

/** The cache-then-network flow every source's lookups share. */
export class CachedLookup {
  readonly layers: CacheLayers | undefined;
  readonly policy: CachePolicy;
  readonly budgetMs: number;
  readonly #slots: RegistrySlots;
  readonly #stats: ResolverStats;

  constructor(o: CachedLookupOptions) {
    this.layers = o.layers;
    this.policy = o.policy;
    this.budgetMs = o.budgetMs;
    this.#slots = o.slots;
    this.#stats = o.stats;
  }

  #cached(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string): CacheHit<PackageFacts> | undefined {
    return this.layers?.get(kind, registry, ecosystem, name, isCachedFacts);
  }

  #hit<T>(hit: CacheHit<T>): T {
    this.#stats.cacheHits++;
    return hit.value;
  }

  /**
   * Facts of `kind` (or, when fresh, of the richer `alsoFresh` kind) from the cache, else from
   * `fetch` in the registry's turn. `unverified` turns whatever stopped the answer into facts;
   * this never rejects.
   */
  async facts(kind: CacheKind, ecosystem: Ecosystem, name: string, registry: string, fetch: FactsFetch, unverified: (error: string) => PackageFacts, alsoFresh?: CacheKind): Promise<PackageFacts> {
    const policy = this.policy;
    // The entry of the kind asked first: on a warm run it is there, and a miss costs a failed
    // open (an exception each, ~0.2 ms: asking the other kind first doubled a warm scan's cache time).
    let hit = this.#cached(kind, registry, ecosystem, name);
    if (policy.takes(hit)) return this.#hit(hit!);
    let better = alsoFresh ? this.#cached(alsoFresh, registry, ecosystem, name) : undefined;
    if (policy.takes(better)) return this.#hit(better!);
    const layers = this.layers;
    if (layers?.shared) {
      const [own] = await layers.getShared(kind, registry, ecosystem, [name], isCachedFacts);
      if (policy.takes(own)) return this.#hit(own!);
      const [other] = alsoFresh ? await layers.getShared(alsoFresh, registry, ecosystem, [name], isCachedFacts) : [undefined];
      if (policy.takes(other)) return this.#hit(other!);
      hit = newer(hit, own);
      better = newer(better, other);
    }
    if (policy.offline) {
      const stale = hit ?? better;
      if (stale) return this.#hit(stale);
      this.#stats.cacheMisses++;
      return unverified('offline: not in cache');
    }
    if (layers) this.#stats.cacheMisses++;
    // With a shared cache, one instance asks the registry; the others wait for its answer.
    const turn = layers?.shared ? await layers.once(kind, registry, ecosystem, name, isCachedFacts, (h) => policy.takes(h), this.budgetMs / 2, this.budgetMs + 1_000) : undefined;
    if (turn && 'hit' in turn) return turn.hit.value;
    try {
      // The budget starts when the lookup's turn comes, not when it was queued behind the others.
      const got = await this.#slots.run(registry, () => fetch(hit?.etag, Date.now() + this.budgetMs));
      if (got === 'not-modified') {
        if (!hit) throw new Error('the registry answered 304 to a request without an ETag');
        this.#stats.revalidated++;
        layers?.refresh(kind, registry, ecosystem, name, hit, policy.ttlOf(hit.value));
        return hit.value;
      }
      if (got.facts.status !== 'unverified') layers?.put(kind, registry, ecosystem, name, got.facts, policy.ttlOf(got.facts), got.etag);
      return got.facts;
    } catch (e) {
      return unverified(describe(e));
    } finally {
      if (turn) turn.release();
    }
  }

  /** A cached download count from disk that the cache mode takes (counted), or undefined. */
  diskDownloads(api: string, ecosystem: Ecosystem, name: string): { weekly: number | null } | undefined {
    const hit = this.layers?.get('downloads', api, ecosystem, name, isCachedDownloads);
    if (hit && this.policy.takes(hit)) return this.#hit(hit);
    if (this.layers) this.#stats.cacheMisses++;
    return undefined;
  }

  /**
   * A disk count the cache mode takes, counted as a hit, or undefined (uncounted: a look before a
   * bulk request, whose answer is memoized without a cache read).
   */
  diskDownloadsIfAny(api: string, ecosystem: Ecosystem, name: string): { weekly: number | null } | undefined {
    const hit = this.layers?.get('downloads', api, ecosystem, name, isCachedDownloads);
    return this.policy.takes(hit) ? this.#hit(hit!) : undefined;
  }

  /** A count from the shared cache, after a counted disk miss (then counted as a hit instead). */
  async sharedDownloads(api: string, ecosystem: Ecosystem, name: string): Promise<{ weekly: number | null } | undefined> {
    if (!this.layers?.shared) return undefined;
    const [hit] = await this.layers.getShared('downloads', api, ecosystem, [name], isCachedDownloads);
    if (!this.policy.takes(hit)) return undefined;
    this.#stats.cacheMisses--;
    return this.#hit(hit!);
  }

  /** Shared-cache counts of several names in one round trip (uncounted), undefined where none is taken. */
  async sharedDownloadsOf(api: string, names: readonly string[]): Promise<Array<{ weekly: number | null } | undefined>> {
    if (!this.layers?.shared) return names.map(() => undefined);
    const hits = await this.layers.getShared('downloads', api, 'npm', names, isCachedDownloads);
    return hits.map((h) => (this.policy.takes(h) ? h!.value : undefined));
  }

  /** Store a download count. */
  putDownloads(api: string, ecosystem: Ecosystem, name: string, weekly: number | null): void {
    this.layers?.put('downloads', api, ecosystem, name, { weekly }, this.policy.ttl.downloadsMs);
  }
}
