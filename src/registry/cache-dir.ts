/**
 * Whether a cache directory is the user's own. Entries are authenticated (cache-entry.ts), so a
 * forged entry is only a miss; but a directory another user owns or can write lets them delete
 * and replace entries (and the key's directory must be the user's own for the key to stay secret).
 * The rules, as OpenSSH's StrictModes and sudo apply them to the files they trust:
 *
 * - the directory itself (after following symlinks) is owned by the user and neither group nor
 *   others can write it;
 * - every directory above it (of the path as given and of the symlink's target) is owned by the
 *   user or root and is not writable by others unless sticky (`/tmp` is fine, a `chmod 777`
 *   parent is not). Group-writable parents are accepted: user-private groups (umask 002) make
 *   home directories group-writable without giving anyone else access.
 *
 * A directory that does not exist yet is judged by its parents now, and again once created.
 * Windows has no owner or mode bits to read here: nothing is checked there.
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** What the error names the directory as, and the setting that moves it. */
export interface DirRole {
  /** "the cache directory", "the cache key's directory". */
  label: string;
  /** How the user picks another one: "--cache-dir or SLOPGUARD_CACHE_DIR". */
  setting: string;
}

/** The cache directory's role, for its errors. */
export const CACHE_DIR_ROLE: DirRole = { label: 'the cache directory', setting: '--cache-dir or SLOPGUARD_CACHE_DIR' };

function mode(st: Stats): string {
  return `0${(st.mode & 0o7777).toString(8)}`;
}

function uid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Throws a ConfigError naming the fix when `dir` (absolute) is not safe to keep trusted files in. */
export function assertOwnDir(dir: string, role: DirRole = CACHE_DIR_ROLE): void {
  const me = uid();
  if (me === undefined || process.platform === 'win32') return;
  if (!isAbsolute(dir)) throw new ConfigError(role.label, dir, `expected an absolute path; set it with ${role.setting}`);
  const refuse = (path: string, problem: string, fix: string): never => {
    throw new ConfigError(role.label, dir, `${path === dir ? '' : `${path} (above it) `}${problem}; ${fix}, or use another directory (${role.setting})`);
  };
  const checkParents = (from: string) => {
    for (let p = dirname(from); ; p = dirname(p)) {
      const st = statOrUndefined(p);
      if (st) {
        if (st.uid !== me && st.uid !== 0) refuse(p, `is owned by another user (uid ${st.uid})`, `move the directory somewhere you own`);
        if (st.mode & 0o002 && !(st.mode & 0o1000)) refuse(p, `can be written by every user (mode ${mode(st)})`, `run \`chmod o-w ${p}\``);
      }
      if (dirname(p) === p) break;
    }
  };
  const st = statOrUndefined(dir);
  checkParents(resolve(dir));
  if (!st) return; // created later with mode 0700; judged again then (FactCache)
  let real = resolve(dir);
  try {
    real = realpathSync(dir);
  } catch {
    // stat followed it, realpath should too; keep the path as given.
  }
  if (real !== resolve(dir)) checkParents(real);
  const via = real === resolve(dir) ? '' : `is a symlink to ${real}, which `;
  if (!st.isDirectory()) return; // not a directory: the cache reports it unwritable and works without it
  if (st.uid !== me) refuse(dir, `${via}is owned by another user (uid ${st.uid})`, `run \`chown ${me} ${real}\``);
  if (st.mode & 0o022) refuse(dir, `${via}can be written by group or others (mode ${mode(st)}), who could replace its entries`, `run \`chmod go-w ${real}\``);
}
