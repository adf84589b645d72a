/**
 * Disk cache of registry answers (facts and download counts, never verdicts).
 *
 * - Keyed by kind + registry URL + ecosystem + name: an answer from one registry is never served
 *   for another (a private mirror and npmjs disagree on what exists).
 * - Entries carry their expiry and the ETag, so a stale entry is revalidated with If-None-Match
 *   and a 304 only refreshes the expiry.
 * - Entries are authenticated with the user's key (cache-entry.ts, cache-key.ts): a damaged,
 *   edited or copied-in entry is a miss. (v3 entries, CRC only, are simply not read.)
 * - The directory must be the user's own (cache-dir.ts): one that another user owns or can
 *   write, or a symlink to one, is refused with a ConfigError naming the fix.
 * - Writes are atomic (temp file + rename): a crash or a concurrent run leaves the old entry or
 *   the new one, never half of one.
 * - Stores no credentials: registry URLs lose their user-info, and no headers are kept but ETag.
 * - An unwritable directory makes the cache read-only (or absent) with one warning; it never
 *   fails a lookup.
 * - Writes run in the background (Node's thread pool), so a cold run's main thread, which is
 *   busy with answers, does not wait on the disk; `flush()` waits for them (the resolver's close).
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rename, rm, writeFile } from 'node:fs';
import { join, sep } from 'node:path';
import type { Ecosystem } from '../core/types.js';
import { userCacheDir } from '../policy/config-paths.js';
import { assertOwnDir } from './cache-dir.js';
import { cacheKey, ENTRY_FORMAT, newEntry, openEntry, seal, type CacheHit, type CacheKind } from './cache-entry.js';

export { cacheKey, type CacheHit, type CacheKind } from './cache-entry.js';

/** How long entries stay fresh. */
export interface CacheTtl {
  /** Facts about a package that exists (or existed). */
  factsMs: number;
  /** A 404: short, so a package published a moment ago is not "missing" all day. */
  notFoundMs: number;
  /** Download counts change once a day. */
  downloadsMs: number;
}

export const DEFAULT_TTL: CacheTtl = { factsMs: 24 * 3_600_000, notFoundMs: 3_600_000, downloadsMs: 12 * 3_600_000 };

/** Options of {@link FactCache}. */
export interface FactCacheOptions {
  /** Directory for entries (absolute); created on first write. */
  dir: string;
  /** The user's key (cache-key.ts). */
  secret: Buffer;
  now: () => Date;
  /** Told once when the directory cannot be written. */
  warn?: (message: string) => void;
}

/**
 * The file name of a key: two 32-bit FNV-1a lanes (different offsets and primes) over its UTF-16
 * units, 16 hex digits. Not a security boundary: a collision only makes two keys share a file,
 * and the key stored inside the entry is checked on every read.
 */
function fileNameOf(key: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

// Entries are a few hundred bytes: read them into one reused buffer (open, read, close) rather
// than readFileSync's open, fstat, read, close and a new buffer each.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

function readEntry(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, 0);
    if (n < READ_BUFFER.length) return READ_BUFFER.subarray(0, n);
  } finally {
    closeSync(fd);
  }
  return readFileSync(file);
}

/**
 * Misses after which the directory is listed once and later misses cost no system call. A miss
 * is a failed open, and Node builds an Error for each (~0.05-0.2 ms): a cold 1,000-name run
 * failed ~2,500 of them. A run with a few lookups never lists (a big cache lists in a few ms).
 */
const LIST_AFTER_MISSES = 16;

/** A directory of JSON entries, one per key. */
export class FactCache {
  readonly #root: string;
  readonly #dir: string;
  readonly #secret: Buffer;
  readonly #now: () => Date;
  readonly #warn: ((m: string) => void) | undefined;
  #writable = true;
  #writes = 0;
  #madeDir = false;
  readonly #pending = new Set<Promise<void>>();
  #misses = 0;
  /**
   * The entry files at the time of listing, plus those this process wrote since: a name not in
   * it is a miss without opening anything. An entry another process writes meanwhile is missed
   * for the rest of this run (asked again, as on a cold cache), never misread.
   */
  #listing: Set<string> | undefined;

  /** Throws ConfigError when the directory is not the user's own (see cache-dir.ts). */
  constructor(o: FactCacheOptions) {
    this.#root = o.dir;
    this.#dir = join(o.dir, ENTRY_FORMAT);
    assertOwnDir(this.#root);
    assertOwnDir(this.#dir);
    this.#secret = o.secret;
    this.#now = o.now;
    this.#warn = o.warn;
  }

  /** The entry's file name (in the directory). */
  #name(key: string): string {
    return `${fileNameOf(key)}.json`;
  }

  /** Its path: the directory was normalized once, and path.join per entry showed in cold profiles. */
  #file(name: string): string {
    return this.#dir + sep + name;
  }

  #list(): void {
    try {
      this.#listing = new Set(readdirSync(this.#dir));
    } catch (e) {
      // No directory yet: nothing to read. Any other failure: keep opening entries one by one.
      if ((e as { code?: string }).code === 'ENOENT') this.#listing = new Set();
    }
  }

  /** Read an entry; undefined on a miss or an entry that is not authentic. `valid` checks the value's shape. */
  get<T>(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, valid: (v: unknown) => v is T): CacheHit<T> | undefined {
    const key = cacheKey(kind, registry, ecosystem, name);
    const entryName = this.#name(key);
    if (this.#listing && !this.#listing.has(entryName)) return undefined;
    let buf: Buffer;
    try {
      buf = readEntry(this.#file(entryName));
    } catch {
      if (++this.#misses === LIST_AFTER_MISSES) this.#list();
      return undefined;
    }
    // openEntry() copies the entry out of the shared buffer before the next read reuses it.
    return openEntry(this.#secret, buf, key, valid, this.#now());
  }

  /** Write an entry that stays fresh for `ttlMs` (in the background: see {@link flush}). */
  put(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, value: unknown, ttlMs: number, etag?: string): void {
    if (!this.#writable) return;
    const key = cacheKey(kind, registry, ecosystem, name);
    this.#write(key, seal(this.#secret, newEntry(key, value, this.#now(), ttlMs, etag)));
  }

  /** Store an entry already sealed under the same key (a shared-cache hit kept locally). */
  putSealed(key: string, sealed: string): void {
    if (this.#writable) this.#write(key, sealed);
  }

  #write(key: string, sealed: string): void {
    const name = this.#name(key);
    const file = this.#file(name);
    // Unique per process (pid) and per write (sequence); random bytes cost more than the write.
    const tmp = `${file}.${process.pid}.${++this.#writes}.tmp`;
    try {
      if (!this.#madeDir) {
        mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
        // Judged again once it exists: another user may have made it first (in /tmp, say).
        assertOwnDir(this.#root);
        assertOwnDir(this.#dir);
        this.#madeDir = true;
      }
    } catch (e) {
      this.#unwritable(e);
      return;
    }
    // Callbacks rather than fs/promises: a FileHandle per write cost the main thread about twice
    // as much (measured on a cold 1,000-name scan).
    const write = new Promise<void>((done) => {
      const failed = (e: unknown) => {
        // The directory itself is the problem when this fails too; nothing was written.
        rm(tmp, { force: true }, () => {
          this.#unwritable(e);
          done();
        });
      };
      writeFile(tmp, sealed, { mode: 0o600 }, (e) => {
        if (e) return failed(e);
        rename(tmp, file, (e2) => {
          if (e2) return failed(e2);
          this.#listing?.add(name);
          done();
        });
      });
    });
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }

  /** Wait for every write started so far. Never rejects. */
  async flush(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  #unwritable(e: unknown): void {
    if (!this.#writable) return;
    this.#writable = false;
    const code = (e as { code?: string }).code ?? (e as Error).message ?? String(e);
    this.#warn?.(`the cache directory ${this.#dir} is not writable (${code}); continuing without saving to the cache`);
  }

  /** After a 304: keep the value and ETag, start a new freshness period. */
  refresh<T>(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, hit: CacheHit<T>, ttlMs: number): void {
    this.put(kind, registry, ecosystem, name, hit.value, ttlMs, hit.etag);
  }
}

/** The user cache directory, as each platform expects it (one definition: policy/config-paths.ts). */
export function defaultCacheDir(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform = process.platform): string {
  return userCacheDir(env, platform, home);
}
