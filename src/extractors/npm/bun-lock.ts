/**
 * bun.lock (text, JSONC with trailing commas; bun >= 1.2) and bun.lockb (binary, unreadable).
 *
 * `packages` maps install paths (`lodash`, `parent/child`, alias names) to tuples whose first
 * item is the real `name@version` or `name@<protocol>:…`.
 */
import type { Extractor, ExtractResult, RefSource, SourceDocument } from '../../core/types.js';
import { DocumentReader } from '../reader.js';
import { entries, offsetInString, parseJson, prop, str, typeOf } from '../json-tree.js';
import { baseName, lastPackageSegment, splitDescriptor } from '../locate.js';
import { invalidNpmName, sourceOfResolved } from './spec.js';
import { excerpt } from '../notes.js';

/** Where a bun tuple's reference (`1.0.0`, `link:…`, `github:…`) fetches from. */
function sourceOfReference(reference: string): RefSource {
  const protocol = /^([a-z][a-z+]*):/.exec(reference)?.[1];
  if (protocol === undefined) return 'registry';
  if (protocol === 'workspace') return 'workspace';
  if (protocol === 'link') return 'link';
  if (protocol === 'npm') return 'registry';
  return sourceOfResolved(reference);
}

/** Reads one bun.lock. */
class BunLockReader extends DocumentReader {
  constructor(doc: SourceDocument) {
    super(doc, 'npm');
  }

  read(): ExtractResult {
    const { root, error } = parseJson(this.doc.path, this.lines, true);
    if (error) {
      this.c.malformed(error.message.replace('not valid JSON', 'not valid JSONC'), error.origin);
      return this.c.result();
    }
    if (root?.type !== 'object') {
      this.c.malformed(`${this.doc.path}: expected a JSON object at the top level, found ${typeOf(root)}.`, { file: this.doc.path, line: 1, column: 1 });
      return this.c.result();
    }
    const packages = prop(root, 'packages');
    if (packages && packages.type !== 'object') {
      this.c.malformed(`"packages" should be an object, found ${typeOf(packages)}.`, this.lines.origin(this.doc.path, packages.offset, 1, 'packages'));
      return this.c.result();
    }
    for (const { key, keyNode, value } of entries(packages)) {
      const installed = lastPackageSegment(key);
      const keyAt = offsetInString(this.lines, keyNode, installed.name, installed.index);
      const descriptorNode = value?.type === 'array' ? value.children?.[0] : undefined;
      const descriptor = str(descriptorNode);
      if (descriptorNode === undefined || descriptor === undefined) {
        const origin = this.lines.origin(this.doc.path, keyAt.offset, keyAt.length, 'packages');
        this.c.malformed(`"packages"."${excerpt(key)}" should be an array starting with "name@version", found ${typeOf(value)}.`, origin);
        continue;
      }
      const { name, range } = splitDescriptor(descriptor);
      // The real name is written first in the tuple, on the key's line: underline that one.
      const at = offsetInString(this.lines, descriptorNode, name);
      const origin = this.lines.origin(this.doc.path, at.offset, at.length, 'packages');
      const reference = range ?? '';
      const source = sourceOfReference(reference);
      // Workspace packages are the project's own (their manifests are read directly).
      if (source === 'workspace') continue;
      const problem = invalidNpmName(name);
      if (problem) {
        this.c.invalidName(name, problem, origin);
        continue;
      }
      this.c.ref({ name, spec: reference.startsWith('npm:') ? reference.slice(4) : reference, source, alias: installed.name, origin });
    }
    return this.c.lockfileResult();
  }
}

/** bun.lock (text). */
export const bunLockExtractor: Extractor = {
  id: 'bun-lock',
  format: 'bun.lock (text lockfile, bun >= 1.2)',
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'bun.lock',
  extract: (doc) => new BunLockReader(doc).read(),
};

/** bun.lockb: binary; says how to get the text form instead of reading nothing. */
export const bunLockbExtractor: Extractor = {
  id: 'bun-lockb',
  format: 'bun.lockb (binary: reported, with how to write bun.lock instead)',
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'bun.lockb',
  extract: (doc) => {
    const { c } = new DocumentReader(doc, 'npm');
    c.note(
      'error',
      'binary-lockfile',
      `${doc.path} is bun's binary lockfile, which slopguard cannot read. Run \`bun install --save-text-lockfile\` to write the text form (bun.lock; the default since bun 1.2) and scan that.`,
      { file: doc.path },
    );
    return c.result();
  },
};
