import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { RegistrySettings, Report } from '../../src/core/types.js';
import type { Decision } from '../../src/serve/context.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry, type NpmPackageFixture } from '../fixture-registry/server.js';

/**
 * Reading ahead through the guard (in-process, strict fixture registry): serving a packument
 * judges its latest version's dependencies before the client asks for them (the client's
 * requests find the verdicts in memory), at most half the upstream limit at once, and asks their
 * download counts in one bulk request that the judgements share; only registry names (no git,
 * file or URL specs; an alias's target rather than its key), and counts only for names the judge
 * would ask the API about (none the bundled list settles). A failed batch leaves the count of
 * each of its names unknown (never 0, never another name's) for the judgements that shared it, so
 * the policy decides without the count (a young look-alike is still refused), and the failure is
 * not kept: the next question about a name asks again.
 */

const DAY = 86_400_000;
const HITS = /^slopguard_serve_verdict_cache_hits_total (\d+)$/m;
const MISSES = /^slopguard_serve_verdict_cache_misses_total (\d+)$/m;
const NOW = new Date();
const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const OLD = '2019-01-01';
const repo = 'https://example.test/r';

/** A package whose latest (only) version has these dependency fields. */
function withDeps(fx: NpmPackageFixture, fields: Record<string, Record<string, string>>): NpmPackageFixture {
  const versions = fx.packument.versions as Record<string, Record<string, unknown>>;
  Object.assign(versions['1.0.0']!, fields);
  return fx;
}

/** The names of each downloads request the upstream received, each list sorted, the lists sorted. */
function downloadBatches(reg: FixtureRegistry): string[][] {
  return reg.requests
    .filter((r) => r.path.startsWith('/downloads/point/last-week/'))
    .map((r) => decodeURIComponent(r.path.slice('/downloads/point/last-week/'.length)).split(',').sort())
    .sort((a, b) => a.join(',').localeCompare(b.join(',')));
}

describe('serve: download counts asked in bulk, ahead of the client', () => {
  let reg: FixtureRegistry;
  let guard: RunningServer;
  /** Upstream limit 4 per host: at most 2 judgements read ahead at once. */
  let narrow: RunningServer;
  const decisions: Decision[] = [];
  const registries = (): RegistrySettings => ({ npmRegistry: `${reg.url}/`, npmScopes: { '@sgpriv': `${reg.url}/` }, npmrc: {}, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url });

  before(async () => {
    reg = await startFixtureRegistry({
      npm: [
        withDeps(npmPackage({ name: 'sg-bp-parent', created: OLD, weeklyDownloads: 5_000, repository: repo }), {
          dependencies: { 'sg-bp-a': '^1.0.0', 'sg-bp-low': '^1.0.0', 'alias-key': 'npm:sg-bp-e@^1.0.0', '@sgbp/scoped': '^1.0.0', 'from-git': 'github:someone/repo', 'from-file': 'file:../x', 'from-url': 'https://example.test/x.tgz', react: '^18.0.0', '@sgpriv/inner': '^1.0.0' },
          optionalDependencies: { 'sg-bp-opt': '^1.0.0' },
          peerDependencies: { 'sg-bp-a': '^1.0.0' },
        }),
        // In the bundled popular list: judged ahead too, but its count is the list's (never asked).
        npmPackage({ name: 'react', created: '2011-10-26', weeklyDownloads: 20_000_000, repository: repo }),
        // From a private (scoped) registry: judged ahead, its name never sent to the downloads API.
        npmPackage({ name: '@sgpriv/inner', created: OLD, repository: repo }),
        ...['sg-bp-a', 'sg-bp-e', '@sgbp/scoped', 'sg-bp-opt'].map((name) => npmPackage({ name, created: OLD, weeklyDownloads: 5_000, repository: repo })),
        npmPackage({ name: 'sg-bp-low', created: OLD, weeklyDownloads: 3, repository: repo }),
        withDeps(npmPackage({ name: 'sg-bf-parent', created: OLD, weeklyDownloads: 5_000, repository: repo }), {
          dependencies: { 'sg-bf-low': '^1.0.0', lodahs: '^1.0.0', 'sg-bf-poison': '^1.0.0', 'sg-bf-late': '^1.0.0' },
        }),
        npmPackage({ name: 'sg-bf-low', created: OLD, weeklyDownloads: 3, repository: repo }),
        npmPackage({ name: 'sg-bf-late', created: OLD, weeklyDownloads: 3, repository: repo }),
        npmPackage({ name: 'sg-bf-poison', created: OLD, weeklyDownloads: 5_000, repository: repo }),
        // A look-alike of lodash published three days ago.
        npmPackage({ name: 'lodahs', created: new Date(NOW.getTime() - 3 * DAY), weeklyDownloads: 3 }),
      ],
      // Any downloads request naming sg-bf-poison is never answered: the guard's request times out.
      faults: [{ name: 'sg-bf-poison', api: 'npm-downloads', kind: 'hang' }],
    });
    const check = { noCache: true, env: {}, cwd: tmpdir(), timeoutMs: 1_500, now: () => NOW };
    guard = await startServer({ port: 0, registries: registries(), check, log: () => {}, onDecision: (d) => void decisions.push(d) });
    narrow = await startServer({ port: 0, registries: registries(), check: { ...check, concurrency: 4 }, log: () => {}, onDecision: (d) => void decisions.push(d) });
  });
  after(async () => {
    await Promise.all([guard?.close(), narrow?.close()]);
    reg?.assertNoUnexpectedRequests();
    await reg?.close();
  });

  const get = async (path: string, on = guard) => {
    const r = await fetch(`${on.url}${path}`, { headers: { accept: CORGI, 'user-agent': 'npm/11.0.0 node/v20' } });
    await r.arrayBuffer();
    return r;
  };
  const decisionOf = (name: string) => decisions.filter((d) => d.name === name).at(-1);
  const cacheCounts = async () => {
    const text = await (await fetch(`${guard.url}/metrics`)).text();
    return { hits: Number(HITS.exec(text)?.[1]), misses: Number(MISSES.exec(text)?.[1]) };
  };
  const packumentRequests = (name: string) => reg.requests.filter((r) => r.path === `/${name.replace('/', '%2f')}`).length;

  it('judges a served document\'s dependencies ahead of the client, their counts in one request', async () => {
    assert.equal((await get('/npm/sg-bp-parent')).status, 200);
    const before = await cacheCounts();
    const deps = ['sg-bp-a', 'sg-bp-low', 'sg-bp-e', '@sgbp/scoped', 'react', '@sgpriv/inner', 'sg-bp-opt'];
    const answers = await Promise.all(deps.map((n) => get(`/npm/${n.replace('/', '%2f')}`)));
    assert.deepEqual(answers.map((r) => r.status), deps.map(() => 200));
    // Every one was already judged (or being judged) when the client asked.
    const after = await cacheCounts();
    assert.deepEqual({ hits: after.hits - before.hits, misses: after.misses - before.misses }, { hits: deps.length, misses: 0 });
    assert.deepEqual(deps.map(packumentRequests), deps.map(() => 1), 'one packument request each, read ahead and served');
    const mine = downloadBatches(reg).filter((b) => b.some((n) => n.startsWith('sg-bp-') || n.startsWith('@sgbp/') || n.startsWith('@sgpriv/') || n === 'react'));
    // The parent's own question; one bulk request for the unscoped dependencies (the alias by its
    // target); the scoped one alone, as the API requires. Nothing for git, file or URL specs, nor
    // for react (the bundled list settles it) or the private name, and nothing more when the
    // client asked for them.
    assert.deepEqual(mine, [['@sgbp/scoped'], ['sg-bp-a', 'sg-bp-e', 'sg-bp-low', 'sg-bp-opt'], ['sg-bp-parent']]);
    // The count asked ahead is the one judged: 3 a week is low.
    assert.ok(decisionOf('sg-bp-low')?.codes?.includes('low-downloads'), JSON.stringify(decisionOf('sg-bp-low')));
    assert.equal(decisionOf('sg-bp-a')?.verdict, 'ok');
  });

  it('a failed batch leaves each name\'s count unknown for the judgements sharing it, and is not kept', async () => {
    assert.equal((await get('/npm/sg-bf-parent', narrow)).status, 200);
    // The two judged ahead (the narrow guard's limit) wait for the bulk request for the four
    // dependencies, which hangs; the client's questions share those judgements and its failure.
    const [low, lookAlike, report] = await Promise.all([
      get('/npm/sg-bf-low', narrow),
      get('/npm/lodahs', narrow),
      fetch(`${narrow.url}/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ specs: ['sg-bf-low'] }) }).then(async (r) => (await r.json()) as Report),
    ]);
    const asked = downloadBatches(reg).filter((b) => b.includes('sg-bf-poison'));
    assert.ok(asked.length >= 1 && asked.every((b) => b.join(',') === 'lodahs,sg-bf-late,sg-bf-low,sg-bf-poison'), JSON.stringify(asked));
    // Unknown, not 0 and not borrowed: no low-downloads finding, no count in the facts.
    assert.equal(low.status, 200);
    assert.ok(!decisionOf('sg-bf-low')?.codes?.includes('low-downloads'), JSON.stringify(decisionOf('sg-bf-low')));
    const facts = report.packages[0]?.facts;
    assert.equal(facts?.status, 'found');
    assert.equal(facts?.weeklyDownloads, undefined);
    // The policy decides without the count: a young look-alike is refused all the same.
    assert.equal(lookAlike.status, 403);
    assert.equal(decisionOf('lodahs')?.verdict, 'block');
    // Past the read-ahead limit: neither of the other two was judged ahead.
    assert.equal(packumentRequests('sg-bf-poison'), 0);
    assert.equal(packumentRequests('sg-bf-late'), 0);
    // The failure was not kept: a name of the failed batch asked now is asked again (alone, so
    // the fixture answers) and judged with its count.
    assert.equal((await get('/npm/sg-bf-late', narrow)).status, 200);
    assert.deepEqual(downloadBatches(reg).filter((b) => b.join(',') === 'sg-bf-late'), [['sg-bf-late']]);
    assert.ok(decisionOf('sg-bf-late')?.codes?.includes('low-downloads'), JSON.stringify(decisionOf('sg-bf-late')));
  });
});
