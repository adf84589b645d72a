import { day } from '../reporters/wording.js';
import { defineSignal } from './define.js';

/** npm answers 200 with a tombstone for a package unpublished as a whole; anyone may re-register it after 24 h. */
export const unpublished = defineSignal({
  code: 'unpublished',
  severity: 'block',
  evaluate: ({ facts }) => (facts.status === 'unpublished' ? [{ code: 'unpublished', evidence: { unpublishedAt: facts.unpublishedAt ?? null } }] : []),
  wording: ({ name, signal: { evidence } }) =>
    `\`${name}\` was unpublished from npm${evidence.unpublishedAt ? ` on ${day(evidence.unpublishedAt)}` : ''}; anyone may register the name again`,
  rule: {
    name: 'PackageUnpublished',
    short: 'The package was unpublished',
    help: 'Every version was removed from npm, so the name is free to be registered again by someone else. Replace the dependency.',
  },
});
