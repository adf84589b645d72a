import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';

/**
 * A free loopback port: bound, then released. For servers with no "port 0" mode that reports the
 * port back (Verdaccio, redis-server); there is a small window in which another process could
 * take it, which a failed start then reports.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Options of {@link waitForServer}. */
export interface WaitForServerOptions {
  /** What is started, for the error message (`verdaccio`, `redis-server`). */
  what: string;
  /** The process serving it: its exit ends the wait at once, with its output. */
  child: ChildProcess;
  /** What it has printed so far, for the error message. */
  log: () => string;
  /** How many probes before giving up (each waits `intervalMs` after a miss). */
  attempts: number;
  intervalMs: number;
}

/**
 * Probe until a freshly started server answers. Fails with the server's own output when it exits
 * or never answers: a start that went wrong says why instead of timing out a test later.
 */
export async function waitForServer(probe: () => Promise<boolean>, o: WaitForServerOptions): Promise<void> {
  for (let i = 0; i < o.attempts; i++) {
    if (o.child.exitCode !== null || o.child.signalCode !== null) throw new Error(`${o.what} exited with ${o.child.exitCode ?? o.child.signalCode}:\n${o.log()}`);
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
  throw new Error(`${o.what} did not answer after ${o.attempts} tries:\n${o.log()}`);
}
