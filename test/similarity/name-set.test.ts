import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NameSet, buildNameSet } from '../../src/similarity/name-set.js';

function open(names: string[]): NameSet {
  const dir = mkdtempSync(join(tmpdir(), 'slopguard-names-'));
  writeFileSync(join(dir, 'n.bin'), buildNameSet(names, '2026-11-25', {}));
  return NameSet.open(join(dir, 'n.bin'));
}

describe('front-coded name set', () => {
  it('finds every member across block boundaries and nothing else', () => {
    const names = Array.from({ length: 200 }, (_, i) => `pkg-${String(i).padStart(3, '0')}`);
    const set = open([...names, 'a', 'zz', 'pkg', 'pkg-0']);
    for (const n of [...names, 'a', 'zz', 'pkg', 'pkg-0']) assert.equal(set.has(n), true, n);
    for (const n of ['', '0', 'b', 'zzz', 'pkg-', 'pkg-00', 'pkg-200', 'pkg-1999', 'pkg-0000', '\u00e9']) assert.equal(set.has(n), false, n);
    assert.equal(set.count, 204);
  });

  it('forEach gives back every member once, sorted, across block boundaries', () => {
    const names = Array.from({ length: 70 }, (_, i) => `pkg-${String(i).padStart(3, '0')}`);
    const seen: string[] = [];
    open([...names, 'zz', 'a', 'pkg', 'a']).forEach((n) => seen.push(n));
    assert.deepEqual(seen, ['a', 'pkg', ...names, 'zz']);
    const none: string[] = [];
    open([]).forEach((n) => none.push(n));
    assert.deepEqual(none, []);
  });

  it('an empty set holds nothing', () => {
    assert.equal(open([]).has('x'), false);
  });

  it('agrees with a Set, from the file and from memory (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 300 }), fc.array(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 50 }), (members, probes) => {
        const set = open(members);
        const truth = new Set(members);
        for (const p of [...members, ...probes]) assert.equal(set.has(p), truth.has(p), p);
        set.load();
        for (const p of [...members, ...probes]) assert.equal(set.has(p), truth.has(p), p);
      }),
      { numRuns: 40 },
    );
  });
});
