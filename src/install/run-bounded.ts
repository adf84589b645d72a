/**
 * Run a package manager to ask it a question (what would you fetch?), never to install: no shell
 * (an argument array, byte for byte), its own process group, output read into memory with caps,
 * and a hard deadline. When the deadline passes or the caller aborts, the whole group is killed
 * (npm and pip may start helpers), and the answer says so; it never throws.
 *
 * The resolvers run these in a hook, which an agent waits on: a registry that never answers must
 * cost the budget, not five minutes of npm's fetch retries, and must leave no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { findExecutable } from '../wrap/locate.js';
import { UnsupportedShimError, windowsSpawnTarget } from '../wrap/windows.js';

/** What to run. */
export interface BoundedRun {
  /**
   * Program: an absolute path, or a name looked up on `env.PATH` the way the wrappers do it
   * (slopguard's own shims skipped, so the resolver never runs slopguard; relative PATH entries,
   * which a cloned repository controls, ignored; Windows `.cmd` launchers run without cmd.exe).
   */
  file: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Milliseconds the run may take before its process group is killed. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Text written to the child's stdin (closed after), or nothing. */
  input?: string | undefined;
  /** Largest stdout kept, in bytes (default 64 MiB); more kills the run. */
  maxStdoutBytes?: number | undefined;
}

/** How a run ended. */
export type BoundedOutcome =
  | { kind: 'exited'; code: number; stdout: string; stderr: string }
  /** The program is not on PATH. */
  | { kind: 'missing' }
  /** It could not be started for another reason (permissions, a bad cwd). */
  | { kind: 'unstartable'; message: string }
  /** Killed by a signal nobody here sent. */
  | { kind: 'signalled'; signal: string; stderr: string }
  | { kind: 'timeout'; stderr: string }
  | { kind: 'aborted' }
  | { kind: 'too-large' };

/**
 * How far past the budget a tool's own network timeout is set: a backstop that stops a tool that
 * outlived slopguard (killed before it could kill its child), late enough that the budget, not
 * the tool, ends a run that slopguard is waiting on.
 */
export const BACKSTOP_MS = 5000;

/** Default stdout cap: a pip report for a few hundred packages is a few MiB. */
const MAX_STDOUT = 64 * 1024 * 1024;
/** stderr is only read for an error message. */
const MAX_STDERR = 64 * 1024;

/** Children still running, killed if slopguard exits first (a hook answering early, a crash). */
const live = new Set<ChildProcess>();
let exitHook = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the whole group the child leads (it was spawned detached).
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** What to spawn for `file`, or how it cannot be. */
function locate(file: string, env: NodeJS.ProcessEnv): { file: string; args: string[] } | { kind: 'missing' } | { kind: 'unstartable'; message: string } {
  const found = isAbsolute(file) ? file : findExecutable(file, { env });
  if (found === undefined) return { kind: 'missing' };
  if (process.platform !== 'win32') return { file: found, args: [] };
  try {
    return windowsSpawnTarget(found);
  } catch (e) {
    if (e instanceof UnsupportedShimError) return { kind: 'unstartable', message: e.message };
    throw e;
  }
}

/** Run `file args` as described; resolves with how it ended. */
export function runBounded(run: BoundedRun): Promise<BoundedOutcome> {
  if (run.signal?.aborted) return Promise.resolve({ kind: 'aborted' });
  const target = locate(run.file, run.env);
  if ('kind' in target) return Promise.resolve(target);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of live) killGroup(c);
    });
  }
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(target.file, [...target.args, ...run.args], {
        cwd: run.cwd,
        env: run.env,
        shell: false,
        detached: true, // its own process group, so a timeout kills npm's helpers too
        windowsHide: true,
        stdio: [run.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolve({ kind: 'unstartable', message: (e as Error).message });
      return;
    }
    live.add(child);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let ending: 'timeout' | 'aborted' | 'too-large' | undefined;
    let settled = false;
    const stop = (why: 'timeout' | 'aborted' | 'too-large') => {
      ending ??= why;
      killGroup(child);
    };
    const timer = setTimeout(() => stop('timeout'), Math.max(0, run.timeoutMs));
    const onAbort = () => stop('aborted');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const max = run.maxStdoutBytes ?? MAX_STDOUT;
    child.stdout!.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > max) return stop('too-large');
      out.push(chunk);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (err.length < MAX_STDERR) err += d;
    });
    if (run.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // a child that exits without reading its input
      child.stdin.end(run.input);
    }
    const finish = (outcome: BoundedOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      live.delete(child);
      resolve(outcome);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      finish(e.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unstartable', message: e.code ?? e.message });
    });
    // Wait for 'close' (all output read), but not forever after 'exit': a helper that escaped
    // the group could hold the pipes open.
    let drain: NodeJS.Timeout | undefined;
    const conclude = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(drain);
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (ending === 'timeout') finish({ kind: 'timeout', stderr: err });
      else if (ending === 'aborted') finish({ kind: 'aborted' });
      else if (ending === 'too-large') finish({ kind: 'too-large' });
      else if (signal) finish({ kind: 'signalled', signal, stderr: err });
      else finish({ kind: 'exited', code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    };
    child.once('exit', (code, signal) => {
      // Helpers left in the group (the child's own children) go with it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // No group left: the usual case.
        }
      }
      drain = setTimeout(() => conclude(code, signal), 1000);
      child.once('close', () => conclude(code, signal));
    });
  });
}
