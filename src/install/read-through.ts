/**
 * Reading manifests, lockfiles and requirement files for the install planner through the
 * file-access port, with their includes (`-r other.txt`) read through it too.
 */
import { resolve } from 'node:path';
import { isUserError } from '../core/errors.js';
import type { Extractor, ExtractResult, SourceDocument } from '../core/types.js';
import type { FileAccess, FileReadResult } from '../sources/file-access.js';
import { decodeText as decode } from '../sources/decode.js';
import { extractWithIncludes } from '../sources/includes.js';

/** A file read for the plan, or why it was not. */
export type ReadDoc = { ok: true; doc: SourceDocument; abs: string } | { ok: false; path: string; message: string; missing: boolean };

/** Reads one file as a document (decoded as `slopguard scan` decodes files). */
export async function readDoc(files: FileAccess, abs: string): Promise<ReadDoc> {
  const read: FileReadResult = await files.readFile(abs);
  if (!read.ok) return { ok: false, path: read.path, message: `${read.path} ${read.message}`, missing: read.reason === 'missing' };
  try {
    return { ok: true, doc: { path: read.path, text: decode(read.bytes, read.path) }, abs: read.abs };
  } catch (e) {
    if (isUserError(e)) return { ok: false, path: read.path, message: (e as Error).message, missing: false };
    throw e;
  }
}

/**
 * Extracts `doc` (read from `abs`) with `extractor` (or the one its name picks), following its
 * includes through `files` with the same rules as every other door (sources/includes.ts: confined
 * to the repository, regular files only, capped; a refused include is an unverified note).
 */
export async function extractThrough(files: FileAccess, doc: SourceDocument, abs: string, extractor?: Extractor): Promise<ExtractResult & { read: string[] }> {
  const r = await extractWithIncludes(doc, files, (p) => (p === doc.path ? abs : resolve(p)), extractor);
  return { refs: r.refs, notes: r.notes, read: [abs, ...r.included] };
}
