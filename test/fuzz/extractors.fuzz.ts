/**
 * Every registered extractor under fast-check: random text, format-shaped text, mutated real
 * documents, and self-including requirement files. The contract (core/types.ts Extractor): never
 * throw for bad input; a malformed document is a typed note; origins point inside the document.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ExtractContext, ExtractResult, Extractor, NoteCode } from '../../src/core/types.js';
import { EXTRACTORS, extractDocument } from '../../src/extractors/index.js';
import { tally } from '../reliability/harness.js';
import { sized } from '../reliability/size.js';
import { FRAGMENTS, familyOf, lineCount, mutated, pathFor, randomText, shapedText } from './arbitraries.js';

const NOTE_CODES: readonly NoteCode[] = [
  'malformed', 'unreadable', 'unknown-format', 'empty-lockfile', 'not-registry', 'invalid-name', 'binary-lockfile', 'unsupported', 'ambiguous-import', 'skipped',
];

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);

/** Every fixture file whose base name this extractor reads (real documents to mutate). */
function seedsFor(ex: Extractor): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (ex.matches(e.name) || ex.matches(p)) out.push(readFileSync(p, ex.id.includes('lockb') ? 'latin1' : 'utf8'));
    }
  };
  walk(FIXTURES.pathname);
  return out.filter((s) => s.length < 200_000);
}

/** A context whose includes all resolve to `text` again: `-r x.txt` in x.txt is a cycle. */
function loopingContext(text: string): ExtractContext {
  return { readRelative: (from, rel) => ({ path: join(dirname(from), rel), text }) };
}

/** Assert an extractor result keeps the contract for `text`. */
export function assertWellFormed(ex: Pick<Extractor, 'ecosystem' | 'ecosystems'>, text: string, r: ExtractResult): void {
  assert.ok(Array.isArray(r.refs) && Array.isArray(r.notes));
  const lines = lineCount(text);
  const checkOrigin = (o: { line?: number; column?: number; endColumn?: number } | undefined, what: string) => {
    if (!o) return;
    if (o.line !== undefined) assert.ok(Number.isInteger(o.line) && o.line >= 1 && o.line <= lines + 1, `${what}: line ${o.line} outside 1..${lines}`);
    if (o.column !== undefined) assert.ok(Number.isInteger(o.column) && o.column >= 1, `${what}: column ${o.column}`);
    if (o.endColumn !== undefined && o.column !== undefined) assert.ok(o.endColumn >= o.column, `${what}: endColumn ${o.endColumn} < column ${o.column}`);
  };
  for (const ref of r.refs) {
    assert.ok((ex.ecosystems ?? [ex.ecosystem]).includes(ref.ecosystem), `ref ecosystem ${ref.ecosystem} is not one the format names`);
    assert.equal(typeof ref.name, 'string');
    checkOrigin(ref.origin, `ref ${JSON.stringify(ref.name)}`);
  }
  for (const n of r.notes) {
    assert.ok(['error', 'warning', 'info'].includes(n.level), `note level ${n.level}`);
    assert.ok(NOTE_CODES.includes(n.code), `note code ${n.code}`);
    assert.equal(typeof n.message, 'string');
    assert.ok(n.message.length > 0);
    checkOrigin(n.origin, `note ${n.code}`);
  }
}

/** Runs per property; every extractor gets four properties (four times as many in the full run). */
const RUNS = sized({ random: 150, shaped: 300, mutated: 300, looping: 100 }, { random: 600, shaped: 1200, mutated: 1200, looping: 400 });

describe('fuzz: every extractor, random and format-shaped input, never throws', { concurrency: 1 }, () => {
  it('the registry of extractors is not empty', () => {
    assert.ok(EXTRACTORS.length >= 10, `only ${EXTRACTORS.length} extractors registered`);
  });

  for (const ex of EXTRACTORS) {
    const fragments = familyOf(ex.id).flatMap((f) => FRAGMENTS[f]!);
    it(`${ex.id}: random text`, () => {
      const path = pathFor(ex);
      fc.assert(fc.property(randomText, (text) => assertWellFormed(ex, text, ex.extract({ path, text }))), { numRuns: RUNS.random });
      tally.fuzzRuns += RUNS.random;
    });
    it(`${ex.id}: format-shaped text`, () => {
      const path = pathFor(ex);
      fc.assert(fc.property(shapedText(fragments), (text) => assertWellFormed(ex, text, ex.extract({ path, text }))), { numRuns: RUNS.shaped });
      tally.fuzzRuns += RUNS.shaped;
    });
    it(`${ex.id}: mutated real documents`, (t) => {
      const path = pathFor(ex);
      const seeds = seedsFor(ex);
      if (seeds.length === 0) seeds.push(fragments.join(''));
      t.diagnostic(`${seeds.length} seed document(s)`);
      fc.assert(fc.property(mutated(seeds, fragments), (text) => assertWellFormed(ex, text, ex.extract({ path, text }))), { numRuns: RUNS.mutated });
      tally.fuzzRuns += RUNS.mutated;
    });
    it(`${ex.id}: includes that loop back to the same document`, () => {
      const path = join('proj', pathFor(ex));
      fc.assert(
        fc.property(shapedText([...fragments, '-r ' + basename(path) + '\n', '-c ' + basename(path) + '\n']), (text) => {
          const r = ex.extract({ path, text }, loopingContext(text));
          assertWellFormed(ex, text, r);
          // extractDocument goes through the same code and must agree.
          assertWellFormed(ex, text, extractDocument({ path, text }, loopingContext(text)));
        }),
        { numRuns: RUNS.looping },
      );
      tally.fuzzRuns += RUNS.looping;
    });
  }
});
