import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSyml } from '@yarnpkg/parsers';
import { extractDocument } from '../../src/extractors/index.js';
import { REAL_NPM_PACKAGES, extractFixture, fixtureDoc, fixtureLines, labels, noteCodes, problems, ref, registryNames, where } from './helpers.js';

const F = 'yarn-lock';
const run = (kase: string) => extractFixture(F, kase, 'yarn.lock');


test('yarn.lock classic: one package with its locked version, at the key', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['is-number']);
  assert.equal(ref(r, 'is-number').spec, '7.0.0');
  assert.equal(where(ref(r, 'is-number')), '5:1-10');
  assert.deepEqual(r.notes, []);
});

test('yarn.lock classic: aliases resolve to the real name, underlined inside the key', () => {
  const r = run('aliases');
  assert.deepEqual(labels(r), ['string-width<-my-sw', '@scope/real<-other']);
  assert.equal(where(ref(r, 'string-width')), '5:12-24');
  assert.equal(where(ref(r, '@scope/real')), '9:12-23');
});

test('yarn.lock classic: scoped entries with several descriptors and nested maps', () => {
  const r = run('scoped');
  assert.deepEqual(labels(r), ['@babel/code-frame', '@babel/highlight']);
  assert.equal(where(ref(r, '@babel/code-frame')), '5:2-19');
  assert.equal(ref(r, '@babel/highlight').spec, '7.10.4');
});

test('yarn.lock classic: a header with no entries says the lockfile is empty', () => {
  const r = run('empty');
  assert.deepEqual(noteCodes(r), ['warning:empty-lockfile']);
});

test('yarn.lock classic: an unclosed quote is malformed at its line and column', () => {
  const r = run('malformed');
  assert.deepEqual(r.refs, []);
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.deepEqual([r.notes[0]!.origin.line, r.notes[0]!.origin.column], [6, 11]);
  assert.match(r.notes[0]!.message, /quoted string is not closed/);
});

test('yarn.lock berry: aliases, patches, git and multi-descriptor keys; workspaces skipped', () => {
  const r = run('berry-aliases');
  assert.deepEqual(labels(r), ['string-width<-my-sw', 'resolve', 'from-git [git]', 'lodash']);
  assert.equal(ref(r, 'resolve').spec, '1.22.8');
  assert.equal(ref(r, 'lodash').spec, '4.17.21');
  assert.equal(where(ref(r, 'string-width')), '14:12-24');
  assert.equal(where(ref(r, 'lodash')), '32:2-8');
  assert.deepEqual(problems(r), []);
});

test('yarn.lock berry: only the workspace itself is an empty lockfile', () => {
  assert.deepEqual(noteCodes(run('berry-empty')), ['warning:empty-lockfile']);
});

test('yarn.lock berry: malformed YAML is located', () => {
  const r = run('berry-malformed');
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.equal(r.notes[0]!.origin.line, 6);
});

for (const kase of ['real-classic', 'real-berry']) {
  test(`yarn.lock: real file written by yarn (${kase})`, () => {
    const r = run(kase);
    assert.deepEqual(registryNames(r), REAL_NPM_PACKAGES);
    assert.equal(ref(r, 'string-width').alias, 'my-sw');
    assert.equal(ref(r, 'local-thing').source, 'directory');
    assert.deepEqual(problems(r), []);
    const lines = fixtureLines(F, kase, 'yarn.lock');
    for (const x of r.refs) {
      const o = x.origin!;
      assert.equal(lines[o.line! - 1]!.slice(o.column! - 1, o.endColumn! - 1), x.name, `${x.name} at ${o.line}:${o.column}`);
    }
  });
}

test('yarn.lock classic: the hand-written reader agrees with @yarnpkg/parsers on the real lockfile', () => {
  const doc = fixtureDoc(F, 'real-classic', 'yarn.lock');
  const reference = parseSyml(doc.text) as Record<string, { version: string }>;
  const fromKeys = Object.entries(reference).map(([key, v]) => `${key.split(', ')[0]}=${v.version}`);
  const r = extractDocument(doc);
  const lines = doc.text.split('\n');
  const ours = r.refs.map((x) => {
    const keyLine = lines[x.origin!.line! - 1]!.replace(/:$/, '');
    const firstDescriptor = keyLine.split(', ')[0]!.replace(/^"|"$/g, '');
    return `${firstDescriptor}=${x.source === undefined ? x.spec : reference[keyLine.replace(/"/g, '')]?.version}`;
  });
  assert.deepEqual(ours.sort(), fromKeys.sort());
});
