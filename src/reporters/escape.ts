/**
 * Text from registries, lockfiles and agents is untrusted. Before it reaches a terminal every
 * control character, ANSI/OSC escape, bidi override (Trojan Source) and invisible character is
 * shown as a visible `\u{…}` escape, so it is displayed, never interpreted.
 */
// C0 controls (tab and newline included: one finding is one line), DEL, C1 controls, zero-width
// and bidi formatting characters, line/paragraph separators, BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** The same characters as JSON `\uXXXX` escapes, for JSON that may be printed to a terminal. */
export function escapeJsonInvisibles(json: string): string {
  return json.replace(/[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
