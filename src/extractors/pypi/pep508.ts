/**
 * PEP 508 dependency specifiers (`name[extra] >=1,<2 ; python_version < "3.11"`,
 * `name @ https://…`), split into their parts with the offset of the name.
 *
 * Hand-written: the only npm parser for PEP 508 (pip-requirements-js) gives no offsets, and
 * an editor needs the name's exact place. Version specifiers are checked with
 * @renovatebot/pep440; markers are kept as written (they decide *when* a package is installed,
 * never *which* one).
 */
import type * as Pep440 from '@renovatebot/pep440';
import { lazyRequire } from '../../core/lazy-require.js';
import { PYPI_NAME } from '../../core/names.js';
import type { RefSource } from '../../core/types.js';
import { excerpt } from '../notes.js';

const pep440 = lazyRequire<typeof Pep440>('@renovatebot/pep440');

/** A parsed PEP 508 requirement. */
export interface Pep508 {
  name: string;
  /** Offset of the name in the parsed text. */
  nameIndex: number;
  extras: string[];
  /** Version specifier as written (trimmed, without parentheses). */
  specifier?: string;
  /** The URL of a `name @ url` requirement. */
  url?: string;
  marker?: string;
}

/** Why a requirement could not be read, and where (offset in the text). */
export interface Pep508Error {
  error: string;
  index: number;
}

const NAME_CHARS = /[A-Za-z0-9._-]+/y;

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** Parses one PEP 508 requirement string. */
export function parsePep508(text: string): Pep508 | Pep508Error {
  let i = skipSpace(text, 0);
  NAME_CHARS.lastIndex = i;
  const m = NAME_CHARS.exec(text);
  if (!m) return { error: 'expected a project name', index: i };
  const out: Pep508 = { name: m[0], nameIndex: i, extras: [] };
  i = skipSpace(text, i + m[0].length);
  if (text[i] === '[') {
    const close = text.indexOf(']', i);
    if (close === -1) return { error: "the extras list is not closed with ']'", index: i };
    out.extras = text
      .slice(i + 1, close)
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    if (out.extras.some((e) => !PYPI_NAME.test(e))) return { error: 'an extra name is not valid', index: i + 1 };
    i = skipSpace(text, close + 1);
  }
  let rest = text.slice(i);
  let restAt = i;
  if (rest.startsWith('@')) {
    // `name @ url`: the URL runs to whitespace; a marker needs whitespace before its `;`.
    const urlAt = skipSpace(text, i + 1);
    const urlEnd = text.slice(urlAt).search(/\s/);
    out.url = urlEnd === -1 ? text.slice(urlAt) : text.slice(urlAt, urlAt + urlEnd);
    if (out.url === '') return { error: "expected a URL after '@'", index: urlAt };
    restAt = urlEnd === -1 ? text.length : urlAt + urlEnd;
    rest = text.slice(restAt);
    if (rest.trim() !== '' && !rest.trimStart().startsWith(';')) return { error: "expected ';' and a marker after the URL", index: skipSpace(text, restAt) };
  } else {
    const semi = rest.indexOf(';');
    let spec = (semi === -1 ? rest : rest.slice(0, semi)).trim();
    if (spec.startsWith('(')) {
      if (!spec.endsWith(')')) return { error: "the version specifier is not closed with ')'", index: i };
      spec = spec.slice(1, -1).trim();
    }
    if (spec !== '') {
      if (!pep440().validRange(spec)) return { error: `"${excerpt(spec)}" is not a valid version specifier (such as >=1.2, ==1.*, ~=2.0)`, index: i };
      out.specifier = spec;
    }
    restAt = semi === -1 ? text.length : i + semi;
    rest = text.slice(restAt);
  }
  const semi = rest.indexOf(';');
  if (semi !== -1) {
    const marker = rest.slice(semi + 1).trim();
    if (marker === '') return { error: "expected an environment marker after ';'", index: restAt + semi + 1 };
    out.marker = marker;
  }
  return out;
}

/** Where a requirement URL (`name @ url`, `-e url`, a bare URL) fetches from. */
export function sourceOfPythonUrl(url: string): { source: RefSource; detail?: string } {
  if (/^git\+/i.test(url)) return { source: 'git' };
  if (/^(?:hg|svn|bzr)\+/i.test(url)) return { source: 'other', detail: 'a version control repository' };
  if (/^file:/i.test(url)) return { source: isArchive(url) ? 'file' : 'directory' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { source: 'url' };
  return { source: isArchive(url) ? 'file' : 'directory' };
}

/** Whether a path or URL names a wheel or source archive. */
export function isArchive(path: string): boolean {
  return /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar)(?:[#?].*)?$/i.test(path);
}

/**
 * The project name a URL or path carries: `#egg=name` first, else a wheel's or sdist's file
 * name (`name-1.0-py3-none-any.whl`, `name-1.0.tar.gz`). Undefined when it names none.
 */
export function nameFromUrl(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url)?.[1];
  if (egg) return egg;
  const file = url.split(/[?#]/)[0]?.split(/[\\/]/).pop() ?? '';
  if (/\.whl$/i.test(file)) return file.split('-')[0] || undefined;
  const sdist = /^(.+?)-\d[^-]*\.(?:zip|tar\.gz|tgz|tar\.bz2|tar\.xz|tar)$/i.exec(file);
  return sdist?.[1];
}

/** Why `name` is not a valid PyPI project name, or undefined. */
export function pypiNameProblem(name: string): string | undefined {
  return PYPI_NAME.test(name) ? undefined : 'PEP 508 names are letters, digits, ".", "_" and "-", starting and ending with a letter or digit';
}
