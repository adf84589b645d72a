import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAMILY, KeyHasher, MAX_HASHES, groupOfKey, hashKey } from '../../src/similarity/keys.js';

/** What hashes() must write, built the slow way: the key, its deletions (one per run of equal characters), its two-character deletions. */
function expected(key: string, two: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [[hashKey(FAMILY.edit2, key), groupOfKey(key)]];
  if (key.length < 3) return out;
  for (let i = 0; i < key.length; i++) if (i === 0 || key[i] !== key[i - 1]) out.push([hashKey(FAMILY.edit2, key, i), groupOfKey(key, i)]);
  if (two) for (let i = 0; i < key.length; i++) for (let j = i + 1; j < key.length; j++) out.push([hashKey(FAMILY.edit2, key, i, j), groupOfKey(key, i, j)]);
  return out;
}

describe('KeyHasher', () => {
  it('derives every deletion hash and filter block slot the builder computes character by character', () => {
    const h = new KeyHasher();
    const hashes = new Uint32Array(MAX_HASHES);
    const groups = new Uint32Array(MAX_HASHES);
    for (const key of ['ab', 'abc', 'aab', 'express', 'typescript', 'aaaaaaa', 'lodashh', 'eslintpluginreact', 'x\u00e9y\u4e2dzzq']) {
      for (const two of [false, true]) {
        const n = h.reset(key).hashes(FAMILY.edit2, hashes, two, groups);
        const want = expected(key, two && key.length >= 3);
        assert.equal(n, want.length, key);
        assert.deepEqual(Array.from({ length: n }, (_, k) => [hashes[k], groups[k]]), want, key);
      }
    }
  });

  it('gives deletions that spell the same string the same slot, and different lengths different slots', () => {
    assert.equal(groupOfKey('expresss', 7), groupOfKey('express'));
    assert.equal(groupOfKey('exxpress', 1, 2), groupOfKey('epress'));
    assert.notEqual(groupOfKey('express'), groupOfKey('expres'));
  });
});
