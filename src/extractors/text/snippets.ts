/**
 * Manifest snippets in an answer: a ```json block with `"dependencies"`, a ```toml block with
 * `[project]`, a requirements list under "`requirements.txt`:". They are read with the real
 * extractors at their place in the document; a fragment that does not parse (agents often show
 * `"dependencies": { … }` without the outer braces) is read line by line.
 */
import type { ExtractNote, ExtractResult, Origin, PackageRef } from '../../core/types.js';
import { extractDocument, findExtractor } from '../index.js';
import { baseName, LineIndex } from '../locate.js';
import { hasLineLevel, lineLevelNames, type LineName } from './line-level.js';
import { blank, type TextSink } from './text-sink.js';

/** A code block (or a whole document) that may be a manifest. */
export interface SnippetBlock {
  /** The block's language, lower case (`json`, `toml`, `text`, `''`). */
  lang: string;
  /** A file name the block is said to belong to (info string, or the line before it). */
  hint: string | undefined;
  start: number;
  end: number;
}

/** The manifest format a snippet is in, from its hint, language and content. */
function snippetFile(block: SnippetBlock, content: string): string | undefined {
  if (block.hint && findExtractor(block.hint)) return baseName(block.hint);
  const lang = block.lang;
  if ((lang === 'json' || lang === 'jsonc' || lang === 'json5' || lang === '') && /"(?:dev|peer|optional)?[dD]ependencies"\s*:/.test(content)) return 'package.json';
  if (lang === 'toml' || lang === '') {
    if (/^\s*\[(?:project|tool\.poetry[\w.-]*|dependency-groups|build-system)\]/m.test(content)) return 'pyproject.toml';
    if (/^\s*\[(?:dev-)?packages\]/m.test(content)) return 'Pipfile';
  }
  if (lang === 'requirements' || lang === 'pip-requirements' || lang === 'pip') return 'requirements.txt';
  return undefined;
}

/**
 * Reads a block as a manifest when it is one; returns whether it did. With `whole`, the block
 * is a whole file given by path, read as such (its errors stay errors).
 */
export function readSnippet(sink: TextSink, block: SnippetBlock, options: { whole?: boolean } = {}): boolean {
  const text = sink.text;
  const content = text.slice(block.start, block.end);
  if (options.whole) {
    sink.add(extractDocument({ path: sink.file, text }));
    return true;
  }
  const file = snippetFile(block, content.slice(0, 100_000));
  const extractor = file ? findExtractor(file) : undefined;
  if (!file || !extractor || extractor.kind === 'lockfile') return false;
  // The snippet at its own place: everything before it blanked, so lines and columns are the document's.
  const padded = blank(text, 0, block.start) + content;
  let result = extractDocument({ path: file, text: padded });
  if (failed(result) && extractor.id === 'package-json' && block.start >= 2) {
    // `"dependencies": { … }` without the outer object: wrap it (the brace goes on the blanked fence line).
    const wrapped = `${padded.slice(0, block.start - 2)}{${padded.slice(block.start - 1)}\n}`;
    result = extractDocument({ path: file, text: wrapped });
  }
  if (failed(result)) {
    const names = hasLineLevel(extractor.id) ? (lineLevelNames(extractor.id, text, block.start, block.end) ?? []) : [];
    sink.add(lineNamesToResult(names, sink.file, sink.locate, file));
    return true;
  }
  sink.add(relocate(result, sink, file));
  return true;
}

function failed(result: ExtractResult): boolean {
  return result.notes.some((n) => n.level === 'error' && n.code === 'malformed');
}

/**
 * Origins of a snippet's refs point at the answer (through the sink's locator, so a notebook
 * cell's lines map to the notebook's); its errors are warnings (an answer is not the user's file).
 */
function relocate(result: ExtractResult, sink: TextSink, format: string): ExtractResult {
  const index = new LineIndex(sink.text);
  const move = (o: Origin | undefined): Origin => {
    const context = o?.context ? `${format} ${o.context}` : format;
    if (o?.line === undefined) return { file: sink.file, context };
    const column = o.column ?? 1;
    const offset = index.lineStart(o.line) + column - 1;
    return sink.locate(offset, Math.max(0, (o.endColumn ?? column) - column), context);
  };
  const refs: PackageRef[] = result.refs.map((r) => ({ ...r, origin: move(r.origin) }));
  const notes: ExtractNote[] = result.notes
    .filter((n) => n.code !== 'empty-lockfile' && n.code !== 'unreadable')
    .map((n) => ({ ...n, level: n.level === 'error' ? 'warning' : n.level, origin: move(n.origin) }));
  return { refs, notes };
}

/**
 * Refs (and not-registry notes) for names read line by line. `format` prefixes the origin's
 * context (`package.json dependencies`) when the file is not the manifest itself.
 */
export function lineNamesToResult(names: readonly LineName[], file: string, locate: (offset: number, length: number, context?: string) => Origin, format?: string): ExtractResult {
  const out: ExtractResult = { refs: [], notes: [] };
  for (const n of names) {
    const context = format === undefined ? n.context : n.context ? `${format} ${n.context}` : format;
    const origin = locate(n.offset, n.length, context);
    origin.file = file;
    const ref: PackageRef = { ecosystem: n.ecosystem, name: n.name, origin };
    if (n.spec) ref.spec = n.spec;
    if (n.alias) ref.alias = n.alias;
    if (n.source && n.source !== 'registry') {
      ref.source = n.source;
      out.notes.push({
        level: 'info',
        code: 'not-registry',
        message: `${n.name} comes from ${n.sourceDetail ?? `a ${n.source} source`}${n.spec ? ` (${n.spec.slice(0, 120)})` : ''}; it is not looked up in the registry.`,
        origin,
        name: n.name,
        ecosystem: n.ecosystem,
      });
    }
    out.refs.push(ref);
  }
  return out;
}
