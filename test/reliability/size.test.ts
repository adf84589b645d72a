/**
 * The reliability suite's sizes (size.ts): the quick run's slices still cover every item across
 * the targets that share a list, and a misspelt SLOPGUARD_RELIABILITY is an error, not a quick run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RELIABILITY, sample, sized } from './size.js';

const SIZE_MODULE = fileURLToPath(new URL('./size.js', import.meta.url));

/** The size a child process with this SLOPGUARD_RELIABILITY gets, or its error. */
function sizeWith(value: string | undefined): { size?: string; error?: string } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  if (value !== undefined) env.SLOPGUARD_RELIABILITY = value;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(SIZE_MODULE)}).then((m) => console.log(m.RELIABILITY), (e) => { console.error(e.message); process.exit(1); })`], { env, encoding: 'utf8' });
  return r.status === 0 ? { size: r.stdout.trim() } : { error: r.stderr.trim() };
}

describe('reliability sizes', () => {
  // [SLOPGUARD_RELIABILITY, the size, or the error]
  const cases: Array<[string | undefined, { size?: string; error?: RegExp }]> = [
    [undefined, { size: 'quick' }],
    ['', { size: 'quick' }],
    ['quick', { size: 'quick' }],
    ['full', { size: 'full' }],
    ['FULL', { error: /SLOPGUARD_RELIABILITY="FULL": expected one of quick, full/ }],
    ['fulll', { error: /SLOPGUARD_RELIABILITY="fulll": expected one of quick, full/ }],
  ];
  for (const [value, want] of cases) {
    it(`SLOPGUARD_RELIABILITY=${JSON.stringify(value ?? null)}: ${want.size ?? 'an error naming the variable'}`, () => {
      const got = sizeWith(value);
      if (want.size) assert.deepEqual(got, { size: want.size });
      else assert.match(got.error ?? '', want.error!);
    });
  }

  it('sized() picks by the size of this run', () => {
    assert.equal(sized('q', 'f'), RELIABILITY === 'full' ? 'f' : 'q');
  });

  // [items, stride]: the targets sharing a list each take the slice at their own offset.
  const slicing: Array<[number, number]> = [[1, 8], [3, 8], [7, 8], [8, 8], [9, 8], [31, 8], [20, 6], [5, 1], [0, 8]];
  for (const [length, stride] of slicing) {
    it(`${length} items, stride ${stride}: no slice is empty, and the slices of ${stride} targets cover every item`, () => {
      const items = Array.from({ length }, (_, i) => i);
      const slices = Array.from({ length: stride }, (_, offset) => sample(items, stride, offset));
      if (RELIABILITY === 'full') {
        for (const s of slices) assert.deepEqual(s, items);
        return;
      }
      for (const s of slices) {
        if (length > 0) assert.ok(s.length > 0, 'an empty slice');
        assert.ok(s.length <= Math.ceil(length / stride), `a slice of ${s.length} where at most ${Math.ceil(length / stride)} were due`);
      }
      assert.deepEqual([...new Set(slices.flat())].sort((a, b) => a - b), items);
    });
  }
});
