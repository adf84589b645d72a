import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { getPopularIndex } from '../../src/similarity/index.js';

/** A data file with a valid magic, version and kind, but sections that do not add up. */
function badStore(kind: string, extra: Record<string, unknown>): Buffer {
  const header = Buffer.from(JSON.stringify({ kind, snapshotDate: '2026-11-25', count: 1, sections: {}, ...extra }));
  const head = Buffer.alloc(12);
  head.write('SGIX', 0, 'latin1');
  head.writeUInt32LE(1, 4);
  head.writeUInt32LE(header.length, 8);
  return Buffer.concat([head, header, Buffer.alloc(64)]);
}

describe('corrupt data files', () => {
  it('are rejected without leaking a file descriptor per question', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-fd-'));
    for (const f of readdirSync(new URL('../../../data', import.meta.url))) {
      if (f.endsWith('.json')) copyFileSync(new URL(`../../../data/${f}`, import.meta.url), join(dir, f));
    }
    writeFileSync(join(dir, 'npm-popular.bin'), badStore('popular-index', { ecosystem: 'npm' }));
    writeFileSync(join(dir, 'pypi-names.bin'), badStore('name-set', {}));
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    let errors = 0;
    for (let i = 0; i < 100; i++) {
      try {
        getPopularIndex('npm', { dataDir: dir }).lookalike('lodahs');
      } catch {
        errors++;
      }
      try {
        getPopularIndex('pypi', { dataDir: dir }).exists('requests');
      } catch {
        errors++;
      }
    }
    assert.equal(errors, 200, 'every question reports the corrupt file');
    assert.ok(open() - before < 5, `descriptors leaked: ${open() - before}`);
  });
});
