/**
 * pdm.lock (PDM's lockfile, lock_version 4.x): one `[[package]]` per locked distribution, with
 * `name` and `version`; a package from elsewhere says so with `git = "…"` (plus `ref`/`revision`),
 * `url = "…"` or `path = "…"` (a local folder or archive, `editable = true` for a develop install).
 * A `[metadata]` table (groups, strategy, lock_version, content_hash) names no package.
 */
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { baseName } from '../locate.js';
import { DocumentReader } from '../reader.js';
import { asString, readPackageTables, readToml, type SourceOverride, type TomlTable } from './common.js';
import { isArchive } from './pep508.js';
import { TomlLocator } from './toml-locate.js';

/** Where an entry says the package came from; undefined for the index. */
function pdmSource(entry: TomlTable): SourceOverride | undefined {
  const git = asString(entry.git);
  if (git) return { source: 'git', spec: git };
  const url = asString(entry.url);
  if (url) return { source: 'url', spec: url };
  const path = asString(entry.path);
  if (path) return { source: isArchive(path) ? 'file' : 'directory', spec: path };
  return undefined;
}

function readPdmLock(doc: SourceDocument): ExtractResult {
  const { c, lines } = new DocumentReader(doc, 'pypi');
  const data = readToml(c, lines, 'pdm.lock');
  if (!data) return c.result();
  readPackageTables(c, new TomlLocator(lines), data.package, 'package', pdmSource);
  return c.lockfileResult();
}

/** pdm.lock. */
export const pdmLockExtractor: Extractor = {
  id: 'pdm-lock',
  format: 'pdm.lock (lock_version 4.x)',
  ecosystem: 'pypi',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'pdm.lock',
  extract: readPdmLock,
};
