import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Resolver } from '../../src/core/types.js';
import type { ResolverOptions } from '../../src/registry/resolver.js';
import { npmPackage, pypiProject, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { resolverFor, tempDir } from './helpers.js';

const ALL = { metadata: true, downloads: true };
const HOUR = 3_600_000;

/** A clock tests move by hand. */
function clock(start = Date.parse('2026-11-26T12:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

/** Resolve with a fresh resolver on a cache dir, then close it. */
async function once(reg: FixtureRegistry, dir: string, eco: 'npm' | 'pypi', name: string, opts: Partial<ResolverOptions> = {}) {
  const r: Resolver = resolverFor(reg, { cacheDir: dir, ...opts });
  try {
    return { facts: await r.resolve(eco, name, ALL), stats: r.stats() };
  } finally {
    await r.close();
  }
}

/** An entry file's text with its MAC recomputed under `key`. */
function resealed(text: string, key: Buffer): string {
  const body = text.slice(text.indexOf('"entry":') + '"entry":'.length, -1);
  return `{"mac":"${createHmac('sha256', key).update(body).digest('hex')}","entry":${body}}`;
}

function entries(dir: string): string[] {
  const d = join(dir, 'v4');
  return existsSync(d) ? readdirSync(d).map((f) => join(d, f)) : [];
}

describe('disk cache', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir();
  });
  after(() => tmp.remove());
  let n = 0;
  const freshDir = () => join(tmp.dir, `c${n++}`);

  it('serves a second run from the cache without any request', async () => {
    const dir = freshDir();
    await withFixtureRegistry({ npm: [npmPackage({ name: 'cached', created: '2020-01-01', weeklyDownloads: 10 })] }, async (reg) => {
      const first = await once(reg, dir, 'npm', 'cached');
      const before = reg.requests.length;
      const second = await once(reg, dir, 'npm', 'cached');
      assert.equal(reg.requests.length, before, 'no request on the second run');
      assert.deepEqual(second.facts, first.facts);
      assert.equal(second.stats.cacheHits, 2, 'facts and downloads');
      assert.equal(second.stats.cacheMisses, 0);
      assert.equal(first.stats.cacheMisses, 2);
    });
  });

  // Past a few misses the cache lists its directory once and stops opening files that are not
  // there; entries that are there, and those the run writes, must still be found.
  it('a long run on a half-filled cache asks only for the names it does not have, and the next run for none', async () => {
    const dir = freshDir();
    const names = Array.from({ length: 80 }, (_, i) => `half-${i}`);
    const meta = { metadata: true, downloads: false };
    await withFixtureRegistry({ npm: names.map((name) => npmPackage({ name, created: '2020-01-01' })) }, async (reg) => {
      const run = async (list: string[]) => {
        const r = resolverFor(reg, { cacheDir: dir });
        const facts = await Promise.all(list.map((n) => r.resolve('npm', n, meta)));
        await r.close();
        assert.ok(facts.every((f) => f.status === 'found'));
        return r.stats();
      };
      // Every other name cached first; then all 80, interleaved, so hits follow the listing.
      await run(names.filter((_, i) => i % 2 === 0));
      reg.clearRequests();
      const second = await run(names);
      assert.deepEqual(
        reg.requests.map((q) => q.path.slice(1)).sort(),
        names.filter((_, i) => i % 2 === 1).sort(),
      );
      assert.equal(second.cacheHits, 40);
      reg.clearRequests();
      const third = await run([...names].reverse());
      assert.equal(reg.requests.length, 0);
      assert.equal(third.cacheHits, 80);
    });
  });

  it('asks again after the TTL and revalidates with the ETag (304 refreshes the entry)', async () => {
    const dir = freshDir();
    const c = clock();
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'revalidated', created: '2020-01-01' })] }, async (reg) => {
      await once(reg, dir, 'pypi', 'revalidated', { now: c.now });
      c.advance(25 * HOUR);
      reg.clearRequests();
      const second = await once(reg, dir, 'pypi', 'revalidated', { now: c.now });
      const asked = reg.requests.find((r) => r.path === '/pypi/revalidated/json');
      assert.ok(asked, 'a stale entry is asked about again');
      assert.match(String(asked.headers['if-none-match']), /^".+"$/);
      assert.equal(second.stats.revalidated, 1);
      assert.equal(second.facts.status, 'found');
      // The 304 started a new freshness period: the next run asks nothing about the project.
      reg.clearRequests();
      c.advance(HOUR);
      await once(reg, dir, 'pypi', 'revalidated', { now: c.now });
      assert.equal(reg.count('/pypi/'), 0);
    });
  });

  it('replaces a stale entry when the registry has changed', async () => {
    const dir = freshDir();
    const c = clock();
    await withFixtureRegistry({ npm: [npmPackage({ name: 'changing', created: '2020-01-01', versions: ['1.0.0'] })] }, async (reg) => {
      await once(reg, dir, 'npm', 'changing', { now: c.now });
      reg.setNpm(npmPackage({ name: 'changing', created: '2020-01-01', versions: ['1.0.0', '2.0.0'] }));
      const stillFresh = await once(reg, dir, 'npm', 'changing', { now: c.now });
      assert.equal(stillFresh.facts.latestVersion, '1.0.0', 'within the TTL the cache answers');
      c.advance(25 * HOUR);
      const after = await once(reg, dir, 'npm', 'changing', { now: c.now });
      assert.equal(after.facts.latestVersion, '2.0.0');
      assert.equal(after.stats.revalidated, 0);
    });
  });

  it('keeps a not-found for a short time only', async () => {
    const dir = freshDir();
    const c = clock();
    await withFixtureRegistry({ missing: { npm: ['soon-published'] } }, async (reg) => {
      assert.equal((await once(reg, dir, 'npm', 'soon-published', { now: c.now })).facts.status, 'not-found');
      c.advance(2 * HOUR);
      reg.setNpm(npmPackage({ name: 'soon-published', created: '2026-11-26' }));
      assert.equal((await once(reg, dir, 'npm', 'soon-published', { now: c.now })).facts.status, 'found');
    });
  });

  const damage: Array<[string, (file: string) => void]> = [
    ['truncated', (f) => writeFileSync(f, readFileSync(f, 'utf8').slice(0, 40))],
    ['not JSON', (f) => writeFileSync(f, '\u0000\u0001garbage')],
    ['empty', (f) => writeFileSync(f, '')],
    ['edited (status changed, checksum kept)', (f) => writeFileSync(f, readFileSync(f, 'utf8').replace('"status":"not-found"', '"status":"found"'))],
    ['wrong shape', (f) => writeFileSync(f, JSON.stringify({ v: 3, key: 'x', value: 1 }))],
    ['an entry of the old format (v1)', (f) => writeFileSync(f, JSON.stringify({ v: 1, ...JSON.parse(readFileSync(f, 'utf8')).entry }))],
    ['edited and resealed under another key (a forger without the user\'s key)', (f) => writeFileSync(f, resealed(readFileSync(f, 'utf8').replace('"status":"not-found"', '"status":"found"'), randomBytes(32)))],
  ];
  for (const [title, hurt] of damage) {
    it(`treats a ${title} entry as a miss`, async () => {
      const dir = freshDir();
      await withFixtureRegistry({ missing: { npm: ['victim'] } }, async (reg) => {
        await once(reg, dir, 'npm', 'victim');
        const files = entries(dir);
        assert.equal(files.length, 1);
        hurt(files[0]!);
        reg.clearRequests();
        const again = await once(reg, dir, 'npm', 'victim');
        assert.equal(again.facts.status, 'not-found');
        assert.equal(reg.count('/victim'), 1, 'asked the registry again');
      });
    });
  }

  // The offline cache mode, through each ecosystem's source and download counts.
  for (const eco of ['npm', 'pypi'] as const) {
    it(`serves stale ${eco} entries offline and never touches the network`, async () => {
      const dir = freshDir();
      const c = clock();
      const fixtures = eco === 'npm' ? { npm: [npmPackage({ name: 'offline-ok', created: '2020-01-01', weeklyDownloads: 3 })] } : { pypi: [pypiProject({ name: 'offline-ok', created: '2020-01-01', weeklyDownloads: 3 })] };
      await withFixtureRegistry(fixtures, async (reg) => {
        await once(reg, dir, eco, 'offline-ok', { now: c.now });
        c.advance(30 * 24 * HOUR);
        reg.clearRequests();
        const r = resolverFor(reg, { cacheDir: dir, cacheMode: 'offline', now: c.now });
        const hit = await r.resolve(eco, 'offline-ok', ALL);
        const miss = await r.resolve(eco, 'never-seen', ALL);
        await r.prefetchDownloads!(eco, ['another']);
        await r.close();
        assert.equal(hit.status, 'found');
        assert.equal(hit.weeklyDownloads, 3);
        assert.equal(miss.status, 'unverified');
        assert.equal(miss.error, 'offline: not in cache');
        assert.equal(reg.requests.length, 0);
        assert.equal(r.stats().cacheMisses, 1, 'only the name never cached');
      });
    });
  }

  it('is neither read nor written with noCache', async () => {
    const dir = freshDir();
    await withFixtureRegistry({ npm: [npmPackage({ name: 'uncached', created: '2020-01-01' })] }, async (reg) => {
      await once(reg, dir, 'npm', 'uncached');
      const r = resolverFor(reg, { cacheDir: dir, noCache: true });
      await r.resolve('npm', 'uncached', { metadata: true, downloads: false });
      await r.close();
      assert.equal(reg.count('/uncached'), 2, 'the cached entry was not used');
      const s = r.stats();
      assert.equal(s.cacheHits + s.cacheMisses, 0);
    });
    const dir2 = freshDir();
    await withFixtureRegistry({ npm: [npmPackage({ name: 'uncached', created: '2020-01-01' })] }, async (reg) => {
      const r = resolverFor(reg, { cacheDir: dir2, noCache: true });
      await r.resolve('npm', 'uncached', { metadata: true, downloads: false });
      await r.close();
    });
    assert.equal(existsSync(dir2), false);
  });

  it('never serves one registry’s answer for another', async () => {
    const dir = freshDir();
    await withFixtureRegistry({ npm: [npmPackage({ name: 'same-name', created: '2020-01-01' })] }, async (a) => {
      await withFixtureRegistry({ missing: { npm: ['same-name'] } }, async (b) => {
        assert.equal((await once(a, dir, 'npm', 'same-name')).facts.status, 'found');
        assert.equal((await once(b, dir, 'npm', 'same-name')).facts.status, 'not-found');
        assert.equal(b.count('/same-name'), 1);
      });
    });
  });

  it('works uncached and warns once when the directory cannot be written', async () => {
    const blocker = join(tmp.dir, `file-${n++}`);
    writeFileSync(blocker, 'not a directory');
    await withFixtureRegistry(
      { npm: ['w-1', 'w-2', 'w-3'].map((name) => npmPackage({ name, created: '2020-01-01', weeklyDownloads: 1 })) },
      async (reg) => {
        const warnings: string[] = [];
        const r = resolverFor(reg, { cacheDir: join(blocker, 'cache'), warn: (m) => warnings.push(m) });
        const facts = await Promise.all(['w-1', 'w-2', 'w-3'].map((x) => r.resolve('npm', x, ALL)));
        await r.close();
        assert.ok(facts.every((f) => f.status === 'found'));
        assert.equal(warnings.length, 1);
        assert.match(warnings[0]!, /not writable/);
      },
    );
  });

  it('keeps reading a cache directory it cannot write', { skip: process.getuid?.() === 0 ? 'root writes everywhere' : false }, async () => {
    const dir = freshDir();
    await withFixtureRegistry({ npm: [npmPackage({ name: 'ro', created: '2020-01-01' })] }, async (reg) => {
      await once(reg, dir, 'npm', 'ro');
      chmodSync(join(dir, 'v4'), 0o500);
      try {
        const again = await once(reg, dir, 'npm', 'ro');
        assert.equal(again.stats.cacheHits, 2);
      } finally {
        chmodSync(join(dir, 'v4'), 0o700);
      }
    });
  });

  it('stores no credentials', async () => {
    const dir = freshDir();
    const token = 'npm_SECRETSECRETSECRETSECRET1234';
    await withFixtureRegistry(
      { npm: [npmPackage({ name: '@corp/private', created: '2020-01-01' })] },
      async (reg) => {
        const host = new URL(reg.url).host;
        const r = resolverFor(reg, { cacheDir: dir }, {
          npmScopes: { '@corp': `http://user:hunter22@${host}/` },
          npmrc: { [`//${host}/:_authToken`]: token },
        });
        const f = await r.resolve('npm', '@corp/private', ALL);
        await r.close();
        assert.equal(f.status, 'found');
        assert.equal(f.registry, `http://${host}/`);
      },
      { token },
    );
    for (const file of entries(dir)) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /SECRET|hunter22|authorization|_authToken/i);
    }
  });
});
