/**
 * The plugin's keys under `filters: { slopguard: {...} }` in Verdaccio's config.yaml, checked at
 * start: a bad value is logged by Verdaccio with the key and what was expected, and the plugin
 * then refuses every package (verdaccio/verdaccio-slopguard/index.cjs) rather than guard less.
 */

/** The filter's settings. */
export interface FilterConfig {
  /** Versions younger than this many days are hidden; 0 turns the age gate off. */
  minReleaseAgeDays: number;
  /** Refuse at `block` (default) or already at `warn`. */
  failOn: 'block' | 'warn';
  /** Refuse what could not be verified (served with a warning in Verdaccio's log otherwise). */
  failClosed: boolean;
}

/** The keys the plugin reads. */
export const FILTER_CONFIG_KEYS = ['minReleaseAgeDays', 'failOn', 'failClosed'] as const;
const FAIL_ON = ['block', 'warn'] as const;

const where = (key: string) => `verdaccio config.yaml filters.slopguard.${key}`;

/** Parse and validate the plugin config (Verdaccio passes undefined or null for an empty entry). */
export function parseFilterConfig(raw: unknown): FilterConfig {
  const c = raw === undefined || raw === null ? {} : raw;
  if (typeof c !== 'object' || Array.isArray(c)) throw new Error(`verdaccio config.yaml filters.slopguard: expected a mapping of ${FILTER_CONFIG_KEYS.join(', ')}`);
  const o = c as Record<string, unknown>;
  // Verdaccio merges a filter's entry into its whole config (asyncLoadPlugin's legacyMergeConfigs),
  // so other keys are Verdaccio's own and cannot be told from typos: only ours are checked.
  const days = o.minReleaseAgeDays ?? 0;
  if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) throw new Error(`${where('minReleaseAgeDays')}: expected a number of days >= 0, got ${JSON.stringify(days)}`);
  const failOn = o.failOn ?? 'block';
  if (typeof failOn !== 'string' || !(FAIL_ON as readonly string[]).includes(failOn)) throw new Error(`${where('failOn')}: expected block or warn, got ${JSON.stringify(failOn)}`);
  const failClosed = o.failClosed ?? false;
  if (typeof failClosed !== 'boolean') throw new Error(`${where('failClosed')}: expected true or false, got ${JSON.stringify(failClosed)}`);
  return { minReleaseAgeDays: days, failOn: failOn as FilterConfig['failOn'], failClosed };
}
