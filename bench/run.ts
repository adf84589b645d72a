/**
 * `npm run bench`: every benchmark scenario, one table each, targets beside results.
 *
 *   node dist/bench/run.js [--runs 5] [--only check,hook,npq,similarity,eval,extract,diff]
 *                          [--sizes 1000,5000] [--latency 20] [--npq-packages 50]
 *                          [--profile] [--record]
 *
 * Check scenarios live in bench/check.ts, the hook's in bench/hook.ts, npq side by side in bench/scenarios/npq.ts; other
 * suites are other helpers' files (bench/similarity.ts, eval.ts, extract.ts, diff.ts), imported
 * lazily and reported as "not present" when missing. `--record` rewrites only the
 * "## Check performance", "## Hook fast path" and "## npq side by side" sections of bench/results.md.
 */
import { writeSections } from './results-file.js';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { markdownTable, textTable, type BenchRow } from './scenarios/table.js';

const USAGE = `usage: node dist/bench/run.js [options]
  --runs N            measured runs per scenario, median reported (default 5)
  --only a,b          suites: targets, check, hook, npq, similarity, eval, extract, diff (default all)
  --sizes 1000,5000   package counts for the lockfile scenarios
  --latency MS        fixture-registry latency per request (default 20)
  --npq-packages N    packages in the npq side-by-side run (default 50)
  --profile           write a CPU profile of the first run of each check scenario to bench/.work/prof
  --record            rewrite the "Issue 19 targets", "Check performance", "Hook fast path" and "npq side by side" sections of bench/results.md
`;

interface Args {
  runs: number;
  only?: Set<string>;
  sizes: number[];
  latencyMs: number;
  npqPackages: number;
  profile: boolean;
  record: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { runs: 5, sizes: [1000, 5000], latencyMs: 20, npqPackages: 50, profile: false, record: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
      return n;
    };
    if (flag === '--runs') a.runs = int();
    else if (flag === '--only') a.only = new Set(value().split(','));
    else if (flag === '--sizes') a.sizes = value().split(',').map(Number).filter((n) => n > 0);
    else if (flag === '--latency') a.latencyMs = int();
    else if (flag === '--npq-packages') a.npqPackages = int();
    else if (flag === '--profile') a.profile = true;
    else if (flag === '--record') a.record = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag} (see --help)`);
  }
  return a;
}

/** Machine, Node version and date: results mean nothing without them. */
export function machineLine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) model = m[1]!.trim();
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  // The load average says how much of the wall time was other work on a shared machine.
  return `${cpus().length} CPUs (${model}), Node ${process.version}, ${process.platform}, ${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0]!.toFixed(1)} at start`;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Another helper's suite: imported only if its file exists. */
const OTHER_SUITES: Array<{ id: string; file: string; fn: string }> = [
  { id: 'similarity', file: 'similarity.js', fn: 'runSimilarityBench' },
  { id: 'eval', file: 'eval.js', fn: 'runEval' },
  { id: 'extract', file: 'extract.js', fn: 'runExtractBench' },
  { id: 'diff', file: 'diff.js', fn: 'runDiffBench' },
  { id: 'serve', file: 'serve.js', fn: 'runServeBench' },
];

/** Print whatever another suite returns: a string as it is, rows as a table, anything else as JSON. */
function show(result: unknown): string {
  if (result === undefined) return '(printed its own output)';
  if (typeof result === 'string') return result.trimEnd();
  if (Array.isArray(result) && result.every((r) => r && typeof r === 'object' && 'scenario' in r && 'result' in r)) return textTable(result as BenchRow[]);
  return JSON.stringify(result, null, 2);
}

function record(sections: Array<[string, string]>): void {
  writeSections(sections);
  log(`recorded ${sections.map(([h]) => h.replace(/^## /, '')).join(' and ')} in bench/results.md`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const want = (id: string) => !args.only || args.only.has(id);
  const machine = machineLine();
  process.stdout.write(`slopguard benchmarks: ${machine}; median of ${args.runs} runs\n\n`);
  const toRecord: Array<[string, string]> = [];
  let failed = false;

  if (want('targets')) {
    log('== issue 19 targets (ratios, one run, alternating)');
    try {
      const { runTargetsBench } = await import('./check.js');
      const rows = await runTargetsBench({ runs: args.runs, latencyMs: args.latencyMs, size: Math.min(...args.sizes), rssSize: Math.max(...args.sizes) > Math.min(...args.sizes) ? Math.max(...args.sizes) : 0, npqPackages: args.npqPackages, log });
      const end = `load average ${loadavg()[0]!.toFixed(1)} at the end`;
      process.stdout.write(`## Issue 19 targets\n\n${textTable(rows)}\n${end}\n\n`);
      toRecord.push(['## Issue 19 targets', `${machine}, ${end}; ${args.runs} rounds, each running every side once in turn (one-name rows: 4 pairs a round); each ratio is the median of the pairwise ratios of wall times.\n\n${markdownTable(rows)}`]);
    } catch (e) {
      failed = true;
      process.stdout.write(`## Issue 19 targets\n\nfailed: ${(e as Error).stack ?? String(e)}\n\n`);
    }
  }
  if (want('check')) {
    log('== check performance');
    try {
      const { runCheckBench } = await import('./check.js');
      const rows = await runCheckBench({ runs: args.runs, latencyMs: args.latencyMs, sizes: args.sizes, profile: args.profile, log });
      process.stdout.write(`## Check performance\n\n${textTable(rows)}\n\n`);
      toRecord.push(['## Check performance', `${machine}; median of ${args.runs} runs (single check and start-up: ${Math.max(args.runs, 10)}).\n\n${markdownTable(rows)}`]);
    } catch (e) {
      failed = true;
      process.stdout.write(`## Check performance\n\nfailed: ${(e as Error).stack ?? String(e)}\n\n`);
    }
  }
  if (want('hook')) {
    log('== hook fast path');
    try {
      const { runHookBench } = await import('./hook.js');
      const rows = await runHookBench({ runs: args.runs, log });
      process.stdout.write(`## Hook fast path\n\n${textTable(rows)}\n\n`);
      toRecord.push(['## Hook fast path', `${machine}; median of ${Math.max(args.runs, 15)} runs, in rotation.\n\n${markdownTable(rows)}`]);
    } catch (e) {
      failed = true;
      process.stdout.write(`## Hook fast path\n\nfailed: ${(e as Error).stack ?? String(e)}\n\n`);
    }
  }
  if (want('npq')) {
    log('== npq side by side');
    try {
      const { runNpqBench } = await import('./scenarios/npq.js');
      const rows = await runNpqBench({ runs: args.runs, latencyMs: args.latencyMs, packages: args.npqPackages, log });
      process.stdout.write(`## npq side by side\n\n${textTable(rows)}\n\n`);
      toRecord.push(['## npq side by side', `${machine}; median of ${args.runs} runs.\n\n${markdownTable(rows)}`]);
    } catch (e) {
      failed = true;
      process.stdout.write(`## npq side by side\n\nfailed: ${(e as Error).stack ?? String(e)}\n\n`);
    }
  }
  for (const suite of OTHER_SUITES) {
    if (!want(suite.id)) continue;
    const url = new URL(`./${suite.file}`, import.meta.url);
    if (!existsSync(url)) {
      process.stdout.write(`## ${suite.id}\n\nnot present (bench/${suite.file.replace(/\.js$/, '.ts')} does not exist)\n\n`);
      continue;
    }
    log(`== ${suite.id}`);
    try {
      const mod = (await import(url.href)) as Record<string, unknown>;
      const fn = mod[suite.fn];
      if (typeof fn !== 'function') {
        process.stdout.write(`## ${suite.id}\n\nnot present (bench/${suite.file} does not export ${suite.fn}())\n\n`);
        continue;
      }
      process.stdout.write(`## ${suite.id}\n\n${show(await (fn as () => unknown)())}\n\n`);
    } catch (e) {
      failed = true;
      process.stdout.write(`## ${suite.id}\n\nfailed: ${(e as Error).stack ?? String(e)}\n\n`);
    }
  }
  if (args.record && toRecord.length) record(toRecord);
  if (failed) process.exitCode = 1;
}

await main();
