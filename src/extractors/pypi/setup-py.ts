/**
 * setup.py: the requirement lists passed to `setup()` as literals — `install_requires=[...]`,
 * `setup_requires`, `tests_require`, `extras_require={"extra": [...]}` — and lists assigned to a
 * module-level name that `setup()` then uses (`REQUIRES = [...]` ... `install_requires=REQUIRES`).
 *
 * setup.py is a program; slopguard never runs it. This reads string literals only, so a list that
 * is computed (read from a file, built in a loop, `f"..."` strings) is reported as not read, with
 * where, rather than silently taken as empty. Hand-written: there is no maintained Python parser
 * for JavaScript that gives positions, and literal lists are all that can be read without running
 * the file anyway.
 */
import type { Extractor, ExtractResult, Origin, SourceDocument } from '../../core/types.js';
import { baseName } from '../locate.js';
import { DocumentReader } from '../reader.js';
import { addPep508 } from './common.js';

const LIST_KEYS = ['install_requires', 'setup_requires', 'tests_require'];

/** A string literal found in the source: its value and where its text starts. */
interface Literal {
  value: string;
  offset: number;
}

/** What a bracketed literal held: its strings, whether anything else was in it, and its end. */
interface Scanned {
  strings: Literal[];
  computed: boolean;
  end: number;
  /** The closing bracket was never found. */
  unclosed?: boolean;
}

/** A Python string literal starting at `i` (with an optional r/u/b prefix), or undefined. */
function stringAt(text: string, i: number): { literal?: Literal; end: number; fString: boolean } | undefined {
  const m = /^([rRuUbBfF]{0,2})('''|"""|'|")/.exec(text.slice(i, i + 5));
  if (!m) return undefined;
  const quote = m[2]!;
  const start = i + m[0].length;
  const raw = /r/i.test(m[1]!);
  let j = start;
  let value = '';
  while (j < text.length) {
    if (text.startsWith(quote, j)) {
      return { literal: { value, offset: start }, end: j + quote.length, fString: /f/i.test(m[1]!) };
    }
    const ch = text[j]!;
    if (ch === '\n' && quote.length === 1) break;
    if (ch === '\\' && !raw && j + 1 < text.length) {
      value += text[j + 1];
      j += 2;
      continue;
    }
    value += ch;
    j++;
  }
  return { end: j, fString: false };
}

/**
 * Scans the bracketed literal whose opening bracket is at `open` (`[`, `(` or `{`), collecting
 * string literals at its top level and in nested lists; anything that is not a string, a comma,
 * a comment or (in a dict) a `:` makes it `computed`.
 */
function scanBracket(text: string, open: number): Scanned {
  const close = { '[': ']', '(': ')', '{': '}' }[text[open] as '[' | '(' | '{'];
  const out: Scanned = { strings: [], computed: false, end: text.length };
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === close) {
      out.end = i + 1;
      return out;
    }
    if (/\s|,/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (ch === '[' || ch === '(' || ch === '{') {
      const inner = scanBracket(text, i);
      out.strings.push(...inner.strings);
      out.computed ||= inner.computed;
      if (inner.unclosed) out.unclosed = true;
      i = inner.end;
      continue;
    }
    const s = stringAt(text, i);
    if (s) {
      // In a dict, a string followed by `:` is a key (an extra's name), not a requirement.
      const isKey = close === '}' && /^\s*:/.test(text.slice(s.end, s.end + 64));
      if (s.literal && !s.fString) {
        if (!isKey) out.strings.push(s.literal);
      } else out.computed = true;
      i = s.end;
      continue;
    }
    if (ch === ':' && close === '}') {
      i++;
      continue;
    }
    out.computed = true;
    i++;
  }
  out.unclosed = true;
  return out;
}

/** The value of `key=` at `at`: a literal bracket, a name (resolved through `NAME = [...]`), or other. */
function valueAt(text: string, at: number): { kind: 'bracket'; open: number } | { kind: 'name'; name: string } | { kind: 'other'; end: number } {
  let i = at;
  while (i < text.length && /[ \t]/.test(text[i]!)) i++;
  if (text[i] === '[' || text[i] === '(' || text[i] === '{') return { kind: 'bracket', open: i };
  const name = /^[A-Za-z_][A-Za-z0-9_]*(?=\s*[,)\n#])/.exec(text.slice(i));
  if (name) return { kind: 'name', name: name[0] };
  const nl = text.indexOf('\n', i);
  return { kind: 'other', end: nl < 0 ? text.length : nl };
}

function readSetupPy(doc: SourceDocument): ExtractResult {
  const { c, lines } = new DocumentReader(doc, 'pypi');
  const text = lines.text;
  const origin = (offset: number, length: number, context?: string): Origin => lines.origin(doc.path, offset, length, context);
  const addStrings = (strings: Literal[], context: string) => {
    for (const s of strings) {
      const value = s.value.trim();
      if (value === '' || value.startsWith('#')) continue;
      const lead = s.value.length - s.value.trimStart().length;
      addPep508(c, value, (index, length) => origin(s.offset + lead + index, length, context));
    }
  };
  const notRead = (key: string, at: number, how: string) =>
    c.note('info', 'skipped', `${doc.path}: ${key} is ${how}; only literal lists are read (setup.py is never run), so its names were not checked.`, origin(at, key.length, `setup() ${key}`));

  /** `NAME = [...]` at the start of a line: the list a later `key=NAME` refers to. */
  const assigned = (name: string): Scanned | undefined => {
    const m = new RegExp(`^${name}\\s*=\\s*(?=[\\[({])`, 'm').exec(text);
    return m ? scanBracket(text, m.index + m[0].length) : undefined;
  };

  const keyPattern = new RegExp(`\\b(${[...LIST_KEYS, 'extras_require'].join('|')})\\s*=(?!=)`, 'g');
  for (const m of text.matchAll(keyPattern)) {
    const key = m[1]!;
    const at = m.index!;
    // Skip matches inside comments: a `#` earlier on the same line.
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (text.slice(lineStart, at).includes('#')) continue;
    const context = `setup() ${key}`;
    const v = valueAt(text, at + m[0].length);
    let scanned: Scanned | undefined;
    if (v.kind === 'bracket') scanned = scanBracket(text, v.open);
    else if (v.kind === 'name') {
      scanned = assigned(v.name);
      if (!scanned) {
        notRead(key, at, `the variable ${v.name}, which is not assigned a literal list at the top of the file`);
        continue;
      }
    } else {
      notRead(key, at, 'computed');
      continue;
    }
    if (scanned.unclosed) {
      c.malformed(`${doc.path}: the value of ${key} is never closed (a bracket or a string is missing its end); what it lists was not read.`, origin(at, key.length, context));
      continue;
    }
    addStrings(scanned.strings, context);
    if (scanned.computed) notRead(key, at, 'partly computed (it holds more than string literals)');
  }
  return c.result();
}

/** setup.py. */
export const setupPyExtractor: Extractor = {
  id: 'setup-py',
  format: 'setup.py (setuptools, literal lists)',
  ecosystem: 'pypi',
  kind: 'manifest',
  matches: (path) => baseName(path) === 'setup.py',
  extract: readSetupPy,
};
