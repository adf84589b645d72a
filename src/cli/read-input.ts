import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceDocument } from '../core/types.js';
import { decodeLoose } from '../sources/decode.js';
import { diskAccess } from '../sources/file-access.js';
import { readRootOf } from '../sources/repo-root.js';
import { readAll, type Io } from './io.js';

const MAX_INPUT = 256 * 1024 * 1024;

/**
 * A file argument or standard input (`-` or nothing) as a document; BOM removed. The file is the
 * user's choice, but it is read through the file-access port all the same: a FIFO or a device
 * is refused rather than read without end.
 */
export async function readInput(file: string | undefined, io: Io): Promise<SourceDocument> {
  if (file === undefined || file === '-') {
    if (io.stdin.isTTY) throw new InputError('<stdin>', 'nothing on standard input: pass a file, or pipe text in');
    return { path: '<stdin>', text: (await readAll(io.stdin, MAX_INPUT)).replace(/^\uFEFF/, '') };
  }
  const path = resolve(io.cwd, file);
  const { root, repository } = await readRootOf(path, io.cwd);
  const access = diskAccess({ root, displayBase: io.cwd, limits: { maxFileBytes: MAX_INPUT, totalBytes: MAX_INPUT } });
  const read = await access.readFile(path, { userChosen: true, linksAnywhere: !repository });
  if (read.ok) return { path: read.path === '.' ? file : read.path, text: decodeLoose(read.bytes) };
  if (read.reason === 'missing') throw new InputError(file, 'no such file');
  if (read.reason === 'directory') throw new InputError(file, 'is a folder (use `slopguard scan` for folders)');
  throw new InputError(file, read.reason === 'unreadable' ? read.message : `not read: it ${read.message}`);
}
