/**
 * One cache entry as stored, on disk and in a shared cache alike: the entry's JSON behind an
 * HMAC-SHA256 of its exact bytes under the user's key (cache-key.ts),
 *
 *   {"mac":"<64 hex>","entry":{"v":4,"key":...,"storedAt":...,"expiresAt":...,"etag":...,"value":...}}
 *
 * still one JSON document for people and tools that look, with the authenticated bytes at a fixed
 * place, so reading one costs one HMAC and one JSON.parse. An entry that was damaged, edited,
 * written under another key (a cache copied in from a repository or another user, a forged Redis
 * value) or for another key is a miss. Format v3 carried only a CRC-32: anyone who could put a
 * file in the cache dir could make a missing name "found".
 */
import type { Ecosystem } from '../core/types.js';
import { lazyRequire } from '../core/lazy-require.js';
import { stripUserinfo } from './redact.js';

// node:crypto costs a one-name check ~4 ms to load (measured): only runs that read or write an
// entry load it.
const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

/** The format's name: entry directories and shared-cache keys carry it, so formats never mix. */
export const ENTRY_FORMAT = 'v4';

/** What an entry holds. */
export type CacheKind = 'facts' | 'facts-abbreviated' | 'downloads' | 'npm-document';

/** A cache read. */
export interface CacheHit<T> {
  value: T;
  etag?: string;
  /** False when past its expiry (usable offline, or to revalidate). */
  fresh: boolean;
  storedAt: string;
}

/** The entry inside the frame. */
export interface Entry {
  v: 4;
  key: string;
  storedAt: string;
  expiresAt: string;
  etag?: string;
  value: unknown;
}

const PREFIX = '{"mac":"';
const MIDDLE = '","entry":';
const SUFFIX = '}';
const MAC_HEX = 64;
const BODY_AT = PREFIX.length + MAC_HEX + MIDDLE.length;

/** The cache key: the registry's URL without credentials, so tokens never reach the disk. */
export function cacheKey(kind: CacheKind, registry: string, ecosystem: Ecosystem, name: string): string {
  return `${kind}\n${stripUserinfo(registry)}\n${ecosystem}\n${name}`;
}

function mac(secret: Buffer, body: Uint8Array | string): Buffer {
  return crypto().createHmac('sha256', secret).update(body).digest();
}

/** An entry's stored bytes. */
export function seal(secret: Buffer, entry: Entry): string {
  const json = JSON.stringify(entry);
  return `${PREFIX}${mac(secret, json).toString('hex')}${MIDDLE}${json}${SUFFIX}`;
}

/** The entry's JSON inside stored bytes, or undefined when the frame or the MAC is wrong. */
function unseal(secret: Buffer, buf: Buffer): string | undefined {
  if (buf.length < BODY_AT + SUFFIX.length || buf.toString('latin1', 0, PREFIX.length) !== PREFIX) return undefined;
  if (buf.toString('latin1', PREFIX.length + MAC_HEX, BODY_AT) !== MIDDLE || buf[buf.length - 1] !== SUFFIX.charCodeAt(0)) return undefined;
  const given = Buffer.from(buf.toString('latin1', PREFIX.length, PREFIX.length + MAC_HEX), 'hex');
  if (given.length !== MAC_HEX / 2) return undefined;
  const body = buf.subarray(BODY_AT, buf.length - SUFFIX.length);
  if (!crypto().timingSafeEqual(given, mac(secret, body))) return undefined;
  return body.toString('utf8');
}

/**
 * Read stored bytes as the entry for `key`: undefined unless authentic, for this key, of this
 * format and with a value `valid` accepts.
 */
export function openEntry<T>(secret: Buffer, buf: Buffer, key: string, valid: (v: unknown) => v is T, now: Date): CacheHit<T> | undefined {
  let e: Entry;
  try {
    const body = unseal(secret, buf);
    if (body === undefined) return undefined;
    e = JSON.parse(body) as Entry;
  } catch {
    return undefined;
  }
  if (!e || typeof e !== 'object' || e.v !== 4 || e.key !== key || typeof e.storedAt !== 'string' || typeof e.expiresAt !== 'string') return undefined;
  if (e.etag !== undefined && typeof e.etag !== 'string') return undefined;
  if (!valid(e.value)) return undefined;
  const expires = Date.parse(e.expiresAt);
  if (Number.isNaN(expires)) return undefined;
  const hit: CacheHit<T> = { value: e.value, fresh: now.getTime() < expires, storedAt: e.storedAt };
  if (e.etag) hit.etag = e.etag;
  return hit;
}

/** A new entry for `key`, fresh for `ttlMs` from `now`. */
export function newEntry(key: string, value: unknown, now: Date, ttlMs: number, etag?: string): Entry {
  const e: Entry = { v: 4, key, storedAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString(), value };
  if (etag) e.etag = etag;
  return e;
}
