import type { SignalFn } from '../core/types.js';

/**
 * No source repository named: nothing to review before trusting it. npm's abbreviated document
 * never names one, so facts read from it say nothing either way.
 */
export const noRepository: SignalFn = ({ facts }) =>
  facts.status === 'found' && !facts.repository && !facts.abbreviated ? [{ code: 'no-repository', evidence: {} }] : [];
