import type { SignalFn } from '../core/types.js';

/** The registry answered that the name does not exist (a 404 is a fact, not an error). */
export const notFound: SignalFn = ({ facts }) =>
  facts.status === 'not-found' ? [{ code: 'not-found', evidence: { registry: facts.registry, offlineList: facts.offlineList ?? null } }] : [];
