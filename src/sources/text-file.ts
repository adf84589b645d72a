/**
 * A user's file as a document, read through a file-access port and decoded by the one set of
 * rules (sources/decode.ts), and the located note for a file that was not read: `refused` (the
 * trust boundary at work: packages behind it are unverified, exit 3, hook ask) or `unreadable`
 * (missing, a folder, not text: exit 2). Neither note quotes the file.
 */
import { InputError } from '../core/errors.js';
import type { ExtractNote, IncludeProblem, SourceDocument } from '../core/types.js';
import { decodeText } from './decode.js';
import { BOUNDARY_REASONS, type FileAccess, type ReadOptions, type RefusalReason } from './file-access.js';

/** A document read through a port, or why it was not. */
export type TextRead = { ok: true; doc: SourceDocument; abs: string } | { ok: false; path: string; reason: RefusalReason | 'not-text'; message: string; line?: number };

/** Reads and decodes one file. Never throws. */
export async function readTextFile(access: FileAccess, path: string, options?: ReadOptions): Promise<TextRead> {
  const read = await access.readFile(path, options);
  if (!read.ok) return read;
  try {
    return { ok: true, doc: { path: read.path, text: decodeText(read.bytes, read.path) }, abs: read.abs };
  } catch (e) {
    const err = e as InputError;
    const message = err instanceof InputError ? err.message.slice(err.message.indexOf(': ') + 2) : String(e);
    return { ok: false, path: read.path, reason: 'not-text', message, ...(err.line !== undefined ? { line: err.line } : {}) };
  }
}

/** Whether a failed read is the trust boundary refusing (rather than a missing or broken file). */
export function isRefusal(reason: RefusalReason | 'not-text'): boolean {
  return reason !== 'not-text' && BOUNDARY_REASONS.has(reason);
}

/** The located note for a file that was not read (the file itself is the origin). */
export function notReadNote(failed: Extract<TextRead, { ok: false }>): ExtractNote {
  const origin: ExtractNote['origin'] = { file: failed.path };
  if (failed.line !== undefined) origin.line = failed.line;
  if (isRefusal(failed.reason)) {
    return { level: 'warning', code: 'refused', message: `${failed.path}: not read: it ${failed.message}; the packages it names are not checked.`, origin, unverified: true };
  }
  const message = failed.message.startsWith('no such') || failed.message.startsWith('is ') || failed.message.startsWith('cannot') ? failed.message : `cannot be read: ${failed.message}`;
  return { level: 'error', code: 'unreadable', message: `${failed.path}${failed.line !== undefined ? `:${failed.line}` : ''}: ${message.replace(/\.$/, '')}.`, origin };
}

/** The same failure as an extractor sees it through `ExtractContext.readRelative`. */
export function includeProblem(failed: Extract<TextRead, { ok: false }>): IncludeProblem {
  return { problem: isRefusal(failed.reason) ? 'refused' : 'unreadable', message: failed.message };
}
