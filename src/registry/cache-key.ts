/**
 * The per-user secret that authenticates cache entries (cache-entry.ts). It lives in the user's
 * state directory, not in the cache: a cache copied in from a repository, an artifact or another
 * user then carries no key that matches, and all of its entries are misses.
 *
 *   SLOPGUARD_CACHE_KEY_FILE   a key file to use instead (an organisation sharing one Redis cache
 *                              gives every runner and `serve` instance the same file)
 *   default                    $XDG_STATE_HOME/slopguard/cache-key (~/.local/state/slopguard/...),
 *                              ~/Library/Application Support/slopguard/cache-key on macOS,
 *                              %LOCALAPPDATA%\slopguard\State\cache-key on Windows
 *
 * The default key is made on first use: 32 random bytes, written 0600 to a temporary file and
 * linked into place, so two first runs at once agree on one key. A key file that others can
 * read or write is refused (ConfigError naming the fix); a state directory that cannot be made
 * (no home directory, a read-only one) leaves the run without the disk cache, with one warning.
 */
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { lazyRequire } from '../core/lazy-require.js';
import { assertOwnDir } from './cache-dir.js';

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

/** Shortest key accepted from a key file (bytes, after trimming white space). */
const MIN_KEY_BYTES = 32;

type Env = Record<string, string | undefined>;

/** XDG_STATE_HOME when set to an absolute path (the XDG spec ignores relative ones). */
function xdgStateHome(env: Env): string | undefined {
  const v = env.XDG_STATE_HOME;
  return v && isAbsolute(v) ? v : undefined;
}

/** The default key file of a user. */
export function defaultCacheKeyFile(env: Env, home: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'slopguard', 'State', 'cache-key');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'slopguard', 'cache-key');
  return join(xdgStateHome(env) ?? join(home, '.local', 'state'), 'slopguard', 'cache-key');
}

/** A key, or why there is none (the cache then runs without its disk layer). */
export type CacheKeyResult = { key: Buffer; file: string } | { unavailable: string };

const KEY_ROLE = { label: 'the cache key file', setting: 'SLOPGUARD_CACHE_KEY_FILE' };

function readKey(file: string, explicit: boolean): Buffer {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConfigError(KEY_ROLE.label, file, 'is not a regular file');
    const me = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (me !== undefined && process.platform !== 'win32') {
      // An administrator may hand out a root-owned key file (explicit only); the default is ours.
      if (st.uid !== me && !(explicit && st.uid === 0)) throw new ConfigError(KEY_ROLE.label, file, `is owned by another user (uid ${st.uid}); whoever owns it can forge cache entries: remove it (a new one is made) or \`chown ${me} ${file}\``);
      const open = explicit ? st.mode & 0o022 : st.mode & 0o077;
      if (open) throw new ConfigError(KEY_ROLE.label, file, `can be ${st.mode & 0o022 ? 'written' : 'read'} by group or others (mode 0${(st.mode & 0o777).toString(8)}), who could forge cache entries; run \`chmod 600 ${file}\``);
    }
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('latin1').trim();
    if (text.length < MIN_KEY_BYTES) throw new ConfigError(KEY_ROLE.label, file, `holds ${text.length} bytes, expected at least ${MIN_KEY_BYTES}; remove it to have a new one made`);
    return Buffer.from(text, 'latin1');
  } finally {
    closeSync(fd);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Make the default key file, unless another process made it first (then theirs is used). */
function createKey(file: string, home: string, env: Env): void {
  const dir = dirname(file);
  // Only below a home directory (or an XDG_STATE_HOME) that exists: a HOME that points nowhere
  // (a sandbox, a service account) must not make slopguard create it, as root could.
  const xdg = xdgStateHome(env);
  const base = xdg ? dirname(xdg) : home;
  if (!exists(base)) throw Object.assign(new Error(`${base} does not exist`), { code: 'ENOENT' });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertOwnDir(dir, { label: "the cache key's directory", setting: 'XDG_STATE_HOME or SLOPGUARD_CACHE_KEY_FILE' });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${crypto().randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The user's cache key: read, or made on first use. Throws ConfigError for a key file that is
 * not the user's own secret; returns `unavailable` when none can be kept.
 */
export function loadCacheKey(env: Env, home: string): CacheKeyResult {
  const explicit = env.SLOPGUARD_CACHE_KEY_FILE;
  if (explicit !== undefined && explicit !== '') {
    if (!isAbsolute(explicit)) throw new ConfigError('environment', 'SLOPGUARD_CACHE_KEY_FILE', `expected an absolute path, got ${JSON.stringify(explicit)}`);
    try {
      return { key: readKey(explicit, true), file: explicit };
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(KEY_ROLE.label, explicit, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  const file = defaultCacheKeyFile(env, home);
  try {
    return { key: readKey(file, false), file };
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { unavailable: `the cache key ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  try {
    createKey(file, home, env);
    return { key: readKey(file, false), file };
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    return { unavailable: `no cache key can be kept in ${dirname(file)} (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}
