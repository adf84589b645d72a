import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDocument } from '../../src/extractors/index.js';
import { extractFixture, labels, noteCodes, problems, ref, where } from './helpers.js';

const F = 'package-json';
const run = (kase: string) => extractFixture(F, kase, 'package.json');

test('package.json: one package, located at the name inside the quotes', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['is-number']);
  const only = ref(r, 'is-number');
  assert.equal(only.ecosystem, 'npm');
  assert.equal(only.spec, '^7.0.0');
  assert.equal(only.source, undefined, 'registry refs leave source at its default');
  assert.equal(where(only), '4:6-15');
  assert.equal(only.origin?.context, 'dependencies');
  assert.equal(only.origin?.file, 'one-package/package.json');
  assert.deepEqual(r.notes, []);
});

test('package.json: aliases check the real name and point at it in the value', () => {
  const r = run('aliases');
  assert.deepEqual(labels(r), ['string-width<-my-sw', '@babel/code-frame<-scoped-alias', 'lodash<-bare-alias']);
  assert.equal(ref(r, 'string-width').spec, '^4.2.3');
  // `"my-sw": "npm:string-width@^4.2.3"`: columns of string-width inside the value.
  assert.equal(where(ref(r, 'string-width')), '4:19-31');
  assert.equal(where(ref(r, '@babel/code-frame')), '5:26-43');
  assert.deepEqual(r.notes, []);
});

test('package.json: scoped names in every dependency map, with their context', () => {
  const r = run('scoped');
  assert.deepEqual(labels(r), ['@types/node', '@babel/code-frame', 'fsevents', '@scope/peer']);
  assert.deepEqual(
    r.refs.map((x) => x.origin?.context),
    ['devDependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'],
  );
  assert.equal(where(ref(r, '@types/node')), '4:6-17');
});

test('package.json: a manifest without dependencies gives nothing and no note', () => {
  const r = run('empty');
  assert.deepEqual(r, { refs: [], notes: [] });
});

test('package.json: malformed JSON is an error note at line:column, and recovered names are still read', () => {
  const r = run('malformed');
  assert.deepEqual(noteCodes(r), ['error:malformed']);
  const note = r.notes[0]!;
  assert.equal(note.origin.line, 5);
  assert.equal(note.origin.column, 5);
  assert.match(note.message, /expected ',' between entries \(at 5:5\)/);
  assert.deepEqual(labels(r), ['is-number', 'ms']);
});

test('package.json: git, URL, file, link, workspace and jsr specs are not looked up and say why', () => {
  const r = run('non-registry');
  assert.deepEqual(labels(r), [
    'from-git [git]',
    'from-git-url [git]',
    'from-tarball [url]',
    'from-folder [directory]',
    'from-local-tgz [file]',
    'from-link [link]',
    'from-workspace [workspace]',
    // catalog: only names the version; the package itself comes from the registry.
    'from-catalog',
    'from-jsr [other]',
    // patch: wraps the registry package it patches.
    'lodash<-from-patch',
    'plain',
  ]);
  const notRegistry = r.notes.filter((n) => n.code === 'not-registry');
  assert.equal(notRegistry.length, 8);
  assert.ok(notRegistry.every((n) => n.level === 'info' && n.ecosystem === 'npm' && n.name !== undefined && n.origin.line !== undefined));
  assert.deepEqual(problems(r), []);
});

test('package.json: invalid names are noted, never looked up; old-style capitals are fine; a bad map is malformed', () => {
  const r = run('invalid-name');
  assert.deepEqual(labels(r), ['ok-name', 'LegacyCaps']);
  assert.deepEqual(noteCodes(r), ['warning:invalid-name', 'warning:invalid-name', 'error:malformed']);
  assert.equal(r.notes[0]!.name, 'Bad Name');
  assert.equal(r.notes[0]!.origin.line, 3);
  // The alias target is the bad name, and the note points at it inside the value.
  assert.equal(r.notes[1]!.name, '.hidden');
  assert.equal(r.notes[1]!.origin.line, 5);
  assert.equal(r.notes[1]!.origin.column, 26);
  assert.match(r.notes[2]!.message, /"devDependencies" should be an object/);
});

test('package.json: overrides (nested, $refs, selectors), resolutions and pnpm.overrides name packages too', () => {
  const r = run('overrides');
  const by = (context: string) => r.refs.filter((x) => x.origin?.context === context).map((x) => `${x.name}${x.alias ? `<-${x.alias}` : ''}@${x.spec ?? ''}`);
  assert.deepEqual(by('dependencies'), ['foo@^1.0.0']);
  // `"foo": "$foo"` installs what the direct dependency names.
  assert.deepEqual(by('overrides'), ['foo@^1.0.0', 'bar@2.0.0', 'baz@3.0.0', '@scope/deep@', 'quux<-qux@1', 'minimist@1.2.6']);
  assert.deepEqual(by('resolutions'), ['left-pad@1.3.0', '@babel/core@7.0.0', 'lodash@4.17.21']);
  // `"removed": "-"` removes a package: nothing to check.
  assert.deepEqual(by('pnpm.overrides'), ['axios@1.6.0', 'child@2.0.0']);
  assert.deepEqual(by('bundleDependencies'), ['foo@^1.0.0']);
  assert.equal(where(r.refs.find((x) => x.name === 'left-pad')), '17:9-17');
  assert.equal(where(r.refs.find((x) => x.name === 'child')), '24:15-20');
  assert.deepEqual(r.notes, []);
});

test('package.json: a BOM and CRLF line ends do not move lines or columns', () => {
  const r = run('bom-crlf');
  assert.deepEqual(labels(r), ['is-number', 'ms']);
  assert.equal(where(ref(r, 'is-number')), '3:6-15');
  assert.equal(where(ref(r, 'ms')), '4:6-8');
  assert.deepEqual(r.notes, []);
});

test('package.json: the real manifest of the lockfile fixtures', () => {
  const r = run('real');
  assert.deepEqual(labels(r), ['is-number', '@babel/code-frame', 'string-width<-my-sw', 'local-thing [directory]', 'ms']);
});

test('package.json: a top-level value that is not an object is malformed', () => {
  for (const text of ['[]', '"x"', '']) {
    const r = extractDocument({ path: 'package.json', text });
    assert.deepEqual(noteCodes(r), ['error:malformed'], text);
    assert.deepEqual(r.refs, []);
  }
});
