/**
 * package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (`dependencies` tree),
 * 2 (both; `packages` wins) and 3 (`packages` only). Hand-written over JSON: the format is
 * small, and Arborist (npm's own reader) pulls in half of npm.
 *
 * Values come from `JSON.parse`; key positions from a line scan of the pretty-printed text npm
 * writes (`prettyKeyOffsets`), falling back to a full position tree for other layouts. A
 * position tree for a 5,000-package lockfile costs several times the whole budget in garbage.
 */
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { DocumentReader } from '../reader.js';
import { parseJson, prettyKeyOffsets, treeKeyOffsets } from '../json-tree.js';
import { baseName } from '../locate.js';
import { invalidNpmName, readNpmSpec, sourceOfResolved } from './spec.js';
import { excerpt } from '../notes.js';

const NODE_MODULES = 'node_modules/';
const SEP = '\u0000';

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** Which keys' positions are needed: `packages.*` (v2/v3) and `dependencies(.*.dependencies)*.*` (v1). */
function wanted(parents: readonly string[]): boolean {
  if (parents.length === 1) return parents[0] === 'packages' || parents[0] === 'dependencies';
  if (parents.length % 2 === 0) return false;
  for (let i = 0; i < parents.length; i += 2) if (parents[i] !== 'dependencies') return false;
  return true;
}

/** Reads one package-lock.json or npm-shrinkwrap.json. */
class PackageLockReader extends DocumentReader {
  private offsets: Map<string, number> | undefined;
  private fromTree = false;

  constructor(doc: SourceDocument) {
    super(doc, 'npm');
  }

  read(): ExtractResult {
    let data: unknown;
    try {
      data = JSON.parse(this.lines.text);
    } catch {
      // A lockfile npm cannot read is reported, not half-read: recovered entries could be a
      // fraction of the real list and look like a complete answer.
      const { error } = parseJson(this.doc.path, this.lines);
      this.c.malformed(error?.message ?? `${this.doc.path} is not valid JSON.`, error?.origin ?? { file: this.doc.path });
      return this.c.result();
    }
    if (!isObject(data)) {
      this.c.malformed(`${this.doc.path}: expected a JSON object at the top level, found ${describe(data)}.`, { file: this.doc.path, line: 1, column: 1 });
      return this.c.result();
    }
    if (data.packages !== undefined) this.readPackages(data.packages);
    else this.readV1(data.dependencies, []);
    return this.c.lockfileResult();
  }

  /** Where the key at `path` starts (inside its quotes): from the line scan, else from a position tree. */
  private keyOffset(path: readonly string[]): number | undefined {
    const key = path.join(SEP);
    this.offsets ??= prettyKeyOffsets(this.lines.text, wanted);
    const found = this.offsets.get(key);
    if (found !== undefined || this.fromTree) return found;
    this.fromTree = true;
    this.offsets = treeKeyOffsets(parseJson(this.doc.path, this.lines).root, wanted);
    return this.offsets.get(key);
  }

  /** An origin for `name` inside the key at `path`, starting `at` characters into the key. */
  private origin(path: readonly string[], at: number, name: string, context: string) {
    const offset = this.keyOffset(path);
    if (offset === undefined) return { file: this.doc.path, context };
    return this.lines.origin(this.doc.path, offset + at, name.length, context);
  }

  /** v2/v3 `packages`: keys are install paths; `""` is the project itself. */
  private readPackages(packages: unknown): void {
    if (!isObject(packages)) {
      this.c.malformed(`"packages" should be an object, found ${describe(packages)}.`, this.origin(['packages'], 0, 'packages', 'packages'));
      return;
    }
    for (const [key, value] of Object.entries(packages)) {
      const cut = key.lastIndexOf(NODE_MODULES);
      // `""` is the root project and keys without node_modules/ are workspace or file: folders;
      // those are the project's own code, installed through a `link: true` entry noted below.
      if (cut === -1) continue;
      const folder = key.slice(cut + NODE_MODULES.length);
      const origin = this.origin(['packages', key], cut + NODE_MODULES.length, folder, 'packages');
      if (!isObject(value)) {
        this.c.malformed(`"packages"."${excerpt(key)}" should be an object, found ${describe(value)}.`, origin);
        continue;
      }
      // Arborist writes `name` when the package's name differs from its folder (aliases).
      const name = text(value.name) ?? folder;
      const problem = invalidNpmName(name);
      if (problem) {
        this.c.invalidName(name, problem, origin);
        continue;
      }
      const resolved = text(value.resolved);
      const source = value.link === true ? 'link' : sourceOfResolved(resolved);
      const spec = source === 'registry' ? text(value.version) : resolved;
      this.c.ref({ name, spec, source, alias: folder, origin });
    }
  }

  /** v1 `dependencies`: a tree of `{ version, requires, dependencies }` by name. */
  private readV1(deps: unknown, path: string[]): void {
    if (deps === undefined) return;
    const here = [...path, 'dependencies'];
    if (!isObject(deps)) {
      this.c.malformed(`"dependencies" should be an object, found ${describe(deps)}.`, this.origin(here, 0, 'dependencies', 'dependencies'));
      return;
    }
    for (const [key, value] of Object.entries(deps)) {
      const origin = this.origin([...here, key], 0, key, 'dependencies');
      const version = isObject(value) ? text(value.version) : undefined;
      if (!isObject(value) || version === undefined) {
        this.c.malformed(`"dependencies"."${excerpt(key)}" should be an object with a "version", found ${describe(value)}.`, origin);
        continue;
      }
      // v1 writes aliases as `npm:real@1.2.3` and git/file/URL sources as the version itself.
      const read = readNpmSpec(key, version);
      if ('invalid' in read) this.c.invalidName(read.invalid, read.problem, origin);
      else this.c.ref({ name: read.name, spec: read.spec, source: read.source, alias: read.alias, origin, sourceDetail: read.sourceDetail });
      this.readV1(value.dependencies, [...here, key]);
    }
  }
}

/** package-lock.json / npm-shrinkwrap.json (and npm's hidden node_modules/.package-lock.json). */
export const packageLockExtractor: Extractor = {
  id: 'package-lock',
  format: 'package-lock.json / npm-shrinkwrap.json (lockfileVersion 1-3)',
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => ['package-lock.json', 'npm-shrinkwrap.json', '.package-lock.json'].includes(baseName(path)),
  extract: (doc) => new PackageLockReader(doc).read(),
};
