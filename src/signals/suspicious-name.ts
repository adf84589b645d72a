import type { SignalFn } from '../core/types.js';

// Control characters, bidi overrides (Trojan Source) and anything outside printable ASCII.
// npm has refused non-URL-safe names for years, so such a name is either ancient or a trick.
const SUSPICIOUS = /[^\x21-\x7e]/u;

/** A name that carries characters people cannot see or tell apart. */
export const suspiciousName: SignalFn = ({ ref }) => {
  const chars = [...ref.name].filter((c) => SUSPICIOUS.test(c));
  if (chars.length === 0) return [];
  const codepoints = chars.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
  return [{ code: 'suspicious-name', evidence: { codepoints } }];
};
