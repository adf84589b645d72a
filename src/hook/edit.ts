/**
 * The dependencies an agent's file edit adds. The file's text before (from disk) and after (the
 * edit applied the way the agent's tool applies it) are both read by the manifest/lockfile
 * extractor for that file name; only names present after and absent before are judged, so
 * editing a package.json that already lists a hundred dependencies checks just the new one.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { packageKey } from '../core/names.js';
import type { ExtractNote, PackageRef } from '../core/types.js';
import { findExtractor } from '../extractors/index.js';
import { diskAccess, overlayAccess } from '../sources/file-access.js';
import { extractWithIncludes } from '../sources/includes.js';
import { readLimits } from '../sources/read-limits.js';
import { readRootOf } from '../sources/repo-root.js';
import { notReadNote, readTextFile } from '../sources/text-file.js';

/** One string replacement, as Claude Code's Edit and MultiEdit tools take it. */
export interface StringEdit {
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

/** A file's text before and after an edit. */
export interface FileChange {
  /** Absolute path. */
  path: string;
  /** Undefined when the file does not exist yet. */
  before: string | undefined;
  after: string;
}

/** The refs an edit adds, and notes about what could not be read. */
export interface AddedRefs {
  refs: PackageRef[];
  notes: ExtractNote[];
}

/** The file an edit starts from: its text, nothing (a new file), or the note saying why it was not read. */
export type CurrentFile = { text: string; note?: undefined } | { text?: undefined; note?: ExtractNote };

/**
 * The file as it is on disk, read through the file-access port: the path is the tool's target
 * (the agent's tool reads it anyway, so it may lie outside the repository), but it is still
 * regular-files-only and capped, so a FIFO or `/dev/zero` cannot hang the hook. A missing file
 * is a new file; a refused or undecodable one comes with its note.
 */
export async function readCurrent(path: string, cwd: string): Promise<CurrentFile> {
  const { root, repository } = await readRootOf(path, cwd);
  const access = diskAccess({ root, displayBase: cwd, limits: readLimits(process.env) });
  const read = await readTextFile(access, path, { userChosen: true, linksAnywhere: !repository });
  if (read.ok) return { text: read.doc.text };
  if (read.reason === 'missing') return {};
  return { note: notReadNote(read) };
}

/**
 * Apply string edits the way the tools do: the first occurrence (the tool insists it is unique)
 * or every occurrence with `replace_all`; an empty `old_string` on a missing or empty file
 * creates it. Undefined when an edit cannot apply: the tool will fail on its own, nothing to judge.
 * Splitting and slicing, not String.replace, so `$&` in the new text stays literal.
 */
export function applyStringEdits(before: string | undefined, edits: readonly StringEdit[]): string | undefined {
  let text = before ?? '';
  for (const e of edits) {
    if (typeof e.old_string !== 'string' || typeof e.new_string !== 'string') return undefined;
    if (e.old_string === '') {
      if (text !== '') return undefined;
      text = e.new_string;
      continue;
    }
    const at = text.indexOf(e.old_string);
    if (at < 0) return undefined;
    text = e.replace_all ? text.split(e.old_string).join(e.new_string) : text.slice(0, at) + e.new_string + text.slice(at + e.old_string.length);
  }
  return text;
}

/** Whether slopguard reads this file name (a manifest or lockfile). */
export function isDependencyFile(path: string): boolean {
  return findExtractor(path) !== undefined;
}

/** The path to show: relative to the project when inside it. */
export function displayPath(path: string, cwd: string): string {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/**
 * The registry refs present after the change and not before (by ecosystem and normalised name).
 * Includes (`-r`, `-c`) are followed through the file-access port on both sides, with the edited
 * file's new text laid over the disk: an edit that adds `-r other.txt` is judged on what
 * other.txt names, and an include leaving the repository is refused (unverified, never unseen).
 */
export async function addedRefs(change: FileChange, cwd: string): Promise<AddedRefs> {
  const path = displayPath(change.path, cwd);
  const disk = diskAccess({ root: (await readRootOf(change.path, cwd)).root, displayBase: cwd, limits: readLimits(process.env) });
  const absOf = (p: string) => resolve(cwd, p);
  // Judge what the edit adds even when part of the file cannot be read (one odd line in a
  // requirements file, a half-written package.json): skipping the whole file let an added name
  // through unchecked, and judging a name that later fails to install costs nothing.
  const after = await extractWithIncludes({ path, text: change.after }, overlayAccess(disk, new Map([[change.path, change.after]]), cwd), absOf);
  const before = change.before === undefined ? undefined : await extractWithIncludes({ path, text: change.before }, disk, absOf);
  // Whatever could be read before the edit was there before it, even if the rest could not be read.
  const known = new Set(before ? before.refs.map((r) => packageKey(r.ecosystem, r.name)) : []);
  const refs = after.refs.filter((r) => !known.has(packageKey(r.ecosystem, r.name)));
  // Keep only notes about what the edit added (a git dependency added, a name npm rejects).
  const notes = after.notes.filter((n) => n.name === undefined || !n.ecosystem || !known.has(packageKey(n.ecosystem, n.name)));
  return { refs, notes };
}
