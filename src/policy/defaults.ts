import type { FindingCode, Policy, SeveritySetting } from '../core/types.js';

/**
 * The one place defaults live. Everything else merges over this once
 * (defaults < system < project < user < env < flags; a locked system config is a floor) in policy/settings.ts.
 */
export const DEFAULT_SEVERITIES: Record<FindingCode, SeveritySetting> = {
  // The name cannot be installed as meant, or npm itself pulled it: nothing to weigh.
  'not-found': 'block',
  unpublished: 'block',
  'security-holder': 'block',
  // Policy downgrades a typo to `warn` when the popularity gap is small and the package is old
  // (a real, established look-alike such as a fork), see policy/verdict.ts.
  typo: 'block',
  'too-new': 'warn',
  'low-downloads': 'warn',
  deprecated: 'warn',
  'install-script': 'warn',
  'other-ecosystem': 'warn',
  yanked: 'warn',
  'suspicious-name': 'warn',
  // Many honest packages have no repository link; alone it is context, not a reason to stop.
  'no-repository': 'info',
  allowlisted: 'info',
  // Severity of `unverified` is decided by failClosed (unknown, or block); this entry only allows `off`.
  unverified: 'warn',
};

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
