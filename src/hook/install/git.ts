/**
 * Wire `slopguard hook git-pre-commit` into the repository's pre-commit hook.
 *
 * The hooks folder is asked of git (`git rev-parse --git-path hooks`), which honours
 * `core.hooksPath` and worktrees. An existing hook is chained, never overwritten:
 *
 * - a shell script gets a marked block inserted right after its `#!` line. Not appended: a
 *   script that ends in `exit 0` would never reach an appended block.
 * - any other hook (Python, a binary, a script without `#!`) is moved aside to
 *   `pre-commit.pre-slopguard` and a small shell script runs slopguard, then execs it.
 *
 * Uninstall removes the block and moves a chained hook back, restoring the original file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { writeFileAtomic } from './json-config.js';
import type { InstallContext, InstallResult } from './types.js';

export const BLOCK_START = '# >>> slopguard pre-commit >>>';
export const BLOCK_END = '# <<< slopguard pre-commit <<<';
const CHAINED = 'pre-commit.pre-slopguard';
const SHELLS = /^#!\s*(?:\/usr\/bin\/env\s+(?:-S\s+)?)?(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|ash)(?:\s|$)/;

/** The hooks folder git uses for the repository at `cwd`. */
export function gitHooksDir(cwd: string): string {
  let out: string;
  try {
    out = execFileSync('git', ['rev-parse', '--git-path', 'hooks'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new UsageError(`${cwd} is not inside a git repository (git hooks are per repository)`);
  }
  return resolve(cwd, out);
}

function block(invocation: string): string {
  return [
    BLOCK_START,
    '# Checks the dependencies the staged changes add. `slopguard hook uninstall git` removes this block.',
    `${invocation} hook git-pre-commit || exit $?`,
    BLOCK_END,
  ].join('\n');
}

/** The text with our block removed (and the line break that followed it). */
function withoutBlock(text: string): string {
  const start = text.indexOf(BLOCK_START);
  const end = text.indexOf(BLOCK_END, start);
  if (start < 0 || end < 0) return text;
  let stop = end + BLOCK_END.length;
  if (text.startsWith('\r\n', stop)) stop += 2;
  else if (text[stop] === '\n') stop += 1;
  return text.slice(0, start) + text.slice(stop);
}

function chainScript(invocation: string): string {
  return `#!/bin/sh\n${block(invocation)}\nexec "$(dirname "$0")/${CHAINED}" "$@"\n`;
}

function readHook(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Husky regenerates the files in its hooks folder; edits there would silently vanish. */
function refuseHusky(dir: string): void {
  if (/[\\/]\.husky(?:[\\/]|$)/.test(dir)) {
    throw new UsageError(
      `git hooks run from ${dir}, which husky manages and regenerates; add this line to .husky/pre-commit instead:\n  slopguard hook git-pre-commit`,
    );
  }
}

/** Add (or refresh) the pre-commit block. */
export function installGit(ctx: InstallContext): InstallResult {
  if (ctx.scope === 'user') throw new UsageError('git hooks are per repository: run `slopguard hook install git` inside the repository (without --user)');
  const dir = gitHooksDir(ctx.root);
  refuseHusky(dir);
  const file = join(dir, 'pre-commit');
  const current = readHook(file);
  const ours = block(ctx.invocation);
  if (current === undefined) {
    writeFileAtomic(file, `#!/bin/sh\n${ours}\n`, 0o755);
    return { file, status: 'installed' };
  }
  if (current.includes(BLOCK_START)) {
    const start = current.indexOf(BLOCK_START);
    const end = current.indexOf(BLOCK_END, start);
    if (end >= 0 && current.slice(start, end + BLOCK_END.length) === ours) return { file, status: 'unchanged' };
    const refreshed = withoutBlock(current);
    const nl = refreshed.indexOf('\n');
    writeFileAtomic(file, `${refreshed.slice(0, nl + 1)}${ours}\n${refreshed.slice(nl + 1)}`, statSync(file).mode & 0o7777);
    return { file, status: 'updated' };
  }
  if (SHELLS.test(current)) {
    const nl = current.indexOf('\n');
    const head = nl < 0 ? `${current}\n` : current.slice(0, nl + 1);
    const rest = nl < 0 ? '' : current.slice(nl + 1);
    writeFileAtomic(file, `${head}${ours}\n${rest}`, statSync(file).mode & 0o7777);
    return { file, status: 'installed', note: 'chained: slopguard runs first, then the existing pre-commit hook' };
  }
  const aside = join(dir, CHAINED);
  if (existsSync(aside)) throw new UsageError(`${aside} already exists; move it away, then run the install again`);
  renameSync(file, aside);
  writeFileAtomic(file, chainScript(ctx.invocation), 0o755);
  return { file, status: 'installed', note: `chained: the existing hook was moved to ${CHAINED} and runs after slopguard` };
}

/** Remove our block; put a chained hook back; delete a hook that only ever held our block. */
export function uninstallGit(ctx: InstallContext): InstallResult {
  if (ctx.scope === 'user') throw new UsageError('git hooks are per repository: run `slopguard hook uninstall git` inside the repository (without --user)');
  const dir = gitHooksDir(ctx.root);
  const file = join(dir, 'pre-commit');
  const current = readHook(file);
  if (current === undefined || !current.includes(BLOCK_START)) return { file, status: 'absent' };
  const rest = withoutBlock(current);
  const aside = join(dir, CHAINED);
  if (rest === `#!/bin/sh\nexec "$(dirname "$0")/${CHAINED}" "$@"\n` && existsSync(aside)) {
    renameSync(aside, file);
    return { file, status: 'removed', note: 'the original pre-commit hook was put back' };
  }
  if (rest === '#!/bin/sh\n') {
    unlinkSync(file);
    return { file, status: 'removed' };
  }
  writeFileAtomic(file, rest, statSync(file).mode & 0o7777);
  return { file, status: 'removed' };
}
