/**
 * Network faults through the public entry points, against the loopback fixture registry.
 *
 * Every persistent fault must end as `unverified` (exit 3; a block with --fail-closed) within a
 * bounded time, never `ok`, never a crash. Transient faults (the first answer only) must be
 * retried and end `ok`. A fault on one package leaves the others alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../../src/core/check.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { exitCodeFor } from '../../src/policy/verdict.js';
import type { Report } from '../../src/core/types.js';
import { startFixtureRegistry, type Fault, type FixtureRegistry } from '../fixture-registry/server.js';
import { healthyNpm, healthyPypi, NPM_NAME, NPM_OTHERS, PYPI_NAME } from './fixtures.js';
import { assertNotOk, cli, parseReport, registryEnv, tally, tempDir } from './harness.js';
import { freePort } from '../helpers/wait.js';
import { sized } from './size.js';

/** --timeout for fault runs, in seconds. */
const TIMEOUT_S = 2;
/**
 * A hang guard, not a speed check (no assertion here reads the clock: a loaded machine must not
 * fail a run that is merely slow). A run that waits on a fault instead of giving up after
 * --timeout either comes back `ok` (an answer after 8 s, a slow drip: the verdict checks catch it)
 * or never ends (a hang, an honoured Retry-After: 3600): this test timeout turns that into a
 * failure instead of a stuck suite.
 */
const HANG_GUARD = { timeout: 120_000 } as const;

type Eco = 'npm' | 'pypi';

/** A fault scenario: what the registry does to every request about the package. */
interface Scenario {
  label: string;
  /** Faults for the package `name` of `eco`. */
  faults(eco: Eco, name: string): Fault[];
  /** Also needs another server (redirect target). */
  other?: boolean;
}

const onName = (name: string, eco: Eco): Pick<Fault, 'name' | 'api'> => (eco === 'npm' ? { name, api: 'npm' } : { name });

/** Faults that never go away during the run. */
const PERSISTENT: Scenario[] = [
  { label: 'accepts the connection and never answers', faults: (e, n) => [{ ...onName(n, e), kind: 'hang' }] },
  { label: 'answers after 8 s (timeout)', faults: (e, n) => [{ ...onName(n, e), kind: 'latency', latencyMs: 8_000 }] },
  { label: 'connection reset', faults: (e, n) => [{ ...onName(n, e), kind: 'reset' }] },
  { label: 'slow drip (8 bytes every 500 ms)', faults: (e, n) => [{ ...onName(n, e), kind: 'drip', chunkBytes: 8, intervalMs: 500 }] },
  { label: '429 without Retry-After', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 429 }] },
  { label: '429 with Retry-After: 1', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 429, retryAfter: 1 }] },
  { label: '429 with Retry-After: 3600', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 429, retryAfter: 3600 }] },
  { label: '429 with an HTTP-date Retry-After', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 429, retryAfter: 'Wed, 21 Oct 2099 07:28:00 GMT' }] },
  { label: '500', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 500 }] },
  { label: '502', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 502 }] },
  { label: '503 with Retry-After: 0', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 503, retryAfter: 0 }] },
  { label: '401 (auth required)', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 401 }] },
  { label: '403 (forbidden)', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 403 }] },
  { label: 'truncated body', faults: (e, n) => [{ ...onName(n, e), kind: 'truncate' }] },
  { label: 'invalid JSON', faults: (e, n) => [{ ...onName(n, e), kind: 'invalid-json' }] },
  { label: 'HTML login page instead of JSON', faults: (e, n) => [{ ...onName(n, e), kind: 'wrong-content-type' }] },
  { label: 'gzip bomb (64 MiB of zeros)', faults: (e, n) => [{ ...onName(n, e), kind: 'gzip-bomb' }] },
  { label: '1 GiB body, chunked', faults: (e, n) => [{ ...onName(n, e), kind: 'oversized', bytes: 1 << 30 }] },
  { label: '1 GiB body, declared length', faults: (e, n) => [{ ...onName(n, e), kind: 'oversized', bytes: 1 << 30, declareLength: true }] },
  { label: 'redirect to another host', other: true, faults: () => [] },
];

/** Faults on the first request only: a retry must get through. */
const TRANSIENT: Scenario[] = [
  { label: 'one connection reset', faults: (e, n) => [{ ...onName(n, e), kind: 'reset', times: 1 }] },
  { label: 'one 500', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 500, times: 1 }] },
  { label: 'one 502', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 502, times: 1 }] },
  { label: 'one 503', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 503, times: 1 }] },
  { label: 'one 429 without Retry-After', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 429, times: 1 }] },
  { label: 'one 429 with Retry-After: 1', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 429, retryAfter: 1, times: 1 }] },
  { label: 'two 503s in a row', faults: (e, n) => [{ ...onName(n, e), kind: 'status', status: 503, times: 2 }] },
];

const nameOf = (eco: Eco) => (eco === 'npm' ? NPM_NAME : PYPI_NAME);
const specOf = (eco: Eco) => (eco === 'npm' ? NPM_NAME : `pypi:${PYPI_NAME}`);

/** Start the registry for a scenario (plus the redirect target when it needs one). */
async function registriesFor(s: Scenario, eco: Eco): Promise<{ reg: FixtureRegistry; other?: FixtureRegistry }> {
  const name = nameOf(eco);
  const fixtures = { npm: [healthyNpm(NPM_NAME)], pypi: [healthyPypi(PYPI_NAME)] };
  // Strict off: a faulted request may be retried or fall back to another API, which is fine here.
  const reg = await startFixtureRegistry({ ...fixtures, faults: s.faults(eco, name) }, { strict: false });
  if (!s.other) return { reg };
  // The other host serves the same package: following the redirect would give a clean `ok`.
  const other = await startFixtureRegistry(fixtures, { strict: false });
  const target = eco === 'npm' ? `${other.url}/${NPM_NAME}` : `${other.url}/pypi/${PYPI_NAME}/json`;
  reg.addFault({ ...onName(name, eco), kind: 'redirect', location: target, status: 302 });
  return { reg, other };
}

async function closeAll(...regs: Array<FixtureRegistry | undefined>): Promise<void> {
  await Promise.all(regs.map((r) => r?.close()));
}

/** The one result of a single-package report, checked for shape. */
function onlyPackage(report: Report) {
  assert.equal(report.packages.length, 1, JSON.stringify(report.packages));
  return report.packages[0]!;
}

describe('network faults: persistent faults end unverified, never ok', { concurrency: 6 }, () => {
  for (const [e, eco] of (['npm', 'pypi'] as const).entries()) {
    for (const [i, s] of PERSISTENT.entries()) {
      // The quick run: each fault once per ecosystem, with and without --fail-closed in turn (so
      // each fault meets both modes across the two ecosystems); the full run: every combination.
      for (const failClosed of sized([(i + e) % 2 === 1], [false, true])) {
        it(`${eco}: ${s.label}${failClosed ? ' (--fail-closed)' : ''}`, HANG_GUARD, async () => {
          tally.faults++;
          const { reg, other } = await registriesFor(s, eco);
          try {
            const args = ['check', specOf(eco), '--format', 'json', '--timeout', String(TIMEOUT_S), '--no-progress'];
            if (failClosed) args.push('--fail-closed');
            const r = await cli(args, { env: registryEnv(reg, tempDir('net')) });
            assert.doesNotMatch(r.err, /internal error/);
            const report = parseReport(r);
            assertNotOk(report, [nameOf(eco)]);
            const p = onlyPackage(report);
            assert.equal(p.verdict, failClosed ? 'block' : 'unknown', JSON.stringify(p));
            assert.ok(p.findings.some((f) => f.code === 'unverified'), JSON.stringify(p.findings));
            assert.equal(r.code, failClosed ? 1 : 3, r.err);
            if (other) assert.equal(other.requests.length, 0, 'the redirect to another host was followed');
          } finally {
            await closeAll(reg, other);
          }
        });
      }
    }
  }
});

describe('network faults: transient faults are retried', { concurrency: 6 }, () => {
  for (const eco of ['npm', 'pypi'] as const) {
    for (const s of TRANSIENT) {
      it(`${eco}: ${s.label} -> retried, ok`, HANG_GUARD, async () => {
        tally.faults++;
        const { reg } = await registriesFor(s, eco);
        try {
          const r = await cli(['check', specOf(eco), '--format', 'json', '--timeout', '10', '--no-progress'], { env: registryEnv(reg, tempDir('net')) });
          const p = onlyPackage(parseReport(r));
          assert.equal(p.verdict, 'ok', `${JSON.stringify(p)}\n${r.err}`);
          assert.equal(r.code, 0);
          const api = eco === 'npm' ? (x: { path: string }) => x.path.split('?')[0] === `/${NPM_NAME}` : (x: { path: string }) => x.path.includes(PYPI_NAME);
          assert.ok(reg.requests.filter(api).length >= 2, `expected a retry: ${reg.requests.map((x) => x.path).join(', ')}`);
        } finally {
          await reg.close();
        }
      });
    }
  }
});

/** A loopback port nobody listens on (bound, then released). */
const closedPort = freePort;

describe('network faults: unreachable registries', { concurrency: 4 }, () => {
  const unreachable: Array<[string, () => Promise<string>]> = [
    ['DNS failure (nonexistent.invalid)', async () => 'http://nonexistent.invalid'],
    ['connection refused', async () => `http://127.0.0.1:${await closedPort()}`],
  ];
  for (const [label, urlOf] of unreachable) {
    for (const eco of ['npm', 'pypi'] as const) {
      it(`${eco}: ${label}`, HANG_GUARD, async () => {
        tally.faults++;
        const url = await urlOf();
        const r = await cli(['check', specOf(eco), '--format', 'json', '--timeout', String(TIMEOUT_S)], { env: registryEnv({ url }, tempDir('net')) });
        const report = parseReport(r);
        assertNotOk(report, [nameOf(eco)]);
        assert.equal(onlyPackage(report).verdict, 'unknown');
        assert.equal(r.code, 3, r.err);
      });
    }
  }

  it('check(): every package unverified, failClosed blocks them, nothing rejects', async () => {
    tally.faults++;
    const url = `http://127.0.0.1:${await closedPort()}`;
    const names = [NPM_NAME, ...NPM_OTHERS];
    for (const failClosed of [false, true]) {
      const policy = { ...DEFAULT_POLICY, failClosed };
      const report = await check([...names, `pypi:${PYPI_NAME}`], {
        policy,
        registryOverrides: { npmRegistry: `${url}/`, npmDownloadsApi: url, pypiUrl: url, pypistatsApi: url },
        cacheDir: tempDir('net'),
        timeoutMs: TIMEOUT_S * 1000,
        env: { HOME: tempDir('home') },
        cwd: tempDir('cwd'),
      });
      assertNotOk(report, [...names, PYPI_NAME]);
      for (const p of report.packages) assert.equal(p.verdict, failClosed ? 'block' : 'unknown', p.name);
      assert.equal(exitCodeFor(report, policy), failClosed ? 1 : 3);
    }
  });
});

describe('network faults: a partial outage affects only the failing package', { concurrency: 4 }, () => {
  const faults: Array<[string, (n: string) => Fault]> = [
    ['hang', (n) => ({ name: n, api: 'npm', kind: 'hang' })],
    ['503', (n) => ({ name: n, api: 'npm', kind: 'status', status: 503 })],
    ['invalid JSON', (n) => ({ name: n, api: 'npm', kind: 'invalid-json' })],
    ['reset', (n) => ({ name: n, api: 'npm', kind: 'reset' })],
  ];
  for (const [label, fault] of faults) {
    it(`npm: ${label} on one of three packages`, async () => {
      tally.faults++;
      const [bad, ...good] = [NPM_OTHERS[0], NPM_NAME, NPM_OTHERS[1]];
      const reg = await startFixtureRegistry({ npm: [NPM_NAME, ...NPM_OTHERS].map((n) => healthyNpm(n)), pypi: [healthyPypi(PYPI_NAME)], faults: [fault(bad)] }, { strict: false });
      try {
        const r = await cli(['check', bad, ...good, `pypi:${PYPI_NAME}`, '--format', 'json', '--timeout', String(TIMEOUT_S)], { env: registryEnv(reg, tempDir('net')) });
        const report = parseReport(r);
        assertNotOk(report, [bad]);
        assert.equal(report.packages.find((p) => p.name === bad)!.verdict, 'unknown');
        for (const n of [...good, PYPI_NAME]) assert.equal(report.packages.find((p) => p.name === n)?.verdict, 'ok', `${n}: ${JSON.stringify(report.packages)}`);
        assert.equal(r.code, 3);
      } finally {
        await reg.close();
      }
    });
  }

  it('pypi: a hung PyPI leaves npm packages ok', async () => {
    tally.faults++;
    const reg = await startFixtureRegistry({ npm: [healthyNpm(NPM_NAME)], pypi: [healthyPypi(PYPI_NAME)], faults: [{ name: PYPI_NAME, kind: 'hang' }] }, { strict: false });
    try {
      const r = await cli(['check', NPM_NAME, `pypi:${PYPI_NAME}`, '--format', 'json', '--timeout', String(TIMEOUT_S)], { env: registryEnv(reg, tempDir('net')) });
      const report = parseReport(r);
      assertNotOk(report, [PYPI_NAME]);
      assert.equal(report.packages.find((p) => p.name === NPM_NAME)?.verdict, 'ok');
      assert.equal(r.code, 3);
    } finally {
      await reg.close();
    }
  });
});
