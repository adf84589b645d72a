import { defineSignal } from './define.js';

// Control characters, bidi overrides (Trojan Source) and anything outside printable ASCII.
// npm has refused non-URL-safe names for years, so such a name is either ancient or a trick.
const SUSPICIOUS = /[^\x21-\x7e]/u;

/** A name that carries characters people cannot see or tell apart. */
export const suspiciousName = defineSignal({
  code: 'suspicious-name',
  severity: 'warn',
  evaluate: ({ ref }) => {
    const chars = [...ref.name].filter((c) => SUSPICIOUS.test(c));
    if (chars.length === 0) return [];
    const codepoints = chars.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
    return [{ code: 'suspicious-name', evidence: { codepoints } }];
  },
  wording: ({ signal: { evidence: ev } }) => `the name contains invisible or non-ASCII characters (${ev.codepoints})`,
  rule: {
    name: 'SuspiciousName',
    short: 'The name contains invisible or non-ASCII characters',
    help: 'Invisible or non-ASCII characters make a name look like another one. Retype the name by hand.',
  },
});
