import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import type { ExtractContext } from '../../src/core/types.js';
import { extractDocument } from '../../src/extractors/index.js';
import { extractFixture, fixturePath, labels, noteCodes, problems, ref, where } from './helpers.js';

const F = 'requirements';
const run = (kase: string, ctx?: ExtractContext) => extractFixture(F, kase, 'requirements.txt', ctx);

/** readRelative over the fixture folder, with paths shown relative to it (as extractFiles does with cwd). */
function fixtureContext(): ExtractContext {
  return {
    readRelative(from, rel) {
      const path = normalize(join(dirname(from), rel));
      try {
        return { path, text: readFileSync(fixturePath(F, path), 'utf8') };
      } catch {
        return undefined;
      }
    },
  };
}

test('requirements: one pinned package, named as written', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['requests']);
  assert.equal(ref(r, 'requests').ecosystem, 'pypi');
  assert.equal(ref(r, 'requests').spec, '==2.31.0');
  assert.equal(where(ref(r, 'requests')), '1:1-9');
  assert.deepEqual(r.notes, []);
});

test('requirements: extras, markers, parenthesised specs, hashes, continuations and options', () => {
  const r = run('extras-markers-hashes');
  assert.deepEqual(labels(r), ['requests', 'Django_Rest.framework', 'numpy', 'urllib3', 'six']);
  assert.equal(ref(r, 'requests').spec, '>= 2.8.1, == 2.8.*');
  assert.equal(ref(r, 'numpy').spec, '>=1.24,<2');
  // The spec continues on the next physical line; hashes are options, not requirements.
  assert.equal(ref(r, 'urllib3').spec, '==2.0.7');
  assert.equal(where(ref(r, 'urllib3')), '5:1-8');
  assert.equal(ref(r, 'six').origin?.line, 12);
  assert.deepEqual(r.notes, []);
});

test('requirements: -e, name @ url, bare archives and VCS URLs are not looked up; unnamed ones are noted', () => {
  const r = run('urls-editable');
  assert.deepEqual(labels(r), ['project-from-git [git]', 'pkg-from-url [url]', 'wheel_name [url]', 'sdist-name [file]', 'other-git [git]']);
  // Located at the #egg= name.
  assert.equal(where(ref(r, 'project-from-git')), '1:53-69');
  const unnamed = r.notes.filter((n) => n.name === undefined);
  assert.deepEqual(unnamed.map((n) => [n.code, n.origin.line]), [
    ['not-registry', 2],
    ['not-registry', 3],
  ]);
});

test('requirements: -r and -c are read relative to the including file; cycles, missing and remote files are noted', () => {
  const r = run('includes', fixtureContext());
  assert.deepEqual(labels(r), ['click', 'werkzeug', 'flask']);
  assert.equal(ref(r, 'click').origin?.file, 'includes/base.txt');
  assert.equal(ref(r, 'werkzeug').origin?.file, join('includes', 'constraints', 'pins.txt'));
  assert.equal(ref(r, 'werkzeug').origin?.context, 'constraints');
  assert.equal(ref(r, 'flask').origin?.context, 'requirements');
  assert.deepEqual(noteCodes(r), ['error:malformed', 'error:unreadable', 'warning:unsupported']);
  // base.txt includes requirements.txt, which includes base.txt.
  assert.match(r.notes[0]!.message, /include each other \(includes\/requirements\.txt -> includes\/base\.txt -> includes\/requirements\.txt\)/);
  assert.equal(r.notes[0]!.origin.file, 'includes/base.txt');
  assert.equal(r.notes[0]!.origin.line, 2);
  assert.match(r.notes[1]!.message, /missing\.txt/);
  assert.equal(r.notes[1]!.origin.line, 3);
  assert.match(r.notes[2]!.message, /remote requirement files are not fetched/);
});

test('requirements: without a way to read files (stdin), includes are noted as skipped', () => {
  const r = run('includes');
  assert.deepEqual(labels(r), ['flask']);
  assert.deepEqual(noteCodes(r), ['warning:skipped', 'warning:skipped', 'warning:skipped', 'warning:unsupported']);
});

test('requirements: only comments and blank lines give nothing (a manifest, not a lockfile)', () => {
  assert.deepEqual(run('empty'), { refs: [], notes: [] });
});

test('requirements: bad lines are located errors and the good lines around them are still read', () => {
  const r = run('malformed');
  assert.deepEqual(labels(r), ['requests', 'pytest']);
  assert.deepEqual(
    problems(r).map((n) => `${n.level}:${n.code}@${n.origin.line}:${n.origin.column}`),
    [
      'error:malformed@2:7',
      'warning:invalid-name@4:1',
      'warning:unsupported@5:1',
      'error:malformed@6:4',
      'error:malformed@7:7',
      'warning:unsupported@8:1',
    ],
  );
  assert.match(r.notes[0]!.message, /not a valid version specifier/);
  assert.match(r.notes[3]!.message, /extras list is not closed/);
});

test('requirements: a BOM, CRLF and a continuation keep lines right', () => {
  const r = run('bom-crlf');
  assert.deepEqual(labels(r), ['requests', 'flask']);
  assert.equal(where(ref(r, 'requests')), '1:1-9');
  assert.equal(ref(r, 'flask').spec, '>=3');
  assert.equal(where(ref(r, 'flask')), '2:1-6');
});

test('requirements: which file names are requirements files', () => {
  const yes = ['requirements.txt', 'requirements-dev.txt', 'dev-requirements.txt', 'requirements_test.txt', 'requirements.in', 'constraints.txt', 'requirements/base.txt', 'x/requirements/prod.in'];
  const no = ['notes.txt', 'requirements.md', 'myrequirements.txt.bak', 'docs/readme.txt'];
  for (const path of yes) assert.notEqual(extractDocument({ path, text: 'six\n' }).refs.length, 0, path);
  for (const path of no) assert.deepEqual(noteCodes(extractDocument({ path, text: 'six\n' })), ['error:unknown-format'], path);
});
