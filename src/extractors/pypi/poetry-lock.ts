/**
 * poetry.lock (lock-version 1.x and 2.x): one `[[package]]` per locked distribution, with an
 * optional `[package.source]` for git, URL, path and private-index ("legacy") packages.
 */
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { baseName } from '../locate.js';
import { DocumentReader } from '../reader.js';
import { asString, isPublicPypi, isTable, privateIndex, readPackageTables, readToml, type SourceOverride } from './common.js';
import { isArchive } from './pep508.js';
import { TomlLocator } from './toml-locate.js';

/** Where a `[package.source]` table says the package came from; undefined for PyPI. */
function poetrySource(source: unknown): SourceOverride | undefined {
  if (!isTable(source)) return undefined;
  const type = asString(source.type);
  const url = asString(source.url);
  switch (type) {
    case 'git':
      return { source: 'git', spec: url };
    case 'url':
      return { source: 'url', spec: url };
    case 'file':
      return { source: url && isArchive(url) ? 'file' : 'directory', spec: url };
    case 'directory':
      return { source: 'directory', spec: url };
    case 'legacy':
      // A private (or mirror) index: a name served only there must not be judged as missing from PyPI.
      return url && isPublicPypi(url) ? undefined : privateIndex(url, asString(source.reference));
    default:
      return undefined;
  }
}

function readPoetryLock(doc: SourceDocument): ExtractResult {
  const { c, lines } = new DocumentReader(doc, 'pypi');
  const data = readToml(c, lines, 'poetry.lock');
  if (!data) return c.result();
  readPackageTables(c, new TomlLocator(lines), data.package, 'package', (entry) => poetrySource(entry.source));
  return c.lockfileResult();
}

/** poetry.lock. */
export const poetryLockExtractor: Extractor = {
  id: 'poetry-lock',
  format: 'poetry.lock (lock-version 1.x and 2.x)',
  ecosystem: 'pypi',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'poetry.lock',
  extract: readPoetryLock,
};
