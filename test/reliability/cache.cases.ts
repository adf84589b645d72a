/**
 * The disk cache under stress: concurrent processes writing the same entries, truncated and
 * tampered entries (a miss, never a crash and never a false `ok`), an unwritable cache dir
 * (works uncached, warns once), and entries from one registry never served for another.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startFixtureRegistry, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { healthyNpm, healthyPypi, NPM_NAME, NPM_OTHERS, PYPI_NAME } from './fixtures.js';
import { assertNotOk, cli, listFiles, parseReport, registryEnv, spawnCli, tally, tempDir } from './harness.js';
import { sized } from './size.js';

/** Popular names get their downloads from the bundled list; a quiet one is asked of the downloads API (and cached). */
const QUIET = 'slopguard-fixture-quiet';
const NAMES = [NPM_NAME, ...NPM_OTHERS, QUIET];
const SPECS = [...NAMES, `pypi:${PYPI_NAME}`];
const ALL = [...NAMES, PYPI_NAME];
/** A name the registry answers 404 for: its cached fact is "not found". */
const MISSING = 'no-such-package-slopguard-cache';

function fixtures() {
  return { npm: NAMES.map((n) => healthyNpm(n, n === QUIET ? { weeklyDownloads: 4321 } : {})), pypi: [healthyPypi(PYPI_NAME)], missing: { npm: [MISSING] } };
}

async function populate(reg: FixtureRegistry, cache: string): Promise<void> {
  const r = await cli(['check', ...SPECS, MISSING, '--format', 'json'], { env: registryEnv(reg, cache) });
  assert.equal(r.code, 1, r.err);
  assert.ok(listFiles(cache).length > 0, 'nothing was cached');
}

/** Every cache file, with a way to rewrite it. */
function entries(cache: string): Array<{ file: string; text: string }> {
  return listFiles(cache).map((f) => ({ file: join(cache, f), text: readFileSync(join(cache, f), 'latin1') }));
}

/** Processes writing one cache dir at once (more of them in the full run: more chances to race). */
const WRITERS = sized(4, 12);

describe('cache: concurrent writers', () => {
  it(`${WRITERS} processes checking the same names at once against one cache dir all agree, and leave whole entries`, async () => {
    tally.cache++;
    // A little latency widens the window in which the writers overlap.
    const reg = await startFixtureRegistry(fixtures(), { latencyMs: 50, strict: false });
    try {
      const cache = tempDir('cache');
      const env = registryEnv(reg, cache);
      const runs = await Promise.all(Array.from({ length: WRITERS }, () => spawnCli(['check', ...SPECS, '--format', 'json'], { env })));
      for (const r of runs) {
        assert.equal(r.code, 0, r.err);
        for (const p of parseReport(r).packages) assert.equal(p.verdict, 'ok', `${p.name}: ${JSON.stringify(p.findings)}`);
      }
      const files = listFiles(cache);
      assert.deepEqual(files.filter((f) => !f.endsWith('.json')), [], 'temp files were left behind');
      for (const { file, text } of entries(cache)) assert.doesNotThrow(() => JSON.parse(text), `${file} is not whole JSON`);
      // Every answer is now cached: an offline run needs no registry. Requests are recorded when
      // they arrive: let the registry go quiet before counting, so only the offline run's count.
      for (let seen = -1; seen !== reg.requests.length; ) {
        seen = reg.requests.length;
        await new Promise((r) => setTimeout(r, 250));
      }
      reg.clearRequests();
      const offline = await cli(['check', ...SPECS, '--format', 'json', '--offline'], { env });
      assert.equal(offline.code, 0, offline.err);
      assert.deepEqual(reg.requests.map((r) => `${r.method} ${r.path}`), []);
    } finally {
      await reg.close();
    }
  });
});

/**
 * Ways an entry can be broken on disk. `all`: every entry is broken, so every package is a miss
 * offline. Otherwise the edit only touches some entries, and `served` names what must never
 * show up in a report (the edited value served as if the registry had said it).
 */
const DAMAGE: Array<[string, (text: string) => string | Buffer, 'all' | RegExp]> = [
  ['truncated to half', (t) => t.slice(0, Math.floor(t.length / 2)), 'all'],
  ['empty', () => '', 'all'],
  ['binary garbage', () => Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x80, 0x81]), 'all'],
  ['JSON null', () => 'null', 'all'],
  ['a JSON array', () => '[1,2,3]', 'all'],
  ['a JSON string', () => '"found"', 'all'],
  ['deeply nested JSON', () => '['.repeat(200_000), 'all'],
  ['a BOM and CRLF', (t) => `\ufeff${t.replace(/,/g, ',\r\n')}`, 'all'],
  ['expiry pushed to 2999 (checksum kept)', (t) => t.replace(/"expiresAt":"[^"]+"/, '"expiresAt":"2999-01-01T00:00:00.000Z"'), 'all'],
  ['a not-found entry edited to found (checksum kept)', (t) => t.replace(/"not-found"/g, '"found"'), /"name":"no-such-package-slopguard-cache"[^}]*"status":"found"|"status":"found"[^}]*"name":"no-such-package-slopguard-cache"/],
  ['download counts inflated (checksum kept)', (t) => t.replace(/":(\d{3,})([,}])/g, '":999999999$2'), /999999999/],
  ['creation dates moved back 20 years (checksum kept)', (t) => t.replace(/"20(\d\d)-/g, '"19$1-'), /"created":"19/],
];

describe('cache: damaged entries are misses', { concurrency: 3 }, () => {
  for (const [label, damage, expect] of DAMAGE) {
    it(`every entry ${label}: ${expect === 'all' ? 'offline is unknown (never ok), online refetches' : 'the edit is never served'}`, async () => {
      tally.cache++;
      await withFixtureRegistry(
        fixtures(),
        async (reg) => {
          const cache = tempDir('cache');
          await populate(reg, cache);
          let changed = 0;
          for (const { file, text } of entries(cache)) {
            const out = damage(text);
            if (out.toString() !== text) changed++;
            writeFileSync(file, out);
          }
          assert.ok(changed > 0, 'the damage changed no entry: the test would prove nothing');
          const env = registryEnv(reg, cache);
          const offline = await cli(['check', ...SPECS, MISSING, '--format', 'json', '--offline'], { env });
          assert.doesNotMatch(offline.err, /internal error/);
          const report = parseReport(offline);
          // The missing name must never turn into something that exists.
          assert.notEqual(report.packages.find((p) => p.name === MISSING)?.facts?.status, 'found');
          if (expect === 'all') {
            assertNotOk(report, [...ALL, MISSING]);
            for (const p of report.packages) assert.ok(p.verdict === 'unknown' || p.name === MISSING, `${p.name} ${p.verdict}`);
          } else {
            assert.doesNotMatch(JSON.stringify(report.packages.map((p) => ({ ...p.facts, name: p.name }))), expect);
          }
          reg.clearRequests();
          const online = await cli(['check', ...SPECS, MISSING, '--format', 'json'], { env });
          const again = parseReport(online);
          for (const n of ALL) assert.equal(again.packages.find((p) => p.name === n)?.verdict, 'ok', n);
          assert.equal(again.packages.find((p) => p.name === MISSING)?.verdict, 'block');
          assert.doesNotMatch(JSON.stringify(again.packages.map((p) => ({ ...p.facts, name: p.name }))), expect === 'all' ? /^$/ : expect);
          assert.ok(reg.requests.length > 0, 'damaged entries were served instead of refetched');
        },
        { strict: false },
      );
    });
  }

  it('a directory where an entry should be: a miss, and the run still caches the rest', async () => {
    tally.cache++;
    await withFixtureRegistry(
      fixtures(),
      async (reg) => {
        const cache = tempDir('cache');
        await populate(reg, cache);
        for (const { file } of entries(cache)) {
          rmSync(file);
          mkdirSync(file);
        }
        const r = await cli(['check', ...SPECS, '--format', 'json'], { env: registryEnv(reg, cache) });
        assert.equal(r.code, 0, r.err);
        assert.doesNotMatch(r.err, /internal error/);
      },
      { strict: false },
    );
  });
});

describe('cache: unwritable cache dir', () => {
  for (const [label, dirOf] of [
    ['the cache dir is a regular file', (root: string) => join(root, 'file')],
    ['the cache dir is below a regular file', (root: string) => join(root, 'file', 'sub')],
  ] as const) {
    it(`${label}: works uncached and warns once`, async () => {
      tally.cache++;
      await withFixtureRegistry(
        fixtures(),
        async (reg) => {
          const root = tempDir('cache');
          writeFileSync(join(root, 'file'), 'not a directory');
          const r = await cli(['check', ...SPECS, '--format', 'json'], { env: registryEnv(reg, dirOf(root)) });
          assert.equal(r.code, 0, r.err);
          for (const p of parseReport(r).packages) assert.equal(p.verdict, 'ok', p.name);
          const warnings = r.err.split('\n').filter((l) => /cache/i.test(l));
          assert.equal(warnings.length, 1, `expected one cache warning:\n${r.err}`);
          assert.equal(readFileSync(join(root, 'file'), 'utf8'), 'not a directory');
        },
        { strict: false },
      );
    });
  }
});

describe('cache: one registry never answers for another', () => {
  it('facts cached from registry A are not served when the user points at registry B', async () => {
    tally.cache++;
    const a = await startFixtureRegistry(fixtures());
    // B does not have express: a 404 there must win over A's cached "found".
    const b = await startFixtureRegistry({ missing: { npm: [NPM_NAME], pypi: [PYPI_NAME] } });
    try {
      const cache = tempDir('cache');
      const first = await cli(['check', NPM_NAME, `pypi:${PYPI_NAME}`, '--format', 'json'], { env: registryEnv(a, cache) });
      assert.equal(first.code, 0, first.err);
      const offlineB = await cli(['check', NPM_NAME, `pypi:${PYPI_NAME}`, '--format', 'json', '--offline'], { env: registryEnv(b, cache) });
      assertNotOk(parseReport(offlineB), [NPM_NAME, PYPI_NAME]);
      const onlineB = await cli(['check', NPM_NAME, '--format', 'json'], { env: registryEnv(b, cache) });
      const p = parseReport(onlineB).packages[0]!;
      assert.equal(p.facts?.status, 'not-found', JSON.stringify(p));
      assert.equal(p.verdict, 'block');
      assert.ok(b.count(`/${NPM_NAME}`) > 0);
      a.assertNoUnexpectedRequests();
      b.assertNoUnexpectedRequests();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('the same name on npm and PyPI are separate entries', async () => {
    tally.cache++;
    await withFixtureRegistry(
      { npm: [healthyNpm('requests')], missing: { pypi: ['requests'] } },
      async (reg) => {
        const cache = tempDir('cache');
        const env = registryEnv(reg, cache);
        await cli(['check', 'requests', '--format', 'json'], { env });
        const r = await cli(['check', 'pypi:requests', '--format', 'json', '--offline'], { env });
        assertNotOk(parseReport(r), ['requests']);
      },
      { strict: false },
    );
  });
});

describe('cache: a cache shipped in the repository (issue 12)', () => {
  it('a relative SLOPGUARD_CACHE_DIR is refused, and the shipped entries, sealed with the author’s key, are misses for anyone else', async () => {
    tally.cache++;
    await withFixtureRegistry(
      fixtures(),
      async (reg) => {
        // The author's own run fills the cache, then turns the missing name into a found one,
        // resealing with the author's key: valid for the author, forged for everyone else.
        const repo = tempDir('repo');
        const shipped = join(repo, '.cache');
        const author = registryEnv(reg, shipped);
        await populate(reg, shipped);
        const key = readFileSync(join(author.HOME!, '.local', 'state', 'slopguard', 'cache-key'), 'latin1').trim();
        const { createHmac } = await import('node:crypto');
        for (const { file, text } of entries(shipped)) {
          if (!text.includes(MISSING)) continue;
          const body = text.slice(text.indexOf('"entry":') + 8, -1).replace(/"not-found"/g, '"found"');
          writeFileSync(file, `{"mac":"${createHmac('sha256', key).update(body).digest('hex')}","entry":${body}}`);
        }
        const forgedForAuthor = parseReport(await cli(['check', MISSING, '--format', 'json', '--offline'], { env: author }));
        assert.equal(forgedForAuthor.packages[0]?.verdict, 'ok', 'the control: the forged entry is valid under the author’s key');
        // The victim clones the repository and runs with SLOPGUARD_CACHE_DIR=.cache.
        const victimHome = tempDir('victim');
        const victim = { ...registryEnv(reg, shipped), HOME: victimHome };
        const relative = await cli(['check', MISSING, '--format', 'json'], { env: { ...victim, SLOPGUARD_CACHE_DIR: '.cache' }, cwd: repo });
        assert.equal(relative.code, 2, relative.err);
        assert.match(relative.err, /SLOPGUARD_CACHE_DIR: expected an absolute path/);
        // Named with its absolute path, the shipped cache is still the author's: a miss, never ok.
        const offline = parseReport(await cli(['check', MISSING, '--format', 'json', '--offline'], { env: victim, cwd: repo }));
        assertNotOk(offline, [MISSING]);
        const online = await cli(['check', MISSING, '--format', 'json'], { env: victim, cwd: repo });
        assert.equal(online.code, 1, online.err);
        assert.equal(parseReport(online).packages[0]?.verdict, 'block');
      },
      { strict: false },
    );
  });
});
