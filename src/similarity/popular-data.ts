/**
 * A popular-index file opened for reading: names by id (most popular first), their popularity, and
 * the key table (sorted hashes, the ids stored under each, and a directory on the top hash bits).
 */
import type { Ecosystem } from '../core/types.js';
import { POPULAR_KIND, UNKNOWN_WEEKLY } from './build.js';
import { type NameForms, canonicalName, formsOf } from './forms.js';
import { FAMILY, type Family, hashKey } from './keys.js';
import { readStore } from './store.js';

/** One ecosystem's popular names, read in place from data/. */
export class PopularData {
  readonly ecosystem: Ecosystem;
  readonly count: number;
  readonly snapshotDate: string;
  private readonly offsets: Uint32Array;
  private readonly names: Buffer;
  private readonly weeklies: Uint32Array;
  private readonly ranks: Uint32Array;
  private readonly keys: Uint32Array;
  private readonly dir: Uint32Array;
  private readonly dirShift: number;
  private readonly idBits: number;
  private readonly idMask: number;
  private readonly resMask: number;
  // Forms of the names lookups actually touch, computed once each.
  private readonly formsCache = new Map<number, NameForms>();

  constructor(path: string, ecosystem: Ecosystem) {
    const file = readStore(path, POPULAR_KIND);
    if (file.header.ecosystem !== ecosystem) throw new Error(`slopguard data file ${path} holds ${String(file.header.ecosystem)} names, not ${ecosystem}`);
    this.ecosystem = ecosystem;
    this.count = Number(file.header.count);
    this.snapshotDate = file.header.snapshotDate;
    this.offsets = file.u32('offsets');
    this.names = file.bytes('names');
    this.weeklies = file.u32('weekly');
    this.ranks = file.u32('rank');
    this.keys = file.u32('keys');
    this.dir = file.u32('keyDir');
    const dirBits = Number(file.header.dirBits);
    this.dirShift = 32 - dirBits;
    this.idBits = Number(file.header.idBits);
    this.idMask = 2 ** this.idBits - 1;
    this.resMask = 2 ** (32 - this.idBits) - 1;
    if (this.offsets.length !== this.count + 1 || this.dir.length !== 2 ** dirBits + 1 || this.dir[this.dir.length - 1] !== this.keys.length) throw new Error(`slopguard data file ${path} is corrupt; reinstall slopguard or run \`npm run data:refresh\``);
  }

  /** Number of stored keys (for benchmarks). */
  get keyCount(): number {
    return this.keys.length;
  }

  /** The name with this id. */
  name(id: number): string {
    return this.names.toString('latin1', this.offsets[id]!, this.offsets[id + 1]!);
  }

  /** The forms of the name with this id (cached). */
  forms(id: number): NameForms {
    let f = this.formsCache.get(id);
    if (!f) this.formsCache.set(id, (f = formsOf(this.ecosystem, this.name(id))));
    return f;
  }

  /** Weekly downloads (PyPI: estimated from rank), or undefined when the list gives no count. */
  weekly(id: number): number | undefined {
    const w = this.weeklies[id]!;
    return w === UNKNOWN_WEEKLY ? undefined : w;
  }

  /** Rank among the most downloaded (PyPI), or undefined. */
  rank(id: number): number | undefined {
    return this.ranks[id] || undefined;
  }

  /** Call `fn` with every id stored under this key hash. */
  forEach(hash: number, fn: (id: number) => void): void {
    const bucket = hash >>> this.dirShift;
    const end = this.dir[bucket + 1]!;
    // Entries of a bucket are sorted by (hash residue, id); a bucket holds a handful, so scan it.
    const residue = (hash & this.resMask) >>> 0;
    for (let i = this.dir[bucket]!; i < end; i++) {
      const e = this.keys[i]!;
      const r = e >>> this.idBits;
      if (r === residue) fn(e & this.idMask);
      else if (r > residue) return;
    }
  }

  /** Ids stored under a family key (hash only; callers confirm). */
  probe(family: Family, key: string, fn: (id: number) => void, skip = -1, skip2 = -1): void {
    this.forEach(hashKey(family, key, skip, skip2), fn);
  }

  /**
   * The id of a listed name, or -1. npm names match exactly (legacy mixed-case names are distinct
   * packages); PyPI names match after PEP 503 normalisation.
   */
  find(name: string): number {
    const canonical = canonicalName(this.ecosystem, name);
    const want = this.ecosystem === 'pypi' ? canonical : name;
    let found = -1;
    this.probe(FAMILY.name, canonical, (id) => {
      if (found < 0 && this.name(id) === want) found = id;
    });
    return found;
  }
}
