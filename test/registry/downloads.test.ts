import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npmPackage, pypiProject, withFixtureRegistry } from '../fixture-registry/server.js';
import { resolveOnce, resolverFor } from './helpers.js';

const ALL = { metadata: true, downloads: true };

describe('npm downloads', () => {
  it('prefetches unscoped names in one bulk request and scoped ones singly', async () => {
    await withFixtureRegistry(
      {
        npm: [
          npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 30_000_000 }),
          npmPackage({ name: 'lodash', created: '2012-04-23', weeklyDownloads: 50_000_000 }),
          npmPackage({ name: 'brand-new', created: '2026-11-20' }),
          npmPackage({ name: '@types/node', created: '2016-05-17', weeklyDownloads: 40_000_000 }),
        ],
        missing: { npm: ['no-such-pkg'] },
      },
      async (reg) => {
        const r = resolverFor(reg);
        await r.prefetchDownloads!('npm', ['express', 'lodash', 'brand-new', 'no-such-pkg', '@types/node']);
        const express = await r.resolve('npm', 'express', ALL);
        const fresh = await r.resolve('npm', 'brand-new', ALL);
        const types = await r.resolve('npm', '@types/node', ALL);
        const missing = await r.resolve('npm', 'no-such-pkg', ALL);
        const stats = r.stats();
        await r.close();
        assert.equal(express.weeklyDownloads, 30_000_000);
        assert.equal(express.downloadsSource, 'npm-downloads-api');
        assert.equal(fresh.weeklyDownloads, undefined, 'null in bulk means no data, never 0');
        assert.equal(fresh.downloadsSource, undefined);
        assert.equal(types.weeklyDownloads, 40_000_000);
        assert.equal(missing.status, 'not-found');
        assert.equal(stats.requests['npm-downloads-bulk'], 1);
        assert.equal(stats.requests['npm-downloads-single'], 1);
        assert.equal(reg.count('/downloads/point/last-week/@types/node'), 1, 'scoped names are sent unencoded, alone');
      },
    );
  });

  it('splits bulk requests at 128 names', async () => {
    const names = Array.from({ length: 130 }, (_, i) => `pkg-${i}`);
    await withFixtureRegistry({ npm: names.map((name, i) => npmPackage({ name, created: '2020-01-01', weeklyDownloads: i })) }, async (reg) => {
      const r = resolverFor(reg);
      await r.prefetchDownloads!('npm', names);
      const last = await r.resolve('npm', 'pkg-129', ALL);
      const zero = await r.resolve('npm', 'pkg-0', ALL);
      const stats = r.stats();
      await r.close();
      assert.equal(last.weeklyDownloads, 129);
      assert.equal(zero.weeklyDownloads, 0, 'a measured 0 stays 0');
      assert.equal(stats.requests['npm-downloads-bulk'], 2);
      assert.equal(stats.requests['npm-downloads-single'], 0);
    });
  });

  it('asks a single name with the single endpoint and reads 404 as no data', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'quiet', created: '2026-11-25' })] }, async (reg) => {
      const { facts, stats } = await resolveOnce(reg, 'npm', 'quiet', ALL);
      assert.equal(facts.status, 'found');
      assert.equal(facts.weeklyDownloads, undefined);
      assert.equal(stats.requests['npm-downloads-single'], 1);
    });
  });

  it('batches downloads of names resolved together without a prefetch', async () => {
    await withFixtureRegistry(
      { npm: ['a-pkg', 'b-pkg', 'c-pkg'].map((name) => npmPackage({ name, created: '2020-01-01', weeklyDownloads: 7 })) },
      async (reg) => {
        const r = resolverFor(reg);
        const all = await Promise.all(['a-pkg', 'b-pkg', 'c-pkg'].map((n) => r.resolve('npm', n, ALL)));
        await r.close();
        assert.deepEqual(all.map((f) => f.weeklyDownloads), [7, 7, 7]);
        assert.equal(reg.count('/downloads/'), r.stats().requests['npm-downloads-bulk']! + r.stats().requests['npm-downloads-single']!);
        assert.ok(reg.count('/downloads/') < 3, 'at least two names shared a request');
      },
    );
  });

  it('never asks the public downloads API about names of a private scope', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: '@corp/internal', created: '2024-01-01', weeklyDownloads: 3 })] }, async (reg) => {
      const r = resolverFor(reg, {}, { npmScopes: { '@corp': `${reg.url}/` } });
      await r.prefetchDownloads!('npm', ['@corp/internal']);
      const f = await r.resolve('npm', '@corp/internal', ALL);
      await r.close();
      assert.equal(f.privateRegistry, true);
      assert.equal(f.weeklyDownloads, undefined);
      assert.equal(reg.count('/downloads/'), 0);
    });
  });

  it('does not ask for downloads of a name that does not exist, or when not needed', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'exists', created: '2020-01-01', weeklyDownloads: 1 })], missing: { npm: ['nope'] } }, async (reg) => {
      const r = resolverFor(reg);
      await r.resolve('npm', 'nope', ALL);
      await r.resolve('npm', 'exists', { metadata: true, downloads: false });
      await r.close();
      assert.equal(reg.count('/downloads/'), 0);
    });
  });

  it('leaves downloads unknown when the downloads API fails, without failing the lookup', async () => {
    await withFixtureRegistry(
      { npm: [npmPackage({ name: 'ok-pkg', created: '2020-01-01', weeklyDownloads: 5 })], faults: [{ path: '/downloads/*', kind: 'status', status: 503 }] },
      async (reg) => {
        const { facts } = await resolveOnce(reg, 'npm', 'ok-pkg', ALL);
        assert.equal(facts.status, 'found');
        assert.equal(facts.weeklyDownloads, undefined);
      },
    );
  });
});

describe('pypistats downloads', () => {
  it('reads last_week for the normalised name', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'Django', created: '2006-01-01', weeklyDownloads: 2_000_000 })] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'Django', ALL);
      assert.equal(facts.weeklyDownloads, 2_000_000);
      assert.equal(facts.downloadsSource, 'pypistats');
      assert.equal(reg.count('/api/packages/django/recent'), 1);
    });
  });

  it('reads a plain-text 404 as no data', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'newish', created: '2026-11-20' })] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'newish', ALL);
      assert.equal(facts.status, 'found');
      assert.equal(facts.weeklyDownloads, undefined);
    });
  });

  it('falls back to the popular list when pypistats cannot say', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'numpy', created: '2006-01-01' })] }, async (reg) => {
      const popularity = (_eco: string, name: string) => (name === 'numpy' ? { weeklyDownloads: 1_000_000, rank: 12 } : undefined);
      const { facts } = await resolveOnce(reg, 'pypi', 'numpy', ALL, { popularity });
      assert.equal(facts.weeklyDownloads, 1_000_000);
      assert.equal(facts.downloadsSource, 'popular-list');
      assert.equal(facts.popularRank, 12);
    });
  });

  it('stops asking after a 429 and says so once', async () => {
    const names = ['p-one', 'p-two', 'p-three'];
    await withFixtureRegistry(
      { pypi: names.map((name) => pypiProject({ name, created: '2020-01-01', weeklyDownloads: 50 })), faults: [{ path: '/api/packages/*', kind: 'status', status: 429, body: '<a href="/">rate limited</a>' }] },
      async (reg) => {
        const warnings: string[] = [];
        const r = resolverFor(reg, { warn: (m) => warnings.push(m) });
        const first = await r.resolve('pypi', 'p-one', ALL);
        const rest = await Promise.all(names.slice(1).map((n) => r.resolve('pypi', n, ALL)));
        await r.close();
        assert.equal(first.status, 'found');
        assert.equal(first.weeklyDownloads, undefined);
        assert.ok(rest.every((f) => f.status === 'found' && f.weeklyDownloads === undefined));
        assert.equal(reg.count('/api/packages/'), 1, 'a 429 is final: no retry, no further requests');
        assert.equal(warnings.length, 1);
      },
    );
  });

  it('keeps within the per-minute limit, leaving the rest unknown instead of waiting', async () => {
    const names = ['q-1', 'q-2', 'q-3', 'q-4'];
    await withFixtureRegistry({ pypi: names.map((name) => pypiProject({ name, created: '2020-01-01', weeklyDownloads: 9 })) }, async (reg) => {
      const r = resolverFor(reg, { pypistatsLimits: { perSecond: 5, perMinute: 2, maxWaitMs: 50 } });
      const facts = [];
      for (const n of names) facts.push(await r.resolve('pypi', n, ALL));
      await r.close();
      assert.deepEqual(
        facts.map((f) => f.weeklyDownloads),
        [9, 9, undefined, undefined],
      );
      assert.equal(reg.count('/api/packages/'), 2);
    });
  });

  it('spaces requests to respect the per-second limit', async () => {
    const names = ['s-1', 's-2', 's-3'];
    await withFixtureRegistry({ pypi: names.map((name) => pypiProject({ name, created: '2020-01-01', weeklyDownloads: 4 })) }, async (reg) => {
      const r = resolverFor(reg, { pypistatsLimits: { perSecond: 2, perMinute: 30, maxWaitMs: 5_000 } });
      const facts = await Promise.all(names.map((n) => r.resolve('pypi', n, ALL)));
      await r.close();
      assert.deepEqual(facts.map((f) => f.weeklyDownloads), [4, 4, 4], 'the third waits for a slot instead of being dropped');
    });
  });
});
