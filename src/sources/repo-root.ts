/**
 * The folder a scan's reads are confined to: the git repository containing the scanned path,
 * else the working directory when the path is below it, else the folder scanned (a file's own
 * folder). The repository is found as git finds it, by the nearest `.git` entry (a folder, or a
 * file in worktrees and submodules) above the path; no git process is spawned, so hooks stay fast
 * and a machine without git gets the same boundary.
 */
import { lstat, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isInside } from './file-access.js';

/** The nearest folder at or above `dir` holding a `.git` entry, or undefined. */
export async function repositoryRootOf(dir: string): Promise<string | undefined> {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (await lstat(join(d, '.git')).then(() => true, () => false)) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The root reads under `abs` (a file or folder the user named) are confined to, and whether it is a repository. */
export async function readRootOf(abs: string, cwd: string): Promise<{ root: string; repository: boolean }> {
  const isDir = await stat(abs).then((s) => s.isDirectory(), () => false);
  const folder = isDir ? abs : dirname(abs);
  const repo = await repositoryRootOf(folder);
  if (repo) return { root: repo, repository: true };
  return { root: isInside(resolve(cwd), folder) ? resolve(cwd) : folder, repository: false };
}

/** The root reads under `abs` (a file or folder the user named) are confined to. */
export async function readRootFor(abs: string, cwd: string): Promise<string> {
  return (await readRootOf(abs, cwd)).root;
}
