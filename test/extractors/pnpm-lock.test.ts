import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDocument } from '../../src/extractors/index.js';
import { REAL_NPM_PACKAGES, extractFixture, fixtureLines, labels, noteCodes, problems, ref, registryNames, where } from './helpers.js';

const F = 'pnpm-lock';
const run = (kase: string) => extractFixture(F, kase, 'pnpm-lock.yaml');


test('pnpm-lock v9: one package from `packages`, at its key', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['is-number']);
  assert.equal(ref(r, 'is-number').spec, '7.0.0');
  assert.equal(where(ref(r, 'is-number')), '17:3-12');
  assert.deepEqual(r.notes, []);
});

test('pnpm-lock v9: importer aliases name the package; workspace links are not packages', () => {
  const r = run('aliases');
  assert.deepEqual(labels(r), ['string-width<-my-sw']);
  assert.deepEqual(r.notes, []);
});

test('pnpm-lock v6: scoped keys with a leading slash and peer suffixes; names from `name` for git entries', () => {
  const r = run('scoped');
  assert.deepEqual(labels(r), ['@babel/code-frame', 'react-dom', 'react', 'from-github [url]']);
  assert.equal(ref(r, 'react-dom').spec, '18.2.0');
  assert.equal(where(ref(r, '@babel/code-frame')), '13:4-21');
  assert.equal(ref(r, 'from-github').origin?.line, 27);
});

test('pnpm-lock v5: /name/version keys with peer suffixes', () => {
  const r = run('v5');
  assert.deepEqual(labels(r), ['@scope/pkg', 'left-pad']);
  assert.equal(ref(r, '@scope/pkg').spec, '1.0.0');
  assert.equal(where(ref(r, 'left-pad')), '17:4-12');
});

test('pnpm-lock: git, tarball and directory resolutions; a registry tarball with integrity stays registry', () => {
  const r = run('non-registry');
  assert.deepEqual(labels(r), ['from-git [url]', 'from-repo [git]', 'local-dir [directory]', 'private-pkg']);
  assert.deepEqual(problems(r), []);
});

test('pnpm-lock: no packages is an empty lockfile', () => {
  const r = run('empty');
  assert.deepEqual(noteCodes(r), ['warning:empty-lockfile']);
});

test('pnpm-lock: malformed YAML is located, and nothing is half-read', () => {
  const r = run('malformed');
  assert.deepEqual(r.refs, []);
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.ok(r.notes[0]!.origin.line! >= 6);
});

for (const kase of ['real-v6', 'real-v9']) {
  test(`pnpm-lock: real file written by pnpm (${kase})`, () => {
    const r = run(kase);
    assert.deepEqual(registryNames(r), REAL_NPM_PACKAGES);
    assert.equal(ref(r, 'string-width').alias, 'my-sw');
    assert.equal(ref(r, 'local-thing').source, 'directory');
    assert.deepEqual(problems(r), []);
    const lines = fixtureLines(F, kase, 'pnpm-lock.yaml');
    for (const x of r.refs.filter((y) => y.source === undefined)) {
      const o = x.origin!;
      assert.equal(lines[o.line! - 1]!.slice(o.column! - 1, o.endColumn! - 1), x.name, `${x.name} at ${o.line}:${o.column}`);
    }
  });
}

test('pnpm-lock: a document that is not a mapping, or a blank file, is malformed', () => {
  assert.deepEqual(noteCodes(extractDocument({ path: 'pnpm-lock.yaml', text: '- a\n- b\n' })), ['error:malformed']);
  assert.deepEqual(noteCodes(extractDocument({ path: 'pnpm-lock.yaml', text: "lockfileVersion: '9.0'\npackages: [1]\n" })), ['error:malformed']);
  // pnpm never writes a blank lockfile: a truncated one must not pass as "no packages".
  const blank = extractDocument({ path: 'pnpm-lock.yaml', text: '' });
  assert.deepEqual(noteCodes(blank), ['error:malformed']);
  assert.match(blank.notes[0]!.message, /empty/);
});
