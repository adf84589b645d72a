import { defineSignal } from './define.js';

/**
 * No source repository named: nothing to review before trusting it. npm's abbreviated document
 * never names one, so facts read from it say nothing either way.
 */
export const noRepository = defineSignal({
  code: 'no-repository',
  // Many honest packages have no repository link; alone it is context, not a reason to stop.
  severity: 'info',
  evaluate: ({ facts }) => (facts.status === 'found' && !facts.repository && !facts.abbreviated ? [{ code: 'no-repository', evidence: {} }] : []),
  wording: ({ name }) => `\`${name}\` names no source repository`,
  rule: {
    name: 'NoRepository',
    short: 'The package names no source repository',
    help: 'No repository link to review the source. Context, not a reason to stop.',
  },
});
