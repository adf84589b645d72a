import type { Ecosystem, FactNeeds, PopularIndex } from '../core/types.js';
import { DATA_STALE_DAYS } from '../policy/defaults.js';

/**
 * What to ask the registries for each name of a run, before anything is asked: which names'
 * weekly downloads the bundled popular list already settles, which of those get npm's
 * abbreviated packument, and when the popular index is worth reading into memory first.
 * check() composes it; the signals say which download counts they compare against
 * (`downloadThresholds` in their definitions), so no list of thresholds is kept by hand here.
 */

/**
 * How far above every downloads threshold the bundled list must put a name before its count is
 * taken from the list instead of the downloads API.
 */
export const SETTLED_MARGIN = 10;

/** From this many names in one run, settled npm names are asked through the abbreviated packument. */
export const ABBREVIATE_FROM = 32;

/**
 * From this many names in one run, the bundled index is read into memory before the first
 * question: each name asks it a few (popularity, look-alike), and answering hundreds by positional
 * reads cost ~130 ms of a warm 1,000-name scan, against ~25 ms to read the file once.
 */
export const PRELOAD_FROM = 200;

/** The fact needs of a name whose downloads must be asked. */
export const FULL_NEEDS: FactNeeds = { metadata: true, downloads: true };

/**
 * Weekly downloads that the bundled popular list settles for a name, or undefined when the
 * downloads API (npm) or pypistats (PyPI) must be asked.
 *
 * Why this is sound: downloads only ever meet thresholds in the signals, and each signal names
 * the counts it compares against (`thresholds`, gathered from the signal definitions by the
 * caller). A name the list puts at SETTLED_MARGIN times the highest of those (100,000 a week with
 * the defaults, the npm top ~22,000) is on the same side of every threshold today unless it lost
 * 90 % of its audience since the snapshot, and the snapshot is at most DATA_STALE_DAYS old (older
 * data is not used here). The count reported is the list's, labelled `popular-list`.
 *
 * A settled npm name is still asked about, because existence, unpublishing, deprecation, security
 * placeholders and install scripts cannot be read from a list. In a run of ABBREVIATE_FROM names
 * or more (a lockfile, a monorepo) it is asked through the abbreviated packument (what
 * `npm install` itself fetches: a fraction of the full document's bytes and parse time,
 * bench/results.md), which lacks creation time and repository. Neither is needed for a verdict:
 * the age signals exist for names without an audience (a package under `minAgeDays` old does not
 * reach 100,000 downloads a week in its first days), and the facts say `abbreviated` so no signal
 * reads the missing date or repository as a finding. A short run (one name typed, a hover, an
 * agent's question) gets the full document: one request either way, and the age is worth showing.
 */
export function settledDownloads(name: string, index: PopularIndex, thresholds: readonly number[], now: Date): number | undefined {
  const ageDays = (now.getTime() - Date.parse(index.snapshotDate)) / 86_400_000;
  // A day of slack for time zones; NaN (no date) fails both tests.
  if (!(ageDays >= -1 && ageDays <= DATA_STALE_DAYS)) return undefined;
  const weekly = index.popularity(name)?.weeklyDownloads;
  const bound = SETTLED_MARGIN * Math.max(0, ...thresholds);
  return weekly !== undefined && bound > 0 && weekly >= bound ? weekly : undefined;
}

/** One name of a run as the plan sees it. */
export interface PlannedName {
  ecosystem: Ecosystem;
  name: string;
}

/** The plan for a run: settled counts by package key, and the needs of settled names. */
export interface FetchPlan {
  /** `packageKey` -> the list's weekly downloads, for names whose count the list settles. */
  settled: Map<string, number>;
  /** npm names whose downloads are asked (worth one bulk request when there are several). */
  npmDownloads: string[];
  /** The needs of a settled name: the full document only in short runs. */
  settledNeeds: FactNeeds;
  /** Whether to read the popular index into memory before the first question. */
  preload: boolean;
}

/**
 * Plan a run's requests. `index` opens an ecosystem's popular index (it may throw: no data means
 * every count is asked, as without a plan); `key` is the pipeline's package key.
 */
export function planFetches(
  names: readonly PlannedName[],
  opts: { index: (e: Ecosystem) => PopularIndex; thresholds: readonly number[]; now: Date; key: (e: Ecosystem, name: string) => string },
): FetchPlan {
  const settled = new Map<string, number>();
  const opened = new Map<Ecosystem, PopularIndex | undefined>();
  const indexOf = (e: Ecosystem) => {
    if (!opened.has(e)) {
      try {
        opened.set(e, opts.index(e));
      } catch {
        opened.set(e, undefined);
      }
    }
    return opened.get(e);
  };
  for (const n of names) {
    const index = indexOf(n.ecosystem);
    const w = index ? settledDownloads(n.name, index, opts.thresholds, opts.now) : undefined;
    if (w !== undefined) settled.set(opts.key(n.ecosystem, n.name), w);
  }
  const npmDownloads = names.filter((n) => n.ecosystem === 'npm' && !settled.has(opts.key('npm', n.name))).map((n) => n.name);
  return { settled, npmDownloads, settledNeeds: { metadata: names.length < ABBREVIATE_FROM, downloads: false }, preload: names.length >= PRELOAD_FROM };
}
