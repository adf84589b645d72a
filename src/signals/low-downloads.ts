import { num, plural } from '../reporters/wording.js';
import { defineSignal } from './define.js';

/**
 * Few downloads mean few eyes. Unknown downloads stay unknown: no finding when the registry
 * gave no count (private registries, brand-new packages the downloads API has not seen).
 */
export const lowDownloads = defineSignal({
  code: 'low-downloads',
  severity: 'warn',
  evaluate: ({ facts, policy }) => {
    if (facts.status !== 'found' || facts.weeklyDownloads === undefined) return [];
    const min = policy.thresholds.minWeeklyDownloads;
    if (facts.weeklyDownloads >= min) return [];
    return [{ code: 'low-downloads', evidence: { weeklyDownloads: facts.weeklyDownloads, minWeeklyDownloads: min, source: facts.downloadsSource ?? null } }];
  },
  wording: ({ name, signal: { evidence: ev } }) =>
    `\`${name}\` had only ${num(ev.weeklyDownloads)} ${plural(ev.weeklyDownloads, 'download', 'downloads')} last week (fewer than ${num(ev.minWeeklyDownloads)})`,
  downloadThresholds: (policy) => [policy.thresholds.minWeeklyDownloads],
  rule: {
    name: 'LowDownloads',
    short: 'Hardly anyone downloads the package',
    help: 'Very few weekly downloads: either a niche package or a name nobody meant to use. Check that it is the package you meant.',
  },
});
