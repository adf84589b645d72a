/**
 * Weekly download counts for the resolver: npm's from the downloads API in bulk requests (names
 * resolved together share one), PyPI's from pypistats (one at a time, rate-limited) with the
 * bundled popular list as the fallback. Counts are cached; each name is asked once per run.
 */
import type { PackageFacts } from '../core/types.js';
import type { CachedLookup } from './cached-lookup.js';
import type { HttpClient } from './http.js';
import { fetchNpmDownloads } from './npm-downloads.js';
import type { PypistatsClient } from './pypistats.js';
import type { PopularityLookup } from './resolver.js';

/** Downloads as merged into facts. */
export interface DownloadInfo {
  weeklyDownloads?: number;
  downloadsSource?: PackageFacts['downloadsSource'];
  popularRank?: number;
}

/** npm downloads as merged into facts (null: the API has no data). */
function downloadInfo(weekly: number | null | undefined): DownloadInfo {
  return typeof weekly === 'number' ? { weeklyDownloads: weekly, downloadsSource: 'npm-downloads-api' } : {};
}

/** Longest a download count waits for other names to share its bulk request. */
const BATCH_WAIT_MS = 100;

/**
 * npm download counts in bulk. A name waits until no other npm lookup that may want downloads is
 * still at the registry (then the batch is complete: see {@link lookupStarted}), or at most
 * BATCH_WAIT_MS, so one slow lookup does not hold up the others.
 */
export class NpmDownloadBatcher {
  readonly #http: HttpClient;
  readonly #api: string;
  readonly #lookup: CachedLookup;
  readonly #memo = new Map<string, Promise<DownloadInfo>>();
  #batch = new Map<string, Array<(v: number | null | undefined) => void>>();
  #timer: NodeJS.Timeout | undefined;
  #running = 0;
  /** Bulk requests a prefetch started. */
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(http: HttpClient, api: string, lookup: CachedLookup) {
    this.#http = http;
    this.#api = api;
    this.#lookup = lookup;
  }

  /** An npm lookup that may want downloads went to the registry: batches wait for it. */
  lookupStarted(): void {
    this.#running++;
  }

  /** That lookup has its facts: if it was the last, the batch is complete and is sent. */
  lookupDone(): void {
    this.#running--;
  }

  /** Send the batch once no lookup is still at the registry. */
  flushWhenIdle(): void {
    if (this.#running === 0 && this.#batch.size) {
      clearTimeout(this.#timer);
      this.#flush();
    }
  }

  /** Whether the name's count is already asked for (or known) in this run. */
  has(name: string): boolean {
    return this.#memo.has(name);
  }

  /** The name's count: memo, cache, then a place in the next bulk request. Never rejects. */
  of(name: string): Promise<DownloadInfo> {
    let p = this.#memo.get(name);
    if (!p) this.#memo.set(name, (p = this.#fetch(name)));
    return p;
  }

  async #fetch(name: string): Promise<DownloadInfo> {
    const cached = this.#lookup.diskDownloads(this.#api, 'npm', name) ?? (await this.#lookup.sharedDownloads(this.#api, 'npm', name));
    let weekly: number | null | undefined = cached?.weekly;
    if (!cached && !this.#lookup.policy.offline) {
      weekly = await new Promise<number | null | undefined>((resolve) => this.#enqueue(name, resolve));
    }
    return downloadInfo(weekly);
  }

  #enqueue(name: string, resolve: (v: number | null | undefined) => void): void {
    const list = this.#batch.get(name) ?? [];
    list.push(resolve);
    this.#batch.set(name, list);
    this.#timer ??= setTimeout(() => this.#flush(), BATCH_WAIT_MS);
    this.flushWhenIdle();
  }

  #flush(): void {
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = new Map();
    if (!batch.size) return;
    void fetchNpmDownloads(this.#http, this.#api, [...batch.keys()], { deadline: Date.now() + this.#lookup.budgetMs }).then((counts) => {
      for (const [name, waiters] of batch) {
        const weekly = counts.get(name);
        if (weekly !== undefined) this.#lookup.putDownloads(this.#api, 'npm', name, weekly);
        for (const w of waiters) w(weekly);
      }
    });
  }

  /**
   * Start asking for the counts of `names` in bulk (names neither cached nor already asked).
   * Resolves once the requests are on their way, not answered: each name's count is a promise
   * of() hands out, so packument lookups run while the bulk requests are in flight instead of
   * after them (a run of 50 names waited a round trip or more for its scoped names' requests).
   */
  async prefetch(names: readonly string[]): Promise<void> {
    if (this.#lookup.policy.offline) return;
    const todo: string[] = [];
    for (const name of names) {
      if (this.#memo.has(name)) continue;
      // A cached count is kept here, so of() does not read the same entry again.
      const cached = this.#lookup.diskDownloadsIfAny(this.#api, 'npm', name);
      if (cached) this.#memo.set(name, Promise.resolve(downloadInfo(cached.weekly)));
      else todo.push(name);
    }
    if (!todo.length) return;
    const counts = this.#bulk(todo);
    this.#inFlight.add(counts);
    void counts.finally(() => this.#inFlight.delete(counts));
    // A name the bulk answer lacks (its request failed) is asked again on its own, as without a prefetch.
    for (const name of todo) this.#memo.set(name, counts.then((c) => (c.has(name) ? downloadInfo(c.get(name)) : this.#fetch(name))));
  }

  /** Counts of `todo` from the shared cache, then the downloads API (stored as they come). Never rejects. */
  async #bulk(todo: string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    try {
      const shared = await this.#lookup.sharedDownloadsOf(this.#api, todo);
      const left = todo.filter((name, i) => {
        const hit = shared[i];
        if (hit) out.set(name, hit.weekly);
        return !hit;
      });
      if (!left.length) return out;
      const counts = await fetchNpmDownloads(this.#http, this.#api, left, { deadline: Date.now() + this.#lookup.budgetMs });
      for (const name of left) {
        if (!counts.has(name)) continue;
        const weekly = counts.get(name)!;
        this.#lookup.putDownloads(this.#api, 'npm', name, weekly);
        out.set(name, weekly);
      }
    } catch {
      // Whatever failed is asked again name by name.
    }
    return out;
  }

  /** Send what waits, and let bulk requests in flight finish (at close nothing is left hanging). */
  async close(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#flush();
    }
    await Promise.all([...this.#inFlight]);
  }
}

/** PyPI download counts: pypistats, else the popular list's estimate. */
export class PypiDownloads {
  readonly #stats: PypistatsClient;
  readonly #api: string;
  readonly #lookup: CachedLookup;
  readonly #popularity: PopularityLookup | undefined;
  readonly #memo = new Map<string, Promise<DownloadInfo>>();

  constructor(stats: PypistatsClient, api: string, lookup: CachedLookup, popularity?: PopularityLookup) {
    this.#stats = stats;
    this.#api = api;
    this.#lookup = lookup;
    this.#popularity = popularity;
  }

  /** The (normalized) name's count, once per run. Never rejects. */
  of(name: string): Promise<DownloadInfo> {
    let p = this.#memo.get(name);
    if (!p) this.#memo.set(name, (p = this.#fetch(name)));
    return p;
  }

  async #fetch(name: string): Promise<DownloadInfo> {
    const api = this.#api;
    const cached = this.#lookup.diskDownloads(api, 'pypi', name) ?? (await this.#lookup.sharedDownloads(api, 'pypi', name));
    let weekly: number | null | undefined = cached?.weekly;
    if (!cached && !this.#lookup.policy.offline) {
      weekly = await this.#stats.weekly(name, Date.now() + this.#lookup.budgetMs);
      if (weekly !== undefined) this.#lookup.putDownloads(api, 'pypi', name, weekly);
    }
    const out: DownloadInfo = {};
    const known = this.#popularity?.('pypi', name);
    if (known?.rank !== undefined) out.popularRank = known.rank;
    if (typeof weekly === 'number') return { ...out, weeklyDownloads: weekly, downloadsSource: 'pypistats' };
    // pypistats unavailable (or without data): an estimate from the popular list beats nothing.
    if (known?.weeklyDownloads !== undefined) return { ...out, weeklyDownloads: known.weeklyDownloads, downloadsSource: 'popular-list' };
    return out;
  }
}
