/**
 * npq side by side (issue #8): npq (installed in bench/npq/, not a product dependency) and
 * slopguard audit the same packages against the same fixture registry, as whole processes.
 *
 * npq is pointed at the registry through `npm_config_registry` (npq >= 3.27 reads npm config)
 * and the checks that need the internet are disabled with its MARSHALL_DISABLE_<NAME> variables
 * (names from bench/npq/node_modules/npq/lib/marshalls/*.marshall.js):
 *   snyk                          OSV / Snyk vulnerability APIs
 *   maintainers_expired_emails    DNS NS lookups of maintainers' e-mail domains (1.1.1.1, 8.8.8.8)
 *   signatures, provenance        registry keys and attestations (npm's public keys, sigstore)
 *   repo                          fetches the repository and homepage URLs
 * Left on: age, author, deprecation, downloads, license, newBin, scripts, typosquatting,
 * version_maturity. `downloads` asks nothing off the public registry (npq reports it "not
 * evaluated"); `deprecation` asks the GitHub API only for github.com repositories, and the
 * corpus's repository URLs are on an unresolvable host, so it makes no request either.
 * npq's HTTP cache (npm_config_cache) is a fresh folder for cold runs and kept for warm ones.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCorpus, REPO_ROOT } from './corpus.js';
import { freshDir, median, SLOPGUARD_BIN, slopguardEnv, timeNode, type ProcRun } from './proc.js';
import { startRegistryProcess, type RegistryProcess, type RequestStats } from './registry-process.js';
import { fmtMs, fmtSpread, type BenchRow } from './table.js';

export interface NpqBenchOptions {
  runs: number;
  latencyMs: number;
  /** How many packages both audit in one process (npq audits one at a time). */
  packages: number;
  log: (line: string) => void;
}

/** npq as `npm --prefix bench/npq install` put it, or under BENCH_NPQ_DIR (an install kept outside the work tree). */
export const NPQ_BIN = join(process.env.BENCH_NPQ_DIR ?? join(REPO_ROOT, 'bench', 'npq'), 'node_modules', 'npq', 'bin', 'npq.js');

/** npq's checks that would leave the machine. */
export const NPQ_DISABLED = ['SNYK', 'MAINTAINERS_EXPIRED_EMAILS', 'SIGNATURES', 'PROVENANCE', 'REPO'];

export function npqEnv(registryUrl: string, home: string, npmCache: string): Record<string, string> {
  const globalrc = join(home, 'globalnpmrc');
  if (!existsSync(globalrc)) {
    mkdirSync(home, { recursive: true });
    writeFileSync(globalrc, '');
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    npm_config_registry: `${registryUrl}/`,
    npm_config_cache: npmCache,
    npm_config_globalconfig: globalrc,
    npm_config_userconfig: join(home, '.npmrc'),
  };
  for (const m of NPQ_DISABLED) env[`MARSHALL_DISABLE_${m}`] = '1';
  return env;
}

interface Side {
  runs: ProcRun[];
  stats: RequestStats;
}

async function measure(reg: RegistryProcess, runs: number, run: (i: number) => Promise<ProcRun>, label: string, log: (s: string) => void, okCodes: number[]): Promise<Side> {
  const out: ProcRun[] = [];
  let stats: RequestStats | undefined;
  for (let i = 0; i < runs; i++) {
    await reg.reset();
    const r = await run(i);
    const s = await reg.stats();
    stats ??= s;
    if (r.code === null || !okCodes.includes(r.code)) throw new Error(`${label}: exit ${r.code} ${r.signal ?? ''}: ${r.stderr.slice(-500)}`);
    if (s.unexpected) log(`  ! ${label}: ${s.unexpected} unexpected request(s), e.g. ${s.unexpectedSample[0]}`);
    log(`  ${label} run ${i + 1}/${runs}: ${fmtMs(r.wallMs)}, ${s.total} requests`);
    out.push(r);
  }
  return { runs: out, stats: stats! };
}

function row(scenario: string, side: Side, packages: number, notes?: string): BenchRow {
  const walls = side.runs.map((r) => r.wallMs);
  const cpu = side.runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
  const m = median(walls);
  const r: BenchRow = {
    section: 'npq',
    scenario,
    result: `${fmtMs(m)} (${fmtMs(m / packages)}/pkg)`,
    requests: `${side.stats.total} = ${(side.stats.total / packages).toFixed(2)}/pkg (${side.stats.packumentFull} full, ${side.stats.packumentCorgi} corgi, ${side.stats.downloads} dl, ${side.stats.other} other)`,
  };
  const spread = fmtSpread(walls);
  if (spread) r.spread = spread;
  if (cpu.length) r.cpu = fmtMs(median(cpu));
  if (notes) r.notes = notes;
  return r;
}

/** npq and slopguard on the same packages: batch cold, batch warm, one package warm. */
export async function runNpqBench(o: NpqBenchOptions): Promise<BenchRow[]> {
  if (!existsSync(NPQ_BIN)) throw new Error('npq is not installed: run `npm --prefix bench/npq install`');
  const corpus = buildCorpus(Math.max(o.packages, 1000));
  const names = corpus.slice(0, o.packages).map((p) => p.name);
  o.log(`starting the fixture registry (${corpus.length} packages, ${o.latencyMs} ms latency) ...`);
  const reg = await startRegistryProcess(corpus.length, o.latencyMs);
  const temps: string[] = [];
  const temp = (p: string) => {
    const d = freshDir(p);
    temps.push(d);
    return d;
  };
  const rows: BenchRow[] = [];
  try {
    const home = temp('npq-home-');
    // npq exits 1 when it has warnings or errors to show (it finds some on any real set); 0 otherwise.
    const npqOk = [0, 1];
    const sgOk = [0, 1, 3];
    let npqCache = '';
    const npqCold = await measure(
      reg,
      o.runs,
      () => {
        npqCache = temp('npq-cache-');
        return timeNode([NPQ_BIN, ...names, '--plain'], { env: npqEnv(reg.url, home, npqCache), timeoutMs: 600_000, rss: true });
      },
      `npq cold ${o.packages}`,
      o.log,
      npqOk,
    );
    const npqWarm = await measure(reg, o.runs, () => timeNode([NPQ_BIN, ...names, '--plain'], { env: npqEnv(reg.url, home, npqCache), timeoutMs: 600_000, rss: true }), `npq warm ${o.packages}`, o.log, npqOk);

    const sgHome = temp('sg-home-');
    let sgCache = '';
    const sgCold = await measure(
      reg,
      o.runs,
      () => {
        sgCache = temp('sg-cache-');
        return timeNode([SLOPGUARD_BIN, 'check', ...names, '--format', 'json'], { env: slopguardEnv(reg.url, sgCache, sgHome), rss: true });
      },
      `slopguard cold ${o.packages}`,
      o.log,
      sgOk,
    );
    const sgWarm = await measure(reg, o.runs, () => timeNode([SLOPGUARD_BIN, 'check', ...names, '--format', 'json'], { env: slopguardEnv(reg.url, sgCache, sgHome), rss: true }), `slopguard warm ${o.packages}`, o.log, sgOk);

    const singleRuns = Math.max(o.runs, 10);
    const npqOne = await measure(reg, singleRuns, () => timeNode([NPQ_BIN, 'express', '--plain'], { env: npqEnv(reg.url, home, npqCache), rss: true }), 'npq express (warm npm cache)', o.log, npqOk);
    // The 50-name runs cached express's abbreviated document (a long run); a one-name check asks
    // for the full one, so one unmeasured run caches it and the measured runs are warm.
    await timeNode([SLOPGUARD_BIN, 'check', 'express', '--format', 'json'], { env: slopguardEnv(reg.url, sgCache, sgHome) });
    const sgOne = await measure(reg, singleRuns, () => timeNode([SLOPGUARD_BIN, 'check', 'express', '--format', 'json'], { env: slopguardEnv(reg.url, sgCache, sgHome), rss: true }), 'slopguard express (warm)', o.log, sgOk);

    const ratio = (a: Side, b: Side) => `npq / slopguard = ${(median(a.runs.map((r) => r.wallMs)) / median(b.runs.map((r) => r.wallMs))).toFixed(1)}x`;
    rows.push(row(`npq, ${o.packages} packages, cold`, npqCold, o.packages));
    rows.push(row(`slopguard, ${o.packages} packages, cold`, sgCold, o.packages, ratio(npqCold, sgCold)));
    rows.push(row(`npq, ${o.packages} packages, warm (npm HTTP cache kept)`, npqWarm, o.packages));
    rows.push(row(`slopguard, ${o.packages} packages, warm`, sgWarm, o.packages, ratio(npqWarm, sgWarm)));
    rows.push(row('npq express, warm', npqOne, 1));
    rows.push(row('slopguard check express, warm', sgOne, 1, ratio(npqOne, sgOne)));
  } finally {
    await reg.close();
    const { rmSync } = await import('node:fs');
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  }
  return rows;
}
