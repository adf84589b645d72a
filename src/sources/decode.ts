/**
 * The one place bytes of a user's file become text: UTF-8 (a BOM is dropped) or UTF-16 with a
 * BOM (what Windows PowerShell writes for `pip freeze > requirements.txt`). Invalid UTF-8 is an
 * InputError naming the line, never a guess: a guessed decoding reads names that are not there.
 */
import { InputError } from '../core/errors.js';

/** Offset of the first byte that is not part of valid UTF-8, or -1. */
function firstInvalidUtf8(buf: Uint8Array): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i] as number;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    // Overlong three-byte forms, UTF-16 surrogates and code points past U+10FFFF.
    const b1 = buf[i + 1] ?? 0;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}

/** Decodes a file's bytes; `path` (as shown to the user) names it in the error. */
export function decodeText(buf: Uint8Array, path: string): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  const bad = firstInvalidUtf8(body);
  if (bad !== -1) {
    let line = 1;
    for (let i = 0; i < bad; i++) if (body[i] === 0x0a) line++;
    throw new InputError(path, `is not valid UTF-8 text (byte ${bad + 1}, line ${line}); save it as UTF-8.`, line);
  }
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/**
 * Free text (a diff, prose, a shell script): UTF-8 where it is valid, U+FFFD where it is not (one
 * odd byte in a README must not hide the install commands around it); BOMs as in decodeText.
 */
export function decodeLoose(buf: Uint8Array): string {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) return decodeText(buf, '');
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}
