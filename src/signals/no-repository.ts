import type { SignalFn } from '../core/types.js';

/** No source repository named: nothing to review before trusting it. */
export const noRepository: SignalFn = ({ facts }) =>
  facts.status === 'found' && !facts.repository ? [{ code: 'no-repository', evidence: {} }] : [];
