/**
 * The file-access port: every read of a file slopguard did not write goes through one of these,
 * so the trust model's reading rules live in one place (DESIGN.md "Trust model").
 *
 * Adapters: the disk (`diskAccess`, confined to a root), git at a revision (`gitAccess`), an
 * editor's open documents or a hook's in-command writes laid over another port (`overlayAccess`).
 * Every method is async and never throws for a file it cannot read: it answers with a refusal
 * that says why, and the caller turns that into a located note (packages it would have named are
 * unverified, never silently clean).
 *
 * Reading rules:
 * - regular files only: no FIFO, device, socket, nothing under `/proc`, `/dev` or `/sys` (a FIFO
 *   would hang the read, `/dev/zero` would never end, `/proc/self/environ` holds the runner's
 *   secrets and reports itself as a regular file of size 0);
 * - a path, and a symlink's target, must stay inside `root` (the scanned repository). A path the
 *   user typed (`userChosen`) may lie outside it, but one typed inside the repository is still
 *   confined there: a committed symlink is the repository's choice, not the user's;
 * - a per-file size cap and a total budget for the whole run (src/sources/read-limits.ts);
 * - the refusal message never quotes the file's content (nothing of it was read).
 */
import { constants } from 'node:fs';
import { lstat, open, realpath, stat as fsStat } from 'node:fs/promises';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import { gitBlob, gitTreeEntry } from './git.js';

/** Why a file was not read, as an `as const` contract. */
export const REFUSAL_REASONS = [
  'missing', // no such file
  'directory', // a folder where a file was expected
  'not-regular', // FIFO, device, socket, /proc, /dev, /sys
  'outside-root', // the path or a symlink's target leaves the root
  'too-large', // over the per-file cap
  'budget', // the run's total read budget is spent
  'unreadable', // permissions, I/O error
] as const;
/** Why a file was not read. */
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * Reasons that are the trust boundary at work (a `refused` note, packages unverified), as opposed
 * to a file that simply is not there or cannot be opened (an `unreadable` error, exit 2).
 */
export const BOUNDARY_REASONS: ReadonlySet<RefusalReason> = new Set(['not-regular', 'outside-root', 'too-large', 'budget']);

/** A file that was not read, and why (message already worded, names no content). */
export interface FileRefusal {
  ok: false;
  /** The path as the caller should show it. */
  path: string;
  reason: RefusalReason;
  message: string;
}

/** A file that was read. `bytes` are raw; sources/decode.ts turns them into text. */
export interface FileContent {
  ok: true;
  /** The path as the caller should show it (relative to the port's display base). */
  path: string;
  /** The absolute path (for include resolution and deduplication). */
  abs: string;
  bytes: Buffer;
}

/** What a read gave. */
export type FileReadResult = FileContent | FileRefusal;

/** What is at a path, as the port would let it be read. */
export type FileKind = 'file' | 'directory' | 'missing' | 'refused';

/** How to read one path. */
export interface ReadOptions {
  /** A relative path is resolved against this folder (absolute; default: the root). */
  from?: string;
  /**
   * The user named this path (a command-line argument, a file in the command being checked): it
   * may lie outside the root, but is still regular-files-only and capped. Ignored when the path
   * itself lies inside the root (then its symlinks must stay inside, as for any other path).
   */
  userChosen?: boolean;
  /**
   * With `userChosen`: the path is the user's own file outside any repository, so its symlinks
   * are theirs too and may point anywhere (still regular files only). Never set for a path inside
   * a repository: a committed symlink is the repository's choice.
   */
  linksAnywhere?: boolean;
}

/** The port. */
export interface FileAccess {
  /** The folder reads are confined to (absolute). */
  readonly root: string;
  /** Read a file. Never throws. */
  readFile(path: string, options?: ReadOptions): Promise<FileReadResult>;
  /** What is at a path (no content read). Never throws. */
  kind(path: string, options?: ReadOptions): Promise<FileKind>;
}

/** Bytes read so far in a run, shared by every port of that run. */
export class ReadBudget {
  spent = 0;
  constructor(readonly totalBytes: number) {}

  /** Reserves `n` bytes; false when that would go over the budget. */
  take(n: number): boolean {
    if (this.spent + n > this.totalBytes) return false;
    this.spent += n;
    return true;
  }

  /** Gives back what a reservation did not use. */
  refund(n: number): void {
    this.spent = Math.max(0, this.spent - n);
  }
}

/** Whether `abs` is `root` or below it. */
export function isInside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Pseudo-filesystems whose entries are never a user's file, whatever stat says. */
const PSEUDO_ROOTS = process.platform === 'win32' ? [] : ['/proc', '/dev', '/sys'];
const isPseudo = (real: string) => PSEUDO_ROOTS.some((p) => real === p || real.startsWith(`${p}/`));

const MIB = 1024 * 1024;
const mib = (n: number) => `${Math.round((n / MIB) * 10) / 10} MiB`;

/** Wording of each refusal (no content, no secrets: a path and a reason). */
const SAY = {
  outside: 'is outside the repository being checked',
  outsideLink: 'is a link to a place outside the repository being checked',
  notRegular: 'is not a regular file (a device, pipe, socket or /proc entry)',
  tooLarge: (size: number, cap: number) => `is ${mib(size)}, over the ${mib(cap)} cap (SLOPGUARD_MAX_FILE_MB raises it)`,
  budget: (total: number) => `would go over this run's read budget of ${mib(total)} (SLOPGUARD_READ_BUDGET_MB raises it)`,
} as const;

/** Options of the disk adapter. */
export interface DiskAccessOptions {
  /** Reads are confined to this folder (the repository root, or the folder scanned). */
  root: string;
  /** Paths are shown relative to this (default: root; `''`: shown absolute). */
  displayBase?: string;
  limits?: Partial<ReadLimits>;
  /** Shared with the run's other ports (default: a budget of this port's own). */
  budget?: ReadBudget;
}

/** The display form of an absolute path: relative to `base` with `/` separators (`base` `''`: the absolute path). */
export function displayPath(base: string, abs: string): string {
  if (base === '') return abs;
  const rel = relative(base, abs);
  if (rel === '') return '.';
  return isAbsolute(rel) ? abs : rel.split(sep).join('/');
}

/** The disk, confined to `root`. */
export function diskAccess(options: DiskAccessOptions): FileAccess {
  const root = resolve(options.root);
  const shownFrom = options.displayBase === '' ? '' : resolve(options.displayBase ?? root);
  const limits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  const budget = options.budget ?? new ReadBudget(limits.totalBytes);
  let realRoot: Promise<string> | undefined;
  const show = (abs: string) => displayPath(shownFrom, abs);
  const refuse = (abs: string, reason: RefusalReason, message: string): FileRefusal => ({ ok: false, path: show(abs), reason, message });

  type Checked = { real: string; size: number; dev: number; ino: number; directory: boolean };
  async function check(abs: string, o: ReadOptions): Promise<FileRefusal | Checked> {
    // A typed path outside the repository is the user's choice; inside it, the repository's rules hold.
    const confined = !o.userChosen || (!o.linksAnywhere && isInside(root, abs));
    if (confined && !isInside(root, abs)) return refuse(abs, 'outside-root', SAY.outside);
    if (isPseudo(abs)) return refuse(abs, 'not-regular', SAY.notRegular);
    let real: string;
    try {
      real = await realpath(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return refuse(abs, code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `cannot be read (${code ?? 'error'})`);
    }
    if (confined) {
      realRoot ??= realpath(root).catch(() => root);
      if (!isInside(await realRoot, real)) return refuse(abs, 'outside-root', SAY.outsideLink);
    }
    if (isPseudo(real)) return refuse(abs, 'not-regular', SAY.notRegular);
    let st;
    try {
      st = await fsStat(real);
    } catch (e) {
      return refuse(abs, 'unreadable', `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const ids = { real, dev: st.dev, ino: st.ino };
    if (st.isDirectory()) return { ...ids, size: 0, directory: true };
    if (!st.isFile()) return refuse(abs, 'not-regular', SAY.notRegular);
    return { ...ids, size: st.size, directory: false };
  }

  return {
    root,
    async kind(path, o = {}) {
      const abs = resolve(o.from ?? root, path);
      try {
        await lstat(abs);
      } catch {
        return 'missing';
      }
      const c = await check(abs, o);
      if ('ok' in c) return c.reason === 'missing' ? 'missing' : 'refused';
      return c.directory ? 'directory' : 'file';
    },
    async readFile(path, o = {}) {
      const abs = resolve(o.from ?? root, path);
      const c = await check(abs, o);
      if ('ok' in c) return c;
      if (c.directory) return refuse(abs, 'directory', 'is a folder, not a file');
      if (c.size > limits.maxFileBytes) return refuse(abs, 'too-large', SAY.tooLarge(c.size, limits.maxFileBytes));
      if (!budget.take(c.size)) return refuse(abs, 'budget', SAY.budget(budget.totalBytes));
      let handle;
      let used = 0;
      try {
        // O_NONBLOCK: a FIFO swapped in after the check must not hang the open. O_NOFOLLOW: the
        // checked real path is opened, so a link appearing there since is refused (ELOOP).
        handle = await open(c.real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
        const st = await handle.stat();
        // The file opened must be the one checked (not swapped between check and open).
        if (!st.isFile() || st.dev !== c.dev || st.ino !== c.ino) return refuse(abs, 'not-regular', SAY.notRegular);
        // At most the size checked (and reserved from the budget) is read: a file that grows
        // after the check, or while being read, is cut there.
        const bytes = Buffer.alloc(Math.min(st.size, c.size));
        while (used < bytes.length) {
          const { bytesRead } = await handle.read(bytes, used, bytes.length - used, used);
          if (bytesRead === 0) break;
          used += bytesRead;
        }
        return { ok: true, path: show(abs), abs, bytes: used === bytes.length ? bytes : bytes.subarray(0, used) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return code === 'ELOOP' ? refuse(abs, 'outside-root', SAY.outsideLink) : refuse(abs, 'unreadable', `cannot be read (${code ?? 'error'})`);
      } finally {
        budget.refund(c.size - used);
        await handle?.close().catch(() => undefined);
      }
    },
  };
}

/** Options of the git adapter. */
export interface GitAccessOptions {
  /** Paths are shown relative to this (default: the repository root). */
  displayBase?: string;
  limits?: Partial<ReadLimits>;
  budget?: ReadBudget;
}

/** How many symlinks one read follows inside a revision. */
const MAX_GIT_LINKS = 8;

/**
 * The repository at revision `rev` (`origin/main`, a commit), confined to the repository at
 * `root`: a committed symlink is followed only inside the tree, submodules are not entered, and
 * nothing on disk is read. Paths are absolute (under `root`) or relative to `from`.
 */
export function gitAccess(rev: string, root: string, options: GitAccessOptions = {}): FileAccess {
  const top = resolve(root);
  const shownFrom = options.displayBase === '' ? '' : resolve(options.displayBase ?? top);
  const limits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  const budget = options.budget ?? new ReadBudget(limits.totalBytes);
  const refuse = (abs: string, reason: RefusalReason, message: string): FileRefusal => ({ ok: false, path: displayPath(shownFrom, abs), reason, message });

  type Entry = { kind: 'blob'; oid: string; size: number; abs: string } | { kind: 'tree'; abs: string } | FileRefusal;
  async function entry(abs: string): Promise<Entry> {
    let current = abs;
    for (let hop = 0; hop <= MAX_GIT_LINKS; hop++) {
      if (!isInside(top, current)) return refuse(abs, 'outside-root', hop === 0 ? SAY.outside : SAY.outsideLink);
      const rel = relative(top, current).split(sep).join('/');
      if (rel === '') return { kind: 'tree', abs: current };
      let e;
      try {
        e = await gitTreeEntry(rev, rel, top);
      } catch (err) {
        return refuse(abs, 'unreadable', `cannot be read at ${rev} (${(err as Error).message})`);
      }
      if (!e) return refuse(abs, 'missing', `no such file at ${rev}`);
      if (e.type === 'tree') return { kind: 'tree', abs: current };
      if (e.type !== 'blob') return refuse(abs, 'not-regular', `is a submodule at ${rev}`);
      if (e.mode !== '120000') return { kind: 'blob', oid: e.oid, size: e.size, abs: current };
      // A committed symlink: its blob is the target path.
      const target = (await gitBlob(e.oid, top, 4096).catch(() => undefined))?.toString('utf8');
      if (target === undefined) return refuse(abs, 'unreadable', `cannot be read at ${rev}`);
      current = isAbsolute(target) ? resolve(target) : resolve(top, posix.dirname(rel), target);
    }
    return refuse(abs, 'unreadable', `links to links more than ${MAX_GIT_LINKS} times at ${rev}`);
  }

  return {
    root: top,
    async kind(path, o = {}) {
      const e = await entry(resolve(o.from ?? top, path));
      if ('ok' in e) return e.reason === 'missing' ? 'missing' : 'refused';
      return e.kind === 'tree' ? 'directory' : 'file';
    },
    async readFile(path, o = {}) {
      const abs = resolve(o.from ?? top, path);
      const e = await entry(abs);
      if ('ok' in e) return e;
      if (e.kind === 'tree') return refuse(abs, 'directory', 'is a folder, not a file');
      if (e.size > limits.maxFileBytes) return refuse(abs, 'too-large', SAY.tooLarge(e.size, limits.maxFileBytes));
      if (!budget.take(e.size)) return refuse(abs, 'budget', SAY.budget(budget.totalBytes));
      try {
        const bytes = await gitBlob(e.oid, top, Math.max(e.size, 1));
        budget.refund(e.size - bytes.length);
        return { ok: true, path: displayPath(shownFrom, abs), abs, bytes };
      } catch (err) {
        budget.refund(e.size);
        return refuse(abs, 'unreadable', `cannot be read at ${rev} (${(err as Error).message})`);
      }
    },
  };
}

/**
 * Text that stands in for files of another port: an editor's open (unsaved) documents, or files
 * written earlier in the same command (a hook's `cat > req.txt <<EOF` before
 * `pip install -r req.txt`). Keys are absolute paths. Only paths inside the root (or chosen by
 * the user) are taken from the overlay: an editor's open `/etc/passwd` is not what an include may
 * reach. Everything else goes to the port below, with its rules.
 */
export function overlayAccess(under: FileAccess, written: ReadonlyMap<string, string> | ((abs: string) => string | undefined), displayBase = under.root): FileAccess {
  const lookup = typeof written === 'function' ? written : (abs: string) => written.get(abs);
  const over = (abs: string, o: ReadOptions) => (o.userChosen || isInside(under.root, abs) ? lookup(abs) : undefined);
  return {
    root: under.root,
    async kind(path, o = {}) {
      return over(resolve(o.from ?? under.root, path), o) !== undefined ? 'file' : under.kind(path, o);
    },
    async readFile(path, o = {}) {
      const abs = resolve(o.from ?? under.root, path);
      const text = over(abs, o);
      if (text !== undefined) return { ok: true, path: displayPath(displayBase, abs), abs, bytes: Buffer.from(text, 'utf8') };
      return under.readFile(path, o);
    },
  };
}
