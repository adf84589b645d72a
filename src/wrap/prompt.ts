import { createInterface } from 'node:readline';
import type { Io } from '../cli/io.js';

/**
 * Ask a yes/no question on stderr and read the answer from stdin. The default is "no": an empty
 * line, end of input or anything but y/yes means do not proceed.
 */
export async function askYesNo(io: Io, question: string): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once('line', (line) => resolve(line));
      rl.once('close', () => resolve(undefined));
    });
    if (answer === undefined) io.stderr.write('\n');
    return /^\s*y(es)?\s*$/i.test(answer ?? '');
  } finally {
    rl.close();
    // Leave stdin to the package manager, which inherits the same file descriptor.
    io.stdin.pause();
  }
}

/** Whether a person can answer: both stdin and stderr are terminals. */
export function canAsk(io: Io): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}
