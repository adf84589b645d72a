import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { extractDocument } from '../../src/extractors/index.js';
import { extractFixture, fixturePath, labels, noteCodes, problems, ref, where } from './helpers.js';

const F = 'bun-lock';
const run = (kase: string) => extractFixture(F, kase, 'bun.lock');

test('bun.lock: one package, at its name in the tuple', () => {
  const r = run('one-package');
  assert.deepEqual(labels(r), ['is-number']);
  assert.equal(ref(r, 'is-number').spec, '7.0.0');
  assert.equal(where(ref(r, 'is-number')), '9:20-29');
  assert.deepEqual(r.notes, []);
});

test('bun.lock: aliases and nested install paths', () => {
  const r = run('aliases');
  assert.deepEqual(labels(r), ['string-width<-my-sw', 'emoji-regex']);
  assert.equal(where(ref(r, 'string-width')), '9:16-28');
});

test('bun.lock: scoped and nested scoped; workspace skipped; git and link not registry', () => {
  const r = run('scoped');
  assert.deepEqual(labels(r), ['@babel/code-frame', '@types/node', 'from-gh [git]', 'linked [link]']);
  assert.deepEqual(problems(r), []);
});

test('bun.lock: empty and malformed', () => {
  assert.deepEqual(noteCodes(run('empty')), ['warning:empty-lockfile']);
  const bad = run('malformed');
  assert.deepEqual(bad.refs, []);
  assert.deepEqual(noteCodes(bad), ['error:malformed']);
  assert.deepEqual([bad.notes[0]!.origin.line, bad.notes[0]!.origin.column], [5, 5]);
});

test('bun.lock: real file written by bun 1.4 (JSONC with trailing commas)', () => {
  const r = run('real');
  assert.equal(r.refs.filter((x) => x.source === undefined).length, 11);
  assert.equal(ref(r, 'string-width').alias, 'my-sw');
  assert.equal(ref(r, 'local-thing').source, 'directory');
  assert.deepEqual(problems(r), []);
});

test('bun.lockb: a real binary lockfile is an error that says how to write bun.lock', () => {
  const path = 'real/bun.lockb';
  const text = readFileSync(fixturePath('bun-lockb', 'real', 'bun.lockb'), 'latin1');
  const r = extractDocument({ path, text });
  assert.deepEqual(r.refs, []);
  assert.deepEqual(noteCodes(r), ['error:binary-lockfile']);
  assert.match(r.notes[0]!.message, /bun install --save-text-lockfile/);
  assert.equal(r.notes[0]!.origin.file, path);
});
