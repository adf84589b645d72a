import type { SignalFn } from '../core/types.js';

/** npm replaced the package with `0.0.1-security` after removing malware from it. */
export const securityHolder: SignalFn = ({ facts }) =>
  facts.securityHolder ? [{ code: 'security-holder', evidence: { version: facts.latestVersion ?? null } }] : [];
