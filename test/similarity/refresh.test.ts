import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeData } from '../../src/data/lists.js';
import { fetchPublicLists, namesInSources } from '../../src/data/public-sources.js';
import { currentNpmEntries } from '../../scripts/refresh-data.js';
import { dataInfo, getPopularIndex } from '../../src/similarity/index.js';

const SOURCES = { npmRegistry: 'https://npm.test/', npmDownloadsApi: 'https://api.test', pypiUrl: 'https://pypi.test', topPypiUrl: 'https://top.test/top.json' };

/** A fetch answering from a table of URL -> [status, body]; anything else fails the test. */
function tableFetch(table: Record<string, [number, unknown]>, asked: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    const row = table[url];
    if (!row) throw new Error(`unexpected request ${url}`);
    return new Response(typeof row[1] === 'string' ? row[1] : JSON.stringify(row[1]), { status: row[0], headers: { 'retry-after': '0' } });
  }) as typeof fetch;
}

describe('data refresh from public sources (canned answers, no network)', () => {
  it('reads names, counts and ranks, and the result builds a working index', async () => {
    const asked: string[] = [];
    const fetch = tableFetch(
      {
        'https://api.test/downloads/point/last-week/alpha-lib,beta-lib': [200, { 'alpha-lib': { downloads: 5000 }, 'beta-lib': null }],
        'https://api.test/downloads/point/last-week/@team/gamma': [200, { downloads: 700 }],
        'https://pypi.test/simple/': [200, { projects: [{ name: 'Requests' }, { name: 'python_dateutil' }, { name: 'bad name!' }] }],
        'https://top.test/top.json': [200, { rows: [{ project: 'requests', download_count: 3_000_000 }, { project: 'python-dateutil', download_count: 300_000 }] }],
      },
      asked,
    );
    const lists = await fetchPublicLists(SOURCES, {
      fetch,
      highImpactNames: async () => ['alpha-lib', 'beta-lib', '@team/gamma'],
      carryOver: [{ name: 'alpha-lib', weekly: 1 }, { name: 'old-name', weekly: 300 }],
      now: new Date('2027-01-02T03:04:05Z'),
      log: () => {},
      sleep: async () => {},
    });
    assert.equal(lists.snapshotDate, '2027-01-02');
    assert.deepEqual(lists.npm, [{ name: 'alpha-lib', weekly: 5000 }, { name: 'beta-lib' }, { name: '@team/gamma', weekly: 700 }, { name: 'old-name', weekly: 300 }]);
    assert.deepEqual(lists.pypiAll, ['requests', 'python-dateutil']);
    assert.deepEqual(lists.pypiRanked.map((e) => [e.name, e.rank]), [['requests', 1], ['python-dateutil', 2]]);
    assert.equal(asked.length, 4);

    const dir = mkdtempSync(join(tmpdir(), 'slopguard-refresh-'));
    writeData(lists, dir);
    assert.equal(dataInfo({ dataDir: dir }).npm.snapshotDate, '2027-01-02');
    assert.equal(getPopularIndex('npm', { dataDir: dir }).popularity('alpha-lib')?.weeklyDownloads, 5000);
    assert.equal(getPopularIndex('pypi', { dataDir: dir }).exists('Python.DateUtil'), true);
    assert.equal(getPopularIndex('npm', { dataDir: dir }).lookalike('alpha-lbi')?.target, 'alpha-lib');
    // The written npm list can be carried into the next refresh.
    assert.deepEqual(currentNpmEntries(dir).map((e) => e.name).sort(), ['@team/gamma', 'alpha-lib', 'beta-lib', 'old-name']);
  });

  it('backs off on 429 and fails loudly on other errors', async () => {
    let calls = 0;
    const waits: number[] = [];
    const flaky = (async () => {
      calls++;
      return calls === 1 ? new Response('slow down', { status: 429, headers: { 'retry-after': '3' } }) : new Response('{"rows": []}', { status: 200 });
    }) as typeof fetch;
    const deps = { fetch: flaky, highImpactNames: async () => [], now: new Date(), log: () => {}, sleep: async (ms: number) => void waits.push(ms) };
    await assert.rejects(fetchPublicLists(SOURCES, deps), /did not answer with a JSON project list/);
    assert.deepEqual(waits, [3000]);
    const broken = (async () => new Response('oops', { status: 503 })) as typeof fetch;
    await assert.rejects(fetchPublicLists(SOURCES, { ...deps, fetch: broken }), /HTTP 503/);
  });

  it('takes npm-high-impact names from its source text without running it', () => {
    const src = "export const top = [\n  'semver',\n  '@types/node',\n  \"debug\",\n  'not a name',\n  'semver'\n]";
    assert.deepEqual(namesInSources([src]), ['semver', '@types/node', 'debug']);
  });
});
