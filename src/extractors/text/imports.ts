/**
 * Package names in source code: JS/TS `import … from 'x'`, `import 'x'`, `export … from 'x'`,
 * `require('x')`, `import('x')`; Python `import x`, `import x.y as z`, `from x import y`.
 *
 * Line-based scanners with a small lexer (comments and strings), not full parsers: the input is
 * often a fragment (a code block in an answer, the added lines of a diff) that no parser would
 * accept, and only the import statements matter. Bare specifiers only: relative and absolute
 * paths, node builtins (`fs`, `node:fs`), URLs and other protocols are skipped; deep imports
 * map to their package (`lodash/fp` -> `lodash`, `@scope/pkg/sub` -> `@scope/pkg`). Python
 * imports are mapped to distributions (`yaml` -> PyYAML) and the standard library is skipped.
 */
import { builtinModules } from 'node:module';
import type { ExtractNote, ExtractResult, PackageRef } from '../../core/types.js';
import { npmNameProblemCached } from './install-args.js';
import { resolvePythonImport, resolvePythonImportFrom, type PythonImportResolution } from './python-imports.js';
import { textLocator, type Locate, type TextOrigin } from './text-origin.js';

/** Options for the import scanners. */
export interface ImportScanOptions {
  /**
   * Top-level Python modules that belong to the project itself (files added in the same diff,
   * say): `import mymodule` is then not a package.
   */
  localModules?: ReadonlySet<string>;
}

/** Lines longer than this are not scanned for imports (minified bundles, data). */
export const MAX_IMPORT_LINE = 10_000;

/** JS/TS imports in `code`; origins are shifted by `origin.line`/`origin.column`. */
export function findJsImports(code: string, origin: TextOrigin): ExtractResult {
  const out: ExtractResult = { refs: [], notes: [] };
  jsImportsIn(code, 0, code.length, { file: origin.file, locate: textLocator(code, origin) }, out);
  return out;
}

/** Python imports in `code`, mapped to distributions. */
export function findPythonImports(code: string, origin: TextOrigin, options: ImportScanOptions = {}): ExtractResult {
  const out: ExtractResult = { refs: [], notes: [] };
  pythonImportsIn(code, 0, code.length, { file: origin.file, locate: textLocator(code, origin) }, out, options);
  return out;
}

/** Where the scanners put their findings. */
export interface ImportScan {
  file: string;
  locate: Locate;
}

// ---------------------------------------------------------------------------
// JavaScript / TypeScript
// ---------------------------------------------------------------------------

const BUILTINS = new Set(builtinModules.map((m) => m.split('/')[0] as string));

/**
 * The npm package a bare module specifier names, or undefined for relative paths, builtins,
 * URLs, protocols and names npm would refuse (path aliases such as `@/components`).
 * `npm:` specifiers (Deno, Bun) name the package after the prefix.
 */
export function npmPackageOfSpecifier(specifier: string): string | undefined {
  let s = specifier.trim();
  if (s.startsWith('npm:')) s = s.slice(4).replace(/^(@?[^@]+)@[^/]*/, '$1');
  if (s === '' || /^[./#~\\]/.test(s) || s.includes(':') || s.startsWith('@/')) return undefined;
  s = s.split(/[?#]/)[0] as string;
  const parts = s.split('/');
  const name = s.startsWith('@') ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
  if (!name || BUILTINS.has(name)) return undefined;
  if (npmNameProblemCached(name)) return undefined;
  return name;
}

/** Tokens that, right before a string, make it a module specifier. */
type JsContext = 'import' | 'export' | 'require' | 'dynamic import';

/** The JS scanner's state between lines. */
interface JsState {
  inBlockComment: boolean;
  inTemplate: boolean;
  /** The last few code tokens (identifiers and punctuation), newest last. */
  tokens: string[];
  /** The statement keyword (`import`/`export`) a following `from` belongs to. */
  statement: 'import' | 'export' | undefined;
}

/** Scans `text[start, end)` for JS/TS imports. */
export function jsImportsIn(text: string, start: number, end: number, scan: ImportScan, out: ExtractResult): void {
  const state: JsState = { inBlockComment: false, inTemplate: false, tokens: [], statement: undefined };
  let skippedLong = 0;
  for (let lineStart = start; lineStart < end; ) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 || nl > end ? end : nl;
    if (lineEnd - lineStart > MAX_IMPORT_LINE) {
      if (skippedLong++ === 0) out.notes.push(longLineNote(scan, lineStart));
      state.tokens = [];
    } else {
      jsLine(text, lineStart, lineEnd, state, scan, out);
    }
    lineStart = lineEnd + 1;
  }
}

function longLineNote(scan: ImportScan, offset: number): ExtractNote {
  return {
    level: 'info',
    code: 'skipped',
    message: `Lines longer than ${MAX_IMPORT_LINE.toLocaleString('en')} characters (minified or generated code) were not read for imports.`,
    origin: scan.locate(offset, 0),
  };
}

function pushToken(state: JsState, token: string): void {
  state.tokens.push(token);
  if (state.tokens.length > 6) state.tokens.shift();
  if (token === 'import' || token === 'export') state.statement = token;
  else if (token === ';') state.statement = undefined;
}

/** One line: comments and strings lexed, specifier strings recognised by the tokens before them. */
function jsLine(text: string, from: number, to: number, state: JsState, scan: ImportScan, out: ExtractResult): void {
  let i = from;
  while (i < to) {
    if (state.inBlockComment) {
      const close = text.indexOf('*/', i);
      if (close === -1 || close + 2 > to) return;
      state.inBlockComment = false;
      i = close + 2;
      continue;
    }
    if (state.inTemplate) {
      i = skipTemplate(text, i, to, state);
      continue;
    }
    const c = text[i] as string;
    if (c === '/' && text[i + 1] === '/') return;
    if (c === '/' && text[i + 1] === '*') {
      state.inBlockComment = true;
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = closingQuote(text, i, to, c);
      if (close === -1) return; // unterminated on this line: not a specifier
      specifier(text, i + 1, close, state, scan, out);
      pushToken(state, 'string');
      i = close + 1;
      continue;
    }
    if (c === '`') {
      // A template without `${` can be a specifier in `import(`…`)` and `require(`…`)`.
      const close = closingQuote(text, i, to, '`');
      if (close !== -1 && !text.slice(i + 1, close).includes('${')) {
        specifier(text, i + 1, close, state, scan, out, true);
        pushToken(state, 'string');
        i = close + 1;
        continue;
      }
      state.inTemplate = true;
      i = skipTemplate(text, i + 1, to, state);
      pushToken(state, 'string');
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < to && isIdentPart(text[j] as string)) j++;
      pushToken(state, text.slice(i, j));
      i = j;
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') pushToken(state, c);
    i++;
  }
}

function closingQuote(text: string, i: number, to: number, q: string): number {
  for (let j = i + 1; j < to; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === q) return j;
  }
  return -1;
}

function skipTemplate(text: string, i: number, to: number, state: JsState): number {
  for (let j = i; j < to; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '`') {
      state.inTemplate = false;
      return j + 1;
    }
  }
  return to;
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

/** Decides from the tokens before a string whether it is a module specifier. */
function specifierContext(state: JsState, template: boolean): JsContext | undefined {
  const t = state.tokens;
  const last = t[t.length - 1];
  const before = t[t.length - 2];
  const third = t[t.length - 3];
  // `from 'x'` only exists in import/export statements.
  if (!template && last === 'from') return state.statement ?? 'import';
  if (!template && last === 'import' && before !== '.') return 'import';
  if (last === '(') {
    if (before === 'import' && third !== '.') return 'dynamic import';
    if (before === 'require' && third !== '.') return 'require';
    if (before === 'resolve' && third === '.' && t[t.length - 4] === 'require') return 'require';
  }
  return undefined;
}

function specifier(text: string, from: number, to: number, state: JsState, scan: ImportScan, out: ExtractResult, template = false): void {
  const context = specifierContext(state, template);
  if (!context) return;
  const raw = text.slice(from, to);
  const name = npmPackageOfSpecifier(raw);
  if (!name) return;
  const at = raw.indexOf(name);
  const ref: PackageRef = { ecosystem: 'npm', name, origin: scan.locate(from + Math.max(0, at), name.length, context) };
  out.refs.push(ref);
}

// ---------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const IMPORT_STMT = /^([ \t]*)import[ \t]+/;
// The module group cannot start with a dot, so the two groups never compete for the same dots.
const FROM_STMT = /^([ \t]*)from[ \t]+(\.*)([A-Za-z0-9_][A-Za-z0-9_.]*)?[ \t]*import\b[ \t]*/;
const DYNAMIC = /\b(?:__import__|import_module)\([ \t]*(['"])([A-Za-z_][A-Za-z0-9_.]{0,200})\1/g;

/** Scans `text[start, end)` for Python imports. */
export function pythonImportsIn(text: string, start: number, end: number, scan: ImportScan, out: ExtractResult, options: ImportScanOptions = {}): void {
  let inString: '"""' | "'''" | undefined;
  let skippedLong = 0;
  for (let lineStart = start; lineStart < end; ) {
    const nl = text.indexOf('\n', lineStart);
    let lineEnd = nl === -1 || nl > end ? end : nl;
    const next = lineEnd + 1;
    if (lineEnd - lineStart > MAX_IMPORT_LINE) {
      if (skippedLong++ === 0) out.notes.push(longLineNote(scan, lineStart));
      lineStart = next;
      continue;
    }
    const line = text.slice(lineStart, lineEnd);
    if (inString) {
      const close = line.indexOf(inString);
      if (close === -1) {
        lineStart = next;
        continue;
      }
      inString = undefined;
      lineStart = next;
      continue; // code after a closing docstring on the same line is rare; skip it
    }
    inString = openTripleQuote(line);
    let statement = line;
    let consumed = next;
    // `from x import (\n a,\n b)`: gather the parenthesised names (a few lines at most).
    if (FROM_STMT.test(line) && line.includes('(') && !line.includes(')')) {
      for (let k = 0, p = next; k < 50 && p < end; k++) {
        const n2 = text.indexOf('\n', p);
        const e2 = n2 === -1 || n2 > end ? end : n2;
        statement += ` ${text.slice(p, e2)}`;
        consumed = e2 + 1;
        if (text.slice(p, e2).includes(')')) break;
        p = e2 + 1;
      }
    }
    // `import a, \` continues on the next line (a few lines at most: each step rebuilds the
    // statement, so thousands of `\` lines would take quadratic time).
    for (let k = 0; k < 50 && statement.endsWith('\\') && consumed < end; k++) {
      const n2 = text.indexOf('\n', consumed);
      const e2 = n2 === -1 || n2 > end ? end : n2;
      statement = `${statement.slice(0, -1)} ${text.slice(consumed, e2)}`;
      consumed = e2 + 1;
      lineEnd = e2;
    }
    for (const part of splitStatements(statement)) pythonStatement(part.text, lineStart + part.offset, scan, out, options);
    DYNAMIC.lastIndex = 0;
    for (let m = DYNAMIC.exec(line); m; m = DYNAMIC.exec(line)) {
      const module = m[2] as string;
      const at = lineStart + m.index + m[0].length - module.length - 1;
      addPython(resolvePythonImport(module), module, at, scan, out, options, 'dynamic import');
    }
    lineStart = Math.max(next, consumed);
  }
}

/** Opens a triple-quoted string that does not close on the same line? */
function openTripleQuote(line: string): '"""' | "'''" | undefined {
  let open: '"""' | "'''" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '#' && !open) return undefined;
    if ((c === '"' || c === "'") && line[i + 1] === c && line[i + 2] === c) {
      const q = (c === '"' ? '"""' : "'''") as '"""' | "'''";
      if (!open) open = q;
      else if (open === q) open = undefined;
      i += 2;
    }
  }
  return open;
}

/** Splits `a; b` at semicolons outside strings and comments. */
function splitStatements(line: string): Array<{ text: string; offset: number }> {
  if (!line.includes(';')) return [{ text: line, offset: 0 }];
  const out: Array<{ text: string; offset: number }> = [];
  let from = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#') break;
    else if (c === ';') {
      out.push({ text: line.slice(from, i), offset: from });
      from = i + 1;
    }
  }
  out.push({ text: line.slice(from), offset: from });
  return out;
}

/** One statement: `import a, b.c as d` or `from x import y, z`. */
function pythonStatement(stmt: string, offset: number, scan: ImportScan, out: ExtractResult, options: ImportScanOptions): void {
  const code = stmt.split('#')[0] as string;
  const from = FROM_STMT.exec(code);
  if (from) {
    if ((from[2] as string).length > 0) return; // relative import: the project's own code
    const module = from[3] ?? '';
    if (!DOTTED.test(module)) return;
    const names = code
      .slice(from[0].length)
      .replace(/[()]/g, ' ')
      .split(',')
      .map((n) => n.trim().split(/\s+/)[0] ?? '')
      .filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
    const at = offset + (from[1] as string).length + code.slice((from[1] as string).length).indexOf(module);
    for (const r of resolvePythonImportFrom(module, names)) addPython(r, module, at, scan, out, options, 'import');
    return;
  }
  const imp = IMPORT_STMT.exec(code);
  if (!imp) return;
  let pos = imp[0].length;
  for (const piece of code.slice(pos).split(',')) {
    const trimmed = piece.trim();
    const words = trimmed.split(/\s+/);
    const module = words[0] ?? '';
    const valid = DOTTED.test(module) && (words.length === 1 || (words.length === 3 && words[1] === 'as' && /^[A-Za-z_]\w*$/.test(words[2] ?? '')));
    if (!valid) return; // not Python (`import React from 'react'`) or not an import
    addPython(resolvePythonImport(module), module, offset + pos + piece.indexOf(module), scan, out, options, 'import');
    pos += piece.length + 1;
  }
}

function addPython(r: PythonImportResolution, module: string, at: number, scan: ImportScan, out: ExtractResult, options: ImportScanOptions, context: string): void {
  const top = module.split('.')[0] as string;
  if (r.kind === 'stdlib' || options.localModules?.has(top)) return;
  const origin = scan.locate(at, top.length, context);
  if (r.kind === 'ambiguous') {
    const list = r.candidates.slice(0, 12).join(', ') + (r.candidates.length > 12 ? `, … (${r.candidates.length} in all)` : '');
    const why = r.namespace ? `is a namespace shared by several distributions (${list})` : `is provided by several distributions (${list})`;
    out.notes.push({ level: 'info', code: 'ambiguous-import', message: `The Python import "${module}" ${why}; none was checked.`, origin, name: module, ecosystem: 'pypi' });
    return;
  }
  out.refs.push({ ecosystem: 'pypi', name: r.name, importName: top, origin });
}
