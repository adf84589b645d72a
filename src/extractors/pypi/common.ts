/**
 * Steps the PyPI extractors share: reading a TOML document (with a located error), turning a
 * PEP 508 string into a ref, and telling the public index from private ones.
 */
import type * as SmolToml from 'smol-toml';
import { lazyRequire } from '../../core/lazy-require.js';
import { normalizePypiName } from '../../core/names.js';
import type { Origin, RefSource } from '../../core/types.js';
import type { LineIndex } from '../locate.js';
import type { TomlLocator } from './toml-locate.js';
import { excerpt, type Collector } from '../notes.js';
import { isArchive, parsePep508, pypiNameProblem, sourceOfPythonUrl } from './pep508.js';

const toml = lazyRequire<typeof SmolToml>('smol-toml');

/** A TOML table as smol-toml returns it. */
export type TomlTable = Record<string, unknown>;

export const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Parses TOML; on error leaves a located `malformed` note and returns undefined. */
export function readToml(c: Collector, lines: LineIndex, what: string): TomlTable | undefined {
  try {
    return toml().parse(lines.text) as TomlTable;
  } catch (e) {
    if (e instanceof toml().TomlError) {
      const reason = e.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      c.malformed(`${c.file} is not valid TOML (${what}): ${reason} (at ${e.line}:${e.column}).`, { file: c.file, line: e.line, column: e.column });
    } else c.malformed(`${c.file} is not valid TOML (${what}): ${(e as Error).message}.`);
    return undefined;
  }
}

/** A non-registry source for a name, when a tool table says so (`[tool.uv.sources]`, Poetry tables). */
export interface SourceOverride {
  source: RefSource;
  spec?: string;
  detail?: string;
}

/**
 * Reads one PEP 508 string into a ref. `originAt(index, length)` locates a part of the string;
 * `override` may say the name comes from elsewhere (a git source table, a private index).
 */
export function addPep508(c: Collector, value: string, originAt: (index: number, length: number) => Origin, override?: (name: string) => SourceOverride | undefined): void {
  const parsed = parsePep508(value);
  if ('error' in parsed) {
    const o = originAt(parsed.index, 1);
    c.malformed(`${o.file}${o.line ? `:${o.line}:${o.column}` : ''}: cannot read "${excerpt(value)}": ${parsed.error}.`, o);
    return;
  }
  const origin = originAt(parsed.nameIndex, parsed.name.length);
  const problem = pypiNameProblem(parsed.name);
  if (problem) {
    c.invalidName(parsed.name, problem, origin);
    return;
  }
  if (parsed.url !== undefined) {
    const { source, detail } = sourceOfPythonUrl(parsed.url);
    c.ref({ name: parsed.name, spec: parsed.url, source, origin, sourceDetail: detail });
    return;
  }
  const over = override?.(parsed.name);
  if (over) c.ref({ name: parsed.name, spec: over.spec ?? parsed.specifier, source: over.source, origin, sourceDetail: over.detail });
  else c.ref({ name: parsed.name, spec: parsed.specifier, origin });
}

/** Whether an index URL is the public PyPI (whose names slopguard checks). */
export function isPublicPypi(url: string): boolean {
  return /^https?:\/\/(?:pypi\.org|pypi\.python\.org|files\.pythonhosted\.org)(?:[/:]|$)/i.test(url);
}

/** The not-registry detail for a package served by a private or custom index. */
export function privateIndex(url: string | undefined, name?: string): SourceOverride {
  const where = url ? `the index ${url}` : name ? `the index "${name}"` : 'a custom index';
  return { source: 'other', detail: `${where} (not public PyPI)` };
}

/** PEP 503 name equality. */
export function sameProject(a: string, b: string): boolean {
  return normalizePypiName(a) === normalizePypiName(b);
}

/**
 * Where a source table (`{git = …}`, `{path = …}`, `{url = …}`, `{index = …}`,
 * `{workspace = true}`; Pipfile's `{file = …}`; Poetry's `source = …`) says a package comes
 * from; undefined for PyPI.
 */
export function tableSource(table: TomlTable, indexUrl: (name: string) => string | undefined, poetry = false): SourceOverride | undefined {
  const git = asString(table.git);
  if (git !== undefined) return { source: 'git', spec: git };
  const path = asString(table.path);
  if (path !== undefined) return { source: isArchive(path) ? 'file' : 'directory', spec: path };
  const url = asString(table.url) ?? asString(table.file);
  if (url !== undefined) return { ...sourceOfPythonUrl(url), spec: url };
  if (table.workspace === true) return { source: 'workspace' };
  const index = asString(poetry ? table.source : table.index);
  if (index !== undefined && index.toLowerCase() !== 'pypi') {
    const u = indexUrl(index);
    return u !== undefined && isPublicPypi(u) ? undefined : privateIndex(u, index);
  }
  return undefined;
}

/**
 * The `[[key]]` tables of a TOML lockfile (poetry.lock, uv.lock): each a ref located at its
 * `name = "…"` value. `source` says where an entry comes from (`skip`: the project itself).
 */
export function readPackageTables(c: Collector, loc: TomlLocator, list: unknown, key: string, source: (entry: TomlTable) => SourceOverride | 'skip' | undefined): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    c.malformed(`${c.file}: "${key}" should be an array of tables ([[${key}]]).`, loc.origin(c.file, loc.locate([key])?.offset, 0, key));
    return;
  }
  list.forEach((entry: unknown, i) => {
    const name = isTable(entry) ? asString(entry.name) : undefined;
    const at = loc.arrayTableValue([key], i, 'name', name ?? '');
    const origin = loc.origin(c.file, at?.offset, at?.exact && name ? name.length : 0, key);
    if (!isTable(entry) || name === undefined) {
      c.malformed(`${c.file}: [[${key}]] number ${i + 1} has no name.`, origin);
      return;
    }
    const over = source(entry);
    if (over === 'skip') return;
    const problem = pypiNameProblem(name);
    if (problem) {
      c.invalidName(name, problem, origin);
      return;
    }
    c.ref({ name, spec: over?.spec ?? asString(entry.version), source: over?.source, origin, sourceDetail: over?.detail });
  });
}
