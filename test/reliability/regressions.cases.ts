/**
 * Regression tests for bugs the reliability suite found, one `it` per bug, named after it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXTRACTORS } from '../../src/extractors/index.js';
import { pathFor } from '../fuzz/arbitraries.js';
import { tally } from './harness.js';

describe('regressions', () => {
  it('JSON extractors: 100,000 nested brackets are a malformed note, not a RangeError thrown out of extract()', () => {
    const json = EXTRACTORS.filter((e) => ['package-json', 'package-lock', 'bun-lock', 'pipfile-lock'].includes(e.id));
    assert.equal(json.length, 4);
    for (const ex of json) {
      for (const text of ['['.repeat(100_000), `{"dependencies": ${'{"a":'.repeat(50_000)}`]) {
        tally.hostile++;
        const r = ex.extract({ path: pathFor(ex), text });
        assert.deepEqual(r.refs, []);
        assert.ok(r.notes.some((n) => n.level === 'error' && n.code === 'malformed' && /nested too deeply/.test(n.message)), `${ex.id}: ${JSON.stringify(r.notes)}`);
      }
    }
  });
});
