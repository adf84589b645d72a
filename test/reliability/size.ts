/**
 * How big the reliability suite's runs are. `npm test` runs the quick size: every scenario kind,
 * fewer repetitions (fewer fuzz runs, a sample of the linear-time patterns, smaller generated
 * files), so the whole suite fits in a few minutes on a 2-core machine. `npm run test:reliability`
 * (SLOPGUARD_RELIABILITY=full, which `.ci/run` runs after `npm test`) runs every repetition at
 * full size. One home for the choice, so no part of the suite reads the variable on its own.
 */

/** The sizes the suite knows, from the smallest. */
export const RELIABILITY_SIZES = ['quick', 'full'] as const;

/** One of {@link RELIABILITY_SIZES}. */
export type ReliabilitySize = (typeof RELIABILITY_SIZES)[number];

function sizeFrom(value: string | undefined): ReliabilitySize {
  if (value === undefined || value === '') return 'quick';
  const size = RELIABILITY_SIZES.find((s) => s === value);
  // A typo must not silently run the quick suite where the full one was asked for.
  if (!size) throw new Error(`SLOPGUARD_RELIABILITY=${JSON.stringify(value)}: expected one of ${RELIABILITY_SIZES.join(', ')} (unset is quick)`);
  return size;
}

/** The size of this run, from SLOPGUARD_RELIABILITY. */
export const RELIABILITY: ReliabilitySize = sizeFrom(process.env.SLOPGUARD_RELIABILITY);

/** `quick` under `npm test`, `full` under `npm run test:reliability`. */
export function sized<T>(quick: T, full: T): T {
  return RELIABILITY === 'full' ? full : quick;
}

/**
 * The items a quick run keeps of `items`: every `stride`-th one, starting at `offset % stride`, so
 * that callers giving each target its own offset cover every item across the targets. A full run
 * keeps them all. Never empty when `items` is not.
 */
export function sample<T>(items: readonly T[], stride: number, offset: number): T[] {
  if (RELIABILITY === 'full' || stride <= 1 || items.length === 0) return [...items];
  const start = offset % Math.min(stride, items.length);
  return items.filter((_, i) => i % stride === start);
}
