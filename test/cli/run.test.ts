import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';

describe('run(argv, io): usage', () => {
  it('--help lists the commands and exits 0', async () => {
    const t = testIo();
    assert.equal(await run(['--help'], t.io), 0);
    assert.match(t.out(), /Usage: slopguard/);
    assert.match(t.out(), /check/);
  });

  it('check --help explains options with examples', async () => {
    const t = testIo();
    assert.equal(await run(['check', '--help'], t.io), 0);
    assert.match(t.out(), /--fail-on/);
    assert.match(t.out(), /Examples:/);
    assert.match(t.out(), /Exit codes/);
  });

  it('--version prints the version', async () => {
    const t = testIo();
    assert.equal(await run(['--version'], t.io), 0);
    assert.match(t.out(), /^\d+\.\d+\.\d+/);
  });

  it('an unknown command or option exits 2', async () => {
    const a = testIo();
    assert.equal(await run(['frobnicate'], a.io), 2);
    const b = testIo();
    assert.equal(await run(['check', '--no-such-flag', 'x'], b.io), 2);
    assert.match(b.err(), /^slopguard: unknown option/);
    assert.match(a.err(), /^slopguard: unknown command 'frobnicate'/);
  });

  it('bad specs exit 2 and nothing is looked up (no registry is configured to answer)', async () => {
    const t = testIo({ env: { SLOPGUARD_NPM_REGISTRY: 'http://127.0.0.1:9/' } });
    assert.equal(await run(['check', 'pypi:', '@/x', 'express'], t.io), 2);
    assert.match(t.err(), /missing after "pypi:"/);
    assert.match(t.err(), /not a valid npm package/);
  });

  it('no specs at all exits 2 with a hint', async () => {
    const t = testIo();
    assert.equal(await run(['check'], t.io), 2);
    assert.match(t.err(), /nothing to check/);
  });

  it('an invalid config exits 2 naming the field', async () => {
    const t = testIo({ env: { SLOPGUARD_FAIL_ON: 'sometimes' } });
    assert.equal(await run(['check', 'express'], t.io), 2);
    assert.match(t.err(), /SLOPGUARD_FAIL_ON/);
  });
});
