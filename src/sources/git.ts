/**
 * Git as a source: the diff of a range or of the staged changes, and whole files at a revision
 * (so the diff extractor can compare a manifest's old and new versions rather than its hunks).
 *
 * git runs without a shell, with an argument array; revisions and ranges starting with `-` are
 * refused (they would be read as options). Output is capped; git's own message is passed on in
 * a UsageError (a bad range the user typed) or an InputError (not a repository, unreadable).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';
import { decodeText } from './decode.js';
import { ReadBudget, diskAccess, gitAccess, type FileAccess } from './file-access.js';
import { DEFAULT_READ_LIMITS } from './read-limits.js';

/** Largest diff read (bytes). */
export const MAX_DIFF_BYTES = 256 * 1024 * 1024;
/** Largest single file read from a revision or the working tree (bytes). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** At most this many whole files are read for one diff (the rest are read from the hunks). */
export const MAX_WHOLE_FILES = 500;

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Options git always gets: no pager, colour, external diff, textconv or prefix surprises from user config. */
const DIFF_ARGS = ['-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '-M'];

function runGit(args: readonly string[], cwd: string, maxBytes: number): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true, env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' } });
    } catch (e) {
      reject(gitSpawnError(e, cwd));
      return;
    }
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let tooBig = false;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooBig = true;
        child.kill();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 64 * 1024) err += chunk.toString('utf8');
    });
    child.on('error', (e) => reject(gitSpawnError(e, cwd)));
    child.on('close', (code) => {
      if (tooBig) reject(new InputError(`git ${args.find((a) => !a.startsWith('-') && a !== 'core.quotepath=off') ?? ''}`.trim(), `output larger than ${Math.round(maxBytes / 1024 / 1024)} MB; not read`));
      else resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

function gitSpawnError(e: unknown, cwd: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UsageError('git is not installed or not on PATH (needed for --git and the git hook)');
  return new InputError(cwd, `cannot run git: ${(e as Error).message}`);
}

/** git's message, first lines only, without `fatal: `. */
function gitMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^(?:fatal|error): /, '').trim())
    .filter((l) => l !== '' && !l.startsWith('hint:') && !l.startsWith("Use '--'"));
  return lines.slice(0, 3).join('; ') || 'git failed';
}

/** An error for a failed git run: not a repository -> InputError; anything else the user typed -> UsageError. */
function gitFailure(r: GitResult, cwd: string, what: string): Error {
  const msg = gitMessage(r.stderr);
  if (/not a git repository/i.test(r.stderr)) return new InputError(cwd, `not inside a git repository (${msg})`);
  return new UsageError(`git ${what}: ${msg}`);
}

/** Refuses revisions and ranges git would read as options. */
function checkRev(rev: string, what: string): void {
  if (rev.startsWith('-')) throw new UsageError(`${what} "${rev}" starts with "-"; git would read it as an option`);
  if (/[\0\n]/.test(rev)) throw new UsageError(`${what} contains a control character`);
}

/** The top folder of the repository `cwd` is in. */
export async function gitRoot(cwd: string): Promise<string> {
  const r = await runGit(['rev-parse', '--show-toplevel'], cwd, 64 * 1024);
  if (r.code !== 0) throw gitFailure(r, cwd, 'rev-parse');
  return r.stdout.toString('utf8').trim();
}

/**
 * The unified diff of `range` (`main..feature`, `origin/main...HEAD`, `HEAD~3`; a single
 * revision diffs it against the working tree), with renames detected and `a/`/`b/` prefixes
 * whatever the user's config says.
 */
export async function gitDiff(range: string, cwd: string): Promise<string> {
  checkRev(range, 'git range');
  if (range.trim() === '') throw new UsageError('git range is empty');
  await gitRoot(cwd); // outside a repository `git diff` silently turns into `diff --no-index`
  const r = await runGit([...DIFF_ARGS, range, '--'], cwd, MAX_DIFF_BYTES);
  if (r.code !== 0) throw gitFailure(r, cwd, `diff ${range}`);
  return r.stdout.toString('utf8');
}

/** The diff of the staged changes (what `git commit` would record). */
export async function gitStagedDiff(cwd: string): Promise<string> {
  await gitRoot(cwd);
  const r = await runGit([...DIFF_ARGS, '--cached', '--'], cwd, MAX_DIFF_BYTES);
  if (r.code !== 0) throw gitFailure(r, cwd, 'diff --cached');
  return r.stdout.toString('utf8');
}

/**
 * The file at `path` (relative to the repository root) in revision `rev`; `rev` `''` reads
 * the staged (index) version. Undefined when the file does not exist there; a bad revision
 * is a UsageError.
 */
export async function gitShow(rev: string, path: string, cwd: string): Promise<string | undefined> {
  if (rev !== '') checkRev(rev, 'git revision');
  if (path.startsWith('/') || path.includes('\0')) throw new UsageError(`git path "${path}" must be relative to the repository root`);
  const r = await runGit(['cat-file', 'blob', `${rev}:${path}`], cwd, MAX_FILE_BYTES);
  if (r.code === 0) return r.stdout.toString('utf8');
  if (/not a git repository/i.test(r.stderr)) throw gitFailure(r, cwd, 'cat-file');
  if (rev === '' || /does not exist|exists on disk, but not in/i.test(r.stderr)) return undefined;
  // "Not a valid object name": a missing path in a good revision, or a bad revision.
  const v = await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd, 64 * 1024);
  if (v.code === 0) return undefined;
  throw new UsageError(`git revision "${rev}" is not known in this repository`);
}

/** Throws a UsageError unless `rev` names a commit in the repository at `cwd`. */
export async function gitVerifyRevision(rev: string, cwd: string): Promise<void> {
  checkRev(rev, 'git revision');
  const v = await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd, 64 * 1024);
  if (v.code !== 0) {
    if (/not a git repository/i.test(v.stderr)) throw gitFailure(v, cwd, 'rev-parse');
    throw new UsageError(`git revision "${rev}" is not known in this repository`);
  }
}

/** One entry of a tree at a revision (`git ls-tree -l`). */
export interface GitTreeEntry {
  /** `100644`, `100755`, `120000` (a symlink), `040000`, `160000` (a submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** Bytes of a blob (0 for trees and submodules). */
  size: number;
}

/**
 * What is at `path` (relative to the repository root, `/`-separated) in revision `rev`, without
 * reading it; undefined when nothing is there. A bad revision is a UsageError.
 */
export async function gitTreeEntry(rev: string, path: string, cwd: string): Promise<GitTreeEntry | undefined> {
  checkRev(rev, 'git revision');
  if (path.startsWith('/') || path.includes('\0') || path === '') throw new UsageError(`git path "${path}" must be relative to the repository root`);
  const r = await runGit(['ls-tree', '-l', '-z', '--full-tree', rev, '--', path], cwd, 64 * 1024);
  if (r.code !== 0) {
    if (/not a git repository/i.test(r.stderr)) throw gitFailure(r, cwd, 'ls-tree');
    throw new UsageError(`git revision "${rev}" is not known in this repository`);
  }
  // `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`
  for (const line of r.stdout.toString('utf8').split('\0')) {
    const m = /^(\d{6}) (blob|tree|commit) ([0-9a-f]{40,64}) +(-|\d+)\t(.*)$/s.exec(line);
    if (m && m[5] === path) return { mode: m[1]!, type: m[2] as GitTreeEntry['type'], oid: m[3]!, size: m[4] === '-' ? 0 : Number(m[4]) };
  }
  return undefined;
}

/** The bytes of the blob `oid`, at most `maxBytes` (more is an InputError). */
export async function gitBlob(oid: string, cwd: string, maxBytes: number): Promise<Buffer> {
  if (!/^[0-9a-f]{40,64}$/.test(oid)) throw new UsageError(`"${oid}" is not a git object id`);
  const r = await runGit(['cat-file', 'blob', oid], cwd, maxBytes);
  if (r.code !== 0) throw new InputError(oid, gitMessage(r.stderr));
  return r.stdout;
}

/**
 * The files git tracks under `paths` (relative to `cwd`), plus the untracked ones `.gitignore`
 * does not exclude: what a change ships, whatever folder it sits in (a force-added file under an
 * ignored folder or `vendor/` included). Absolute paths.
 */
export async function gitListFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  for (const p of paths) if (p.startsWith('-')) throw new UsageError(`path "${p}" starts with "-"; git would read it as an option`);
  const r = await runGit(['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '--', ...paths], cwd, MAX_DIFF_BYTES);
  if (r.code !== 0) throw gitFailure(r, cwd, 'ls-files');
  const root = await gitRoot(cwd);
  return [...new Set(r.stdout.toString('utf8').split('\0').filter((p) => p !== ''))].map((p) => join(root, p));
}

/** A diff with readers for the whole old and new files it touches. */
export interface GitDiffWithContents {
  diff: string;
  /** The file before the change (path as on the diff's `a/` side); undefined when absent or not read. */
  readOld(path: string): string | undefined;
  /** The file after the change (path as on the diff's `b/` side). */
  readNew(path: string): string | undefined;
}

/** Which sides a range compares. */
export type Side = { rev: string } | { index: true } | { worktree: true };

/** The old and new sides of a range (or of the staged changes); undefined for revision syntax it does not read. */
export async function sidesOf(range: string | { staged: true }, cwd: string): Promise<{ old: Side; new: Side } | undefined> {
  if (typeof range !== 'string') return { old: { rev: 'HEAD' }, new: { index: true } };
  const three = range.indexOf('...');
  if (three !== -1) {
    const a = range.slice(0, three) || 'HEAD';
    const b = range.slice(three + 3) || 'HEAD';
    const base = await runGit(['merge-base', a, b], cwd, 64 * 1024);
    if (base.code !== 0) return undefined;
    return { old: { rev: base.stdout.toString('utf8').trim() }, new: { rev: b } };
  }
  const two = range.indexOf('..');
  if (two !== -1) return { old: { rev: range.slice(0, two) || 'HEAD' }, new: { rev: range.slice(two + 2) || 'HEAD' } };
  if (/[\s^!@{}]/.test(range)) return undefined; // other revision syntax: read from the hunks
  return { old: { rev: range }, new: { worktree: true } };
}

/**
 * `gitDiff` (or the staged diff) plus the whole old and new contents of the files `wants`
 * selects (manifests and lockfiles, say), read up front so the readers are synchronous.
 * Files that cannot be read give undefined, and the diff extractor falls back to the hunks.
 */
export async function gitDiffWithContents(range: string | { staged: true }, cwd: string, wants: (path: string) => boolean): Promise<GitDiffWithContents> {
  const diff = typeof range === 'string' ? await gitDiff(range, cwd) : await gitStagedDiff(cwd);
  const root = await gitRoot(cwd);
  const sides = await sidesOf(range, root);
  const olds = new Map<string, string>();
  const news = new Map<string, string>();
  if (sides) {
    const nameArgs = typeof range === 'string' ? [range] : ['--cached'];
    const r = await runGit(['-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', '--name-status', '-z', '-M', ...nameArgs, '--'], root, MAX_DIFF_BYTES);
    const entries = r.code === 0 ? parseNameStatus(r.stdout.toString('utf8')) : [];
    // One port per side and one read budget for the whole diff.
    const budget = new ReadBudget(DEFAULT_READ_LIMITS.totalBytes);
    const ports = new Map<string, FileAccess>();
    const portFor = (side: Side): FileAccess => {
      const key = 'rev' in side ? `rev:${side.rev}` : 'worktree';
      let access = ports.get(key);
      if (!access) ports.set(key, (access = 'rev' in side ? gitAccess(side.rev, root, { budget }) : diskAccess({ root, budget })));
      return access;
    };
    const jobs: Array<() => Promise<void>> = [];
    for (const e of entries) {
      if (jobs.length >= MAX_WHOLE_FILES * 2) break;
      if (e.oldPath && wants(e.oldPath) && e.status !== 'A') jobs.push(async () => put(olds, e.oldPath!, await readSide(sides.old, e.oldPath!, root, portFor)));
      if (e.newPath && wants(e.newPath) && e.status !== 'D') jobs.push(async () => put(news, e.newPath!, await readSide(sides.new, e.newPath!, root, portFor)));
    }
    await runLimited(jobs, 8);
  }
  return { diff, readOld: (p) => olds.get(p), readNew: (p) => news.get(p) };
}

function put(map: Map<string, string>, key: string, value: string | undefined): void {
  if (value !== undefined) map.set(key, value);
}

/** A port for one side of a change: git at the revision, or the working tree. */
const sidePort = (root: string) => (side: Side): FileAccess => ('rev' in side ? gitAccess(side.rev, root) : diskAccess({ root }));

/** A file (repository-relative path) on one side; undefined when absent, unreadable or refused. */
export async function readSide(side: Side, path: string, root: string, portFor: (side: Side) => FileAccess = sidePort(root)): Promise<string | undefined> {
  try {
    if ('index' in side) return await gitShow('', path, root);
    // Through the file-access port: a committed or working-tree symlink leaving the repository,
    // a FIFO or a device is not read (the hunks are read instead).
    const read = await portFor(side).readFile(path);
    return read.ok ? decodeText(read.bytes, read.path) : undefined;
  } catch {
    return undefined; // unreadable: the hunks are read instead
  }
}

async function runLimited(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

/** `git diff --name-status -z` entries. */
function parseNameStatus(out: string): Array<{ status: string; oldPath?: string; newPath?: string }> {
  const parts = out.split('\0');
  const entries: Array<{ status: string; oldPath?: string; newPath?: string }> = [];
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++] ?? '';
    if (status === '') continue;
    const letter = status[0] as string;
    if (letter === 'R' || letter === 'C') {
      entries.push({ status: letter, oldPath: parts[i] ?? '', newPath: parts[i + 1] ?? '' });
      i += 2;
    } else {
      const path = parts[i++] ?? '';
      entries.push({ status: letter, oldPath: path, newPath: path });
    }
  }
  return entries;
}
