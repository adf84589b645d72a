/**
 * Builds the popular-name index file from a list of names with their popularity. Used by
 * scripts/build-data.ts and scripts/refresh-data.ts, and by tests that need a small index of
 * invented names. Not loaded at run time.
 */
import type { Ecosystem } from '../core/types.js';
import { formsOf } from './forms.js';
import { FAMILY, GROUP_BITS, editKeys, groupOfKey, hashKey, scopeKey, storedKeys } from './keys.js';
import { weeklyFromRank } from './popularity.js';
import { POPULAR_KIND, UNKNOWN_WEEKLY } from './popular-data.js';
import { writeStore } from './store.js';

/** One popular name as a source lists it. */
export interface PopularEntry {
  name: string;
  /** Weekly downloads, when the source counts them (npm). */
  weekly?: number;
  /** Rank among the most downloaded, when the source ranks them (PyPI). */
  rank?: number;
}

/** Which names become targets of the look-alike engine. */
export interface TargetThresholds {
  /** Unscoped names with at least this many weekly downloads are spelling targets. */
  spellingMinWeekly: number;
  /** Unscoped names with at least this many are also targets of two-edit typos (when long enough). */
  twoEditsMinWeekly: number;
  /** Scoped names with at least this many are scope-confusion targets (their bare name). */
  scopedMinWeekly: number;
}

/** What the builder did, for the README and the logs. */
export interface BuildStats {
  names: number;
  spellingTargets: number;
  twoEditTargets: number;
  scopedTargets: number;
  scopes: number;
  keys: number;
  bytes: number;
}


/** Build the popular-index file image for one ecosystem. Names sort by popularity, so lower ids are more popular. */
export function buildPopularIndex(
  ecosystem: Ecosystem,
  entries: readonly PopularEntry[],
  opts: TargetThresholds & { snapshotDate: string; source: string },
): { image: Buffer; stats: BuildStats } {
  const weeklyOf = (e: PopularEntry) => e.weekly ?? (e.rank !== undefined ? weeklyFromRank(e.rank) : undefined);
  // Deduplicate by canonical name for PyPI (two spellings of one project), by exact name for npm.
  const seen = new Set<string>();
  const list = entries
    .filter((e) => {
      const k = ecosystem === 'pypi' ? formsOf('pypi', e.name).canonical : e.name;
      if (seen.has(k) || !/^[\x21-\x7e]+$/.test(e.name)) return false;
      seen.add(k);
      return true;
    })
    .map((e) => ({ ...e, name: ecosystem === 'pypi' ? formsOf('pypi', e.name).canonical : e.name, w: weeklyOf(e) }))
    .sort((a, b) => (b.w ?? -1) - (a.w ?? -1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const n = list.length;
  const offsets = new Uint32Array(n + 1);
  const weekly = new Uint32Array(n);
  const rank = new Uint32Array(n);
  const chunks: Buffer[] = [];
  let at = 0;
  // (hash, id) pairs: two-edit keys go to a table of their own (see PopularData), the rest to the main one.
  const pairs: number[] = [];
  const pairs2: number[] = [];
  // The filter block slot of each key, in the pairs' order.
  const groups: number[] = [];
  const groups2: number[] = [];
  const scopes = new Map<string, number>();
  let spellingTargets = 0;
  let twoEditTargets = 0;
  let scopedTargets = 0;
  list.forEach((e, id) => {
    const b = Buffer.from(e.name, 'latin1');
    chunks.push(b);
    offsets[id] = at;
    at += b.length;
    weekly[id] = e.w === undefined ? UNKNOWN_WEEKLY : Math.min(e.w, UNKNOWN_WEEKLY - 1);
    rank[id] = e.rank ?? 0;
    const known = e.w !== undefined;
    const scoped = e.name.startsWith('@');
    const role = {
      spelling: known && !scoped && e.w! >= opts.spellingMinWeekly,
      twoEdits: known && !scoped && e.w! >= opts.twoEditsMinWeekly,
      scoped: known && scoped && e.w! >= opts.scopedMinWeekly,
    };
    if (role.spelling) spellingTargets++;
    if (role.twoEdits) twoEditTargets++;
    if (role.scoped) {
      scopedTargets++;
      const scope = formsOf(ecosystem, e.name).scope;
      // The first (most popular) package of a scope stands for the scope.
      if (scope !== undefined && !scopes.has(scope)) scopes.set(scope, id);
    }
    for (const k of storedKeys(ecosystem, e.name, role)) {
      const two = k.family === FAMILY.edit2;
      (two ? pairs2 : pairs).push(hashKey(k.family, k.key, k.skip, k.skip2), id);
      (two ? groups2 : groups).push(groupOfKey(k.key, k.skip, k.skip2));
    }
  });
  offsets[n] = at;
  for (const [scope, id] of scopes) {
    for (const k of editKeys(FAMILY.scope, scopeKey(scope))) {
      pairs.push(hashKey(k.family, k.key, k.skip), id);
      groups.push(groupOfKey(k.key, k.skip));
    }
  }

  const packed = packKeys(pairs, n);
  const packed2 = packKeys(pairs2, n);
  const { dirBits, idBits } = packed;
  const filter = blockedFilter(pairs, groups, FILTER_BITS_PER_KEY);
  const filter2 = blockedFilter(pairs2, groups2, FILTER_BITS_PER_KEY2);
  const image = writeStore(
    POPULAR_KIND,
    opts.snapshotDate,
    { ecosystem, count: n, ...opts, dirBits, idBits, dirBits2: packed2.dirBits, groupBits: GROUP_BITS },
    {
      offsets,
      names: Buffer.concat(chunks),
      weekly,
      // Only lists that rank (PyPI) carry ranks; npm's would be all zeros.
      ...(rank.some((r) => r > 0) ? { rank } : {}),
      keys: packed.entries.keys,
      keyDir: packed.entries.dir,
      filter: filter.words,
      filterDir: filter.dir,
      keys2: packed2.entries.keys,
      keyDir2: packed2.entries.dir,
      filter2: filter2.words,
      filter2Dir: filter2.dir,
    },
  );
  return { image, stats: { names: n, spellingTargets, twoEditTargets, scopedTargets, scopes: scopes.size, keys: packed.entries.keys.length + packed2.entries.keys.length, bytes: image.length } };
}

// Probes mostly miss (a query's deletions rarely match a stored key); a bit filter turns most misses
// away before the directory and the key table are touched. Bits a key: main table (one-edit, word,
// affix, version, scope keys), and two-edit table (the most probed: a little more per key).
const FILTER_BITS_PER_KEY = 7;
const FILTER_BITS_PER_KEY2 = 8;

/**
 * A blocked bit filter: each block slot (groupOf in keys.ts: length, first and last character)
 * gets a run of 64-byte lines sized to its keys, and each key sets two bits in one line of its run,
 * chosen by its hash (PopularData's KeyTable reads it the same way). `dir` holds each slot's first
 * line, and one more entry: a slot's lines run to the next slot's first line. A slot without keys
 * has no lines and reads its neighbour's first line: a possible false hit, never a lost key.
 */
function blockedFilter(pairs: readonly number[], groups: readonly number[], bitsPerKey: number): { words: Uint32Array; dir: Uint32Array } {
  const slots = 2 ** GROUP_BITS;
  const count = new Uint32Array(slots);
  for (const g of groups) count[g]!++;
  const dir = new Uint32Array(slots + 1);
  // Lines in proportion to the keys seen so far: no rounding lost per slot (a slot with a key or two
  // may get no line of its own and share its neighbour's: more false hits there, nothing lost).
  let seen = 0;
  for (let g = 0; g < slots; g++) {
    dir[g] = Math.round((seen * bitsPerKey) / 512);
    seen += count[g]!;
  }
  const lines = (dir[slots] = Math.ceil((seen * bitsPerKey) / 512));
  // One spare line: an empty last slot reads the line after the last.
  const words = new Uint32Array((lines + 1) * 16);
  for (let i = 0; i < groups.length; i++) {
    const h = pairs[2 * i]!;
    const g = groups[i]!;
    const base = (dir[g]! + Math.floor(((h >>> 16) * (dir[g + 1]! - dir[g]!)) / 65536)) * 512;
    const b1 = base + (h & 511);
    const b2 = base + ((h >>> 7) & 511);
    words[b1 >>> 5]! |= 1 << (b1 & 31);
    words[b2 >>> 5]! |= 1 << (b2 & 31);
  }
  return { words, dir };
}

/**
 * Pack (hash, id) pairs into one u32 per key: a directory on the hash's top `dirBits` bits says
 * where each bucket starts, and each entry holds the hash's low bits above the id's `idBits` bits.
 * With 2^18 buckets and 18-bit ids that keeps all 32 hash bits in 4 bytes a key instead of 8.
 */
export function packKeys(pairs: readonly number[], names: number): { entries: { keys: Uint32Array; dir: Uint32Array }; dirBits: number; idBits: number } {
  const idBits = Math.max(1, Math.ceil(Math.log2(names + 1)));
  if (idBits > 24) throw new Error(`too many names for the key table (${names})`);
  const resBits = 32 - idBits;
  const m = pairs.length / 2;
  // About sixteen keys a bucket (a bucket is scanned; the directory stays small), within 2^10..2^20 buckets.
  const dirBits = Math.min(20, Math.max(10, Math.ceil(Math.log2(m / 16 + 1))));
  const bucket = (h: number) => h >>> (32 - dirBits);
  const packed = (h: number, id: number) => ((((h & ((1 << resBits) - 1)) >>> 0) * 2 ** idBits + id) >>> 0);
  const order = new Uint32Array(m).map((_, i) => i);
  const bk = new Uint32Array(m);
  const pk = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    bk[i] = bucket(pairs[2 * i]!);
    pk[i] = packed(pairs[2 * i]!, pairs[2 * i + 1]!);
  }
  order.sort((x, y) => bk[x]! - bk[y]! || pk[x]! - pk[y]!);
  const keys: number[] = [];
  const dir = new Uint32Array((1 << dirBits) + 1);
  let last = -1;
  let lastBucket = -1;
  for (const i of order) {
    if (bk[i] === lastBucket && pk[i] === last) continue; // the same key stored twice for one name
    while (lastBucket < bk[i]!) dir[++lastBucket] = keys.length;
    keys.push(pk[i]!);
    last = pk[i]!;
  }
  while (lastBucket < 1 << dirBits) dir[++lastBucket] = keys.length;
  return { entries: { keys: Uint32Array.from(keys), dir }, dirBits, idBits };
}
