import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * Run the real package manager: no shell (arguments reach it byte for byte, whatever quotes,
 * `$(...)`, `;` or newlines they hold), stdio inherited, SIGINT/SIGTERM/SIGHUP passed on, and the
 * child's exit status handed back (128 + n when it died by signal n, as shells report it).
 */

/** What a wrapper run needs to start the tool. */
export interface RunToolOptions {
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Exit status for "the tool could not be started": 127 not found, 126 not executable. */
export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Exit status of a child that ended with `code` or by `signal`. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return code ?? 1;
}

/**
 * Spawn `file args...` and resolve with its exit status. Start failures resolve with 127/126 and a
 * message on `onError`; they never throw, so a wrapper always has an exit code to return.
 */
export function runTool(file: string, args: readonly string[], opts: RunToolOptions, onError: (message: string) => void): Promise<number> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, [...args], { stdio: 'inherit', shell: false, env: opts.env as NodeJS.ProcessEnv, cwd: opts.cwd, windowsHide: false });
    } catch (e) {
      onError(`cannot start ${file}: ${(e as Error).message}`);
      resolve(EXIT_NOT_EXECUTABLE);
      return;
    }
    // While the child runs, a signal to slopguard goes to the child; slopguard waits for it to exit
    // and reports its status instead of dying first and orphaning an install half done.
    const handlers = FORWARDED.map((sig) => {
      const h = () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(sig);
      };
      process.on(sig, h);
      return [sig, h] as const;
    });
    const cleanup = () => {
      for (const [sig, h] of handlers) process.off(sig, h);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      onError(`cannot start ${file}: ${e.code ?? e.message}`);
      resolve(e.code === 'ENOENT' ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
    });
    child.once('exit', (code, signal) => {
      cleanup();
      resolve(exitStatus(code, signal));
    });
  });
}
