/**
 * `POST /v1/check` warm throughput against a warm local `check` of the same names, in one run
 * (issue 15): both judge N names from the same loopback fixture registry in this process; each is
 * run once to warm (the guard's memory, the local disk cache) and then timed. Names per second.
 *
 *   node dist/bench/serve-check.js [--names 1000] [--runs 5]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../src/core/check.js';
import type { RegistrySettings } from '../src/core/types.js';
import { startServer } from '../src/serve/server.js';
import { npmPackage, startFixtureRegistry } from '../test/fixture-registry/server.js';

const arg = (flag: string, dflt: number) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--names', 1_000);
const RUNS = arg('--runs', 5);
const names = Array.from({ length: N }, (_, i) => `sg-bench-pkg-${i}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const reg = await startFixtureRegistry({ npm: names.map((name) => npmPackage({ name, created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' })) });
const registries: RegistrySettings = { npmRegistry: `${reg.url}/`, npmScopes: {}, npmrc: {}, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url };
const home = mkdtempSync(join(tmpdir(), 'slopguard-bench-'));
writeFileSync(join(home, 'cache.key'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
const env = { HOME: home, SLOPGUARD_CACHE_KEY_FILE: join(home, 'cache.key') };
const refs = names.map((name) => ({ ecosystem: 'npm' as const, name }));
const local = () => check(refs, { registries, env, cwd: home, cacheDir: join(home, 'cache') });
const guard = await startServer({ port: 0, registries, check: { noCache: true, env, cwd: home }, log: () => {} });
const body = JSON.stringify({ specs: names.map((n) => `npm:${n}`) });
const served = async () => {
  const r = await fetch(`${guard.url}/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const report = (await r.json()) as { summary: { checked: number; unknown: number } };
  if (r.status !== 200 || report.summary.checked !== N || report.summary.unknown) throw new Error(`invalid run: ${r.status} ${JSON.stringify(report.summary)}`);
};
const timed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};
try {
  const lr = await local();
  if (lr.summary.checked !== N || lr.summary.unknown) throw new Error(`invalid local run: ${JSON.stringify(lr.summary)}`);
  await served();
  const l: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    l.push(await timed(local));
    s.push(await timed(served));
  }
  const load = loadavg()[0]!.toFixed(1);
  process.stdout.write(
    `| scenario (${N} names, warm, median of ${RUNS}, load ${load}) | wall | names/s |\n| --- | --- | --- |\n` +
      `| local check() (warm disk cache) | ${median(l).toFixed(0)} ms | ${Math.round(N / (median(l) / 1000))} |\n` +
      `| POST /v1/check (warm guard) | ${median(s).toFixed(0)} ms | ${Math.round(N / (median(s) / 1000))} |\n`,
  );
} finally {
  await guard.close();
  await reg.close();
  rmSync(home, { recursive: true, force: true });
}
