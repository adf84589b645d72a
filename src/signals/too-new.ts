import type { SignalFn } from '../core/types.js';
import { ageInDays } from './age.js';

/** Squats and hallucination-squats are young: most malicious packages are removed within days. */
export const tooNew: SignalFn = ({ facts, now, policy }) => {
  if (facts.status !== 'found') return [];
  const ageDays = ageInDays(facts.created, now);
  if (ageDays === undefined || ageDays >= policy.thresholds.minAgeDays) return [];
  return [{ code: 'too-new', evidence: { ageDays, created: facts.created, minAgeDays: policy.thresholds.minAgeDays } }];
};
