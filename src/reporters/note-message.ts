import type { ExtractNote } from '../core/types.js';

/** `file`, `file:line` or `file:line:col`, then `: ` (anchored, no nested quantifiers: linear). */
const LOCATION_PREFIX = /^(?::\d+(?::\d+)?)?: /;

/**
 * A note's message for reporters that print the note's origin next to it. Extractors word notes
 * to stand alone, often starting with the file (`requirements.txt:5:6: cannot read ...`); printed
 * after the origin that reads `requirements.txt:5:6: requirements.txt:5:6: ...`. The repeated
 * location is dropped; anything else is left as written.
 */
export function noteMessage(n: ExtractNote): string {
  const file = n.origin.file;
  if (!file || !n.message.startsWith(file)) return n.message;
  const rest = n.message.slice(file.length);
  const m = LOCATION_PREFIX.exec(rest);
  return m ? rest.slice(m[0].length) : n.message;
}
