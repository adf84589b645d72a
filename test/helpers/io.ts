import { Readable } from 'node:stream';
import type { Io } from '../../src/cli/io.js';

/** An in-memory Io for run(argv, io): captured stdout/stderr, given stdin, env and clock. */
export interface TestIo {
  io: Io;
  out(): string;
  err(): string;
}

export function testIo(opts: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string; tty?: boolean; now?: Date } = {}): TestIo {
  let out = '';
  let err = '';
  const stdin = Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]) as unknown as Io['stdin'];
  if (opts.stdin === undefined && opts.tty) (stdin as { isTTY?: boolean }).isTTY = true;
  const io: Io = {
    stdout: { write: (s: string) => void (out += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => void (err += s), isTTY: opts.tty ?? false },
    stdin,
    // Tests never see the developer's own config, registries or cache.
    // No system config either (the machine's /etc/slopguard/config.json is not the test's).
    env: { HOME: '/nonexistent-home', SLOPGUARD_SYSTEM_CONFIG: '/nonexistent-system/slopguard/config.json', NO_COLOR: opts.tty ? undefined : '1', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
  };
  if (opts.now) {
    const now = opts.now;
    io.now = () => now;
  }
  return { io, out: () => out, err: () => err };
}
