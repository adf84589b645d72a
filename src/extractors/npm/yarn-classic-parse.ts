/**
 * A reader for the yarn v1 ("classic") lockfile syntax that keeps line numbers.
 *
 * Hand-written on purpose: `@yarnpkg/parsers` `parseSyml` reads v1 through a PEG grammar that
 * takes ~650 ms on a 5,000-entry lockfile (the budget for the whole extraction is 300 ms), gives
 * no positions, and `@yarnpkg/lockfile` has been unmaintained since 2018. The v1 syntax is
 * frozen and small: top-level entries `"a@^1", a@^2:` at column 0, then `key value` or
 * `key:` lines indented by two spaces per level. The tests check this reader against
 * parseSyml on real lockfiles.
 */
import { excerpt } from '../notes.js';

/** One top-level entry: its descriptors (`name@range`), where it starts, and its scalar fields. */
export interface YarnClassicEntry {
  descriptors: Array<{ text: string; offset: number }>;
  /** 1-based line of the entry's key. */
  line: number;
  /** Top-level `key value` fields of the entry (`version`, `resolved`, `integrity`, ...). */
  fields: Map<string, string>;
}

/** The parse: entries, or where and why it stopped. */
export interface YarnClassicParse {
  entries: YarnClassicEntry[];
  error?: { message: string; line: number; column: number };
}

/** Bare tokens, by what ends them: a key (space or colon), a descriptor (comma or colon), a value (line end). */
const BARE: Record<string, RegExp> = { key: /[^ :]+/y, descriptor: /[^,:]+/y, value: /.+/y };

/** Whether the character at `at` is escaped (an odd number of backslashes before it). */
function escaped(line: string, at: number): boolean {
  let n = 0;
  while (line[at - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

/** Reads one token (quoted or bare) at `from`; returns it and where it ends. */
function token(line: string, from: number, kind: keyof typeof BARE): { text: string; end: number } | { error: string; at: number } {
  if (line.charCodeAt(from) === 34 /* " */) {
    let close = line.indexOf('"', from + 1);
    while (close !== -1 && escaped(line, close)) close = line.indexOf('"', close + 1);
    if (close === -1) return { error: 'a quoted string is not closed', at: from };
    const raw = line.slice(from + 1, close);
    if (!raw.includes('\\')) return { text: raw, end: close + 1 };
    try {
      return { text: JSON.parse(line.slice(from, close + 1)) as string, end: close + 1 };
    } catch {
      return { error: 'an invalid escape in a quoted string', at: from };
    }
  }
  const re = BARE[kind] as RegExp;
  re.lastIndex = from;
  const m = re.exec(line);
  if (!m) return { error: 'expected a name or a value', at: from };
  return { text: m[0], end: from + m[0].length };
}

/** Splits an entry header (`"a@^1", a@^2:`) into its descriptors. */
function header(line: string, lineOffset: number): YarnClassicEntry['descriptors'] | { error: string; at: number } {
  const body = line.trimEnd();
  if (!body.endsWith(':')) return { error: "expected an entry header ending in ':'", at: body.length };
  const out: YarnClassicEntry['descriptors'] = [];
  let i = 0;
  const end = body.length - 1;
  while (i < end) {
    const t = token(body, i, 'descriptor');
    if ('error' in t) return t;
    out.push({ text: t.text.trim(), offset: lineOffset + i + (body[i] === '"' ? 1 : 0) });
    i = t.end;
    while (body[i] === ' ') i++;
    if (i < end) {
      if (body[i] !== ',') return { error: "expected ',' between descriptors or ':' at the end", at: i };
      i++;
      while (body[i] === ' ') i++;
    }
  }
  if (out.length === 0) return { error: 'expected at least one descriptor before the colon', at: 0 };
  return out;
}

/** Parses a yarn v1 lockfile text (already normalised to `\n` line ends). */
export function parseYarnClassic(text: string): YarnClassicParse {
  const entries: YarnClassicEntry[] = [];
  let current: YarnClassicEntry | undefined;
  /** Indentation a nested map's lines must have (after `key:`), or 0 outside one. */
  let nested = 0;
  let offset = 0;
  let lineNo = 0;
  const fail = (message: string, column: number): YarnClassicParse => ({ entries, error: { message, line: lineNo, column } });
  for (const line of text.split('\n')) {
    lineNo++;
    const lineOffset = offset;
    offset += line.length + 1;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    if (indent > 0 && line.slice(0, indent).includes('\t')) return fail('tabs are not allowed for indentation', 1);
    if (indent === 0) {
      const descriptors = header(line, lineOffset);
      if ('error' in descriptors) return fail(descriptors.error, descriptors.at + 1);
      current = { descriptors, line: lineNo, fields: new Map() };
      entries.push(current);
      nested = 0;
      continue;
    }
    if (!current) return fail('an indented line before any entry', indent + 1);
    if (indent % 2 !== 0) return fail('indentation must be a multiple of two spaces', indent + 1);
    if (indent > 2 && (nested === 0 || indent > nested)) return fail('unexpected indentation', indent + 1);
    if (indent <= 2) nested = 0;
    const key = token(line, indent, 'key');
    if ('error' in key) return fail(key.error, key.at + 1);
    const rest = line.slice(key.end);
    if (rest.trimEnd() === ':') {
      nested = indent + 2;
      continue;
    }
    if (!rest.startsWith(' ') || rest.trim() === '') return fail(`expected a value after "${excerpt(key.text)}"`, key.end + 1);
    const valueAt = key.end + (rest.length - rest.trimStart().length);
    const value = token(line, valueAt, 'value');
    if ('error' in value) return fail(value.error, value.at + 1);
    if (line.slice(value.end).trim() !== '') return fail('unexpected text after the value', value.end + 1);
    if (indent === 2) current.fields.set(key.text, value.text.trimEnd());
  }
  return { entries };
}
