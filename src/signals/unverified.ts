import { REGISTRY_NAME } from '../reporters/wording.js';
import { defineSignal } from './define.js';

/** The registry could not be asked. Never `ok`: policy makes this `unknown` (or a block with failClosed). */
export const unverified = defineSignal({
  code: 'unverified',
  // The severity is decided by failClosed (unknown, or block); this entry only allows `off`.
  severity: 'warn',
  evaluate: ({ facts }) =>
    facts.status === 'unverified' ? [{ code: 'unverified', evidence: { error: facts.error ?? null, registry: facts.registry } }] : [],
  wording: ({ name, ecosystem, signal: { evidence: ev } }) => `\`${name}\` could not be checked on ${REGISTRY_NAME[ecosystem]}${ev.error ? `: ${ev.error}` : ''}`,
  rule: {
    name: 'Unverified',
    short: 'The registry could not be asked',
    help: 'The registry could not be reached or answered with an error, so the name was not checked. Run again; with --fail-closed this blocks.',
  },
});
