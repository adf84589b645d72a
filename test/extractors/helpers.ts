/** Shared helpers for the extractor tests: load a named fixture and summarise results. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractContext, ExtractResult, PackageRef, SourceDocument } from '../../src/core/types.js';
import { extractDocument } from '../../src/extractors/index.js';

/** test/fixtures/extractors/ in the source tree (from dist/test/extractors/). */
export const FIXTURES = new URL('../../../test/fixtures/extractors/', import.meta.url);

/** The absolute path of a fixture folder or file. */
export function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(parts.join('/'), FIXTURES));
}

/** A fixture as a document whose path is `<case>/<file>` (so extractors match it by name). */
export function fixtureDoc(format: string, kase: string, file: string): SourceDocument {
  return { path: `${kase}/${file}`, text: readFileSync(fixturePath(format, kase, file), 'utf8') };
}

/** A fixture's lines (for checking that origins land on the right line). */
export function fixtureLines(format: string, kase: string, file: string): string[] {
  return readFileSync(fixturePath(format, kase, file), 'utf8').split(/\r?\n/);
}

/** Extracts a fixture through the public entry point. */
export function extractFixture(format: string, kase: string, file: string, ctx?: ExtractContext): ExtractResult {
  return extractDocument(fixtureDoc(format, kase, file), ctx);
}

/** `name` or `name<-alias`, with ` [source]` when not from the registry. */
export function refLabel(r: PackageRef): string {
  return `${r.name}${r.alias ? `<-${r.alias}` : ''}${r.source && r.source !== 'registry' ? ` [${r.source}]` : ''}`;
}

/** Labels of every ref, in order. */
export function labels(result: ExtractResult): string[] {
  return result.refs.map(refLabel);
}

/** `line:column-endColumn` of a ref's origin. */
export function where(r: PackageRef | undefined): string {
  const o = r?.origin;
  return `${o?.line}:${o?.column}-${o?.endColumn}`;
}

/** The ref named `name` (the first one). */
export function ref(result: ExtractResult, name: string): PackageRef {
  const found = result.refs.find((r) => r.name === name);
  if (!found) throw new Error(`no ref named ${name}; refs: ${labels(result).join(', ')}`);
  return found;
}

/** `level:code` of every note, in order. */
export function noteCodes(result: ExtractResult): string[] {
  return result.notes.map((n) => `${n.level}:${n.code}`);
}

/** The notes other than the info `not-registry` ones that accompany non-registry refs. */
export function problems(result: ExtractResult): ExtractResult['notes'] {
  return result.notes.filter((n) => n.code !== 'not-registry');
}

/** The registry packages of every real npm-side lockfile (see test/fixtures/extractors/README.md). */
export const REAL_NPM_PACKAGES = [
  '@babel/code-frame',
  '@babel/helper-validator-identifier',
  'ansi-regex',
  'emoji-regex',
  'is-fullwidth-code-point',
  'is-number',
  'js-tokens',
  'ms',
  'picocolors',
  'string-width',
  'strip-ansi',
];

/** The names of the registry refs, sorted. */
export function registryNames(result: ExtractResult): string[] {
  return result.refs.filter((r) => r.source === undefined).map((r) => r.name).sort();
}
