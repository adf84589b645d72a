/**
 * The one list of file formats slopguard reads. A new format is one extractor file, one line
 * in EXTRACTORS and one fixture folder.
 */
import type { Extractor, ExtractContext, ExtractResult, SourceDocument } from '../core/types.js';
import { agentInstructionsExtractor } from './agents/agent-instructions.js';
import { mcpCodexTomlExtractor } from './agents/mcp-codex-toml.js';
import { mcpJsonExtractor } from './agents/mcp-json.js';
import { bunLockExtractor, bunLockbExtractor } from './npm/bun-lock.js';
import { packageJsonExtractor } from './npm/package-json.js';
import { packageLockExtractor } from './npm/package-lock.js';
import { pnpmLockExtractor } from './npm/pnpm-lock.js';
import { yarnLockExtractor } from './npm/yarn-lock.js';
import { pipfileExtractor } from './pypi/pipfile.js';
import { pipfileLockExtractor } from './pypi/pipfile-lock.js';
import { poetryLockExtractor } from './pypi/poetry-lock.js';
import { pyprojectExtractor } from './pypi/pyproject.js';
import { requirementsExtractor } from './pypi/requirements.js';
import { setupCfgExtractor } from './pypi/setup-cfg.js';
import { setupPyExtractor } from './pypi/setup-py.js';
import { uvLockExtractor } from './pypi/uv-lock.js';
import { pdmLockExtractor } from './pypi/pdm-lock.js';

/** Every manifest and lockfile format, one registration each (first match wins). */
export const EXTRACTORS: Extractor[] = [
  packageJsonExtractor,
  packageLockExtractor,
  yarnLockExtractor,
  pnpmLockExtractor,
  bunLockExtractor,
  bunLockbExtractor,
  requirementsExtractor,
  pyprojectExtractor,
  poetryLockExtractor,
  pipfileExtractor,
  pipfileLockExtractor,
  uvLockExtractor,
  pdmLockExtractor,
  setupCfgExtractor,
  setupPyExtractor,
  mcpJsonExtractor,
  mcpCodexTomlExtractor,
  agentInstructionsExtractor,
];

/** The formats read, one line each, for `--help` and the README. */
export const SUPPORTED_FORMATS: readonly string[] = EXTRACTORS.map((e) => `${e.ecosystem === 'npm' ? 'npm ' : 'PyPI'}  ${e.format}`);

/** The extractor for a file, decided by its name; undefined when no format matches. */
export function findExtractor(path: string): Extractor | undefined {
  return EXTRACTORS.find((e) => e.matches(path));
}

/** The extractor with this id (`requirements`), for a file whose role, not its name, says its format (`pip install -r deps.lock`). */
export function extractorById(id: string): Extractor | undefined {
  return EXTRACTORS.find((e) => e.id === id);
}

/** Formats whose files are binary: their extractor reports them without reading the text. */
const BINARY_FORMATS = new Set(['bun-lockb']);

/** Whether the file at `path` is a binary format (read nothing; its extractor explains). */
export function isBinaryFormat(path: string): boolean {
  const extractor = findExtractor(path);
  return extractor !== undefined && BINARY_FORMATS.has(extractor.id);
}

/**
 * Extracts the package refs of one document (with `extractor`, or the one its name selects). An unknown file type gives an error
 * `unknown-format` note naming the file; extractors never throw for bad input, and anything
 * that escapes one anyway becomes a located `malformed` note rather than ending the run.
 */
export function extractDocument(doc: SourceDocument, ctx?: ExtractContext, extractor: Extractor | undefined = findExtractor(doc.path)): ExtractResult {
  if (!extractor) {
    return {
      refs: [],
      notes: [
        {
          level: 'error',
          code: 'unknown-format',
          message: `${doc.path}: slopguard does not know this file type. It reads: ${EXTRACTORS.map((e) => e.format.split(' (')[0]).join(', ')}.`,
          origin: { file: doc.path },
        },
      ],
    };
  }
  try {
    return extractor.extract(doc, ctx);
  } catch (e) {
    return {
      refs: [],
      notes: [
        {
          level: 'error',
          code: 'malformed',
          message: `${doc.path} could not be read as ${extractor.format}: ${(e as Error).message ?? String(e)}`,
          origin: { file: doc.path },
          ecosystem: extractor.ecosystem,
        },
      ],
    };
  }
}
