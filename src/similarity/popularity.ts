/**
 * Popularity arithmetic shared by the engine, the typo signal and the benchmarks: weekly downloads
 * from monthly counts and PyPI ranks, and the popularity-gap rule that keeps a popular package
 * from being called a squat of another popular package.
 */

/** npm's list holds monthly counts; a month is 30 days, so 30/7 weeks. */
export const WEEKS_PER_MONTH = 30 / 7;

/** Weekly downloads from a monthly count. */
export function weeklyFromMonthly(monthly: number): number {
  return Math.round(monthly / WEEKS_PER_MONTH);
}

// PyPI's list gives ranks, not counts. Downloads by rank follow a power law (Zipf); anchored at the
// top project's ~1.9 billion downloads a month (boto3, top-pypi-packages, 2026-04) and a slope that
// puts rank 15,000 near 30,000 a month, as the published top-15,000 lists show. An estimate: good
// for comparing two names' audiences by orders of magnitude, not for reporting a count.
const TOP_WEEKLY = 437_000_000;
const ZIPF_SLOPE = 1.15;

/** Estimated weekly downloads of the PyPI project at `rank` (1 = most downloaded). */
export function weeklyFromRank(rank: number): number {
  return Math.round(TOP_WEEKLY / Math.pow(Math.max(1, rank), ZIPF_SLOPE));
}

/**
 * A package this popular has an audience of its own: squats are taken down long before they reach
 * it (they live on mirror and bot downloads, hundreds a week), so it is never reported as a
 * look-alike, whatever its spelling. About the npm top 55,000 and PyPI's top 10,000.
 */
export const ESTABLISHED_WEEKLY = 10_000;

/**
 * Weak resemblance (two edits, a compound of two transformations, a short or generic name) is only
 * worth reporting for a package without much of an audience: below this confidence, a candidate
 * with this many weekly downloads is left alone.
 */
export const WEAK_CONFIDENCE = 0.7;
export const WEAK_MATCH_MAX_WEEKLY = 1_000;

/**
 * Two packages whose audiences are within this factor are peers (`preact`/`react`, `ws`/`ms`),
 * not an imitation and its model.
 */
export const PEER_RATIO = 10;

/**
 * The popularity-gap rule: whether a candidate is popular enough, by itself or next to the name it
 * resembles (or, for a weak resemblance, at all), that the resemblance says nothing. Unknown
 * candidate downloads never exempt.
 */
export function popularEnough(candidateWeekly: number | null | undefined, targetWeekly: number | null | undefined, confidence = 1): boolean {
  if (candidateWeekly === null || candidateWeekly === undefined) return false;
  if (candidateWeekly >= ESTABLISHED_WEEKLY) return true;
  if (confidence < WEAK_CONFIDENCE && candidateWeekly >= WEAK_MATCH_MAX_WEEKLY) return true;
  if (targetWeekly === null || targetWeekly === undefined) return false;
  return candidateWeekly * PEER_RATIO >= targetWeekly;
}
