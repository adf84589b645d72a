import { defineSignal } from './define.js';

/** Every version deprecated (npm) or the project marked deprecated/archived (PyPI, PEP 792). */
export const deprecated = defineSignal({
  code: 'deprecated',
  severity: 'warn',
  evaluate: ({ facts }) => {
    if (facts.status !== 'found') return [];
    if (facts.deprecated !== undefined && facts.deprecated !== '') {
      return [{ code: 'deprecated', evidence: { reason: facts.deprecated } }];
    }
    if (facts.projectStatus === 'deprecated' || facts.projectStatus === 'archived') {
      return [{ code: 'deprecated', evidence: { reason: null, status: facts.projectStatus } }];
    }
    return [];
  },
  wording: ({ name, signal: { evidence: ev } }) =>
    ev.status ? `\`${name}\` is marked ${ev.status} on PyPI` : `\`${name}\` is deprecated${ev.reason ? `: "${ev.reason}"` : ''}`,
  rule: {
    name: 'PackageDeprecated',
    short: 'The package is deprecated',
    help: 'The maintainers deprecated the package (or PyPI marks it archived or deprecated). Look for its replacement.',
  },
});
