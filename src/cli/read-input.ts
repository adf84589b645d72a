import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceDocument } from '../core/types.js';
import { readAll, type Io } from './io.js';

const MAX_INPUT = 256 * 1024 * 1024;

/** A file argument or standard input (`-` or nothing) as a document; BOM removed. */
export async function readInput(file: string | undefined, io: Io): Promise<SourceDocument> {
  if (file === undefined || file === '-') {
    if (io.stdin.isTTY) throw new InputError('<stdin>', 'nothing on standard input: pass a file, or pipe text in');
    return { path: '<stdin>', text: (await readAll(io.stdin, MAX_INPUT)).replace(/^\uFEFF/, '') };
  }
  const path = resolve(io.cwd, file);
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_INPUT) throw new InputError(file, `larger than ${MAX_INPUT / 1048576} MiB`);
    return { path: relative(io.cwd, path) || file, text: buf.toString('utf8').replace(/^\uFEFF/, '') };
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder (use `slopguard scan` for folders)' : `cannot read: ${code ?? String(e)}`);
  }
}
