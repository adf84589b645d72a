import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFixture, labels, noteCodes, problems, ref, where } from './helpers.js';

test('poetry.lock: one package, at its name value', () => {
  const r = extractFixture('poetry-lock', 'one-package', 'poetry.lock');
  assert.deepEqual(labels(r), ['requests']);
  assert.equal(ref(r, 'requests').spec, '2.31.0');
  assert.equal(where(ref(r, 'requests')), '4:9-17');
  assert.deepEqual(r.notes, []);
});

test('poetry.lock: git, private index and directory sources are not looked up', () => {
  const r = extractFixture('poetry-lock', 'sources', 'poetry.lock');
  assert.deepEqual(labels(r), ['from-git [git]', 'private-lib [other]', 'local-lib [directory]', 'Flask']);
  assert.equal(ref(r, 'Flask').origin?.line, 42);
  assert.deepEqual(problems(r), []);
});

test('poetry.lock: lock-version 1.1, empty and malformed', () => {
  assert.deepEqual(labels(extractFixture('poetry-lock', 'lock-v1', 'poetry.lock')), ['six']);
  assert.deepEqual(noteCodes(extractFixture('poetry-lock', 'empty', 'poetry.lock')), ['warning:empty-lockfile']);
  const bad = extractFixture('poetry-lock', 'malformed', 'poetry.lock');
  assert.deepEqual(noteCodes(bad), ['error:malformed']);
  assert.equal(bad.notes[0]!.origin.line, 3);
});

test('uv.lock: the project itself is skipped, its registry packages are read', () => {
  const r = extractFixture('uv-lock', 'one-package', 'uv.lock');
  assert.deepEqual(labels(r), ['requests']);
  assert.equal(where(ref(r, 'requests')), '17:9-17');
  assert.deepEqual(r.notes, []);
});

test('uv.lock: git, URL, workspace members and other indexes are not looked up', () => {
  const r = extractFixture('uv-lock', 'sources', 'uv.lock');
  assert.deepEqual(labels(r), ['from-git [git]', 'from-url [url]', 'member [workspace]', 'torch [other]', 'typing-extensions']);
  assert.deepEqual(problems(r), []);
});

test('uv.lock: only the project is an empty lockfile; bad TOML is located', () => {
  assert.deepEqual(noteCodes(extractFixture('uv-lock', 'empty', 'uv.lock')), ['warning:empty-lockfile']);
  const bad = extractFixture('uv-lock', 'malformed', 'uv.lock');
  assert.deepEqual(noteCodes(bad), ['error:malformed']);
  assert.ok(bad.notes[0]!.origin.line! >= 5);
});

test('Pipfile: one package', () => {
  const r = extractFixture('pipfile', 'one-package', 'Pipfile');
  assert.deepEqual(labels(r), ['requests']);
  assert.equal(ref(r, 'requests').spec, '*');
  assert.equal(where(ref(r, 'requests')), '2:1-9');
});

test('Pipfile: categories, tables, quoted keys, git, path and a private index', () => {
  const r = extractFixture('pipfile', 'categories', 'Pipfile');
  assert.deepEqual(labels(r), ['requests', 'Django', 'from-git [git]', 'local-lib [directory]', 'private-lib [other]', 'public-explicit', 'pytest', 'sphinx']);
  assert.equal(where(ref(r, 'Django')), '13:2-8');
  assert.equal(ref(r, 'sphinx').origin?.context, '[docs]');
  assert.deepEqual(problems(r), []);
});

test('Pipfile: empty categories give nothing; bad TOML is located', () => {
  assert.deepEqual(extractFixture('pipfile', 'empty', 'Pipfile'), { refs: [], notes: [] });
  const bad = extractFixture('pipfile', 'malformed', 'Pipfile');
  assert.deepEqual(noteCodes(bad), ['error:malformed']);
  assert.equal(bad.notes[0]!.origin.line, 3);
});

test('Pipfile.lock: one package, git/path/private index sources, empty and malformed', () => {
  const one = extractFixture('pipfile-lock', 'one-package', 'Pipfile.lock');
  assert.deepEqual(labels(one), ['requests']);
  assert.equal(ref(one, 'requests').spec, '==2.31.0');
  assert.equal(where(ref(one, 'requests')), '19:10-18');
  const sources = extractFixture('pipfile-lock', 'sources', 'Pipfile.lock');
  assert.deepEqual(labels(sources), ['from-git [git]', 'local-lib [directory]', 'private-lib [other]', 'pytest']);
  assert.equal(ref(sources, 'pytest').origin?.context, 'develop');
  assert.deepEqual(noteCodes(extractFixture('pipfile-lock', 'empty', 'Pipfile.lock')), ['warning:empty-lockfile']);
  const bad = extractFixture('pipfile-lock', 'malformed', 'Pipfile.lock');
  assert.deepEqual(noteCodes(bad), ['error:malformed']);
  assert.equal(bad.notes[0]!.origin.line, 5);
});

test('pdm.lock: one package, at its name value; metadata names nothing', () => {
  const r = extractFixture('pdm-lock', 'one-package', 'pdm.lock');
  assert.deepEqual(labels(r), ['requests']);
  assert.equal(ref(r, 'requests').spec, '2.32.3');
  assert.equal(where(ref(r, 'requests')), '14:9-17');
  assert.deepEqual(r.notes, []);
});

test('pdm.lock: git, URL and path packages are not looked up', () => {
  const r = extractFixture('pdm-lock', 'sources', 'pdm.lock');
  assert.deepEqual(labels(r), ['from-git [git]', 'from-url [url]', 'local-lib [directory]', 'Flask']);
  assert.deepEqual(problems(r), []);
});

test('pdm.lock: empty and malformed are said out loud', () => {
  assert.deepEqual(noteCodes(extractFixture('pdm-lock', 'empty', 'pdm.lock')), ['warning:empty-lockfile']);
  const bad = extractFixture('pdm-lock', 'malformed', 'pdm.lock');
  assert.deepEqual(noteCodes(bad), ['error:malformed']);
  assert.equal(bad.notes[0]!.origin.line, 3);
});
