/**
 * The file-access port: every read of a file slopguard did not write goes through one of these,
 * so the trust model's reading rules live in one place (DESIGN.md "Trust model").
 *
 * Adapters: the disk (`diskAccess`, confined to a root), git at a revision, an editor's open
 * documents (LSP), and a hook's in-command overlay of files written earlier in the same command.
 * Every method is async and never throws for a file it cannot read: it answers with a refusal
 * that says why, and the caller turns that into a located note (packages it would have named are
 * unverified, never silently clean).
 *
 * Reading rules of the disk adapter:
 * - regular files only: no FIFO, device, socket, `/proc` or `/dev` entry (a FIFO would hang the
 *   read, `/dev/zero` would never end, `/proc/self/environ` holds the runner's secrets);
 * - a path, and a symlink's target, must stay inside `root` (the scanned repository);
 * - a per-file size cap and a total budget for the whole run.
 */
import { constants } from 'node:fs';
import { open, realpath, lstat, stat as fsStat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Why a file was not read. */
export type RefusalReason =
  | 'missing' // no such file
  | 'directory' // a folder where a file was expected
  | 'not-regular' // FIFO, device, socket
  | 'outside-root' // the path or a symlink's target leaves the root
  | 'too-large' // over the per-file cap
  | 'budget' // the run's total read budget is spent
  | 'unreadable'; // permissions, I/O error

/** A file that was not read, and why (message already worded, names no content). */
export interface FileRefusal {
  ok: false;
  /** The path as the caller should show it. */
  path: string;
  reason: RefusalReason;
  message: string;
}

/** A file that was read. `text` is the raw bytes decoded by the caller's rules (see sources/files.ts). */
export interface FileContent {
  ok: true;
  /** The path as the caller should show it (relative to the port's display base). */
  path: string;
  /** The absolute path (for include resolution and deduplication). */
  abs: string;
  bytes: Buffer;
}

export type FileReadResult = FileContent | FileRefusal;

/** What is at a path, as the port would let it be read. */
export type FileKind = 'file' | 'directory' | 'missing' | 'refused';

/** The port. */
export interface FileAccess {
  /** The folder reads are confined to (absolute). */
  readonly root: string;
  /** Read a file; `path` is absolute or relative to `base` (default: root). Never throws. */
  readFile(path: string, base?: string): Promise<FileReadResult>;
  /** What is at a path (no content read). Never throws. */
  kind(path: string, base?: string): Promise<FileKind>;
}

/** Limits of the disk adapter. */
export interface DiskLimits {
  /** Largest file read, in bytes. */
  maxFileBytes: number;
  /** Total bytes one run reads through this port. */
  totalBytes: number;
}

/** Sized from real lockfiles: the largest seen are tens of MiB; a monorepo's all together a few hundred. */
export const DEFAULT_DISK_LIMITS: DiskLimits = { maxFileBytes: 256 * 1024 * 1024, totalBytes: 1024 * 1024 * 1024 };

function inside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Options of the disk adapter. */
export interface DiskAccessOptions {
  /** Reads are confined to this folder (the repository root, or the folder scanned). */
  root: string;
  /** Paths are shown relative to this (default: root). */
  displayBase?: string;
  limits?: Partial<DiskLimits>;
}

/** The disk, confined to `root`. */
export function diskAccess(options: DiskAccessOptions): FileAccess {
  const root = resolve(options.root);
  const shownFrom = resolve(options.displayBase ?? root);
  const limits = { ...DEFAULT_DISK_LIMITS, ...options.limits };
  let spent = 0;
  let realRoot: Promise<string> | undefined;
  const show = (abs: string) => {
    const rel = relative(shownFrom, abs);
    return rel === '' ? '.' : isAbsolute(rel) ? abs : rel.split(sep).join('/');
  };
  const refuse = (abs: string, reason: RefusalReason, message: string): FileRefusal => ({ ok: false, path: show(abs), reason, message });

  async function check(abs: string): Promise<FileRefusal | { real: string; size: number; directory: boolean }> {
    if (!inside(root, abs)) return refuse(abs, 'outside-root', 'is outside the folder being checked; it is not read');
    let real: string;
    try {
      real = await realpath(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return refuse(abs, code === 'ENOENT' ? 'missing' : 'unreadable', code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'error'})`);
    }
    realRoot ??= realpath(root).catch(() => root);
    if (!inside(await realRoot, real)) return refuse(abs, 'outside-root', 'is a link to a place outside the folder being checked; it is not read');
    let st;
    try {
      st = await fsStat(real);
    } catch (e) {
      return refuse(abs, 'unreadable', `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (st.isDirectory()) return { real, size: 0, directory: true };
    if (!st.isFile()) return refuse(abs, 'not-regular', 'is not a regular file (a device, pipe or socket); it is not read');
    return { real, size: st.size, directory: false };
  }

  return {
    root,
    async kind(path, base = root) {
      const abs = resolve(base, path);
      try {
        await lstat(abs);
      } catch {
        return 'missing';
      }
      const c = await check(abs);
      if ('ok' in c) return c.reason === 'missing' ? 'missing' : 'refused';
      return c.directory ? 'directory' : 'file';
    },
    async readFile(path, base = root) {
      const abs = resolve(base, path);
      const c = await check(abs);
      if ('ok' in c) return c;
      if (c.directory) return refuse(abs, 'directory', 'is a folder, not a file');
      if (c.size > limits.maxFileBytes) {
        return refuse(abs, 'too-large', `is ${(c.size / 1024 / 1024).toFixed(0)} MiB; files over ${limits.maxFileBytes / 1024 / 1024} MiB are not read`);
      }
      if (spent + c.size > limits.totalBytes) return refuse(abs, 'budget', `was not read: this run already read ${limits.totalBytes / 1024 / 1024} MiB`);
      let handle;
      try {
        // O_NONBLOCK: a FIFO swapped in after the check must not hang the open; O_NOFOLLOW is not
        // used because the checked real path is opened, not the link.
        handle = await open(c.real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
        const st = await handle.stat();
        if (!st.isFile()) return refuse(abs, 'not-regular', 'is not a regular file (a device, pipe or socket); it is not read');
        if (st.size > limits.maxFileBytes) return refuse(abs, 'too-large', `is over ${limits.maxFileBytes / 1024 / 1024} MiB; it is not read`);
        const bytes = Buffer.alloc(st.size);
        let at = 0;
        while (at < bytes.length) {
          const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        spent += at;
        return { ok: true, path: show(abs), abs, bytes: at === bytes.length ? bytes : bytes.subarray(0, at) };
      } catch (e) {
        return refuse(abs, 'unreadable', `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      } finally {
        await handle?.close().catch(() => undefined);
      }
    },
  };
}

/**
 * Files written earlier in the same command (a hook's `cat > req.txt <<EOF` before
 * `pip install -r req.txt`), laid over another port. Keys are absolute paths.
 */
export function overlayAccess(under: FileAccess, written: ReadonlyMap<string, string>, displayBase = under.root): FileAccess {
  const show = (abs: string) => {
    const rel = relative(displayBase, abs);
    return rel === '' ? '.' : isAbsolute(rel) ? abs : rel.split(sep).join('/');
  };
  return {
    root: under.root,
    async kind(path, base = under.root) {
      return written.has(resolve(base, path)) ? 'file' : under.kind(path, base);
    },
    async readFile(path, base = under.root) {
      const abs = resolve(base, path);
      const text = written.get(abs);
      if (text !== undefined) return { ok: true, path: show(abs), abs, bytes: Buffer.from(text, 'utf8') };
      return under.readFile(path, base);
    },
  };
}
