import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFixture, labels, noteCodes, problems, ref, where } from './helpers.js';

const F = 'pyproject';
const run = (kase: string) => extractFixture(F, kase, 'pyproject.toml');

test('pyproject: one PEP 621 dependency, located inside its string', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['requests']);
  assert.equal(ref(r, 'requests').spec, '>=2.31');
  assert.equal(where(ref(r, 'requests')), '4:18-26');
  assert.equal(ref(r, 'requests').origin?.context, '[project.dependencies]');
});

test('pyproject: PEP 621 lists, optional groups, build-system, uv dev list and [tool.uv.sources]', () => {
  const r = run('pep621');
  assert.deepEqual(labels(r), [
    'requests',
    'PyYAML',
    'tomli',
    'pkg-from-url [url]',
    'pytest',
    'pytest-cov',
    'sphinx',
    'setuptools',
    'wheel',
    'ruff',
    'pkg-from-git [git]',
    // `private_pkg = { index = "corp" }` matches Private.Pkg by PEP 503 normalisation.
    'Private.Pkg [other]',
  ]);
  assert.equal(where(ref(r, 'tomli')), '11:6-11');
  assert.equal(where(ref(r, 'sphinx')), '18:4-10');
  assert.equal(ref(r, 'pytest').origin?.context, '[project.optional-dependencies.test]');
  assert.equal(ref(r, 'setuptools').origin?.context, '[build-system.requires]');
  assert.match(r.notes.find((n) => n.name === 'Private.Pkg')!.message, /pypi\.corp\.example/);
  assert.deepEqual(problems(r), []);
});

test('pyproject: dependency groups; include-group of an unknown group and cycles are errors', () => {
  const r = run('dependency-groups');
  assert.deepEqual(labels(r), ['pytest', 'coverage', 'ruff', 'mypy']);
  assert.equal(ref(r, 'coverage').spec, '>=7');
  assert.deepEqual(noteCodes(r), ['error:malformed', 'error:malformed']);
  assert.match(r.notes[0]!.message, /"missing-group", which is not a group/);
  assert.equal(r.notes[0]!.origin.line, 10);
  assert.match(r.notes[1]!.message, /include each other \(lint -> typing -> lint\)/);
});

test('pyproject: Poetry tables (python skipped, tables, lists, sub-tables, groups, legacy dev) and sources', () => {
  const r = run('poetry');
  assert.deepEqual(labels(r), [
    'requests',
    'httpx',
    'from-git [git]',
    'local-lib [directory]',
    'private-lib [other]',
    'numpy',
    'sub-table-pkg',
    'black',
    'pytest',
  ]);
  assert.equal(where(ref(r, 'requests')), '7:1-9');
  assert.equal(ref(r, 'httpx').spec, '^0.27');
  assert.equal(ref(r, 'sub-table-pkg').origin?.line, 17);
  assert.equal(ref(r, 'pytest').origin?.context, '[tool.poetry.group.dev.dependencies]');
  assert.deepEqual(problems(r), []);
});

test('pyproject: no dependencies gives nothing', () => {
  assert.deepEqual(run('empty'), { refs: [], notes: [] });
});

test('pyproject: invalid TOML is one located error', () => {
  const r = run('malformed');
  assert.deepEqual(r.refs, []);
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.deepEqual([r.notes[0]!.origin.line, r.notes[0]!.origin.column], [5, 3]);
});

test('pyproject: bad requirement strings are located; good ones next to them are read', () => {
  const r = run('bad-requirements');
  assert.deepEqual(labels(r), ['ok-pkg']);
  assert.deepEqual(noteCodes(r), ['error:malformed', 'warning:invalid-name', 'error:malformed']);
  assert.deepEqual([r.notes[0]!.origin.line, r.notes[0]!.origin.column], [3, 27]);
  assert.equal(r.notes[1]!.name, 'bad_-');
});

test('pyproject: dynamic dependencies are said to be elsewhere, not read as none', () => {
  const r = run('dynamic');
  assert.deepEqual(labels(r), ['setuptools']);
  assert.deepEqual(noteCodes(r), ['info:skipped']);
  assert.match(r.notes[0]!.message, /dependencies are dynamic/);
  assert.equal(r.notes[0]!.origin.line, 7);
});
