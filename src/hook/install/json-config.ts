/**
 * Minimal, formatting-preserving edits of the JSON config files hooks are wired into
 * (`.claude/settings.json`, `.cursor/hooks.json`). jsonc-parser computes edits of just the
 * region that changes, so the user's key order, indentation, other hooks and unknown keys stay
 * byte for byte as they were; a file we cannot parse is never rewritten.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyEdits, findNodeAtLocation, modify, parse, parseTree, printParseErrorCode, type FormattingOptions, type JSONPath, type ParseError } from 'jsonc-parser';
import { InputError } from '../../core/errors.js';

/** A JSON config file as read: its text (empty when absent), its value, and how it is indented. */
export interface JsonConfig {
  path: string;
  exists: boolean;
  text: string;
  value: Record<string, unknown>;
  format: FormattingOptions;
}

/** Indentation as the file already has it (two spaces for a new file). */
function detectFormat(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /^([ \t]+)\S/m.exec(text);
  if (m && m[1]!.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: m ? m[1]!.length : 2, eol };
}

/** Read a JSON config; an absent file is an empty object. Throws InputError for a file that is not a JSON object. */
export function readJsonConfig(path: string): JsonConfig {
  let text = '';
  let exists = true;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    exists = false;
  }
  if (text.trim() === '') return { path, exists, text: '', value: {}, format: detectFormat('') };
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new InputError(path, `not valid JSON (${printParseErrorCode(first.error)}); fix it by hand, slopguard will not rewrite it`, line);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(path, 'expected a JSON object at the top level; slopguard will not rewrite it');
  return { path, exists, text, value: value as Record<string, unknown>, format: detectFormat(text) };
}

/** Set (or, with `undefined`, remove) the value at `path`, returning the new text. `-1` as the last segment appends to an array. */
export function editJson(text: string, path: JSONPath, value: unknown, format: FormattingOptions): string {
  if (path.at(-1) === -1 && value !== undefined) {
    const appended = appendAfterLast(text, path.slice(0, -1), value, format);
    if (appended !== undefined) return appended;
  }
  if (typeof path.at(-1) === 'number' && value === undefined) {
    const removed = removeArrayElement(text, path);
    if (removed !== undefined) return removed;
  }
  const base = text.trim() === '' ? '{}' : text;
  const edited = applyEdits(base, modify(base, path, value, { formattingOptions: format }));
  return text.trim() === '' ? `${edited}${format.eol ?? '\n'}` : edited;
}

/**
 * Append to a non-empty array by writing the new element after the last one, indented like it.
 * jsonc-parser's own insert re-formats the line the edit starts on, which would expand a user's
 * one-line element (`{ "matcher": "Bash", "hooks": [...] }`) that uninstall could then not restore.
 */
function appendAfterLast(text: string, arrayPath: JSONPath, value: unknown, format: FormattingOptions): string | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const array = tree && findNodeAtLocation(tree, arrayPath);
  const last = array?.type === 'array' ? array.children?.at(-1) : undefined;
  if (!last) return undefined;
  const lineStart = text.lastIndexOf('\n', last.offset) + 1;
  const lead = text.slice(lineStart, last.offset);
  const end = last.offset + last.length;
  // A one-line array (`[{ "command": "x" }]`) stays on one line.
  if (!/^[ \t]*$/.test(lead)) return `${text.slice(0, end)}, ${JSON.stringify(value)}${text.slice(end)}`;
  const unit = format.insertSpaces === false ? '\t' : ' '.repeat(format.tabSize ?? 2);
  const eol = format.eol ?? '\n';
  const body = JSON.stringify(value, null, unit).split('\n').join(`${eol}${lead}`);
  return `${text.slice(0, end)},${eol}${lead}${body}${text.slice(end)}`;
}

/**
 * Remove one element of an array with two or more, cutting exactly its text and one comma, so
 * the neighbours keep their layout (jsonc-parser would re-format the line the cut starts on).
 */
function removeArrayElement(text: string, path: JSONPath): string | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const array = tree && findNodeAtLocation(tree, path.slice(0, -1));
  const items = array?.type === 'array' ? (array.children ?? []) : [];
  const i = path.at(-1) as number;
  const item = items[i];
  if (!item || items.length < 2) return undefined;
  const prev = items[i - 1];
  // After the previous element: from its end through this one's end (`,\n    {...}`).
  if (prev) return text.slice(0, prev.offset + prev.length) + text.slice(item.offset + item.length);
  // The first: from its start up to the next one's start.
  return text.slice(0, item.offset) + text.slice(items[i + 1]!.offset);
}

/** The parsed value of an edited text (for the next edit's indices). */
export function parseJson(text: string): Record<string, unknown> {
  const v: unknown = parse(text.trim() === '' ? '{}' : text, [], { allowTrailingComma: true });
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Write through a temporary file and a rename, so an interrupted write never leaves half a config. */
export function writeFileAtomic(path: string, text: string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.slopguard-${process.pid}.tmp`;
  writeFileSync(tmp, text);
  // Set the mode explicitly: the umask would otherwise clear a hook's execute bits.
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** Whether `v` is a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
