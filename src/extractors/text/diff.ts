/**
 * The dependencies a unified diff adds: `git diff` output, or a patch an agent proposes.
 *
 * For every file the diff touches, the names on the new side are compared with those on the old
 * side (by ecosystem and PEP 503-normalised name), so a moved, re-indented or re-sorted line is
 * not "new", and a name moved from one file to another in the same diff is not new either.
 *
 * - Manifests and lockfiles: with whole old and new files (`readOld`/`readNew`, e.g. from git)
 *   both are read with their real extractors and the name sets compared. Without them, each side
 *   is rebuilt from the hunks (context plus removed, context plus added lines, at their real line
 *   numbers); a file the diff creates is complete and read for real; line-based formats
 *   (requirements files) are read for real too; the rest is read line by line (line-level.ts),
 *   which misses names split across lines and needs dependency-table headers in view for
 *   key/value formats.
 * - Code (JS/TS, Python): imports on added lines. Shell scripts, Dockerfiles, Makefiles, CI YAML,
 *   Markdown and notebooks: install commands on added lines (a command continued from a context
 *   line is read whole, because the rebuilt side keeps the context).
 * - Binary files are skipped (a changed `bun.lockb` says how to get the text lockfile); other files
 *   (images, Go, ...) are not read.
 *
 * Origins point at the new file and its new line numbers.
 */
import { packageKey } from '../../core/names.js';
import type { Extractor, ExtractNote, ExtractResult, PackageRef } from '../../core/types.js';
import { extractDocument, findExtractor } from '../index.js';
import { baseName, normalizeText } from '../locate.js';
import { parseUnifiedDiff, type DiffFile } from './diff-parse.js';
import { scanTextKind, textKindOf, type TextKind } from './free-text.js';
import { hasLineLevel, lineLevelNames } from './line-level.js';
import { lineNamesToResult } from './snippets.js';
import { TextSink } from './text-sink.js';

/** Whole-file readers (paths as the diff names them, relative to the repository root). */
export interface DiffOptions {
  /** The file before the change; undefined when unknown (the hunks are used instead). */
  readOld?: (path: string) => string | undefined;
  /** The file after the change. */
  readNew?: (path: string) => string | undefined;
}

/** Extension-less or prose files whose install commands count (other unknown files are not read). */
const PROSE_FILE = /\.(?:md|markdown|mdx|mdc|txt|rst)$/i;
const PROSE_NAMES = /^(?:readme|install|contributing|setup|getting[-_]started)(?:\.[a-z]+)?$/i;
/** Formats read for real even from a fragment: one requirement per line; agent instructions are Markdown. */
const LINE_BASED = new Set(['requirements', 'agent-instructions']);

/** Whether a diff hunk of this format (an extractor id) is read: line by line, or by its fragment reader. */
export function readsFragments(extractorId: string): boolean {
  return LINE_BASED.has(extractorId) || hasLineLevel(extractorId);
}

/** Whether the diff extractor would use the whole old/new file at `path` (to decide what to fetch from git). */
export function diffWantsWholeFile(path: string): boolean {
  return findExtractor(path) !== undefined || diffKind(path) === 'markdown';
}

/** How a file in a diff is read; undefined when it is not read at all. */
function diffKind(path: string, extractor = findExtractor(path)): TextKind | undefined {
  if (extractor) return 'manifest';
  const kind = textKindOf(path);
  if (kind !== 'markdown') return kind;
  const base = baseName(path);
  return PROSE_FILE.test(base) || PROSE_NAMES.test(base) ? 'markdown' : undefined;
}

/** One side of a file: its text (whole, or rebuilt from hunks) and whether that is the whole file. */
interface Side {
  text: string;
  complete: boolean;
}

/** What one file contributes. */
interface FileNames {
  /** Refs on the new side that are new to this file. */
  added: PackageRef[];
  notes: ExtractNote[];
  /** Keys on the old side that are gone from the new side (for the moved-between-files rule). */
  removed: Set<string>;
}

/**
 * The refs a diff adds, with notes for what it could not read. Never throws: a diff that
 * cannot be read gives a located `malformed` note.
 */
export function extractDiff(diffText: string, options: DiffOptions = {}): ExtractResult {
  const text = diffText.charCodeAt(0) === 0xfeff ? diffText.slice(1) : diffText;
  const parsed = parseUnifiedDiff(text);
  const notes: ExtractNote[] = parsed.problems.map((p) => ({ level: 'warning', code: 'malformed', message: `The diff ${p.message}.`, origin: { file: '<diff>', line: p.line } }));
  if (parsed.files.length === 0) {
    if (text.trim() !== '') notes.push({ level: 'error', code: 'malformed', message: 'No unified diff found in the input (expected "diff --git", "---"/"+++" or "@@" lines).', origin: { file: '<diff>', line: 1 } });
    return { refs: [], notes };
  }
  const localModules = pythonModulesIn(parsed.files);
  const results: FileNames[] = [];
  for (const file of parsed.files) {
    const r = fileNames(file, options, localModules);
    if (r) results.push(r);
  }
  const removed = new Set<string>();
  for (const r of results) for (const k of r.removed) removed.add(k);
  const refs: PackageRef[] = [];
  for (const r of results) {
    for (const ref of r.added) if (!removed.has(keyOf(ref))) refs.push(ref);
    notes.push(...r.notes);
  }
  return { refs, notes };
}

function keyOf(ref: PackageRef): string {
  return `${packageKey(ref.ecosystem, ref.name)}:${ref.source ?? 'registry'}`;
}

/** Top-level names of the Python modules the diff touches: imports of those are the project's own. */
function pythonModulesIn(files: readonly DiffFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    const p = f.newPath ?? f.oldPath ?? '';
    if (!/\.pyi?$/.test(p)) continue;
    for (const seg of p.split('/')) out.add(seg.replace(/\.pyi?$/, ''));
  }
  return out;
}

function fileNames(file: DiffFile, options: DiffOptions, localModules: ReadonlySet<string>): FileNames | undefined {
  const path = file.newPath ?? file.oldPath;
  if (path === undefined) return undefined;
  const extractor = findExtractor(path);
  const kind = diffKind(path, extractor);
  if (file.binary) {
    if (!extractor || file.status === 'deleted') return undefined;
    return {
      added: [],
      removed: new Set(),
      notes: [{ level: extractor.id === 'bun-lockb' ? 'warning' : 'info', code: extractor.id === 'bun-lockb' ? 'binary-lockfile' : 'skipped', message: `${path} changed but is binary in the diff; its packages were not read${extractor.id === 'bun-lockb' ? ' (commit bun.lock, the text lockfile: `bun install --save-text-lockfile`)' : ''}.`, origin: { file: path } }],
    };
  }
  if (kind === undefined) return undefined;
  const oldSide = sideOf(file, 'old', options);
  const newSide = sideOf(file, 'new', options);
  const addedLines = new Set<number>();
  for (const h of file.hunks) for (const l of h.lines) if (l.kind === '+' && l.newLine !== undefined) addedLines.add(l.newLine);

  const newRead = newSide ? readSide(kind, extractor, newSide, file.newPath ?? path, localModules) : { refs: [], notes: [] };
  // A rebuilt old side without removed lines is the new side's context lines: reuse what they gave.
  const removedAny = file.hunks.some((h) => h.lines.some((l) => l.kind === '-'));
  const contextOnly = oldSide !== undefined && !oldSide.complete && !removedAny && newSide !== undefined;
  const oldRead = contextOnly
    ? { refs: newRead.refs.filter((r) => !addedLines.has(r.origin?.line ?? -1)), notes: newRead.notes.filter((n) => !addedLines.has(n.origin.line ?? -1)) }
    : oldSide
      ? readSide(kind, extractor, oldSide, file.oldPath ?? path, localModules)
      : { refs: [], notes: [] };
  const oldKeys = new Set(oldRead.refs.map(keyOf));
  const newKeys = new Set(newRead.refs.map(keyOf));
  // A whole new-side manifest is compared as a set; elsewhere only added lines can add names.
  const wholeSet = kind === 'manifest' && newSide?.complete === true && (oldSide?.complete === true || file.status === 'added');
  const onAdded = (line: number | undefined) => line !== undefined && addedLines.has(line);
  const added = newRead.refs.filter((r) => !oldKeys.has(keyOf(r)) && (wholeSet || onAdded(r.origin?.line)));
  const addedNames = new Set(added.map((r) => packageKey(r.ecosystem, r.name)));
  const oldAmbiguous = new Set(oldRead.notes.filter((n) => n.code === 'ambiguous-import').map((n) => n.name));
  const notes = newRead.notes.filter((n) => {
    // Not-registry notes go with the refs they explain; an ambiguous import only when it is new.
    if (n.code === 'not-registry') return n.name !== undefined && n.ecosystem !== undefined && addedNames.has(packageKey(n.ecosystem, n.name));
    if (n.code === 'ambiguous-import') return onAdded(n.origin.line) && !oldAmbiguous.has(n.name);
    if (n.origin.line === undefined) return newSide?.complete === true && n.level === 'error';
    return onAdded(n.origin.line);
  });
  const removed = new Set([...oldKeys].filter((k) => !newKeys.has(k)));
  return { added, notes, removed };
}

/**
 * One side of a file: the whole file from the reader, or the hunk lines at their own line
 * numbers (other lines empty). A side the diff creates or deletes whole is complete.
 */
function sideOf(file: DiffFile, which: 'old' | 'new', options: DiffOptions): Side | undefined {
  const path = which === 'old' ? file.oldPath : file.newPath;
  if (path === undefined) return undefined;
  const whole = (which === 'old' ? options.readOld : options.readNew)?.(path);
  if (whole !== undefined) return { text: normalizeText(whole), complete: true };
  const lines: string[] = [];
  for (const h of file.hunks) {
    for (const l of h.lines) {
      const n = which === 'old' ? l.oldLine : l.newLine;
      if (n === undefined || (which === 'old' ? l.kind === '+' : l.kind === '-')) continue;
      while (lines.length < n - 1) lines.push('');
      lines[n - 1] = l.text;
    }
  }
  const created = which === 'new' ? file.status === 'added' : file.status === 'deleted';
  return { text: lines.join('\n'), complete: created };
}

/** The refs of one side. */
function readSide(kind: TextKind, extractor: Extractor | undefined, side: Side, path: string, localModules: ReadonlySet<string>): ExtractResult {
  if (kind !== 'manifest') {
    const sink = new TextSink(path, side.text, { localModules });
    scanTextKind(sink, kind, side.text, 0, side.text.length, path);
    return sink.result();
  }
  if (!extractor) return { refs: [], notes: [] };
  if (side.complete || LINE_BASED.has(extractor.id)) {
    const result = extractDocument({ path, text: side.text });
    if (side.complete || !result.notes.some((n) => n.level === 'error' && n.code === 'malformed')) return result;
  }
  const names = lineLevelNames(extractor.id, side.text, 0, side.text.length);
  const sink = new TextSink(path, side.text);
  if (names === undefined) {
    // A format with no fragment reading: what the hunk adds could not be read, so it is not "nothing".
    return {
      refs: [],
      notes: [
        {
          level: 'warning',
          code: 'skipped',
          message: `${path}: this ${extractor.format} change could not be read from the diff's lines alone; the packages it adds are not checked (slopguard diff --git <range> reads whole files).`,
          origin: { file: path },
          unverified: true,
        },
      ],
    };
  }
  return lineNamesToResult(names, path, sink.locate);
}
