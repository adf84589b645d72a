/**
 * Weekly download counts for the guard's judge, asked from the npm downloads API in bulk.
 *
 * Names asked within a few milliseconds of each other share one request (the API takes up to 128
 * comma-separated unscoped names; fetchNpmDownloads splits and sends scoped ones singly), and a
 * count is kept per name for the TTL with in-flight sharing (memo.ts), so however many clients
 * ask, a name is asked about once. `prefetch` lets the guard ask, in one request, for the names a
 * client is about to want (the dependencies of a document it was just served): an install asks
 * for packuments one dependency level at a time, so without it nearly every packument waited for
 * a downloads request of its own (the bench: 300 of them for a 300-package tree).
 *
 * A failed request leaves each of its names unknown (`failed`), as the CLI's resolver does
 * (npm-downloads.ts: downloads never make a lookup fail), and is not kept: the next question
 * asks again.
 */
import { createMemo, type Memo } from './memo.js';

/** What the downloads API said about one name. */
export type DownloadAnswer =
  /** Last week's count. */
  | { kind: 'count'; weekly: number }
  /** The API answered without data for the name (unknown or brand-new package). */
  | { kind: 'no-data' }
  /** The API could not be asked or answered nothing usable for the name's request. */
  | { kind: 'failed' };

/** Ask the API about `names`: a count or `null` (no data) per answered name, none for names whose request failed; never rejects. */
export type FetchCounts = (names: string[]) => Promise<Map<string, number | null>>;

/** Options of {@link DownloadCounts}. */
export interface DownloadCountsOptions {
  fetch: FetchCounts;
  /** How long an answer is kept (failures are not kept). */
  ttlMs: number;
  /** How long a name waits for others to share its request. */
  batchMs: number;
}

/** Batched, memoised download counts for one guard. */
export class DownloadCounts {
  readonly #o: DownloadCountsOptions;
  readonly #memo: Memo<DownloadAnswer>;
  #batch = new Map<string, Array<(a: DownloadAnswer) => void>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(o: DownloadCountsOptions) {
    this.#o = o;
    this.#memo = createMemo<DownloadAnswer>({ ttlMs: o.ttlMs, ttlOf: (a) => (a.kind === 'failed' ? 0 : o.ttlMs) });
  }

  /** The answer for `name`: shared with every concurrent and later (within the TTL) question. */
  get(name: string): Promise<DownloadAnswer> {
    return this.#memo.get(name, () => this.#queue(name));
  }

  /** Ask about `names` ahead of the questions (names already known or asked are not asked again). */
  prefetch(names: Iterable<string>): void {
    for (const name of names) void this.get(name);
  }

  #queue(name: string): Promise<DownloadAnswer> {
    return new Promise((resolve) => {
      const waiters = this.#batch.get(name) ?? [];
      waiters.push(resolve);
      this.#batch.set(name, waiters);
      this.#timer ??= setTimeout(() => this.flush(), this.#o.batchMs);
    });
  }

  /** Send the waiting names now (close() does, so no question is left unanswered). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = new Map();
    if (!batch.size) return;
    const answer = (counts: Map<string, number | null>) => {
      for (const [name, waiters] of batch) {
        const weekly = counts.get(name);
        const a: DownloadAnswer = typeof weekly === 'number' ? { kind: 'count', weekly } : weekly === null ? { kind: 'no-data' } : { kind: 'failed' };
        for (const w of waiters) w(a);
      }
    };
    // fetch never rejects by contract; should it, every name of the batch is unknown.
    this.#o.fetch([...batch.keys()]).then(answer, () => answer(new Map()));
  }
}
