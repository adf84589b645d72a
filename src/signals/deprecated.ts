import type { SignalFn } from '../core/types.js';

/** Every version deprecated (npm) or the project marked deprecated/archived (PyPI, PEP 792). */
export const deprecated: SignalFn = ({ facts }) => {
  if (facts.status !== 'found') return [];
  if (facts.deprecated !== undefined && facts.deprecated !== '') {
    return [{ code: 'deprecated', evidence: { reason: facts.deprecated } }];
  }
  if (facts.projectStatus === 'deprecated' || facts.projectStatus === 'archived') {
    return [{ code: 'deprecated', evidence: { reason: null, status: facts.projectStatus } }];
  }
  return [];
};
