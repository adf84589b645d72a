import { defineSignal } from './define.js';

/**
 * The name is on the allowlist. Not a question asked of the facts: core/check.ts makes this
 * finding, without looking the name up, when an allow entry (with its reason) matches. It is a
 * definition like the others so that its severity, sentence and rule live in one place.
 */
export const allowlisted = defineSignal({
  code: 'allowlisted',
  severity: 'info',
  evaluate: () => [],
  wording: ({ name, signal: { evidence: ev } }) => `\`${name}\` is allowlisted${ev.reason ? `: ${ev.reason}` : ''}`,
  rule: {
    name: 'Allowlisted',
    short: 'The package is allowlisted',
    help: 'An allowlist entry in the configuration lets this name through without judging it.',
  },
});
