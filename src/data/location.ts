/**
 * Where the popular-name data is read from. Three places, newest snapshot wins:
 *
 * 1. The user's own copy written by `slopguard data update` (`$XDG_DATA_HOME/slopguard/data`,
 *    `~/Library/Application Support/slopguard/data`, `%LOCALAPPDATA%\slopguard\Data`), when its
 *    snapshot is newer than the installed one: an upgrade of slopguard with newer data wins again.
 * 2. `SLOPGUARD_DATA_DIR`, when set: the installed data lives there instead of in the package (an
 *    organisation's mirror of the lists, tests).
 * 3. The package's own `data/`. A checkout has the plain `.bin` files; the published package
 *    ships them brotli-compressed (`.bin.br`, 23 MB instead of 33 MB, under the 25 MB package
 *    budget), unpacked once into the user's cache dir on first use, atomically.
 *
 * The bundled files are never written: the package folder may be read-only (a global install).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as Zlib from 'node:zlib';
import { lazyRequire } from '../core/lazy-require.js';
import { packageRoot } from '../core/package-root.js';

// Only the first run of an installed package unpacks: every other run must not load zlib.
const zlib = lazyRequire<typeof Zlib>('node:zlib');

type Env = Record<string, string | undefined>;

/** The data files a directory must hold to be used (meta.json names the snapshot). */
export const DATA_BINARIES = ['npm-popular.bin', 'pypi-popular.bin', 'pypi-names.bin'] as const;

/** The package's own data folder. */
export function bundledDataDir(): string {
  return join(packageRoot(), 'data');
}

/** The per-user data folder `slopguard data update` writes (platform conventions). */
export function userDataDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'slopguard', 'Data');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'slopguard', 'data');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'slopguard', 'data');
}

/** Where unpacked bundled data goes: the user's cache (it can always be made again). */
function unpackDir(env: Env, snapshot: string): string {
  const home = env.HOME || homedir();
  const base = process.platform === 'win32' ? join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'slopguard', 'Cache') : join(env.XDG_CACHE_HOME || join(home, '.cache'), 'slopguard');
  return join(base, `data-${snapshot}`);
}

/** The snapshot day of a data folder (the older of its two ecosystems), or undefined when it has none. */
export function snapshotOf(dir: string): string | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { npm?: { snapshotDate?: unknown }; pypi?: { snapshotDate?: unknown } };
    const days = [meta.npm?.snapshotDate, meta.pypi?.snapshotDate];
    if (!days.every((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))) return undefined;
    return days.sort()[0];
  } catch {
    return undefined;
  }
}

/** A folder with meta.json and every binary in plain form. */
function complete(dir: string): boolean {
  return snapshotOf(dir) !== undefined && DATA_BINARIES.every((f) => existsSync(join(dir, f)));
}

/**
 * Unpack the bundled `.bin.br` files into the cache, once. Written to a temporary folder and
 * renamed into place, so concurrent first runs never read a half-written file.
 */
function unpackBundled(bundled: string, snapshot: string, env: Env): string {
  const target = unpackDir(env, snapshot);
  if (complete(target)) return target;
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(temp, { recursive: true });
  try {
    for (const f of DATA_BINARIES) writeFileSync(join(temp, f), zlib().brotliDecompressSync(readFileSync(join(bundled, `${f}.br`))));
    writeFileSync(join(temp, 'meta.json'), readFileSync(join(bundled, 'meta.json')));
    try {
      renameSync(temp, target);
    } catch {
      // Another process won the race (the target exists now): use its copy.
      if (!complete(target)) throw new Error(`cannot unpack slopguard's data into ${target}`);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return target;
}

/** The bundled data as a folder of plain files (unpacking the compressed package form on first use). */
function bundledPlain(env: Env): string | undefined {
  const bundled = bundledDataDir();
  if (complete(bundled)) return bundled;
  const snapshot = snapshotOf(bundled);
  if (snapshot && DATA_BINARIES.every((f) => existsSync(join(bundled, `${f}.br`)))) return unpackBundled(bundled, snapshot, env);
  return undefined;
}

/** Which data folder is used, and why (for `slopguard data status`). */
export interface DataLocation {
  dir: string;
  /** `user`: a `data update` copy; `env`: SLOPGUARD_DATA_DIR; `bundled`: the package's own. */
  origin: 'env' | 'user' | 'bundled';
  snapshot?: string;
}

/** Where the data is read from for this environment (see the module comment). */
export function locateData(env: Env): DataLocation {
  const base: DataLocation = env.SLOPGUARD_DATA_DIR ? { dir: env.SLOPGUARD_DATA_DIR, origin: 'env' } : { dir: bundledDataDir(), origin: 'bundled' };
  const baseSnapshot = snapshotOf(base.dir);
  if (baseSnapshot) base.snapshot = baseSnapshot;
  const user = userDataDir(env);
  const userSnapshot = complete(user) ? snapshotOf(user) : undefined;
  if (userSnapshot && (!baseSnapshot || userSnapshot > baseSnapshot)) return { dir: user, origin: 'user', snapshot: userSnapshot };
  if (base.origin === 'bundled') base.dir = bundledPlain(env) ?? base.dir;
  return base;
}

const memo = new Map<string, string>();

/** The data folder for an environment, decided once per process and environment. */
export function resolveDataDir(env: Env = process.env): string {
  const key = [env.SLOPGUARD_DATA_DIR, env.XDG_DATA_HOME, env.XDG_CACHE_HOME, env.HOME, env.LOCALAPPDATA].join('\0');
  let dir = memo.get(key);
  if (dir === undefined) memo.set(key, (dir = locateData(env).dir));
  return dir;
}

/** Forget decided locations (after `data update` replaced the user's copy in this process). */
export function forgetDataLocations(): void {
  memo.clear();
}
