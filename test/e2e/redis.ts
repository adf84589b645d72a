import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForServer } from '../helpers/wait.js';
import { which } from './tools.js';

/**
 * A real Redis for the shared-cache tests: Debian's `redis-server` as a child process on a free
 * loopback port, without persistence (`--save '' --appendonly no`), its working dir a temp folder.
 * `.ci/run` installs the package where it is missing; elsewhere the tests skip with the reason.
 */

/** The redis-server binary, if installed. */
export const REDIS_SERVER = which('redis-server');

/** A running Redis server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Kill the server (SIGKILL: as a crash would) and wait for it to be gone. */
  stop(): Promise<void>;
}

/** PING over a fresh connection: whether the server answers. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock: Socket = createConnection({ host: '127.0.0.1', port });
    sock.setEncoding('utf8');
    sock.once('error', () => resolve(false));
    sock.once('data', (d: string) => {
      sock.destroy();
      resolve(d.startsWith('+PONG'));
    });
    sock.write('PING\r\n');
  });
}

/** Start redis-server on a free loopback port; waits until it answers PING. */
export async function startRedis(): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'slopguard-redis-'));
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForServer(() => ping(port), { what: `redis-server on ${port}`, child, log: () => log, attempts: 200, intervalMs: 25 });
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (!stopped) {
        stopped = true;
        child.kill('SIGKILL');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A TCP server that accepts connections and never answers: a Redis that hangs. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const port = (srv.address() as { port: number }).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
}
