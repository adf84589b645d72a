/**
 * uv.lock: one `[[package]]` per locked distribution with a `source` table saying where it
 * comes from (`registry`, `git`, `url`, `path`, `directory`, `editable`, `virtual`).
 */
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { baseName } from '../locate.js';
import { DocumentReader } from '../reader.js';
import { asString, isPublicPypi, isTable, privateIndex, readPackageTables, readToml, type SourceOverride } from './common.js';
import { isArchive } from './pep508.js';
import { TomlLocator } from './toml-locate.js';

/** Where a uv `source` table points; `skip` for the project itself; undefined for public PyPI. */
function uvSource(source: unknown): SourceOverride | 'skip' | undefined {
  if (!isTable(source)) return undefined;
  const registry = asString(source.registry);
  if (registry !== undefined) return isPublicPypi(registry) ? undefined : privateIndex(registry);
  const git = asString(source.git);
  if (git !== undefined) return { source: 'git', spec: git };
  const url = asString(source.url);
  if (url !== undefined) return { source: 'url', spec: url };
  const path = asString(source.path);
  if (path !== undefined) return { source: isArchive(path) ? 'file' : 'directory', spec: path };
  // `editable`/`virtual` "." is the project being locked, not a dependency of it.
  for (const key of ['editable', 'virtual', 'directory'] as const) {
    const dir = asString(source[key]);
    if (dir === undefined) continue;
    if (dir === '.' && key !== 'directory') return 'skip';
    return { source: key === 'directory' ? 'directory' : 'workspace', spec: dir };
  }
  return undefined;
}

function readUvLock(doc: SourceDocument): ExtractResult {
  const { c, lines } = new DocumentReader(doc, 'pypi');
  const data = readToml(c, lines, 'uv.lock');
  if (!data) return c.result();
  // Very early uv versions wrote `[[distribution]]` instead of `[[package]]`.
  const key = data.package === undefined && data.distribution !== undefined ? 'distribution' : 'package';
  readPackageTables(c, new TomlLocator(lines), data[key], key, (entry) => uvSource(entry.source));
  return c.lockfileResult();
}

/** uv.lock. */
export const uvLockExtractor: Extractor = {
  id: 'uv-lock',
  format: 'uv.lock',
  ecosystem: 'pypi',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'uv.lock',
  extract: readUvLock,
};
