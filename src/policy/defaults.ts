import type { FindingCode, Policy, SeveritySetting } from '../core/types.js';
import { defaultSeverities } from '../signals/index.js';

/**
 * The one place defaults live (each finding code's default severity is stated by its signal
 * definition in src/signals/ and gathered here). Everything else merges over this once
 * (defaults < system < project < user < env < flags; a locked system config is a floor) in policy/settings.ts.
 */
export const DEFAULT_SEVERITIES: Record<FindingCode, SeveritySetting> = defaultSeverities();

export const DEFAULT_POLICY: Policy = {
  thresholds: {
    minAgeDays: 30,
    minWeeklyDownloads: 100,
    typoPopularityRatio: 100,
    typoYoungDays: 90,
    // The long tail of npm (ranks 50,000+) has ~110-500 weekly downloads: the floor sits just
    // under it, at the low-downloads line (bench/results.md, "False alarms on the long tail").
    typoAdoptedWeekly: 100,
    typoEstablishedDays: 365,
    installScriptMaxAgeDays: 90,
    installScriptMinWeeklyDownloads: 1000,
  },
  severities: DEFAULT_SEVERITIES,
  failOn: 'block',
  failClosed: false,
  allow: { npm: [], pypi: [] },
};

/** Default network behaviour: bounded in count and time so a hook never hangs an agent. */
export const DEFAULT_NETWORK = {
  timeoutMs: 15_000,
  concurrency: 16,
  retries: 2,
} as const;

/** Data older than this many days earns a warning: a stale popular list causes false typos. */
export const DATA_STALE_DAYS = 90;
