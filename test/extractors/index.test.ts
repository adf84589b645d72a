import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { EXTRACTORS, SUPPORTED_FORMATS, extractDocument, findExtractor, isBinaryFormat } from '../../src/extractors/index.js';
import { fixtureDoc, fixturePath } from './helpers.js';

test('findExtractor: each file name goes to its format, by base name, in any folder', () => {
  const cases: Array<[string, string | undefined]> = [
    ['package.json', 'package-json'],
    ['apps/web/package.json', 'package-json'],
    ['C:\\repo\\package.json', 'package-json'],
    ['package-lock.json', 'package-lock'],
    ['npm-shrinkwrap.json', 'package-lock'],
    ['node_modules/.package-lock.json', 'package-lock'],
    ['yarn.lock', 'yarn-lock'],
    ['pnpm-lock.yaml', 'pnpm-lock'],
    ['bun.lock', 'bun-lock'],
    ['bun.lockb', 'bun-lockb'],
    ['requirements.txt', 'requirements'],
    ['requirements/dev.txt', 'requirements'],
    ['pyproject.toml', 'pyproject'],
    ['poetry.lock', 'poetry-lock'],
    ['Pipfile', 'pipfile'],
    ['Pipfile.lock', 'pipfile-lock'],
    ['uv.lock', 'uv-lock'],
    ['package.json5', undefined],
    ['my-package.json', undefined],
    ['Cargo.lock', undefined],
    ['pipfile', undefined],
  ];
  for (const [path, id] of cases) assert.equal(findExtractor(path)?.id, id, path);
});

test('EXTRACTORS: ids are unique, every format is in SUPPORTED_FORMATS, and each has a fixture folder with its cases', () => {
  const ids = EXTRACTORS.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(SUPPORTED_FORMATS.length, EXTRACTORS.length);
  for (const e of EXTRACTORS) {
    assert.ok(SUPPORTED_FORMATS.some((f) => f.includes(e.format)), e.id);
    assert.ok(existsSync(fixturePath(e.id)), `test/fixtures/extractors/${e.id}/`);
    const cases = readdirSync(fixturePath(e.id));
    if (e.id === 'bun-lockb') continue;
    for (const required of ['one-package', 'empty', 'malformed']) assert.ok(cases.includes(required), `${e.id}/${required}`);
    // MCP server configs and agent instructions are written by people, not package managers, and hold no aliases.
    if (e.ecosystem === 'npm' && !['mcp-json', 'mcp-codex-toml', 'agent-instructions'].includes(e.id)) {
      assert.ok(cases.some((c) => c.startsWith('real')), `${e.id} has a real file`);
      assert.ok(cases.some((c) => c.includes('aliases')), `${e.id} has aliases`);
    }
  }
});

test('extractDocument: an unknown file type is an error naming the file', () => {
  const r = extractDocument({ path: 'deps/Gemfile.lock', text: 'GEM\n' });
  assert.deepEqual(r.refs, []);
  assert.equal(r.notes.length, 1);
  assert.equal(r.notes[0]!.code, 'unknown-format');
  assert.equal(r.notes[0]!.level, 'error');
  assert.equal(r.notes[0]!.origin.file, 'deps/Gemfile.lock');
  assert.match(r.notes[0]!.message, /Gemfile\.lock/);
});

test('isBinaryFormat: only bun.lockb', () => {
  assert.equal(isBinaryFormat('x/bun.lockb'), true);
  assert.equal(isBinaryFormat('x/bun.lock'), false);
  assert.equal(isBinaryFormat('README'), false);
});

test('every extractor: arbitrary text never throws, and what it returns is well formed', () => {
  const names = EXTRACTORS.map((e) => (e.id === 'requirements' ? 'requirements.txt' : e.id === 'pipfile' ? 'Pipfile' : e.id === 'pipfile-lock' ? 'Pipfile.lock' : e.format.split(' ')[0]!));
  const seeds = [fixtureDoc('package-lock', 'real-v3', 'package-lock.json').text, fixtureDoc('yarn-lock', 'real-classic', 'yarn.lock').text, fixtureDoc('pnpm-lock', 'real-v9', 'pnpm-lock.yaml').text];
  const text = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    // Real lockfiles cut short or with a slice removed: the shapes a broken file really has.
    fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat()).map(([s, a, b]) => s.slice(0, a % s.length) + s.slice((a % s.length) + (b % 200))),
  );
  fc.assert(
    fc.property(fc.constantFrom(...names), text, (name, body) => {
      const r = extractDocument({ path: `fuzz/${name}`, text: body });
      assert.ok(Array.isArray(r.refs) && Array.isArray(r.notes));
      for (const ref of r.refs) {
        assert.ok(ref.name.length > 0);
        assert.equal(ref.origin?.file, `fuzz/${name}`);
        assert.ok(ref.origin?.line === undefined || ref.origin.line >= 1);
      }
      // A note from the safety net in extractDocument would mean an extractor threw.
      assert.ok(!r.notes.some((n) => n.message.includes('could not be read as')), JSON.stringify(r.notes));
    }),
    { numRuns: 400 },
  );
});
