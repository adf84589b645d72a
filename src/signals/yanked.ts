import type { SignalFn } from '../core/types.js';

/** PyPI: every file of the latest release is yanked, so the maintainers pulled it back. */
export const yanked: SignalFn = ({ facts }) =>
  facts.status === 'found' && facts.yanked ? [{ code: 'yanked', evidence: { version: facts.latestVersion ?? null } }] : [];
