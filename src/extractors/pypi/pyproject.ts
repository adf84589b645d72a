/**
 * pyproject.toml: PEP 621 `[project]` dependencies and optional-dependencies, PEP 735
 * `[dependency-groups]` (with `include-group` checked for unknown groups and cycles), Poetry's
 * `[tool.poetry.dependencies]`, groups and legacy dev-dependencies, uv's and PDM's dev lists,
 * and `[build-system] requires`. `[tool.uv.sources]` and Poetry tables that point a name at git,
 * a path, a URL or a private index make that ref not-from-the-registry.
 */
import { normalizePypiName } from '../../core/names.js';
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { DocumentReader } from '../reader.js';
import { baseName } from '../locate.js';
import { addPep508, asString, isTable, readToml, tableSource, type SourceOverride, type TomlTable } from './common.js';
import { pypiNameProblem } from './pep508.js';
import { StringCursor, TomlLocator } from './toml-locate.js';
import { excerpt } from '../notes.js';

const context = (path: readonly string[]): string => `[${path.join('.')}]`;

/** Reads one pyproject.toml. */
class PyprojectReader extends DocumentReader {
  private locator: TomlLocator | undefined;
  /** `[tool.uv.sources]`, by normalised name. */
  private uvSources = new Map<string, SourceOverride>();

  constructor(doc: SourceDocument) {
    super(doc, 'pypi');
  }

  /** Positions, built only once the document has parsed (a broken one needs none). */
  get loc(): TomlLocator {
    this.locator ??= new TomlLocator(this.lines);
    return this.locator;
  }

  read(): ExtractResult {
    const data = readToml(this.c, this.lines, 'pyproject.toml');
    if (!data) return this.c.result();
    const tool = isTable(data.tool) ? data.tool : {};
    this.readUvSources(tool.uv);
    const project = isTable(data.project) ? data.project : undefined;
    if (project) {
      // `dynamic` dependencies are filled in by the build backend (setup.py, a requirements
      // file): say so instead of reading the project as having none.
      const dynamic = Array.isArray(project.dynamic) ? project.dynamic.filter((d): d is string => d === 'dependencies' || d === 'optional-dependencies') : [];
      for (const field of dynamic) {
        this.c.note('info', 'skipped', `${this.doc.path}: [project] ${field} are dynamic (filled in by the build backend); point slopguard at the file that lists them, such as a requirements file.`, this.loc.origin(this.doc.path, this.loc.locate(['project', 'dynamic'])?.offset, 7, '[project]'));
      }
      this.readList(project.dependencies, ['project', 'dependencies']);
      this.readGroups(project['optional-dependencies'], ['project', 'optional-dependencies']);
    }
    this.readDependencyGroups(data['dependency-groups']);
    if (isTable(data['build-system'])) this.readList(data['build-system'].requires, ['build-system', 'requires']);
    if (isTable(tool.uv)) this.readList(tool.uv['dev-dependencies'], ['tool', 'uv', 'dev-dependencies']);
    if (isTable(tool.pdm)) this.readGroups(tool.pdm['dev-dependencies'], ['tool', 'pdm', 'dev-dependencies']);
    if (isTable(tool.poetry)) this.readPoetry(tool.poetry);
    return this.c.result();
  }

  /** A source override from `[tool.uv.sources]` for `name`. */
  private override = (name: string): SourceOverride | undefined => this.uvSources.get(normalizePypiName(name));

  private readUvSources(uv: unknown): void {
    if (!isTable(uv) || !isTable(uv.sources)) return;
    const indexes = new Map<string, string | undefined>();
    if (Array.isArray(uv.index)) for (const i of uv.index) if (isTable(i) && asString(i.name)) indexes.set(asString(i.name) as string, asString(i.url));
    for (const [name, value] of Object.entries(uv.sources)) {
      // A list of sources is chosen by markers; the first says enough about where it comes from.
      const table = Array.isArray(value) ? value.find(isTable) : value;
      if (!isTable(table)) continue;
      const over = tableSource(table, (index) => indexes.get(index));
      if (over) this.uvSources.set(normalizePypiName(name), over);
    }
  }

  /** An array of PEP 508 strings at `path`. */
  private readList(value: unknown, path: readonly string[], where = this.loc.locate(path)): void {
    if (value === undefined) return;
    const ctx = context(path);
    if (!Array.isArray(value)) {
      this.c.malformed(`${this.doc.path}: ${path.join('.')} should be an array of requirement strings.`, this.loc.origin(this.doc.path, where?.offset, 0, ctx));
      return;
    }
    const cursor = new StringCursor(this.loc, where?.offset ?? 0, where?.region.end ?? this.lines.text.length);
    for (const item of value) {
      if (typeof item !== 'string') {
        this.c.malformed(`${this.doc.path}: ${path.join('.')} should hold only requirement strings.`, this.loc.origin(this.doc.path, where?.offset, 0, ctx));
        continue;
      }
      const at = cursor.next(item);
      addPep508(this.c, item, (i, length) => this.loc.origin(this.doc.path, at === undefined ? undefined : at + i, length, ctx, where?.offset), this.override);
    }
  }

  /** A table of named arrays (`optional-dependencies`, PDM dev groups). */
  private readGroups(value: unknown, path: readonly string[]): void {
    if (value === undefined) return;
    if (!isTable(value)) {
      this.c.malformed(`${this.doc.path}: ${path.join('.')} should be a table of arrays.`, this.loc.origin(this.doc.path, this.loc.locate(path)?.offset, 0, context(path)));
      return;
    }
    for (const [group, list] of Object.entries(value)) this.readList(list, [...path, group], this.loc.locate([...path, group]) ?? this.loc.locate(path));
  }

  /** PEP 735 dependency groups: strings and `{include-group = "…"}` tables. */
  private readDependencyGroups(value: unknown): void {
    if (value === undefined) return;
    const path = ['dependency-groups'];
    if (!isTable(value)) {
      this.c.malformed(`${this.doc.path}: [dependency-groups] should be a table of arrays.`, this.loc.origin(this.doc.path, this.loc.locate(path)?.offset, 0, context(path)));
      return;
    }
    const groups = new Map<string, string>();
    for (const name of Object.keys(value)) groups.set(normalizePypiName(name), name);
    const includes = new Map<string, string[]>();
    for (const [group, list] of Object.entries(value)) {
      const where = this.loc.locate([...path, group]) ?? this.loc.locate(path);
      const strings = Array.isArray(list) ? list.filter((i): i is string => typeof i === 'string') : list;
      this.readList(strings, [...path, group], where);
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        if (typeof item === 'string') continue;
        const included = isTable(item) ? asString(item['include-group']) : undefined;
        const at = where ? this.stringAfter(included ?? '', where.offset) : undefined;
        const origin = this.loc.origin(this.doc.path, at, (included ?? '').length, context([...path, group]), where?.offset);
        if (included === undefined) this.c.malformed(`${this.doc.path}: dependency group "${excerpt(group)}" holds an entry that is neither a requirement string nor {include-group = "…"}.`, origin);
        else if (!groups.has(normalizePypiName(included))) this.c.malformed(`${this.doc.path}: dependency group "${excerpt(group)}" includes "${excerpt(included)}", which is not a group in [dependency-groups].`, origin);
        else includes.set(normalizePypiName(group), [...(includes.get(normalizePypiName(group)) ?? []), normalizePypiName(included)]);
      }
    }
    const cycle = findCycle(includes);
    if (cycle) {
      const names = cycle.map((g) => groups.get(g) ?? g);
      this.c.malformed(`${this.doc.path}: dependency groups include each other (${names.join(' -> ')}); PEP 735 forbids cycles.`, this.loc.origin(this.doc.path, this.loc.locate([...path, names[0] as string])?.offset, (names[0] as string).length, context(path)));
    }
  }

  private stringAfter(value: string, from: number): number | undefined {
    return this.loc.stringIn(value, from, this.lines.text.length);
  }

  /** Poetry: main dependencies (without `python`), groups, legacy dev-dependencies. */
  private readPoetry(poetry: TomlTable): void {
    const indexes = new Map<string, string | undefined>();
    if (Array.isArray(poetry.source)) for (const s of poetry.source) if (isTable(s) && asString(s.name)) indexes.set(asString(s.name) as string, asString(s.url));
    this.readPoetryTable(poetry.dependencies, ['tool', 'poetry', 'dependencies'], indexes);
    this.readPoetryTable(poetry['dev-dependencies'], ['tool', 'poetry', 'dev-dependencies'], indexes);
    if (isTable(poetry.group)) {
      for (const [group, table] of Object.entries(poetry.group)) {
        if (isTable(table)) this.readPoetryTable(table.dependencies, ['tool', 'poetry', 'group', group, 'dependencies'], indexes);
      }
    }
  }

  private readPoetryTable(value: unknown, path: readonly string[], indexes: Map<string, string | undefined>): void {
    if (value === undefined) return;
    const ctx = context(path);
    const tableAt = this.loc.locate(path)?.offset;
    if (!isTable(value)) {
      this.c.malformed(`${this.doc.path}: ${path.join('.')} should be a table of names.`, this.loc.origin(this.doc.path, tableAt, 0, ctx));
      return;
    }
    for (const [name, spec] of Object.entries(value)) {
      if (name.toLowerCase() === 'python') continue;
      const origin = this.loc.origin(this.doc.path, this.loc.locate([...path, name])?.offset, name.length, ctx, tableAt);
      const problem = pypiNameProblem(name);
      if (problem) {
        this.c.invalidName(name, problem, origin);
        continue;
      }
      // Several constraints for one name (by marker) are a list of tables; any of them says where it comes from.
      const first = Array.isArray(spec) ? spec[0] : spec;
      if (typeof first === 'string') {
        this.c.ref({ name, spec: first, origin });
        continue;
      }
      if (!isTable(first)) {
        this.c.malformed(`${this.doc.path}: ${path.join('.')}.${excerpt(name)} should be a version string or a table.`, origin);
        continue;
      }
      const over = tableSource(first, (index) => (indexes.has(index) ? indexes.get(index) : undefined), true);
      if (over) this.c.ref({ name, spec: over.spec ?? asString(first.version), source: over.source, origin, sourceDetail: over.detail });
      else this.c.ref({ name, spec: asString(first.version), origin });
    }
  }
}

/** A cycle in the include graph, as a path that starts and ends at the same group. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

/** pyproject.toml. */
export const pyprojectExtractor: Extractor = {
  id: 'pyproject',
  format: 'pyproject.toml (PEP 621, PEP 735 dependency-groups, Poetry, uv/PDM dev lists, build-system)',
  ecosystem: 'pypi',
  kind: 'manifest',
  matches: (path) => baseName(path) === 'pyproject.toml',
  extract: (doc) => new PyprojectReader(doc).read(),
};
