import { defineSignal } from './define.js';

/** PyPI: every file of the latest release is yanked, so the maintainers pulled it back. */
export const yanked = defineSignal({
  code: 'yanked',
  severity: 'warn',
  evaluate: ({ facts }) => (facts.status === 'found' && facts.yanked ? [{ code: 'yanked', evidence: { version: facts.latestVersion ?? null } }] : []),
  wording: ({ name, signal: { evidence: ev } }) => `the latest release of \`${name}\`${ev.version ? ` (${ev.version})` : ''} is yanked`,
  rule: {
    name: 'Yanked',
    short: 'The latest release is yanked',
    help: 'Every file of the latest release was yanked on PyPI, usually because it was broken or malicious. Pin a good release or replace the package.',
  },
});
