/**
 * pnpm-lock.yaml, lockfileVersion 5.x, 6.0 and 9.0.
 *
 * Read with js-yaml (what pnpm itself reads lockfiles with; the `yaml` package is ~30x slower
 * on a 5,000-package lockfile). js-yaml gives no positions, so the `packages:` keys are located
 * by scanning their lines: pnpm writes each at two spaces of indentation, one per line.
 *
 * Every entry of `packages` is a ref (the installed set); importers only add alias names.
 * Importer `link:` dependencies are workspace packages, whose own manifests are read directly.
 */
import type * as JsYaml from 'js-yaml';
import { lazyRequire } from '../../core/lazy-require.js';
import type { Extractor, ExtractResult, RefSource, SourceDocument } from '../../core/types.js';
import { DocumentReader } from '../reader.js';
import { baseName, splitDescriptor } from '../locate.js';
import { invalidNpmName, sourceOfResolved } from './spec.js';
import { excerpt } from '../notes.js';

const jsYaml = lazyRequire<typeof JsYaml>('js-yaml');

type YamlMap = Record<string, unknown>;

const isMap = (v: unknown): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A `packages` key without the v6 leading `/` and the peer suffix `(react@18.2.0)`. */
function bareKey(key: string): string {
  const k = key.startsWith('/') ? key.slice(1) : key;
  const paren = k.indexOf('(');
  return paren === -1 ? k : k.slice(0, paren);
}

/** Name and version from a `packages` key: `/a@1.0.0` (v6), `a@1.0.0` (v9), `/a/1.0.0_peer@1` (v5). */
function readKey(key: string, major: number): { name: string; version: string | undefined } {
  if (major < 6 && key.startsWith('/')) {
    const parts = key.slice(1).split('/');
    const version = parts.pop()?.split('_')[0];
    return { name: parts.join('/'), version };
  }
  const { name, range } = splitDescriptor(bareKey(key));
  return { name, version: range };
}

/** Where an entry is fetched from, by its `resolution` and version. */
function sourceOf(entry: YamlMap, version: string | undefined): { source: RefSource; spec: string | undefined } {
  const res = isMap(entry.resolution) ? entry.resolution : {};
  if (version?.startsWith('link:')) return { source: 'link', spec: version };
  if (res.type === 'git' || res.repo !== undefined || res.commit !== undefined) return { source: 'git', spec: text(res.repo) ?? version };
  if (res.type === 'directory' || res.directory !== undefined) return { source: 'directory', spec: text(res.directory) ?? version };
  const tarball = text(res.tarball);
  if (tarball !== undefined) {
    // Packages from a registry other than the default get their tarball URL written out too.
    const source = tarball.startsWith('file:') ? 'file' : res.integrity !== undefined && sourceOfResolved(tarball) === 'registry' ? 'registry' : sourceOfResolved(tarball);
    return { source, spec: source === 'registry' ? version : tarball };
  }
  if (version?.startsWith('file:')) return { source: sourceOfResolved(version), spec: version };
  return { source: 'registry', spec: version };
}

/**
 * The text with the v9 `snapshots:` section blanked out (its lines kept, so error positions
 * stay right). Snapshots repeat the `packages` keys with peer suffixes and name no other
 * package; skipping them halves the YAML to parse on a large lockfile. The price: a syntax
 * error inside `snapshots` goes unreported (pnpm itself would refuse such a file).
 */
function withoutSnapshots(text: string): string {
  const start = text.search(/^snapshots:/m);
  if (start === -1) return text;
  const next = /^[^\s#]/m;
  const rest = text.slice(start + 1);
  const m = next.exec(rest.slice(rest.indexOf('\n') + 1));
  const end = m ? start + 1 + rest.indexOf('\n') + 1 + m.index : text.length;
  const blank = text.slice(start, end).replace(/[^\n]+/g, '');
  return text.slice(0, start) + blank + text.slice(end);
}

/** Reads one pnpm-lock.yaml. */
class PnpmLockReader extends DocumentReader {
  constructor(doc: SourceDocument) {
    super(doc, 'npm');
  }

  read(): ExtractResult {
    let data: unknown;
    try {
      const yaml = jsYaml();
      data = yaml.load(withoutSnapshots(this.lines.text), { schema: yaml.FAILSAFE_SCHEMA, filename: this.doc.path });
    } catch (e) {
      this.malformedYaml(e, 'valid YAML');
      return this.c.result();
    }
    if (data === undefined || data === null) return this.c.lockfileResult();
    if (!isMap(data)) {
      this.c.malformed(`${this.doc.path}: expected a mapping at the top level (lockfileVersion, importers, packages).`, { file: this.doc.path, line: 1, column: 1 });
      return this.c.result();
    }
    const major = Number.parseFloat(text(data.lockfileVersion) ?? '9') || 9;
    const packages = data.packages;
    if (packages !== undefined && packages !== null && !isMap(packages)) {
      this.c.malformed(`${this.doc.path}: "packages" should be a mapping.`, { file: this.doc.path, line: this.sectionLine('packages') ?? 1, column: 1 });
      return this.c.result();
    }
    const aliases = this.aliases(data, major);
    const keyLines = this.packageKeyLines();
    for (const [key, value] of Object.entries(packages ?? {})) {
      const entry = isMap(value) ? value : {};
      const fromKey = readKey(key, major);
      const name = text(entry.name) ?? fromKey.name;
      const version = text(entry.version) ?? fromKey.version;
      const at = keyLines.get(key);
      const nameAt = at && fromKey.name === name ? at.offset + (key.startsWith('/') ? 1 : 0) : at?.offset ?? 0;
      const origin = at
        ? this.lines.origin(this.doc.path, nameAt, fromKey.name === name ? name.length : key.length, 'packages')
        : { file: this.doc.path, line: this.sectionLine('packages') ?? 1, context: 'packages' };
      if (entry.name === undefined && fromKey.version === undefined) {
        this.c.note('warning', 'unsupported', `${this.doc.path}: cannot tell the package name of the entry "${excerpt(key)}"; it is not checked.`, origin);
        continue;
      }
      const problem = invalidNpmName(name);
      if (problem) {
        this.c.invalidName(name, problem, origin);
        continue;
      }
      const { source, spec } = sourceOf(entry, version);
      this.c.ref({ name, spec, source, alias: aliases.get(bareKey(key)), origin });
    }
    return this.c.lockfileResult();
  }

  /**
   * Alias names by `real@version`, from the importers' dependency maps: an alias's version is
   * written as the real `name@version` (v6 with a leading `/`).
   */
  private aliases(data: YamlMap, major: number): Map<string, string> {
    const out = new Map<string, string>();
    const projects = isMap(data.importers) ? Object.values(data.importers) : [data];
    for (const project of projects) {
      if (!isMap(project)) continue;
      for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
        const deps = project[section];
        if (!isMap(deps)) continue;
        for (const [alias, dep] of Object.entries(deps)) {
          const version = isMap(dep) ? text(dep.version) : text(dep);
          if (!version || version.startsWith('link:') || version.startsWith('file:')) continue;
          const real = bareKey(version);
          const { name, range } = major < 6 ? { name: undefined, range: undefined } : splitDescriptor(real);
          if (range !== undefined && name && name !== alias) out.set(real, alias);
        }
      }
    }
    return out;
  }

  /** 1-based line of a top-level key. */
  private sectionLine(name: string): number | undefined {
    const at = this.lines.text.search(new RegExp(`^${name}:`, 'm'));
    return at === -1 ? undefined : this.lines.position(at).line;
  }

  /** Offset of each key directly under `packages:` (unquoted as YAML reads it). */
  private packageKeyLines(): Map<string, { offset: number }> {
    const out = new Map<string, { offset: number }>();
    const t = this.lines.text;
    const start = t.search(/^packages:[ \t]*$/m);
    if (start === -1) return out;
    let pos = t.indexOf('\n', start) + 1;
    while (pos > 0 && pos < t.length) {
      const nl = t.indexOf('\n', pos);
      const end = nl === -1 ? t.length : nl;
      const line = t.slice(pos, end);
      if (line !== '' && line[0] !== ' ' && line[0] !== '#') break;
      if (line.startsWith('  ') && line[2] !== ' ' && line[2] !== '#' && line.length > 2) {
        const key = readYamlKey(line, 2);
        if (key) out.set(key.key, { offset: pos + key.offset });
      }
      pos = end + 1;
    }
    return out;
  }
}

/** A block-mapping key at `from` in `line`: plain, 'single' or "double" quoted. */
function readYamlKey(line: string, from: number): { key: string; offset: number } | undefined {
  const q = line[from];
  if (q === "'") {
    let i = from + 1;
    let key = '';
    while (i < line.length) {
      if (line[i] === "'") {
        if (line[i + 1] !== "'") return { key, offset: from + 1 };
        i++;
      }
      key += line[i];
      i++;
    }
    return undefined;
  }
  if (q === '"') {
    const close = line.indexOf('":', from + 1);
    if (close === -1) return undefined;
    try {
      return { key: JSON.parse(line.slice(from, close + 1)) as string, offset: from + 1 };
    } catch {
      return undefined;
    }
  }
  const m = /:(?: |$)/.exec(line.slice(from));
  return m ? { key: line.slice(from, from + m.index), offset: from } : undefined;
}

/** pnpm-lock.yaml (v5.x, v6, v9). */
export const pnpmLockExtractor: Extractor = {
  id: 'pnpm-lock',
  format: 'pnpm-lock.yaml (lockfileVersion 5.x, 6, 9)',
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'pnpm-lock.yaml',
  extract: (doc) => new PnpmLockReader(doc).read(),
};
