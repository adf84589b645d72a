/**
 * package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (`dependencies` tree),
 * 2 (both; `packages` wins) and 3 (`packages` only). Hand-written over the JSON tree: the
 * format is small, and Arborist (npm's own reader) pulls in half of npm.
 */
import type { Node } from 'jsonc-parser';
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { entries, offsetInString, parseJson, prop, str, typeOf } from '../json-tree.js';
import { LineIndex, baseName, normalizeText } from '../locate.js';
import { Collector } from '../notes.js';
import { invalidNpmName, readNpmSpec, sourceOfResolved } from './spec.js';

const NODE_MODULES = 'node_modules/';

/** Reads one package-lock.json or npm-shrinkwrap.json. */
class PackageLockReader {
  readonly c: Collector;
  readonly lines: LineIndex;

  constructor(readonly doc: SourceDocument) {
    this.c = new Collector(doc.path, 'npm');
    this.lines = new LineIndex(normalizeText(doc.text));
  }

  read(): ExtractResult {
    const { root, error } = parseJson(this.doc.path, this.lines);
    if (error) {
      // A lockfile npm cannot read is reported, not half-read: recovered entries could be a
      // fraction of the real list and look like a complete answer.
      this.c.malformed(error.message, error.origin);
      return this.c.result();
    }
    if (root?.type !== 'object') {
      this.c.malformed(`${this.doc.path}: expected a JSON object at the top level, found ${typeOf(root)}.`, { file: this.doc.path, line: 1, column: 1 });
      return this.c.result();
    }
    const packages = prop(root, 'packages');
    if (packages) this.readPackages(packages);
    else this.readV1(prop(root, 'dependencies'));
    return this.c.lockfileResult();
  }

  /** v2/v3 `packages`: keys are install paths; `""` is the project itself. */
  private readPackages(packages: Node): void {
    if (packages.type !== 'object') {
      this.c.malformed(`"packages" should be an object, found ${typeOf(packages)}.`, this.lines.origin(this.doc.path, packages.offset, 1, 'packages'));
      return;
    }
    for (const { key, keyNode, value } of entries(packages)) {
      const cut = key.lastIndexOf(NODE_MODULES);
      // `""` is the root project and keys without node_modules/ are workspace or file: folders;
      // those are the project's own code, installed through a `link: true` entry noted below.
      if (cut === -1) continue;
      if (value?.type !== 'object') {
        this.c.malformed(`"packages"."${key}" should be an object, found ${typeOf(value)}.`, this.lines.origin(this.doc.path, keyNode.offset, keyNode.length, 'packages'));
        continue;
      }
      const folder = key.slice(cut + NODE_MODULES.length);
      // Arborist writes `name` when the package's name differs from its folder (aliases).
      const name = str(prop(value, 'name')) ?? folder;
      const at = offsetInString(this.lines, keyNode, folder, cut + NODE_MODULES.length);
      const origin = this.lines.origin(this.doc.path, at.offset, at.length, 'packages');
      const problem = invalidNpmName(name);
      if (problem) {
        this.c.invalidName(name, problem, origin);
        continue;
      }
      const resolved = str(prop(value, 'resolved'));
      const link = prop(value, 'link')?.value === true;
      const source = link ? 'link' : sourceOfResolved(resolved);
      const spec = source === 'registry' ? str(prop(value, 'version')) : resolved;
      this.c.ref({ name, spec, source, alias: folder, origin });
    }
  }

  /** v1 `dependencies`: a tree of `{ version, requires, dependencies }` by name. */
  private readV1(deps: Node | undefined): void {
    if (!deps) return;
    if (deps.type !== 'object') {
      this.c.malformed(`"dependencies" should be an object, found ${typeOf(deps)}.`, this.lines.origin(this.doc.path, deps.offset, 1, 'dependencies'));
      return;
    }
    for (const { key, keyNode, value } of entries(deps)) {
      const at = offsetInString(this.lines, keyNode, key);
      const origin = this.lines.origin(this.doc.path, at.offset, at.length, 'dependencies');
      const version = str(prop(value, 'version'));
      if (value?.type !== 'object' || version === undefined) {
        this.c.malformed(`"dependencies"."${key}" should be an object with a "version", found ${typeOf(value)}.`, origin);
        continue;
      }
      // v1 writes aliases as `npm:real@1.2.3` and git/file/URL sources as the version itself.
      const read = readNpmSpec(key, version);
      if ('invalid' in read) this.c.invalidName(read.invalid, read.problem, origin);
      else this.c.ref({ name: read.name, spec: read.spec, source: read.source, alias: read.alias, origin, sourceDetail: read.sourceDetail });
      this.readV1(prop(value, 'dependencies'));
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
