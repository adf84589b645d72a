import type { SignalFn } from '../core/types.js';

/**
 * Few downloads mean few eyes. Unknown downloads stay unknown: no finding when the registry
 * gave no count (private registries, brand-new packages the downloads API has not seen).
 */
export const lowDownloads: SignalFn = ({ facts, policy }) => {
  if (facts.status !== 'found' || facts.weeklyDownloads === undefined) return [];
  const min = policy.thresholds.minWeeklyDownloads;
  if (facts.weeklyDownloads >= min) return [];
  return [{ code: 'low-downloads', evidence: { weeklyDownloads: facts.weeklyDownloads, minWeeklyDownloads: min, source: facts.downloadsSource ?? null } }];
};
