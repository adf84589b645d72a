import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { extractFiles } from '../../src/sources/files.js';
import { extractFixture, labels, noteCodes, problems, ref, where } from './helpers.js';

const F = 'setup-cfg';
const run = (kase: string) => extractFixture(F, kase, 'setup.cfg');

test('setup.cfg: install_requires in [options] only, located inside the value', () => {
  const r = run('one-package');
  // The same key under [metadata] is not a dependency list.
  assert.deepEqual(labels(r), ['quietflask']);
  assert.equal(ref(r, 'quietflask').spec, '>=2.0');
  assert.equal(where(ref(r, 'quietflask')), '9:20-30');
  assert.equal(ref(r, 'quietflask').origin?.context, '[options] install_requires');
  assert.deepEqual(problems(r), []);
});

test('setup.cfg: continuation lines, comments, one-line values split at ";", setup/tests requires and extras', () => {
  const r = run('extras');
  assert.deepEqual(labels(r), ['quietflask', 'tinyhttp', 'gitonly [git]', 'setuptools-scm', 'wheel', 'pytestish', 'lintkit', 'sphinxish']);
  // A marker after ";" on its own line stays part of that requirement.
  assert.equal(where(ref(r, 'tinyhttp')), '6:5-13');
  // A one-line value is a ";"-separated list (setuptools' list-semi).
  assert.equal(where(ref(r, 'wheel')), '10:37-42');
  assert.equal(ref(r, 'setuptools-scm').origin?.context, '[options] setup_requires');
  assert.equal(ref(r, 'pytestish').origin?.context, '[options] tests_require');
  // Keys are case-insensitive, as configparser reads them.
  assert.equal(ref(r, 'sphinxish').origin?.context, '[options.extras_require] docs');
  assert.deepEqual(noteCodes(r), ['info:not-registry']);
});

test('setup.cfg: a file: directive is said, not silently empty', () => {
  const r = run('file-directive');
  assert.deepEqual(labels(r), []);
  assert.deepEqual(noteCodes(r), ['info:skipped']);
  assert.match(r.notes[0]!.message, /requirements\.in/);
  assert.equal(r.notes[0]!.origin.line, 2);
});

test('setup.cfg: an unreadable requirement is a located error; the rest is still read', () => {
  const r = run('bad-requirement');
  assert.deepEqual(labels(r), ['goodpkg']);
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.equal(r.notes[0]!.origin.line, 4);
});

test('setup.cfg: a line configparser refuses is a located error; the rest is still read', () => {
  const r = run('malformed');
  assert.deepEqual(labels(r), ['goodpkg']);
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.equal(r.notes[0]!.origin.line, 1);
  assert.match(r.notes[0]!.message, /neither \[section\]/);
});

test('setup.cfg: no dependency keys, nothing found and nothing to say', () => {
  const r = run('empty');
  assert.deepEqual(labels(r), []);
  assert.deepEqual(r.notes, []);
});

test('setup.cfg: found when a folder is scanned', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-setupcfg-'));
  try {
    writeFileSync(join(dir, 'setup.cfg'), '[options]\ninstall_requires =\n    quietflask\n');
    const r = await extractFiles([dir], { cwd: dir });
    assert.deepEqual(
      r.refs.map((x) => `${x.ecosystem}:${x.name}`),
      ['pypi:quietflask'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
