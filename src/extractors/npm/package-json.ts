/**
 * package.json: every dependency map, bundled names and the override tables of npm
 * (`overrides`, nested, `$name` references), yarn (`resolutions`) and pnpm (`pnpm.overrides`).
 */
import type { Node } from 'jsonc-parser';
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { DocumentReader } from '../reader.js';
import { entries, offsetInString, parseJson, prop, str, typeOf } from '../json-tree.js';
import { baseName, lastPackageSegment, splitDescriptor } from '../locate.js';
import { readNpmSpec } from './spec.js';
import { excerpt } from '../notes.js';

/** The dependency maps npm, yarn, pnpm and bun install from. */
const DEPENDENCY_MAPS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Reads one package.json. */
class PackageJsonReader extends DocumentReader {
  /** Direct dependency specs by name, for `$name` references in overrides. */
  private readonly direct = new Map<string, string>();

  constructor(doc: SourceDocument) {
    super(doc, 'npm');
  }

  read(): ExtractResult {
    const { root, error } = parseJson(this.doc.path, this.lines);
    if (error) this.c.malformed(error.message, error.origin);
    if (!root) return this.c.result();
    if (root.type !== 'object') {
      if (!error) this.c.malformed(`${this.doc.path}: expected a JSON object at the top level, found ${typeOf(root)}.`, this.at(root));
      return this.c.result();
    }
    for (const map of DEPENDENCY_MAPS) this.readMap(prop(root, map), map);
    this.readBundled(prop(root, 'bundleDependencies') ?? prop(root, 'bundledDependencies'));
    this.readOverrides(prop(root, 'overrides'), 'overrides');
    this.readPathKeyed(prop(root, 'resolutions'), 'resolutions', (key) => lastPackageSegment(key));
    // pnpm override keys select by parent: `parent@1>child@2`; the package is after the last `>`.
    this.readPathKeyed(prop(prop(root, 'pnpm'), 'overrides'), 'pnpm.overrides', (key) => {
      const cut = key.lastIndexOf('>') + 1;
      return { name: key.slice(cut), index: cut };
    });
    return this.c.result();
  }

  /** An origin for a whole node (its first line). */
  private at(node: Node, context?: string) {
    return this.lines.origin(this.doc.path, node.offset, 1, context);
  }

  /** `{ name: spec }` maps. */
  private readMap(node: Node | undefined, context: string): void {
    for (const { key, keyNode, value, spec } of this.stringEntries(node, context, 'an object mapping package names to versions')) {
      if (context === 'dependencies' || !this.direct.has(key)) this.direct.set(key, spec);
      this.readDependency(key, keyNode, 0, spec, value, context);
    }
  }

  /** The string-valued entries of an object; anything else there is a located `malformed` note. */
  private stringEntries(node: Node | undefined, context: string, shape: string): Array<{ key: string; keyNode: Node; value: Node; spec: string }> {
    if (!node) return [];
    if (node.type !== 'object') {
      this.c.malformed(`"${context}" should be ${shape}, found ${typeOf(node)}.`, this.at(node, context));
      return [];
    }
    const out: Array<{ key: string; keyNode: Node; value: Node; spec: string }> = [];
    for (const { key, keyNode, value } of entries(node)) {
      const spec = str(value);
      if (spec === undefined || !value) this.c.malformed(`"${context}"."${excerpt(key)}" should be a version string, found ${typeOf(value)}.`, this.at(value ?? keyNode, context));
      else out.push({ key, keyNode, value, spec });
    }
    return out;
  }

  /**
   * One dependency: `name` sits in `keyNode` at `nameIndex`; `spec` in `valueNode`. Aliases
   * point at the real name inside the value, since that is the name looked up and corrected.
   */
  private readDependency(name: string, keyNode: Node, nameIndex: number, spec: string, valueNode: Node | undefined, context: string): void {
    const keyAt = offsetInString(this.lines, keyNode, name, nameIndex);
    const keyOrigin = this.lines.origin(this.doc.path, keyAt.offset, keyAt.length, context);
    const read = readNpmSpec(name, spec);
    if ('invalid' in read) {
      const inValue = read.invalid !== name && valueNode ? offsetInString(this.lines, valueNode, read.invalid) : undefined;
      const origin = inValue ? this.lines.origin(this.doc.path, inValue.offset, inValue.length, context) : keyOrigin;
      this.c.invalidName(read.invalid, read.problem, origin);
      return;
    }
    let origin = keyOrigin;
    if (read.alias !== undefined && read.nameIndex !== undefined && valueNode) {
      const at = offsetInString(this.lines, valueNode, read.name, read.nameIndex);
      origin = this.lines.origin(this.doc.path, at.offset, at.length, context);
    }
    this.c.ref({ name: read.name, spec: read.spec, source: read.source, alias: read.alias, origin, sourceDetail: read.sourceDetail });
  }

  /** `bundleDependencies`: an array of names (or `true`, which adds no name). */
  private readBundled(node: Node | undefined): void {
    if (!node || node.type === 'boolean') return;
    const context = 'bundleDependencies';
    if (node.type !== 'array') {
      this.c.malformed(`"${context}" should be an array of package names or true, found ${typeOf(node)}.`, this.at(node, context));
      return;
    }
    for (const item of node.children ?? []) {
      const name = str(item);
      if (name === undefined) {
        this.c.malformed(`"${context}" entries should be package names, found ${typeOf(item)}.`, this.at(item, context));
        continue;
      }
      this.readDependency(name, item, 0, this.direct.get(name) ?? '', undefined, context);
    }
  }

  /**
   * npm `overrides`: keys are `name` or `name@range`; a value is a spec, a `$name` reference to
   * a direct dependency's spec, or an object whose `.` is the spec and whose other keys
   * override that package's own dependencies.
   */
  private readOverrides(node: Node | undefined, context: string): void {
    if (!node) return;
    if (node.type !== 'object') {
      this.c.malformed(`"${context}" should be an object, found ${typeOf(node)}.`, this.at(node, context));
      return;
    }
    for (const { key, keyNode, value } of entries(node)) {
      if (key === '.') continue;
      const { name } = splitDescriptor(key);
      const spec = value?.type === 'object' ? str(prop(value, '.')) : str(value);
      if (value?.type !== 'object' && spec === undefined) {
        this.c.malformed(`"${context}"."${excerpt(key)}" should be a version string or an object, found ${typeOf(value)}.`, this.at(value ?? keyNode, context));
        continue;
      }
      this.readOverrideValue(name, keyNode, 0, spec, value?.type === 'string' ? value : undefined, context);
      if (value?.type === 'object') this.readOverrides(value, context);
    }
  }

  /** An override entry: `$name` refers to the direct dependency's spec; `-` removes (pnpm). */
  private readOverrideValue(name: string, keyNode: Node, nameIndex: number, spec: string | undefined, valueNode: Node | undefined, context: string): void {
    if (spec === '-') return;
    if (spec === undefined || spec.startsWith('$')) {
      const target = spec ? this.direct.get(spec.slice(1)) : undefined;
      // A `$name` reference installs what the direct dependency names; read that spec.
      this.readDependency(name, keyNode, nameIndex, target ?? spec ?? '', undefined, context);
      return;
    }
    this.readDependency(name, keyNode, nameIndex, spec, valueNode, context);
  }

  /** `resolutions` and `pnpm.overrides`: flat maps whose keys select a package by path. */
  private readPathKeyed(node: Node | undefined, context: string, target: (key: string) => { name: string; index: number }): void {
    for (const { key, keyNode, value, spec } of this.stringEntries(node, context, 'an object')) {
      const last = target(key);
      this.readOverrideValue(splitDescriptor(last.name).name, keyNode, last.index, spec, value, context);
    }
  }
}

/** package.json (npm, yarn, pnpm and bun manifests). */
export const packageJsonExtractor: Extractor = {
  id: 'package-json',
  format: 'package.json (dependencies, dev/optional/peer/bundled, overrides, resolutions, pnpm.overrides)',
  ecosystem: 'npm',
  kind: 'manifest',
  matches: (path) => baseName(path) === 'package.json',
  extract: (doc) => new PackageJsonReader(doc).read(),
};

