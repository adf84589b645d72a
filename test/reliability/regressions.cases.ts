/**
 * Regression tests for bugs the reliability suite found, one `it` per bug, named after it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTRACTORS } from '../../src/extractors/index.js';
import { withFixtureRegistry } from '../fixture-registry/server.js';
import { pathFor } from '../fuzz/arbitraries.js';
import { healthyPypi } from './fixtures.js';
import { cli, fakeTools, registryEnv, tally, tempDir } from './harness.js';

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

  it('wrapper under fail-closed: packages it could not list (unreadable or remote -r, unreadable names) stop the tool', async () => {
    await withFixtureRegistry(
      { pypi: [healthyPypi('requests')] },
      async (reg) => {
        const root = tempDir('regress');
        const bin = join(root, 'bin');
        fakeTools(bin, ['pip', 'npm']);
        mkdirSync(join(root, 'home'));
        const argvOut = join(root, 'argv.jsonl');
        const env = { ...registryEnv(reg, join(root, 'cache')), PATH: `${bin}:/usr/bin:/bin`, ARGV_OUT: argvOut, HOME: join(root, 'home') };
        const ran = () => (existsSync(argvOut) ? readFileSync(argvOut, 'utf8').trim().split('\n').length : 0);
        const cases = [
          ['pip', 'install', 'requests', '-r', 'missing.txt'],
          ['pip', 'install', '-r', 'https://example.invalid/requirements.txt'],
          ['npm', 'install', '\u0435\u0445press'],
        ];
        for (const argv of cases) {
          tally.hostile++;
          const before = ran();
          const closed = await cli([...argv, '--slopguard-fail-closed'], { env, cwd: root });
          assert.equal(closed.code, 1, `${argv.join(' ')}: ${closed.err}`);
          assert.equal(ran(), before, `${argv.join(' ')} ran under fail-closed`);
          assert.match(closed.err, /not run/);
          // The default (fail-open) still goes ahead, saying what was not checked.
          const open = await cli(argv, { env, cwd: root });
          assert.equal(open.code, 0, open.err);
          assert.equal(ran(), before + 1);
          assert.match(open.err, /error|warning/);
        }
      },
      { strict: false },
    );
  });
});

describe('regressions: private index', () => {
  it('a private-index name, index unreachable: unknown (exit 3), not "does not exist on PyPI" from the public list', async () => {
    tally.faults++;
    const root = tempDir('regress');
    mkdirSync(join(root, 'home'));
    const dead = 'http://127.0.0.1:9';
    const env = { HOME: join(root, 'home'), SLOPGUARD_CACHE_DIR: join(root, 'cache'), PIP_INDEX_URL: `${dead}/private/simple/`, SLOPGUARD_PYPI_URL: dead, SLOPGUARD_PYPISTATS_API: dead };
    const r = await cli(['check', 'pypi:corp-internal-tools-xyz', '--format', 'json', '--timeout', '2'], { env, cwd: root });
    const p = JSON.parse(r.out).packages[0];
    assert.equal(p.verdict, 'unknown', JSON.stringify(p));
    assert.equal(r.code, 3);
  });
});

describe('regressions: python imports', () => {
  // Each `\` continuation rebuilt the whole statement: 300,000 of them took minutes (quadratic).
  it('300,000 backslash continuation lines finish (linear), and short continued imports still read', { timeout: 20_000 }, async () => {
    tally.hostile++;
    const { findPythonImports } = await import('../../src/extractors/text/imports.js');
    findPythonImports(' \\\n'.repeat(300_000), { file: 'x.py' });
    const r = findPythonImports('import a, \\\n  b, \\\n  c\nfrom x import y\n', { file: 'x.py' });
    assert.deepEqual(r.refs.map((x) => x.name), ['a', 'b', 'c', 'x']);
  });
});

describe('regressions: unpaired surrogates in names', () => {
  // validate-npm-package-name's encodeURIComponent threw URIError: yarn.lock extraction threw,
  // package.json lost every name to one `malformed` note, and check() rejected.
  it('a name with a lone surrogate is an invalid name, never a throw', async () => {
    tally.hostile += 3;
    const yarn = EXTRACTORS.find((e) => e.id === 'yarn-lock')!;
    const r1 = yarn.extract({ path: 'yarn.lock', text: '\udfffpypi:' });
    assert.ok(r1.notes.some((n) => n.code === 'invalid-name'), JSON.stringify(r1.notes));
    const pj = EXTRACTORS.find((e) => e.id === 'package-json')!;
    const r2 = pj.extract({ path: 'package.json', text: '{"dependencies":{"\\udfff":"1","express":"1"}}' });
    assert.deepEqual(r2.refs.map((r) => r.name), ['express']);
    const { check } = await import('../../src/core/check.js');
    const { tableResolver } = await import('../helpers/fake-resolver.js');
    const report = await check([{ ecosystem: 'npm', name: 'a\udfff' }], { resolver: tableResolver({}) });
    assert.deepEqual(report.notes.map((n) => n.code), ['invalid-name']);
  });
});
