/**
 * Pipfile (pipenv): `[packages]`, `[dev-packages]` and custom package categories; values are
 * a specifier string (`"*"`, `"==1.2"`) or a table (`{version, extras, markers, index, git,
 * ref, editable, path, file}`). `index` names a `[[source]]`; one that is not PyPI makes the
 * package not-from-the-registry.
 */
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { baseName } from '../locate.js';
import { DocumentReader } from '../reader.js';
import { asString, isTable, readToml, tableSource } from './common.js';
import { pypiNameProblem } from './pep508.js';
import { TomlLocator } from './toml-locate.js';
import { excerpt } from '../notes.js';

/** Top-level tables of a Pipfile that are not package categories. */
const NOT_CATEGORIES = new Set(['source', 'requires', 'scripts', 'pipenv']);

function readPipfile(doc: SourceDocument): ExtractResult {
  const { c, lines } = new DocumentReader(doc, 'pypi');
  const data = readToml(c, lines, 'Pipfile');
  if (!data) return c.result();
  const loc = new TomlLocator(lines);
  const indexes = new Map<string, string | undefined>();
  if (Array.isArray(data.source)) for (const s of data.source) if (isTable(s) && asString(s.name)) indexes.set(asString(s.name) as string, asString(s.url));
  for (const [category, table] of Object.entries(data)) {
    if (NOT_CATEGORIES.has(category) || !isTable(table)) continue;
    const context = `[${category}]`;
    const tableAt = loc.locate([category])?.offset;
    for (const [name, spec] of Object.entries(table)) {
      const origin = loc.origin(doc.path, loc.locate([category, name])?.offset, name.length, context, tableAt);
      const problem = pypiNameProblem(name);
      if (problem) {
        c.invalidName(name, problem, origin);
        continue;
      }
      if (typeof spec === 'string') {
        c.ref({ name, spec, origin });
        continue;
      }
      if (!isTable(spec)) {
        c.malformed(`${doc.path}: ${category}.${excerpt(name)} should be a version string or a table.`, origin);
        continue;
      }
      const over = tableSource(spec, (index) => indexes.get(index));
      c.ref({ name, spec: over?.spec ?? asString(spec.version), source: over?.source, origin, sourceDetail: over?.detail });
    }
  }
  return c.result();
}

/** Pipfile. */
export const pipfileExtractor: Extractor = {
  id: 'pipfile',
  format: 'Pipfile (pipenv)',
  ecosystem: 'pypi',
  kind: 'manifest',
  matches: (path) => baseName(path) === 'Pipfile',
  extract: readPipfile,
};
