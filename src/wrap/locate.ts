import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { delimiter as posixDelimiter, isAbsolute, join, win32 } from 'node:path';
import { packageRoot } from '../core/package-root.js';

/**
 * Find the real package manager on PATH, skipping slopguard itself. Without this, a user who
 * routes `npm` to slopguard with a shim on PATH (a symlink or a script named `npm`) would have
 * slopguard find that shim again and loop forever.
 *
 * Skipped: files that resolve to slopguard's own bin script; files whose first bytes carry the
 * marker `slopguard-shim`; folders listed in SLOPGUARD_SHIM_DIRS (PATH-separated); empty PATH
 * entries and relative ones (they mean "the current folder", which a cloned repository controls).
 */

/** A line to put in a hand-written shim so slopguard never runs it as the real tool. */
export const SHIM_MARKER = 'slopguard-shim';

/** slopguard's own entry points, as real paths: <package>/bin/slopguard.js. */
export function selfPaths(): string[] {
  const out: string[] = [];
  for (const rel of ['bin/slopguard.js', 'bin/slopguard']) {
    try {
      out.push(realpathSync(join(packageRoot(), rel)));
    } catch {
      // Not every layout has both.
    }
  }
  return out;
}

/** Inputs of {@link findExecutable}; injectable so tests and Windows logic run anywhere. */
export interface LocateOptions {
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /** Real paths that are slopguard itself (default {@link selfPaths}). */
  self?: readonly string[];
}

function isExecutableFile(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first bytes of a file, to spot the shim marker; a read error counts as "no marker". */
function head(path: string, bytes = 1024): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('latin1');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isSlopguard(path: string, self: readonly string[]): boolean {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    return false;
  }
  if (self.includes(real)) return true;
  const start = head(real);
  // A hand-made shim, or a Windows .cmd that npm generated for slopguard's own bin.
  return start.includes(SHIM_MARKER) || /[\\/]slopguard[\\/]bin[\\/]slopguard\.js/.test(start);
}

/** The PATH value, whatever its case (Windows spells it `Path`). */
function pathValue(env: LocateOptions['env']): string {
  if (env.PATH !== undefined) return env.PATH;
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  return key ? (env[key] ?? '') : '';
}

/** Names to try for `name` in one folder: on Windows each PATHEXT extension (`npm.cmd`, `pip.exe`). */
export function candidateNames(name: string, platform: NodeJS.Platform, env: LocateOptions['env']): string[] {
  if (platform !== 'win32') return [name];
  const exts = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean).map((e) => e.toLowerCase());
  const lower = name.toLowerCase();
  // A name typed with its extension is tried as is first.
  const typed = exts.some((e) => lower.endsWith(e)) ? [name] : [];
  return [...typed, ...exts.map((e) => `${name}${e}`)];
}

/**
 * The full path of the real `name` on PATH, or undefined. Never slopguard itself, never a folder
 * from SLOPGUARD_SHIM_DIRS, never a relative PATH entry.
 */
export function findExecutable(name: string, opts: LocateOptions): string | undefined {
  const platform = opts.platform ?? process.platform;
  const self = opts.self ?? selfPaths();
  const delimiter = platform === 'win32' ? win32.delimiter : posixDelimiter;
  const pathJoin = platform === 'win32' ? win32.join : join;
  const absolute = platform === 'win32' ? win32.isAbsolute : isAbsolute;
  const skipDirs = new Set((opts.env.SLOPGUARD_SHIM_DIRS ?? '').split(delimiter).filter(Boolean));
  for (const dir of pathValue(opts.env).split(delimiter)) {
    if (!dir || !absolute(dir) || skipDirs.has(dir)) continue;
    for (const candidate of candidateNames(name, platform, opts.env)) {
      const full = pathJoin(dir, candidate);
      if (isExecutableFile(full, platform) && !isSlopguard(full, self)) return full;
    }
  }
  return undefined;
}
