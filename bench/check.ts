/**
 * Check performance (issue #8): slopguard as users run it, a whole process against the loopback
 * fixture registry with injected latency, requests counted by the registry itself.
 *
 *   1. cold check of a package-lock.json with 1,000 and 5,000 distinct packages (empty cache)
 *   2. the same, warm cache
 *   3. one package, warm cache, whole process; and the process start alone
 *   4. `scan` of a monorepo with 20 lockfiles sharing most packages (each package asked once)
 *   5. peak RSS for 5,000 packages
 *
 * The floor is what latency alone allows: requests x latency / concurrency.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_NETWORK } from '../src/policy/defaults.js';
import { buildCorpus, corpusIsSynthetic, ensureDir, WORK_DIR, writeMonorepo, writeProject } from './scenarios/corpus.js';
import { freshDir, median, SLOPGUARD_BIN, slopguardEnv, timeNode, type ProcRun } from './scenarios/proc.js';
import { startRegistryProcess, type RegistryProcess, type RequestStats } from './scenarios/registry-process.js';
import { fmtMs, fmtSpread, type BenchRow } from './scenarios/table.js';

/** Options of {@link runCheckBench}. */
export interface CheckBenchOptions {
  /** Measured runs per scenario (median reported); at least 5 for recorded results. */
  runs: number;
  latencyMs: number;
  /** Package counts for scenarios 1, 2 and 5. */
  sizes: number[];
  /** Write a CPU profile of one run per scenario into bench/.work/prof. */
  profile?: boolean;
  log: (line: string) => void;
}

/** What one scenario measured, for rows and for the npq comparison. */
interface Measured {
  runs: ProcRun[];
  stats: RequestStats;
  /** Most packages any run reported `unknown` (could not verify): must be 0 for a valid run. */
  unknown?: number;
}

const LATENCY_DEFAULT = 20;

function concurrency(): number {
  return DEFAULT_NETWORK.concurrency;
}

/** requests x latency / concurrency, but never less than one round trip. */
export function floorMs(requests: number, latencyMs: number, conc = concurrency()): number {
  return requests === 0 ? 0 : Math.max(latencyMs, (requests * latencyMs) / conc);
}

/** Requests per package, split by kind, e.g. `1.02/pkg (1000 corgi, 8 bulk dl, 370 dl)`. */
export function describeRequests(s: RequestStats, packages: number): string {
  const parts: string[] = [];
  if (s.packumentCorgi) parts.push(`${s.packumentCorgi} corgi`);
  if (s.packumentFull) parts.push(`${s.packumentFull} full`);
  if (s.downloads) parts.push(`${s.downloads} dl`);
  if (s.other) parts.push(`${s.other} other`);
  if (s.pypi) parts.push(`${s.pypi} pypi`);
  if (s.conditional) parts.push(`${s.conditional} conditional`);
  const per = packages ? (s.total / packages).toFixed(2) : '-';
  return `${s.total} = ${per}/pkg${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** The report's summary, or an error string when the output is not a report. */
function summaryOf(run: ProcRun): { checked: number; unknown: number } | string {
  try {
    const report = JSON.parse(run.stdout) as { summary?: { checked?: number; unknown?: number } };
    if (typeof report.summary?.checked !== 'number') return 'no summary';
    return { checked: report.summary.checked, unknown: report.summary.unknown ?? 0 };
  } catch {
    return `exit ${run.code}${run.signal ? ` (${run.signal})` : ''}: ${run.stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 300)}`;
  }
}

/** Whether `scan` exists yet (other helpers are writing it); the fallback is `check --stdin`. */
async function hasScan(env: Record<string, string>): Promise<boolean> {
  // `scan --help` would exit 0 either way (commander shows the main help for an unknown command).
  const r = await timeNode([SLOPGUARD_BIN, '--help'], { env });
  return /^\s+scan\b/m.test(r.stdout);
}

/** The names in a package-lock.json's `packages` map, for the `check --stdin` fallback only. */
function lockNames(lockPath: string, read: (p: string) => string): string[] {
  const lock = JSON.parse(read(lockPath)) as { packages: Record<string, unknown> };
  const names = new Set<string>();
  for (const key of Object.keys(lock.packages)) {
    const i = key.lastIndexOf('node_modules/');
    if (i >= 0) names.add(key.slice(i + 'node_modules/'.length));
  }
  return [...names];
}

interface Target {
  kind: 'lockfile' | 'dir' | 'spec';
  path: string;
}

/** Run slopguard once on a target, with its own env; verify the report. */
async function runOnce(target: Target, env: Record<string, string>, scan: boolean, o: { rss?: boolean; prof?: string; read: (p: string) => string; extraArgs?: string[] }): Promise<ProcRun> {
  const args = [SLOPGUARD_BIN];
  let stdin: string | undefined;
  if (target.kind === 'spec') args.push('check', target.path);
  else if (scan) args.push('scan', target.path);
  else {
    args.push('check', '--stdin');
    stdin = lockNames(target.path, o.read).join('\n');
  }
  args.push('--format', 'json', ...(o.extraArgs ?? []));
  const opts: Parameters<typeof timeNode>[1] = { env, timeoutMs: 300_000 };
  if (stdin !== undefined) opts.stdin = stdin;
  if (o.rss) opts.rss = true;
  if (o.prof) opts.cpuProfDir = o.prof;
  return timeNode(args, opts);
}

/** Run `runs` measured processes; `prepare` gives each its env (fresh or shared cache). */
async function measure(
  reg: RegistryProcess,
  target: Target,
  runs: number,
  scan: boolean,
  prepare: (i: number) => Record<string, string>,
  o: { rss?: boolean; profDir?: string; expect?: number; read: (p: string) => string; log: (s: string) => void; label: string },
): Promise<Measured> {
  const out: ProcRun[] = [];
  let stats: RequestStats | undefined;
  let unknown = 0;
  for (let i = 0; i < runs; i++) {
    const env = prepare(i);
    await reg.reset();
    const run = await runOnce(target, env, scan, { rss: o.rss, prof: i === 0 ? o.profDir : undefined, read: o.read });
    const s = await reg.stats();
    stats ??= s;
    const summary = summaryOf(run);
    if (typeof summary === 'string') throw new Error(`${o.label}: slopguard did not produce a report: ${summary}`);
    if (o.expect !== undefined && summary.checked !== o.expect) o.log(`  ! ${o.label}: report checked ${summary.checked}, expected ${o.expect}`);
    // Unverified packages mean the run did not do the work it is timed for.
    if (summary.unknown) o.log(`  ! ${o.label}: ${summary.unknown} package(s) unknown (could not be verified)`);
    unknown = Math.max(unknown, summary.unknown);
    if (s.unexpected) o.log(`  ! ${o.label}: ${s.unexpected} unexpected request(s), e.g. ${s.unexpectedSample[0]}`);
    out.push(run);
    o.log(`  ${o.label} run ${i + 1}/${runs}: ${fmtMs(run.wallMs)}${run.cpuMs ? ` (CPU ${fmtMs(run.cpuMs)})` : ''}, ${s.total} requests${run.maxRssMb ? `, ${run.maxRssMb.toFixed(0)} MB` : ''}`);
  }
  return { runs: out, stats: stats!, unknown };
}

function wallRow(section: string, scenario: string, m: Measured, extra: Partial<BenchRow>): BenchRow {
  const walls = m.runs.map((r) => r.wallMs);
  const row: BenchRow = { section, scenario, result: fmtMs(median(walls)), ...extra };
  const spread = fmtSpread(walls);
  if (spread) row.spread = spread;
  const cpu = m.runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
  if (cpu.length) row.cpu = fmtMs(median(cpu));
  if (m.unknown) {
    row.notes = [`INVALID: ${m.unknown} packages unknown`, row.notes].filter(Boolean).join('; ');
    if (row.met) row.met = false;
  }
  return row;
}

/** All check scenarios; returns the rows for the "Check performance" table. */
export async function runCheckBench(o: CheckBenchOptions): Promise<BenchRow[]> {
  const { readFileSync } = await import('node:fs');
  const read = (p: string) => readFileSync(p, 'utf8');
  const latency = o.latencyMs ?? LATENCY_DEFAULT;
  const maxSize = Math.max(...o.sizes, 1500);
  const rows: BenchRow[] = [];
  const log = o.log;
  const work = ensureDir(join(WORK_DIR, 'check'));
  const profDir = o.profile ? ensureDir(join(WORK_DIR, 'prof')) : undefined;
  if (corpusIsSynthetic()) log('  note: ../shared/data/npm-packages.tsv not found; using synthetic names');

  log(`starting the fixture registry (${maxSize} packages, ${latency} ms latency) ...`);
  const reg = await startRegistryProcess(maxSize, latency);
  const corpus = buildCorpus(maxSize);
  const temps: string[] = [];
  const temp = (p: string) => {
    const d = freshDir(p);
    temps.push(d);
    return d;
  };
  try {
    const probeEnv = slopguardEnv(reg.url, temp('sg-cache-'), temp('sg-home-'));
    const scan = await hasScan(probeEnv);
    const how = scan ? 'scan <package-lock.json>' : 'check --stdin (names from the lockfile; `scan` not available yet)';
    log(`  measuring: ${how}`);

    const warmCaches = new Map<number, string>();
    const home = temp('sg-home-');
    for (const n of o.sizes) {
      const lock = writeProject(join(work, `lock-${n}`), `bench-${n}`, corpus.slice(0, n));
      const target: Target = { kind: 'lockfile', path: lock };
      // 1. cold: a fresh cache every run.
      let lastCache = '';
      const cold = await measure(
        reg,
        target,
        o.runs,
        scan,
        () => {
          lastCache = temp('sg-cache-');
          return slopguardEnv(reg.url, lastCache, home);
        },
        { rss: true, profDir: profDir && join(profDir, `cold-${n}`), expect: n, read, log, label: `cold ${n}` },
      );
      warmCaches.set(n, lastCache);
      const floor = floorMs(cold.stats.total, latency);
      const coldMedian = median(cold.runs.map((r) => r.wallMs));
      rows.push(
        wallRow('check', `cold, ${n} packages (${latency} ms/request, concurrency ${concurrency()})`, cold, {
          requests: describeRequests(cold.stats, n),
          floor: `${fmtMs(floor)} (x${(coldMedian / Math.max(1, floor)).toFixed(2)})`,
          target: '<= 2x floor',
          met: coldMedian <= 2 * floor,
          notes: [cold.stats.serverCpuMs !== undefined ? `registry process CPU ${fmtMs(cold.stats.serverCpuMs)}` : '', cold.stats.repeatedPackuments ? `${cold.stats.repeatedPackuments} repeated packument requests` : ''].filter(Boolean).join('; '),
        }),
      );

      // 2. warm: the cache the last cold run filled.
      const warm = await measure(reg, target, o.runs, scan, () => slopguardEnv(reg.url, lastCache, home), {
        rss: true,
        profDir: profDir && join(profDir, `warm-${n}`),
        expect: n,
        read,
        log,
        label: `warm ${n}`,
      });
      const warmMedian = median(warm.runs.map((r) => r.wallMs));
      const warmRow: Partial<BenchRow> = { requests: describeRequests(warm.stats, n) };
      if (n === 1000) Object.assign(warmRow, { target: '< 300 ms', met: warmMedian < 300 });
      rows.push(wallRow('check', `warm, ${n} packages`, warm, warmRow));

      // 5. peak RSS.
      const rss = cold.runs.map((r) => r.maxRssMb).filter((x): x is number => x !== undefined);
      const rssWarm = warm.runs.map((r) => r.maxRssMb).filter((x): x is number => x !== undefined);
      if (rss.length) {
        const peak = median(rss);
        const rssRow: BenchRow = { section: 'check', scenario: `peak RSS, ${n} packages (cold; warm ${rssWarm.length ? median(rssWarm).toFixed(0) : '?'} MB)`, result: `${peak.toFixed(0)} MB` };
        if (n === 5000) Object.assign(rssRow, { target: '< 200 MB', met: peak < 200 });
        rows.push(rssRow);
      }
    }

    // 3. one package, warm cache, whole process; and process start-up alone.
    const smallCache = warmCaches.get(Math.min(...o.sizes));
    if (smallCache) {
      // The lockfile runs cached `express` from its abbreviated document (a long run); a one-name
      // check asks for the full one (its age is shown), so one unmeasured run caches that first.
      await runOnce({ kind: 'spec', path: 'express' }, slopguardEnv(reg.url, smallCache, home), scan, { read });
      // Wall time without the RSS probe (its own import is ~10 ms of a ~130 ms process, which users
      // do not pay); CPU and RSS from separate probed runs, as for the start-up rows below.
      const single = await measure(reg, { kind: 'spec', path: 'express' }, Math.max(o.runs, 10), scan, () => slopguardEnv(reg.url, smallCache, home), {
        profDir: profDir && join(profDir, 'single'),
        expect: 1,
        read,
        log,
        label: 'single warm',
      });
      for (let i = 0; i < 3; i++) {
        const probed = await runOnce({ kind: 'spec', path: 'express' }, slopguardEnv(reg.url, smallCache, home), scan, { rss: true, read });
        Object.assign(single.runs[i]!, { cpuMs: probed.cpuMs, maxRssMb: probed.maxRssMb });
      }
      const m = median(single.runs.map((r) => r.wallMs));
      rows.push(
        wallRow('check', '`check express`, warm cache, whole process', single, {
          requests: describeRequests(single.stats, 1),
          target: '< 150 ms',
          met: m < 150,
          notes: `RSS ${median(single.runs.slice(0, 3).map((r) => r.maxRssMb ?? 0)).toFixed(0)} MB`,
        }),
      );
    }
    const bare = slopguardEnv(reg.url, temp('sg-cache-'), home);
    for (const [label, args] of [
      ['`node -e 0` (Node start alone)', ['-e', '0']],
      ['`slopguard --version` (start + CLI load)', [SLOPGUARD_BIN, '--version']],
    ] as Array<[string, string[]]>) {
      const runs: ProcRun[] = [];
      for (let i = 0; i < Math.max(o.runs, 10); i++) runs.push(await timeNode(args, { env: bare }));
      // CPU from separate probed runs: the probe's own import must not count in the wall figure.
      for (let i = 0; i < 3; i++) runs[i]!.cpuMs = (await timeNode(args, { env: bare, rss: true })).cpuMs;
      log(`  ${label}: ${fmtMs(median(runs.map((r) => r.wallMs)))}`);
      rows.push(wallRow('check', label, { runs, stats: undefined as unknown as RequestStats }, {}));
    }

    // 4. a monorepo: 20 lockfiles sharing most packages; every name asked about once.
    const mono = join(work, 'monorepo');
    rmSync(mono, { recursive: true, force: true });
    const { distinct } = writeMonorepo(mono, corpus);
    if (scan) {
      const m = await measure(
        reg,
        { kind: 'dir', path: mono },
        o.runs,
        scan,
        () => slopguardEnv(reg.url, temp('sg-cache-'), home),
        { rss: true, profDir: profDir && join(profDir, 'monorepo'), expect: distinct, read, log, label: 'monorepo' },
      );
      const once = m.stats.repeatedPackuments === 0 && m.stats.repeatedDownloadNames === 0;
      const floor = floorMs(m.stats.total, latency);
      rows.push(
        wallRow('check', `scan monorepo: 20 lockfiles, ${distinct} distinct packages (cold)`, m, {
          requests: describeRequests(m.stats, distinct),
          floor: fmtMs(floor),
          target: 'each package asked once',
          met: once && m.stats.distinctNames <= distinct,
          notes: `${m.stats.repeatedPackuments} repeated packuments, ${m.stats.repeatedDownloadNames} names in >1 downloads request`,
        }),
      );
    } else {
      rows.push({ section: 'check', scenario: 'scan monorepo', result: 'not run', notes: '`scan` is not available yet' });
    }
  } finally {
    await reg.close();
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  }
  return rows;
}

/** Options of {@link runTargetsBench}. */
export interface TargetsBenchOptions {
  /** Rounds; each round runs every side once, alternating, so a ratio compares neighbours in time. */
  runs: number;
  latencyMs: number;
  /** Names for the floor, warm and cold rows (1,000 in the issue). */
  size: number;
  /** Names for the peak-RSS row (5,000 in the issue); 0 skips it. */
  rssSize: number;
  /** Names both npq and slopguard audit cold (npq audits one at a time). */
  npqPackages: number;
  log: (line: string) => void;
}

/**
 * A ratio row beside its target: the median of the pairwise ratios `a[i] / b[i]` (each pair ran
 * back to back, so a burst of other load on the machine hits both sides of most pairs), with each
 * side's median in the notes.
 */
function ratioRow(scenario: string, a: number[], b: number[], target: number, atMost: boolean, names: [string, string], extra = ''): BenchRow {
  const ratio = median(a.map((x, i) => x / Math.max(1e-9, b[i]!)));
  const row: BenchRow = {
    section: 'targets',
    scenario,
    result: `${ratio.toFixed(2)}x`,
    target: `${atMost ? '<=' : '>='} ${target}x`,
    met: atMost ? ratio <= target : ratio >= target,
    notes: [`${names[0]} ${fmtMs(median(a))} (${fmtSpread(a) ?? '-'}), ${names[1]} ${fmtMs(median(b))} (${fmtSpread(b) ?? '-'})`, extra].filter(Boolean).join('; '),
  };
  return row;
}

/**
 * Issue #19's targets as ratios measured in one run: every round runs slopguard and what it is
 * compared with (the fetch-and-parse floor, `node -e 0`, npq) one after the other, so both sides
 * of a ratio see the same machine load. Wall times; CPU in the notes.
 */
export async function runTargetsBench(o: TargetsBenchOptions): Promise<BenchRow[]> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { NPQ_BIN, npqEnv } = await import('./scenarios/npq.js');
  const read = (p: string) => readFileSync(p, 'utf8');
  const log = o.log;
  const work = ensureDir(join(WORK_DIR, 'targets'));
  const floorScript = fileURLToPath(new URL('./floor.js', import.meta.url));
  const count = Math.max(o.size, o.rssSize, o.npqPackages, 1500);
  log(`starting the fixture registry (${count} packages, ${o.latencyMs} ms latency) ...`);
  const reg = await startRegistryProcess(count, o.latencyMs);
  const corpus = buildCorpus(count);
  const haveNpq = existsSync(NPQ_BIN);
  if (!haveNpq) log('  note: npq is not installed (npm --prefix bench/npq install, or BENCH_NPQ_DIR): its row is skipped');
  const temps: string[] = [];
  const temp = (p: string) => {
    const d = freshDir(p);
    temps.push(d);
    return d;
  };
  const series: Record<string, number[]> = { cold: [], coldCpu: [], cold64: [], floor: [], floorCpu: [], warm: [], warmCpu: [], single: [], node: [], npq: [], sg50: [], rss: [], rssWall: [] };
  const checkRun = async (target: Target, env: Record<string, string>, label: string, expect: number, rss = true, extraArgs: string[] = []) => {
    await reg.reset();
    const run = await runOnce(target, env, true, { rss, read, extraArgs });
    const summary = summaryOf(run);
    if (typeof summary === 'string') throw new Error(`${label}: slopguard did not produce a report: ${summary}`);
    if (summary.checked !== expect) log(`  ! ${label}: report checked ${summary.checked}, expected ${expect}`);
    if (summary.unknown) throw new Error(`${label}: INVALID, ${summary.unknown} package(s) unknown`);
    return run;
  };
  try {
    const home = temp('sg-home-');
    const lock = writeProject(join(work, `lock-${o.size}`), `targets-${o.size}`, corpus.slice(0, o.size));
    const lockRss = o.rssSize ? writeProject(join(work, `lock-${o.rssSize}`), `targets-${o.rssSize}`, corpus.slice(0, o.rssSize)) : undefined;
    const npqNames = corpus.slice(0, o.npqPackages).map((p) => p.name);
    const requestsFile = join(work, 'requests.json');
    for (let i = 0; i < o.runs; i++) {
      const cache = temp('sg-cache-');
      const env = slopguardEnv(reg.url, cache, home);
      const cold = await checkRun({ kind: 'lockfile', path: lock }, env, `cold ${o.size}`, o.size);
      const asked = await reg.requests();
      writeFileSync(requestsFile, JSON.stringify(asked));
      series.cold!.push(cold.wallMs);
      series.coldCpu!.push(cold.cpuMs ?? NaN);
      await reg.reset();
      const floor = await timeNode([floorScript, reg.url, requestsFile, '--concurrency', '64'], { env: { PATH: process.env.PATH ?? '' }, rss: true });
      const fl = JSON.parse(floor.stdout) as { documents: number; failed: number };
      if (fl.failed) throw new Error(`floor: ${fl.failed} of ${fl.documents} requests failed`);
      series.floor!.push(floor.wallMs);
      series.floorCpu!.push(floor.cpuMs ?? NaN);
      // The floor keeps 64 requests in flight, slopguard's default is 16: the same cold run at 64
      // tells how much of the gap is that setting rather than slopguard's own cost.
      const cold64 = await checkRun({ kind: 'lockfile', path: lock }, { ...slopguardEnv(reg.url, temp('sg-cache-'), home) }, `cold ${o.size} at 64`, o.size, false, ['--concurrency', '64']);
      series.cold64!.push(cold64.wallMs);
      const warm = await checkRun({ kind: 'lockfile', path: lock }, env, `warm ${o.size}`, o.size);
      series.warm!.push(warm.wallMs);
      series.warmCpu!.push(warm.cpuMs ?? NaN);
      // The lockfile run cached express's abbreviated document; a one-name check asks for the full one.
      await runOnce({ kind: 'spec', path: 'express' }, env, true, { read });
      for (let k = 0; k < 4; k++) {
        series.single!.push((await checkRun({ kind: 'spec', path: 'express' }, env, 'single warm', 1, false)).wallMs);
        series.node!.push((await timeNode(['-e', '0'], { env })).wallMs);
      }
      if (haveNpq) {
        const npqCache = temp('npq-cache-');
        await reg.reset();
        const n = await timeNode([NPQ_BIN, ...npqNames, '--plain'], { env: npqEnv(reg.url, temp('npq-home-'), npqCache), timeoutMs: 600_000 });
        if (n.code !== 0 && n.code !== 1) throw new Error(`npq: exit ${n.code}: ${n.stderr.slice(-300)}`);
        series.npq!.push(n.wallMs);
        await reg.reset();
        const s = await timeNode([SLOPGUARD_BIN, 'check', ...npqNames, '--format', 'json'], { env: slopguardEnv(reg.url, temp('sg-cache-'), home) });
        const sum = summaryOf(s);
        if (typeof sum === 'string' || sum.unknown) throw new Error(`slopguard ${o.npqPackages} cold: ${typeof sum === 'string' ? sum : `${sum.unknown} unknown`}`);
        series.sg50!.push(s.wallMs);
      }
      if (lockRss) {
        const big = await checkRun({ kind: 'lockfile', path: lockRss }, slopguardEnv(reg.url, temp('sg-cache-'), home), `cold ${o.rssSize}`, o.rssSize);
        series.rss!.push(big.maxRssMb ?? NaN);
        series.rssWall!.push(big.wallMs);
      }
      log(
        `  round ${i + 1}/${o.runs}: cold ${fmtMs(cold.wallMs)} (at 64: ${fmtMs(cold64.wallMs)}), floor ${fmtMs(floor.wallMs)}, warm ${fmtMs(warm.wallMs)}, single ${fmtMs(median(series.single!.slice(-4)))}, node -e 0 ${fmtMs(median(series.node!.slice(-4)))}` +
          (haveNpq ? `, npq ${fmtMs(series.npq!.at(-1)!)} / sg ${fmtMs(series.sg50!.at(-1)!)}` : '') +
          (lockRss ? `, ${o.rssSize} cold ${fmtMs(series.rssWall!.at(-1)!)} ${series.rss!.at(-1)!.toFixed(0)} MB` : ''),
      );
    }
    const cpu = (xs: number[]) => fmtMs(median(xs.filter((x) => !Number.isNaN(x))));
    const rows: BenchRow[] = [
      ratioRow(`cold \`scan\`, ${o.size} names / floor (fetch + parse only, 64 in flight)`, series.cold!, series.floor!, 1.2, true, ['check', 'floor'], `CPU check ${cpu(series.coldCpu!)}, floor ${cpu(series.floorCpu!)}`),
      ratioRow(`(diagnostic) the same cold \`scan\` with \`--concurrency 64\` / floor`, series.cold64!, series.floor!, 1.2, true, ['check at 64', 'floor'], 'what the default of 16 requests in flight costs against a floor at 64'),
      ratioRow(`warm \`scan\`, ${o.size} names / that floor`, series.warm!, series.floor!, 0.15, true, ['check', 'floor'], `CPU warm ${cpu(series.warmCpu!)}`),
      ratioRow('one-name warm `check express` / `node -e 0`', series.single!, series.node!, 1.25, true, ['check', 'node -e 0']),
    ];
    if (haveNpq) {
      const per = (xs: number[]) => xs.map((x) => x / o.npqPackages);
      rows.push(ratioRow(`npq per name, cold / slopguard per name, cold (${o.npqPackages} names each)`, per(series.npq!), per(series.sg50!), 15, false, ['npq', 'slopguard'], 'per name'));
    }
    if (lockRss) {
      const peak = median(series.rss!);
      rows.push({ section: 'targets', scenario: `peak RSS, cold \`scan\` of ${o.rssSize} names`, result: `${peak.toFixed(0)} MB`, target: '<= 150 MB', met: peak <= 150, notes: `wall ${fmtMs(median(series.rssWall!))}` });
    }
    return rows;
  } finally {
    await reg.close();
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  }
}
