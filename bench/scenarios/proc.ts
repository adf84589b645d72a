/**
 * Timing whole processes: what a user, an agent hook or CI pays per call is the process from
 * spawn to exit, start-up included. Each run records wall time, exit code, output and (for Node
 * children, through rss-probe.js) peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './corpus.js';

/** One measured process run. */
export interface ProcRun {
  wallMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak RSS in MiB, when measured. */
  maxRssMb?: number;
  /** CPU time (user + system) in ms, when measured. */
  cpuMs?: number;
}

export interface ProcOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
  /** Preload the RSS probe (Node children only). */
  rss?: boolean;
  /** Write a V8 CPU profile into this folder (`--cpu-prof`). */
  cpuProfDir?: string;
  /** Kill the child after this long (a benchmark must stop by itself). */
  timeoutMs?: number;
}

const PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));
/** The CLI shim as users run it. */
export const SLOPGUARD_BIN = join(REPO_ROOT, 'bin', 'slopguard.js');

/** Run `node <nodeArgs...>` and time it from spawn to exit. */
export async function timeNode(nodeArgs: readonly string[], o: ProcOptions): Promise<ProcRun> {
  const pre: string[] = [];
  let rssFile: string | undefined;
  const env: Record<string, string | undefined> = { ...o.env };
  if (o.rss) {
    const dir = mkdtempSync(join(tmpdir(), 'sg-rss-'));
    rssFile = join(dir, 'rss');
    env.BENCH_RSS_OUT = rssFile;
    pre.push('--import', PROBE);
  }
  if (o.cpuProfDir) pre.push('--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...pre, ...nodeArgs], { env: env as NodeJS.ProcessEnv, cwd: o.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => undefined);
  child.stdin.end(o.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 600_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  clearTimeout(timer);
  const run: ProcRun = { wallMs, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  if (rssFile) {
    try {
      const u = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSS: number; cpuUs: number };
      run.maxRssMb = u.maxRSS / 1024;
      run.cpuMs = u.cpuUs / 1000;
    } catch {
      // The child died before its exit handler ran: no figure rather than a wrong one.
    }
    rmSync(join(rssFile, '..'), { recursive: true, force: true });
  }
  return run;
}

/** A fresh empty folder (cache dir, HOME) that the caller removes. */
export function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The environment a measured slopguard gets: the fixture registry for every API, its own cache
 * dir and HOME (no user .npmrc or config leaks in), no colours, no CI annotations.
 */
export function slopguardEnv(registryUrl: string, cacheDir: string, home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    NO_COLOR: '1',
    SLOPGUARD_NPM_REGISTRY: `${registryUrl}/`,
    SLOPGUARD_NPM_DOWNLOADS_API: registryUrl,
    SLOPGUARD_PYPI_URL: registryUrl,
    SLOPGUARD_PYPISTATS_API: registryUrl,
    SLOPGUARD_CACHE_DIR: cacheDir,
  };
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
