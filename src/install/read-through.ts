/**
 * Reading manifests, lockfiles and requirement files through the file-access port, with their
 * includes (`-r other.txt` inside a requirements file) read through it too. Extractors are
 * synchronous and ask for includes through `readRelative`; the port is async. So a document is
 * extracted, the includes it asked for are fetched, and it is extracted again, until it asks for
 * nothing new (bounded: requirement files nest at most a few levels).
 */
import { dirname, resolve } from 'node:path';
import { isUserError } from '../core/errors.js';
import type { Extractor, ExtractNote, ExtractResult, SourceDocument } from '../core/types.js';
import { extractDocument } from '../extractors/index.js';
import type { FileAccess, FileReadResult } from '../sources/file-access.js';
import { decodeText as decode } from '../sources/decode.js';

/** More rounds than this means an include chain deeper than any extractor follows. */
const MAX_ROUNDS = 12;

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
 * includes through `files`. Paths in notes are as the port shows them.
 */
export async function extractThrough(files: FileAccess, doc: SourceDocument, abs: string, extractor?: Extractor): Promise<ExtractResult & { read: string[] }> {
  const fetched = new Map<string, SourceDocument | undefined>();
  const absOf = new Map<string, string>([[doc.path, abs]]);
  for (let round = 0; ; round++) {
    const wanted: string[] = [];
    const ctx = {
      readRelative(fromPath: string, relPath: string) {
        const from = absOf.get(fromPath) ?? resolve(fromPath);
        const target = resolve(dirname(from), relPath);
        if (!fetched.has(target)) {
          wanted.push(target);
          return undefined;
        }
        const got = fetched.get(target);
        if (got) absOf.set(got.path, target);
        return got;
      },
    };
    const result = extractor ? runExtractor(extractor, doc, ctx) : extractDocument(doc, ctx);
    if (wanted.length === 0 || round >= MAX_ROUNDS) return { ...result, read: [...absOf.values()] };
    for (const target of new Set(wanted)) {
      const r = await readDoc(files, target);
      fetched.set(target, r.ok ? r.doc : undefined);
    }
  }
}

/** One extractor on one document; anything that escapes it is a located note. */
function runExtractor(extractor: Extractor, doc: SourceDocument, ctx: Parameters<Extractor['extract']>[1]): ExtractResult {
  try {
    return extractor.extract(doc, ctx);
  } catch (e) {
    const note: ExtractNote = { level: 'error', code: 'malformed', message: `${doc.path}: could not be read (${(e as Error).message}).`, origin: { file: doc.path } };
    return { refs: [], notes: [note] };
  }
}
