/** A stream slopguard writes to. Real process streams and test buffers both fit. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command touches in the outside world, injected so CLI tests run in-process. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** The clock; tests pin it. */
  now?: () => Date;
  /** The command line slopguard was run with (set by `run`), for the audit log. */
  argv?: readonly string[];
}

/** Whether colour may be used on this stream (a TTY, and NO_COLOR unset or empty). */
export function useColor(stream: OutStream, env: Io['env'], flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (flag === true || env.FORCE_COLOR === '1') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Read all of stdin as UTF-8, with a size cap so a runaway pipe cannot exhaust memory. */
export async function readAll(stream: NodeJS.ReadableStream, maxBytes = 256 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new Error(`standard input is larger than ${Math.round(maxBytes / 1048576)} MiB`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
