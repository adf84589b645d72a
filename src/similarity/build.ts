/**
 * Builds the popular-name index file from a list of names with their popularity. Used by
 * scripts/build-data.ts and scripts/refresh-data.ts, and by tests that need a small index of
 * invented names. Not loaded at run time.
 */
import type { Ecosystem } from '../core/types.js';
import { formsOf } from './forms.js';
import { FAMILY, editKeys, hashKey, scopeKey, storedKeys } from './keys.js';
import { weeklyFromRank } from './popularity.js';
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
  /** Scoped names with at least this many are scope-confusion targets (their bare name). */
  scopedMinWeekly: number;
}

/** What the builder did, for the README and the logs. */
export interface BuildStats {
  names: number;
  spellingTargets: number;
  scopedTargets: number;
  scopes: number;
  keys: number;
  bytes: number;
}

/** Kind tag of popular-index files. */
export const POPULAR_KIND = 'popular-index';
/** Weekly count meaning "listed, count unknown". */
export const UNKNOWN_WEEKLY = 0xffffffff;
const DIR_BITS = 16;

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
  const pairs: number[] = [];
  const scopes = new Map<string, number>();
  let spellingTargets = 0;
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
      scoped: known && scoped && e.w! >= opts.scopedMinWeekly,
    };
    if (role.spelling) spellingTargets++;
    if (role.scoped) {
      scopedTargets++;
      const scope = formsOf(ecosystem, e.name).scope;
      // The first (most popular) package of a scope stands for the scope.
      if (scope !== undefined && !scopes.has(scope)) scopes.set(scope, id);
    }
    for (const k of storedKeys(ecosystem, e.name, role)) pairs.push(hashKey(k.family, k.key, k.skip), id);
  });
  offsets[n] = at;
  for (const [scope, id] of scopes) for (const k of editKeys(FAMILY.scope, scopeKey(scope))) pairs.push(hashKey(k.family, k.key, k.skip), id);

  // Sort (hash, id) pairs by hash then id, dropping duplicates.
  const m = pairs.length / 2;
  const order = new Uint32Array(m).map((_, i) => i);
  order.sort((x, y) => pairs[2 * x]! - pairs[2 * y]! || pairs[2 * x + 1]! - pairs[2 * y + 1]!);
  const hashes: number[] = [];
  const ids: number[] = [];
  for (const i of order) {
    const h = pairs[2 * i]!;
    const id = pairs[2 * i + 1]!;
    if (hashes.length && hashes[hashes.length - 1] === h && ids[ids.length - 1] === id) continue;
    hashes.push(h);
    ids.push(id);
  }
  const dir = new Uint32Array((1 << DIR_BITS) + 1);
  let j = 0;
  for (let b = 0; b <= 1 << DIR_BITS; b++) {
    while (j < hashes.length && hashes[j]! >>> (32 - DIR_BITS) < b) j++;
    dir[b] = j;
  }
  const image = writeStore(
    POPULAR_KIND,
    opts.snapshotDate,
    { ecosystem, source: opts.source, count: n, spellingMinWeekly: opts.spellingMinWeekly, scopedMinWeekly: opts.scopedMinWeekly, dirBits: DIR_BITS },
    {
      offsets,
      names: Buffer.concat(chunks),
      weekly,
      rank,
      keyHashes: Uint32Array.from(hashes),
      keyIds: Uint32Array.from(ids),
      keyDir: dir,
    },
  );
  return { image, stats: { names: n, spellingTargets, scopedTargets, scopes: scopes.size, keys: hashes.length, bytes: image.length } };
}
