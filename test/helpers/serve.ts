import { spawn, type ChildProcess } from 'node:child_process';
import { SLOPGUARD_BIN } from '../e2e/tools.js';

/** A `slopguard serve` started as a real process, listening on a port it chose. */
export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>`, from the listening line. */
  url: string;
  /** Everything it has printed on stderr so far (the listening line, its log). */
  stderr(): string;
  /** SIGTERM, then its exit code once it is gone (0 for a clean stop). */
  stop(): Promise<number | null>;
}

const LISTENING = /slopguard serve: listening on (http:\/\/127\.0\.0\.1:\d+)\n/;

/**
 * Start `slopguard serve --port 0 ...args` (bin/slopguard.js) and wait for its listening line.
 * An exit before that line fails with what it printed.
 */
export async function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(process.execPath, [SLOPGUARD_BIN, 'serve', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: string) => {
      stderr += d;
      const m = LISTENING.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`slopguard serve exited ${code} before listening: ${stderr}`)));
  });
  return {
    child,
    url,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
