import { defineSignal } from './define.js';

/** npm replaced the package with `0.0.1-security` after removing malware from it. */
export const securityHolder = defineSignal({
  code: 'security-holder',
  // npm itself pulled it: nothing to weigh.
  severity: 'block',
  evaluate: ({ facts }) => (facts.securityHolder ? [{ code: 'security-holder', evidence: { version: facts.latestVersion ?? null } }] : []),
  wording: ({ name }) => `\`${name}\` was taken down by npm for malicious code; only a security placeholder is left`,
  rule: {
    name: 'SecurityHolder',
    short: 'The package was taken down for malicious code',
    help: 'npm replaced the package with a security placeholder after removing malware. Remove the dependency and check machines that installed it.',
  },
});
