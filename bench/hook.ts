/**
 * The agent hook's cost on commands that install nothing (`git status`), which is most of what an
 * agent runs: whole processes, as ratios to Node's own start-up (`node -e 0` reading the same
 * stdin). The fast path (src/hook/fast-path.ts) answers these without loading the CLI; the full
 * path is the same call with a flag (`--budget 10`), which the fast path leaves to the CLI.
 *
 * The scenarios run in rotation, one run each per round, so load on the shared machine spreads
 * over all of them alike. No registry is involved: none of these commands is looked up (the
 * registry variables point at a closed port, so a lookup would show up as an unverified answer).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, median, SLOPGUARD_BIN, slopguardEnv, timeNode, type ProcRun } from './scenarios/proc.js';
import { fmtMs, fmtSpread, type BenchRow } from './scenarios/table.js';

/** What the hook suite needs from the runner. */
export interface HookBenchOptions {
  runs: number;
  log: (line: string) => void;
}

/** The fast path's target: at most this many times Node's bare start-up (issue 17). */
export const FAST_PATH_TARGET = 1.15;

const claudeBash = (command: string) => JSON.stringify({ session_id: 's', cwd: '/tmp', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' });

/**
 * CPU time (task-clock, all threads) of one `node <args>` run, from `perf stat`: steadier than wall
 * time on a loaded machine, and precise to the microsecond (getrusage via /usr/bin/time gives
 * centiseconds). Undefined when perf is not there or not permitted.
 */
function cpuMsOf(args: readonly string[], env: Record<string, string>, stdin: string, dir: string): number | undefined {
  const out = join(dir, 'perf.csv');
  const r = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '-o', out, '--', process.execPath, ...args], { env, input: stdin, stdio: ['pipe', 'ignore', 'ignore'] });
  if (r.error || r.status !== 0) return undefined;
  try {
    const line = readFileSync(out, 'utf8').split('\n').find((l) => l.includes('task-clock'));
    const ms = line ? Number(line.split(',')[0]) : NaN;
    return Number.isFinite(ms) ? ms : undefined;
  } finally {
    rmSync(out, { force: true });
  }
}

/** The hook rows for bench/results.md. */
export async function runHookBench(o: HookBenchOptions): Promise<BenchRow[]> {
  const home = freshDir('sg-hook-home-');
  const env = slopguardEnv('http://127.0.0.1:9', freshDir('sg-hook-cache-'), home);
  const input = claudeBash('git status');
  const cursorInput = JSON.stringify({ hook_event_name: 'beforeShellExecution', command: 'ls -la && git diff --stat', cwd: '/tmp', workspace_roots: ['/tmp'] });
  const scenarios: Array<{ label: string; args: string[]; stdin: string; expect: string }> = [
    { label: '`node -e 0` (Node start alone, same stdin)', args: ['-e', '0'], stdin: input, expect: '' },
    { label: '`hook claude`, `git status`: fast path', args: [SLOPGUARD_BIN, 'hook', 'claude'], stdin: input, expect: '' },
    { label: '`hook cursor`, `ls -la && git diff --stat`: fast path', args: [SLOPGUARD_BIN, 'hook', 'cursor'], stdin: cursorInput, expect: '{"permission":"allow"}\n' },
    { label: '`hook claude --budget 10`, `git status`: full path', args: [SLOPGUARD_BIN, 'hook', 'claude', '--budget', '10'], stdin: input, expect: '' },
  ];
  const runs: ProcRun[][] = scenarios.map(() => []);
  const rounds = Math.max(o.runs, 15);
  // One warm-up round: the first process after a while pays for cold file caches.
  for (const s of scenarios) await timeNode(s.args, { env, stdin: s.stdin });
  for (let i = 0; i < rounds; i++) {
    for (const [k, s] of scenarios.entries()) runs[k]!.push(await timeNode(s.args, { env, stdin: s.stdin }));
  }
  // CPU in a second rotation of its own, so perf's own start never counts in the wall figures.
  const perfDir = freshDir('sg-hook-perf-');
  const cpu: number[][] = scenarios.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (const [k, s] of scenarios.entries()) {
      const ms = cpuMsOf(s.args, env, s.stdin, perfDir);
      if (ms !== undefined) cpu[k]!.push(ms);
    }
  }
  rmSync(perfDir, { recursive: true, force: true });
  const base = median(runs[0]!.map((r) => r.wallMs));
  const cpuBase = cpu[0]!.length ? median(cpu[0]!) : undefined;
  return scenarios.map((s, k) => {
    const walls = runs[k]!.map((r) => r.wallMs);
    const m = median(walls);
    const bad = runs[k]!.filter((r) => r.code !== 0 || r.stdout !== s.expect || r.stderr !== '');
    const row: BenchRow = { section: 'hook', scenario: s.label, result: fmtMs(m) };
    const spread = fmtSpread(walls);
    if (spread) row.spread = spread;
    const cpuMs = cpu[k]!.length ? median(cpu[k]!) : undefined;
    if (cpuMs !== undefined) row.cpu = fmtMs(cpuMs);
    if (k > 0) {
      const ratio = m / base;
      row.notes = `${ratio.toFixed(2)}x \`node -e 0\` wall${cpuMs !== undefined && cpuBase ? `, ${(cpuMs / cpuBase).toFixed(2)}x CPU` : ''}`;
      if (s.label.endsWith('fast path')) {
        row.target = `<= ${FAST_PATH_TARGET}x \`node -e 0\``;
        row.met = ratio <= FAST_PATH_TARGET;
      }
    }
    if (bad.length) {
      row.notes = [`INVALID: ${bad.length} runs answered ${JSON.stringify(bad[0]!.stdout + bad[0]!.stderr).slice(0, 80)}`, row.notes].filter(Boolean).join('; ');
      row.met = false;
    }
    o.log(`  ${s.label}: ${row.result}${row.notes ? ` (${row.notes})` : ''}`);
    return row;
  });
}
