/**
 * Extraction that follows includes (`-r`/`-c` in requirements files) through a file-access port.
 *
 * Extractors stay synchronous and pure; the port is async. So a document is extracted, the
 * includes it asked for that are not read yet are read through the port (confined to the
 * repository, regular files only, capped), and it is extracted again, until it asks for nothing
 * new. A chain of n includes costs n + 1 passes over small files; a document without includes
 * costs one. Every door (scan, ci at a base revision, the LSP, hooks, wrappers) uses this, so
 * includes follow the same rules everywhere.
 */
import { dirname, resolve } from 'node:path';
import type { ExtractContext, Extractor, ExtractResult, IncludeProblem, SourceDocument } from '../core/types.js';
import { extractDocument } from '../extractors/index.js';
import type { FileAccess } from './file-access.js';
import { includeProblem, readTextFile } from './text-file.js';

/** Passes before giving up (the requirements extractor stops nesting at 32 levels itself). */
const MAX_PASSES = 40;
/** Files one document may pull in through includes (the run's read budget bounds the bytes). */
const MAX_INCLUDED = 1000;

/** What an extraction with includes gave. */
export interface IncludedExtraction extends ExtractResult {
  /** Absolute paths of the included files that were read. */
  included: string[];
}

/**
 * Extracts `doc`, reading what it includes through `access`. `absOf` turns a document path (as
 * the extractor sees it: `doc.path` or an included file's display path) into an absolute path.
 * `extractor` overrides the one the file name selects.
 */
export async function extractWithIncludes(doc: SourceDocument, access: FileAccess, absOf: (path: string) => string, extractor?: Extractor): Promise<IncludedExtraction> {
  const loaded = new Map<string, { doc: SourceDocument } | IncludeProblem>();
  const absByShown = new Map<string, string>([[doc.path, absOf(doc.path)]]);
  for (let pass = 0; ; pass++) {
    const wanted = new Set<string>();
    const ctx: ExtractContext = {
      readRelative(fromPath, relPath) {
        const abs = resolve(dirname(absByShown.get(fromPath) ?? absOf(fromPath)), relPath);
        const hit = loaded.get(abs);
        if (hit) return 'doc' in hit ? hit.doc : hit;
        if (loaded.size + wanted.size >= MAX_INCLUDED) return { problem: 'refused', message: `is one of more than ${MAX_INCLUDED} included files` };
        wanted.add(abs);
        return undefined;
      },
    };
    const result = extractor ? extractDocument(doc, ctx, extractor) : extractDocument(doc, ctx);
    if (wanted.size === 0 || pass >= MAX_PASSES) {
      const included = [...loaded].flatMap(([abs, v]) => ('doc' in v ? [abs] : []));
      return { ...result, included };
    }
    await Promise.all(
      [...wanted].map(async (abs) => {
        const read = await readTextFile(access, abs);
        if (read.ok) {
          absByShown.set(read.doc.path, abs);
          loaded.set(abs, { doc: read.doc });
        } else loaded.set(abs, includeProblem(read));
      }),
    );
  }
}
