/**
 * Appending audit lines to a file that many processes share (every CI step, hook call and wrapped
 * install of a machine), and rotating it by size.
 *
 * - Each line is one `write(2)` of the whole line on a descriptor opened with O_APPEND. Linux makes
 *   such an append atomic for a local file (the offset is taken and advanced under the inode lock),
 *   and lines are kept under {@link MAX_LINE_BYTES} (below PIPE_BUF, 4 KiB) by splitting a record's
 *   packages over several lines (see split.ts), so even filesystems that only promise PIPE_BUF-sized
 *   atomic appends do not interleave them.
 * - Rotation: when the file is at or over `maxBytes`, it is renamed to `<file>.1` (replacing an
 *   older `.1`) by whoever holds `<file>.lock` (created with O_EXCL). The holder looks at the size
 *   again under the lock, so two processes that both saw a full file rotate it once, not twice (a
 *   second rename would replace the `.1` just made, and its lines with it). A process that cannot
 *   take the lock appends to the file as it is, a little over the size. A process that opened the
 *   file before the rename writes into what is now `.1`: its line is kept either way.
 */
import { closeSync, constants, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The longest line written in one piece, newline included. */
export const MAX_LINE_BYTES = 4000;

/** A lock older than this was left by a process that died while rotating: it is removed. */
const STALE_LOCK_MS = 30_000;

/**
 * Rename `path` to `path.1` if it is still at or over `maxBytes`, holding `path.lock`. Called by
 * a process that saw the file full, maybe before another rotated it: hence the second look.
 */
export function rotateIfFull(path: string, maxBytes: number): void {
  const lock = `${path}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) unlinkSync(lock);
    } catch {
      // Another process removed it first.
    }
    return;
  }
  try {
    if (statSync(path).size >= maxBytes) renameSync(path, `${path}.1`);
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}

// O_NOFOLLOW: in a folder others can write to, a symlink planted at the log's name would make
// every user's slopguard append to a file of the planter's choosing (a victim's ~/.bashrc).
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

function openForAppend(path: string): number {
  try {
    return openSync(path, APPEND, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    return openSync(path, APPEND, 0o600);
  }
}

/**
 * Append `lines` (each without its newline) to `path`, one write per line, rotating first when
 * the file has reached `maxBytes`. Throws what the filesystem says (the caller warns).
 */
export function appendLines(path: string, lines: readonly string[], maxBytes: number): void {
  let fd = openForAppend(path);
  try {
    const before = fstatSync(fd);
    if (before.size >= maxBytes) {
      rotateIfFull(path, maxBytes);
      closeSync(fd);
      fd = -1;
      fd = openForAppend(path);
      // The new file gets the old one's permissions (a shared log an administrator made group-writable stays so).
      const now = fstatSync(fd);
      const mode = before.mode & 0o666;
      if (now.ino !== before.ino && now.uid === process.getuid?.() && (now.mode & 0o777) !== mode) fchmodSync(fd, mode);
    }
    for (const line of lines) {
      const buf = Buffer.from(`${line}\n`, 'utf8');
      const n = writeSync(fd, buf);
      // A short write of a regular file means the disk is full: say so, rather than leave half a line silently.
      if (n !== buf.length) throw Object.assign(new Error(`short write (${n} of ${buf.length} bytes)`), { code: 'ENOSPC' });
    }
  } finally {
    if (fd !== -1) closeSync(fd);
  }
}
