/**
 * Synchronous reads of small settings files (`.npmrc`, `pip.conf`, slopguard's own config): the
 * trust boundary's first rules for files read before the async file-access port exists in a run.
 * A project can make any of these a FIFO, a device or a huge file; `readFileSync` on a FIFO
 * blocks the whole process for good (a `check` that never answers, a hook past its budget). So:
 * open without blocking, read only a regular file, and only up to a size no settings file needs.
 * (The async port in sources/file-access.ts does the same and more for the files slopguard checks.)
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** No settings file slopguard reads is near this; a larger one is refused, not read. */
export const MAX_SETTINGS_BYTES = 4 * 1024 * 1024;

/** The outcome of reading one settings file. */
export type SettingsRead =
  | { kind: 'read'; bytes: Buffer }
  | { kind: 'missing' }
  /** There, but not read: `not-regular` (FIFO, device, directory, socket), `too-large`, or an error code. */
  | { kind: 'refused'; reason: string };

/** Read a settings file if it is a regular file of at most `maxBytes`. Never blocks on a FIFO. */
export function readSettingsFile(path: string, maxBytes = MAX_SETTINGS_BYTES): SettingsRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'refused', reason: code ?? 'unreadable' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'refused', reason: 'not-regular' };
    if (st.size > maxBytes) return { kind: 'refused', reason: 'too-large' };
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return { kind: 'read', bytes: off === buf.length ? buf : buf.subarray(0, off) };
  } catch (e) {
    return { kind: 'refused', reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' };
  } finally {
    closeSync(fd);
  }
}
