import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDocument } from '../../src/extractors/index.js';
import { extractFixture, labels, noteCodes, problems, ref, where } from './helpers.js';

const F = 'setup-py';
const run = (kase: string) => extractFixture(F, kase, 'setup.py');

test('setup.py: a literal install_requires list, located inside the string', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['quietflask']);
  assert.equal(ref(r, 'quietflask').spec, '>=2.0');
  assert.equal(where(ref(r, 'quietflask')), '5:24-34');
  assert.equal(ref(r, 'quietflask').origin?.context, 'setup() install_requires');
  assert.deepEqual(problems(r), []);
});

test('setup.py: a module-level list passed by name, tuples, extras (keys are not packages), comments skipped', () => {
  const r = run('lists');
  assert.deepEqual(labels(r), ['quietflask', 'tinyhttp', 'setuptools-scm', 'pytestish', 'lintkit', 'gitonly [git]', 'sphinxish']);
  assert.equal(where(ref(r, 'quietflask')), '4:6-16');
  assert.equal(where(ref(r, 'tinyhttp')), '5:6-14');
  assert.equal(ref(r, 'lintkit').origin?.context, 'setup() extras_require');
  assert.ok(!labels(r).includes('dev') && !labels(r).includes('docs'), 'extra names are not requirements');
  assert.deepEqual(noteCodes(r), ['info:not-registry']);
});

test('setup.py: computed lists are said to be unread, with where, never silently empty', () => {
  const r = run('computed');
  assert.deepEqual(labels(r), []);
  assert.deepEqual(noteCodes(r), ['info:skipped', 'info:skipped']);
  assert.deepEqual(
    r.notes.map((n) => n.origin.line),
    [8, 9],
  );
  assert.match(r.notes[0]!.message, /install_requires is computed/);
});

test('setup.py: a name not assigned a literal list is said, too', () => {
  const r = extractDocument({ path: 'p/setup.py', text: 'from x import DEPS\nsetup(install_requires=DEPS)\n' });
  assert.deepEqual(labels(r), []);
  assert.match(r.notes[0]!.message, /the variable DEPS/);
});

test('setup.py: an unclosed list is a located error; other lists are still read', () => {
  const r = run('malformed');
  assert.deepEqual(labels(r), ['pytestish']);
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.equal(r.notes[0]!.origin.line, 6);
});

test('setup.py: no requirement lists, nothing found and nothing to say', () => {
  const r = run('empty');
  assert.deepEqual(labels(r), []);
  assert.deepEqual(r.notes, []);
});
