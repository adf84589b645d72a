/**
 * Pipfile.lock (pipenv, JSON): `_meta` (hash, sources) and one object per category
 * (`default`, `develop`, custom ones) mapping names to `{version, hashes, index, markers}` or
 * to `{git, ref}`, `{path, editable}`, `{file}` for packages not from an index.
 */
import { getNodeValue } from 'jsonc-parser';
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { entries, offsetInString, parseJson, prop, str, typeOf } from '../json-tree.js';
import { baseName } from '../locate.js';
import { DocumentReader } from '../reader.js';
import { tableSource, type TomlTable } from './common.js';
import { pypiNameProblem } from './pep508.js';
import { excerpt } from '../notes.js';

function readPipfileLock(doc: SourceDocument): ExtractResult {
  const { c, lines } = new DocumentReader(doc, 'pypi');
  const { root, error } = parseJson(doc.path, lines);
  if (error) {
    c.malformed(error.message, error.origin);
    return c.result();
  }
  if (root?.type !== 'object') {
    c.malformed(`${doc.path}: expected a JSON object at the top level, found ${typeOf(root)}.`, { file: doc.path, line: 1, column: 1 });
    return c.result();
  }
  const indexes = new Map<string, string | undefined>();
  for (const s of prop(prop(root, '_meta'), 'sources')?.children ?? []) {
    const name = str(prop(s, 'name'));
    if (name !== undefined) indexes.set(name, str(prop(s, 'url')));
  }
  for (const { key: category, value: table } of entries(root)) {
    if (category === '_meta') continue;
    if (table?.type !== 'object') {
      c.malformed(`${doc.path}: "${category}" should be an object of packages, found ${typeOf(table)}.`, lines.origin(doc.path, table?.offset ?? 0, 1, category));
      continue;
    }
    for (const { key: name, keyNode, value } of entries(table)) {
      const at = offsetInString(lines, keyNode, name);
      const origin = lines.origin(doc.path, at.offset, at.length, category);
      const problem = pypiNameProblem(name);
      if (problem) {
        c.invalidName(name, problem, origin);
        continue;
      }
      if (value?.type !== 'object') {
        c.malformed(`${doc.path}: "${category}"."${excerpt(name)}" should be an object, found ${typeOf(value)}.`, origin);
        continue;
      }
      const over = tableSource(getNodeValue(value) as TomlTable, (index) => indexes.get(index));
      c.ref({ name, spec: over?.spec ?? str(prop(value, 'version')), source: over?.source, origin, sourceDetail: over?.detail });
    }
  }
  return c.lockfileResult();
}

/** Pipfile.lock. */
export const pipfileLockExtractor: Extractor = {
  id: 'pipfile-lock',
  format: 'Pipfile.lock (pipenv)',
  ecosystem: 'pypi',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'Pipfile.lock',
  extract: readPipfileLock,
};
