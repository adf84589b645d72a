/**
 * Issue 15's "Done when" for the shared cache: two guards (in-process) sharing one real Redis
 * (Debian's redis-server on a free loopback port) and one key file. 20 concurrent clients ask
 * 1,000 names, every name once through each guard: the fixture registry sees at most 1.05
 * packument requests per distinct name between them. Then Redis is killed while clients are
 * asking: every request is still answered 200 (no 5xx from a cache that is gone), with one
 * warning per guard. Skipped, with the reason printed, where redis-server is not installed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistrySettings } from '../../src/core/types.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { REDIS_SERVER, startRedis, type RedisServer } from '../e2e/redis.js';
import { skipUnless } from '../e2e/tools.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';

const skip = skipUnless('serve sharing Redis', REDIS_SERVER !== undefined, 'redis-server is not installed (apt-get install redis-server; .ci/run does)');
const NOW = new Date();
const FIRST = Array.from({ length: 1_000 }, (_, i) => `sg-rs-pkg-${i}`);
const SECOND = Array.from({ length: 200 }, (_, i) => `sg-rs-late-${i}`);
const CLIENTS = 20;

/** Run `jobs` with `clients` concurrent workers; `onDone` after each answer. */
async function clients<T>(jobs: Array<() => Promise<T>>, n: number, onDone?: (done: number) => Promise<void> | void): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
        await onDone?.(++done);
      }
    }),
  );
  return out;
}

/** Every name once through each guard, interleaved so both often ask for a name at the same time. */
function plan(names: readonly string[], a: RunningServer, b: RunningServer): Array<{ on: RunningServer; name: string }> {
  return names.flatMap((name, i) => (i % 2 ? [{ on: a, name }, { on: b, name }] : [{ on: b, name }, { on: a, name }]));
}

// Bounded: a regression in the sharing must fail this file, not hold the whole run open.
describe('serve: two guards sharing one Redis', { skip, timeout: 180_000 }, () => {
  let reg: FixtureRegistry;
  let redis: RedisServer;
  let a: RunningServer;
  let b: RunningServer;
  let keyDir: string;
  const logs = { a: [] as string[], b: [] as string[] };

  before(async () => {
    reg = await startFixtureRegistry({
      npm: [...FIRST, ...SECOND].map((name) => npmPackage({ name, created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' })),
    });
    redis = await startRedis();
    keyDir = mkdtempSync(join(tmpdir(), 'slopguard-serve-key-'));
    writeFileSync(join(keyDir, 'cache.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const registries: RegistrySettings = { npmRegistry: `${reg.url}/`, npmScopes: {}, npmrc: {}, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url };
    // One key file for both guards (what an organisation distributes with the Redis URL).
    const check = { cacheUrl: redis.url, cacheDir: join(keyDir, 'cache'), env: { HOME: keyDir, SLOPGUARD_CACHE_KEY_FILE: join(keyDir, 'cache.key') }, cwd: tmpdir(), timeoutMs: 5_000, now: () => NOW };
    a = await startServer({ port: 0, registries, check, log: (l) => void logs.a.push(l) });
    b = await startServer({ port: 0, registries, check, log: (l) => void logs.b.push(l) });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
    reg?.assertNoUnexpectedRequests();
    await reg?.close();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  const ask = async (on: RunningServer, name: string) => {
    const r = await fetch(`${on.npmRegistry}${name}`, { headers: { accept: 'application/json' } });
    const body = (await r.json()) as { name?: string };
    return { status: r.status, name: body.name };
  };
  const packuments = (name: string) => reg.count((r) => r.path === `/${name}`);
  const warnings = (lines: string[]) => lines.filter((l) => l.includes('warning') && l.includes('shared cache'));

  it('1,000 names through both guards: at most 1.05 upstream packument requests per name', { timeout: 90_000 }, async (t) => {
    const answers = await clients(plan(FIRST, a, b).map((j) => () => ask(j.on, j.name)), CLIENTS);
    assert.equal(answers.length, 2 * FIRST.length);
    assert.deepEqual(answers.filter((x) => x.status !== 200), [], 'every request answered 200');
    assert.ok(answers.every((x, i) => x.name === FIRST[Math.floor(i / 2)]), 'each answer is its own document');
    const total = FIRST.reduce((n, name) => n + packuments(name), 0);
    assert.ok(FIRST.every((name) => packuments(name) >= 1));
    t.diagnostic(`${total} upstream packument requests for ${FIRST.length} names asked through both guards`);
    assert.ok(total / FIRST.length <= 1.05, `${total} packument requests for ${FIRST.length} names`);
    // Both guards served (the split is real), and neither warned while Redis was up.
    assert.ok((a.upstreamRequests()['npm-packument'] ?? 0) > 0 && (b.upstreamRequests()['npm-packument'] ?? 0) > 0);
    assert.deepEqual([...warnings(logs.a), ...warnings(logs.b)], []);
  });

  it('Redis killed mid-run: every request still answered, one warning per guard', { timeout: 90_000 }, async () => {
    let killed = false;
    const answers = await clients(plan(SECOND, a, b).map((j) => () => ask(j.on, j.name)), CLIENTS, async (done) => {
      if (done === 60 && !killed) {
        killed = true;
        await redis.stop();
      }
    });
    assert.ok(killed);
    assert.deepEqual(answers.filter((x) => x.status !== 200), [], 'no request failed because Redis went away');
    assert.ok(answers.every((x, i) => x.name === SECOND[Math.floor(i / 2)]));
    assert.ok(SECOND.every((name) => packuments(name) >= 1 && packuments(name) <= 2), 'without Redis each guard asks at most once per name');
    assert.equal(warnings(logs.a).length, 1, logs.a.join('\n'));
    assert.equal(warnings(logs.b).length, 1, logs.b.join('\n'));
    assert.ok(!logs.a.concat(logs.b).some((l) => / 5\d\d /.test(l)), 'no 5xx decision was logged');
  });
});
