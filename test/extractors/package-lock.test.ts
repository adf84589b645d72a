import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDocument } from '../../src/extractors/index.js';
import { REAL_NPM_PACKAGES, extractFixture, fixtureDoc, fixtureLines, labels, noteCodes, problems, ref, registryNames, where } from './helpers.js';

const F = 'package-lock';
const run = (kase: string, file = 'package-lock.json') => extractFixture(F, kase, file);


test('package-lock: one package (v3), at the name after node_modules/ on the entry key line', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['is-number']);
  assert.equal(ref(r, 'is-number').spec, '7.0.0');
  assert.equal(where(ref(r, 'is-number')), '14:19-28');
  assert.equal(ref(r, 'is-number').origin?.context, 'packages');
  assert.deepEqual(r.notes, []);
});

test('package-lock: an aliased folder is checked under the entry name', () => {
  const r = run('aliases');
  assert.deepEqual(labels(r), ['string-width<-my-sw']);
  assert.equal(ref(r, 'string-width').spec, '4.2.3');
});

test('package-lock: v1 aliases (npm:real@x), nested dependencies and git versions', () => {
  const r = run('v1-aliases');
  assert.deepEqual(labels(r), ['string-width<-my-sw', 'parent', 'child', 'from-git [git]']);
  assert.equal(ref(r, 'string-width').spec, '4.2.3');
  assert.equal(where(ref(r, 'child')), '17:10-15');
  assert.deepEqual(problems(r), []);
});

test('package-lock: scoped and nested install paths take the last package in the path', () => {
  const r = run('scoped');
  assert.deepEqual(labels(r), ['@babel/code-frame', '@types/node', 'child']);
  assert.equal(where(ref(r, '@types/node')), '16:50-61');
});

test('package-lock: a lockfile with only the root project says it is empty', () => {
  const r = run('empty');
  assert.deepEqual(r.refs, []);
  assert.deepEqual(noteCodes(r), ['warning:empty-lockfile']);
  assert.match(r.notes[0]!.message, /lists no packages/);
});

test('package-lock: malformed JSON is one error at line:column and no half-read package list', () => {
  const r = run('malformed');
  assert.deepEqual(r.refs, []);
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  assert.equal(r.notes[0]!.origin.line, 6);
  assert.equal(r.notes[0]!.origin.column, 5);
  assert.match(r.notes[0]!.message, /expected a property name/);
});

test('package-lock: links, git, file and URL resolutions are not registry; other registries and bundled ones are', () => {
  const r = run('non-registry');
  assert.deepEqual(labels(r), ['ws-a [link]', 'from-git [git]', 'from-tgz [file]', 'from-url [url]', 'private-reg', 'bundled']);
  assert.equal(r.notes.filter((n) => n.code === 'not-registry').length, 4);
  assert.deepEqual(problems(r), []);
});

for (const [kase, file] of [
  ['real-v1', 'package-lock.json'],
  ['real-v2', 'package-lock.json'],
  ['real-v3', 'package-lock.json'],
  ['real-shrinkwrap', 'npm-shrinkwrap.json'],
] as const) {
  test(`package-lock: real ${file} written by npm (${kase})`, () => {
    const r = run(kase, file);
    assert.deepEqual(registryNames(r), REAL_NPM_PACKAGES);
    assert.equal(ref(r, 'string-width').alias, 'my-sw');
    const local = ref(r, 'local-thing');
    assert.ok(local.source === 'link' || local.source === 'directory', `local-thing is ${local.source}`);
    assert.deepEqual(problems(r), []);
    // Every origin is on the line of its entry key, which names the package (or its alias).
    const lines = fixtureLines(F, kase, file);
    for (const x of r.refs) assert.ok(lines[x.origin!.line! - 1]!.includes(`${x.alias ?? x.name}"`), `${x.name} at line ${x.origin!.line}`);
  });
}

test('package-lock: a top-level array or a non-object "packages" is malformed, not empty', () => {
  for (const text of ['[]', '{"lockfileVersion":3,"packages":[]}', '{"lockfileVersion":1,"dependencies":{"a":"1.0.0"}}']) {
    const r = extractDocument({ path: 'package-lock.json', text });
    assert.deepEqual(noteCodes(r), ['error:malformed'], text);
  }
});


test('package-lock: a lockfile not laid out the way npm writes it (minified) reads the same, with positions', () => {
  const pretty = fixtureDoc(F, 'real-v3', 'package-lock.json');
  const minified = { path: 'min/package-lock.json', text: JSON.stringify(JSON.parse(pretty.text)) };
  const a = extractDocument(pretty);
  const b = extractDocument(minified);
  assert.deepEqual(labels(b), labels(a));
  const isNumber = ref(b, 'is-number');
  assert.equal(isNumber.origin?.line, 1);
  assert.equal(minified.text.slice(isNumber.origin!.column! - 1, isNumber.origin!.endColumn! - 1), 'is-number');
  // v1 nests dependencies; the minified form still finds the nested keys.
  const v1 = fixtureDoc(F, 'v1-aliases', 'package-lock.json');
  const v1min = extractDocument({ path: 'min/package-lock.json', text: JSON.stringify(JSON.parse(v1.text)) });
  assert.deepEqual(labels(v1min), labels(extractDocument(v1)));
  assert.ok(v1min.refs.every((x) => x.origin?.line === 1 && x.origin.column! > 1));
});
