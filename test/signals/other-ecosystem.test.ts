import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ecosystem, PackageFacts, PopularIndex, SignalContext } from '../../src/core/types.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { getPopularIndex } from '../../src/similarity/index.js';
import { otherEcosystem } from '../../src/signals/other-ecosystem.js';
import { fixtureDataDir } from '../similarity/fixture-data.js';

const popular = (e: Ecosystem): PopularIndex => getPopularIndex(e, { dataDir: fixtureDataDir() });

function run(ecosystem: Ecosystem, name: string, status: PackageFacts['status']) {
  const facts = (eco: Ecosystem, s: PackageFacts['status']): PackageFacts => ({ ecosystem: eco, name, status: s, registry: 'r', fetchedAt: '2026-11-26T00:00:00Z' });
  const ctx: SignalContext = { ref: { ecosystem, name }, facts: facts(ecosystem, status), popular, now: new Date(), policy: DEFAULT_POLICY };
  return otherEcosystem.evaluate(ctx);
}

describe('other-ecosystem signal', () => {
  it('npm name missing from npm but on PyPI (offline complete list)', () => {
    assert.deepEqual(run('npm', 'boto3', 'not-found'), [{ code: 'other-ecosystem', similarTo: 'boto3', evidence: { otherEcosystem: 'pypi', name: 'boto3' } }]);
  });

  it('the PyPI name is the PEP 503 form of the npm spelling', () => {
    assert.equal(run('npm', 'Python_DateUtil', 'not-found')[0]?.similarTo, 'python-dateutil');
  });

  it('PyPI name missing from PyPI but a popular npm package', () => {
    assert.deepEqual(run('pypi', 'cross-env', 'not-found'), [{ code: 'other-ecosystem', similarTo: 'cross-env', evidence: { otherEcosystem: 'npm', name: 'cross-env' } }]);
  });

  it('npm silence proves nothing: a PyPI name absent from the npm list gives no finding', () => {
    assert.deepEqual(run('pypi', 'zzz-unknown-thing', 'not-found'), []);
  });

  it('only for names missing from their own registry', () => {
    for (const status of ['found', 'unverified', 'unpublished'] as const) assert.deepEqual(run('npm', 'boto3', status), []);
  });

  it('scoped npm names and names PyPI could never hold are not looked for on PyPI', () => {
    assert.deepEqual(run('npm', '@scope/boto3', 'not-found'), []);
    assert.deepEqual(run('npm', 'boto3-', 'not-found'), []);
  });

  it('a name on neither registry gives no finding', () => {
    assert.deepEqual(run('npm', 'zzz-not-anywhere', 'not-found'), []);
  });
});
