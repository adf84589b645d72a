/**
 * Disk cache of registry answers (facts and download counts, never verdicts).
 *
 * - Keyed by kind + registry URL + ecosystem + name: an answer from one registry is never served
 *   for another (a private mirror and npmjs disagree on what exists).
 * - Entries carry their expiry and the ETag, so a stale entry is revalidated with If-None-Match
 *   and a 304 only refreshes the expiry.
 * - Writes are atomic (temp file + rename): a crash or a concurrent run leaves the old entry or
 *   the new one, never half of one. A corrupt, truncated or edited entry (checksum, key and shape
 *   are checked) is a miss. The checksum is a CRC-32 of the entry's exact bytes as stored
 *   (`{"sum":"<crc>","entry":<entry>}`), so reading one costs a read, a CRC and one JSON.parse; it
 *   guards against damage, not against someone who can write the cache dir (they could recompute
 *   any checksum). Format v1 (SHA-256 over a re-serialised entry) cost twice as much per warm read.
 *   (Format v2 was this one with SHA-256 file names; its entries are simply not read.)
 * - Stores no credentials: registry URLs lose their user-info, and no headers are kept but ETag.
 * - An unwritable directory makes the cache read-only (or absent) with one warning; it never
 *   fails a lookup.
 * - Writes run in the background (Node's thread pool), so a cold run's main thread, which is
 *   busy with answers, does not wait on the disk; `flush()` waits for them (the resolver's close).
 */
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rename, rm, writeFile } from 'node:fs';
import { join } from 'node:path';
import type { Ecosystem } from '../core/types.js';
import { stripUserinfo } from './redact.js';

/** What an entry holds. */
export type CacheKind = 'facts' | 'facts-abbreviated' | 'downloads';

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

/** A cache read. */
export interface CacheHit<T> {
  value: T;
  etag?: string;
  /** False when past its expiry (usable offline, or to revalidate). */
  fresh: boolean;
  storedAt: string;
}

interface Entry {
  v: 3;
  key: string;
  storedAt: string;
  expiresAt: string;
  etag?: string;
  value: unknown;
}

/** Options of {@link FactCache}. */
export interface FactCacheOptions {
  /** Directory for entries; created on first write. */
  dir: string;
  now: () => Date;
  /** Told once when the directory cannot be written. */
  warn?: (message: string) => void;
}

const FORMAT = 'v3';

// An entry file is exactly PREFIX + 8 hex digits + MIDDLE + the entry's JSON + SUFFIX: still one
// JSON document (for people and tools that look), with the checksummed bytes at a fixed place.
const PREFIX = '{"sum":"';
const MIDDLE = '","entry":';
const SUFFIX = '}';
const BODY_AT = PREFIX.length + 8 + MIDDLE.length;

// CRC-32 (IEEE, as zlib and PNG) and the file-name hash are written here rather than taken from
// node:zlib and node:crypto: loading those modules cost a one-name `slopguard check` more (~6 ms,
// measured) than computing either over a few hundred bytes.
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function crcHex(bytes: Uint8Array | string): string {
  return crc32(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString(16).padStart(8, '0');
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

/** The entry inside a file's bytes, or undefined when the frame or the checksum is wrong. */
function unframe(buf: Buffer): string | undefined {
  if (buf.length < BODY_AT + SUFFIX.length || buf.toString('latin1', 0, PREFIX.length) !== PREFIX) return undefined;
  if (buf.toString('latin1', PREFIX.length + 8, BODY_AT) !== MIDDLE || buf[buf.length - 1] !== SUFFIX.charCodeAt(0)) return undefined;
  const body = buf.subarray(BODY_AT, buf.length - SUFFIX.length);
  if (buf.toString('latin1', PREFIX.length, PREFIX.length + 8) !== crcHex(body)) return undefined;
  return body.toString('utf8');
}

/** The cache key: the registry's URL without credentials, so tokens never reach the disk. */
export function cacheKey(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string): string {
  return `${kind}\n${stripUserinfo(registry)}\n${ecosystem}\n${name}`;
}

/** A directory of JSON entries, one per key. */
export class FactCache {
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #warn: ((m: string) => void) | undefined;
  #writable = true;
  #writes = 0;
  #madeDir = false;
  readonly #pending = new Set<Promise<void>>();

  constructor(o: FactCacheOptions) {
    this.#dir = join(o.dir, FORMAT);
    this.#now = o.now;
    this.#warn = o.warn;
  }

  #file(key: string): string {
    return join(this.#dir, `${fileNameOf(key)}.json`);
  }

  /** Read an entry; undefined on a miss or a corrupt entry. `valid` checks the value's shape. */
  get<T>(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, valid: (v: unknown) => v is T): CacheHit<T> | undefined {
    const key = cacheKey(kind, registry, ecosystem, name);
    let e: Entry;
    try {
      // unframe() copies the entry out of the shared buffer before the next read reuses it.
      const body = unframe(readEntry(this.#file(key)));
      if (body === undefined) return undefined;
      e = JSON.parse(body) as Entry;
    } catch {
      return undefined;
    }
    if (!e || typeof e !== 'object' || e.v !== 3 || e.key !== key || typeof e.storedAt !== 'string' || typeof e.expiresAt !== 'string') return undefined;
    if (e.etag !== undefined && typeof e.etag !== 'string') return undefined;
    if (!valid(e.value)) return undefined;
    const expires = Date.parse(e.expiresAt);
    if (Number.isNaN(expires)) return undefined;
    const hit: CacheHit<T> = { value: e.value, fresh: this.#now().getTime() < expires, storedAt: e.storedAt };
    if (e.etag) hit.etag = e.etag;
    return hit;
  }

  /** Write an entry that stays fresh for `ttlMs` (in the background: see {@link flush}). */
  put(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, value: unknown, ttlMs: number, etag?: string): void {
    if (!this.#writable) return;
    const now = this.#now();
    const body: Entry = {
      v: 3,
      key: cacheKey(kind, registry, ecosystem, name),
      storedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      value,
    };
    if (etag) body.etag = etag;
    const json = JSON.stringify(body);
    const file = this.#file(body.key);
    // Unique per process (pid) and per write (sequence); random bytes cost more than the write.
    const tmp = `${file}.${process.pid}.${++this.#writes}.tmp`;
    try {
      if (!this.#madeDir) {
        mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
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
      writeFile(tmp, `${PREFIX}${crcHex(json)}${MIDDLE}${json}${SUFFIX}`, { mode: 0o600 }, (e) => {
        if (e) return failed(e);
        rename(tmp, file, (e2) => (e2 ? failed(e2) : done()));
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
    const code = (e as { code?: string }).code ?? String(e);
    this.#warn?.(`the cache directory ${this.#dir} is not writable (${code}); continuing without saving to the cache`);
  }

  /** After a 304: keep the value and ETag, start a new freshness period. */
  refresh<T>(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string, hit: CacheHit<T>, ttlMs: number): void {
    this.put(kind, registry, ecosystem, name, hit.value, ttlMs, hit.etag);
  }
}

/** The user cache directory, as each platform expects it. */
export function defaultCacheDir(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'slopguard', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'slopguard');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'slopguard');
}
