import type { SignalFn } from '../core/types.js';

/** npm answers 200 with a tombstone for a package unpublished as a whole; anyone may re-register it after 24 h. */
export const unpublished: SignalFn = ({ facts }) =>
  facts.status === 'unpublished' ? [{ code: 'unpublished', evidence: { unpublishedAt: facts.unpublishedAt ?? null } }] : [];
