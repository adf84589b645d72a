import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers shared by the end-to-end tests: the real CLI, real tools, and honest skips. */

/** bin/slopguard.js of this checkout (the tests run the built CLI as users do). */
export const SLOPGUARD_BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Absolute path of a program on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * `false` when the tool runs here, otherwise a reason to skip that says what is missing. The
 * reason is also printed, so a skipped end-to-end test is never silent.
 */
export function skipUnless(label: string, ok: boolean, missing: string): false | string {
  if (ok) return false;
  const reason = `${label}: skipped because ${missing}`;
  process.stdout.write(`# ${reason}\n`);
  return reason;
}

/** Run a command without a shell and return what it did. */
export function sh(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeout?: number }): SpawnSyncReturns<string> {
  return spawnSync(file, args, { cwd: opts.cwd, env: opts.env, encoding: 'utf8', input: opts.input ?? '', timeout: opts.timeout ?? 300_000 });
}

/** What a finished child process did. */
export interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a program without a shell as a child process, asynchronously: the loopback registries these
 * tests start live in the test process, and a synchronous spawn would block them from answering.
 * With `killAfterMs`, a child still running then is killed (SIGKILL; `signal` says so).
 */
export function runAsync(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; killAfterMs?: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
    child.once('error', reject);
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** Run `slopguard <args>` (bin/slopguard.js) as a child process, asynchronously (see {@link runAsync}). */
export function slopguard(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
  return runAsync(process.execPath, [SLOPGUARD_BIN, ...args], opts);
}

/** A PATH holding this Node (and its npm) and the system folders, nothing else. */
export function basePath(extra: string[] = []): string {
  return [...extra, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
}

/** Whether a folder exists and has entries. */
export function nonEmpty(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}
