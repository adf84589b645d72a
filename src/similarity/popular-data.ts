/**
 * A popular-index file opened for reading: names by id (most popular first), their popularity, and
 * the key table (a directory on the top hash bits, then one u32 per key: hash residue and id).
 * Starts by reading only what each question needs; `load()` switches to memory for bulk use.
 */
import type { Ecosystem } from '../core/types.js';
import { type NameForms, canonicalName, formsOf } from './forms.js';
import { FAMILY, type Family, GROUP_BITS, finishHash, groupOfKey, hashKey } from './keys.js';
import { StoreFile } from './store.js';

/** Kind tag of popular-index files. */
export const POPULAR_KIND = 'popular-index';
/** Weekly count meaning "listed, count unknown". */
export const UNKNOWN_WEEKLY = 0xffffffff;

/** The sections, in memory. */
interface Loaded {
  offsets: Uint32Array;
  names: Buffer;
  weekly: Uint32Array;
  rank: Uint32Array | undefined;
}

/**
 * One key table: a directory on the top hash bits, then one u32 per key (hash residue above the
 * id), sorted by (bucket, residue, id); and a blocked bit filter (see blockedFilter in build.ts):
 * per block slot (groupOf: a key's length, first and last character) a run of 64-byte lines, each
 * key two bits in one line. A lookup's deletions mostly share one slot, so its filter reads share a
 * few cache lines instead of each missing the cache.
 */
class KeyTable {
  private keys: Uint32Array | undefined;
  private dir: Uint32Array | undefined;
  private filter: Uint32Array | undefined;
  private blocks: Uint32Array | undefined;
  private readonly dirShift: number;
  private readonly idMask: number;
  private readonly resMask: number;

  constructor(
    private readonly file: StoreFile,
    private readonly keysSection: string,
    private readonly dirSection: string,
    dirBits: number,
    private readonly idBits: number,
    private readonly filterSection: string,
    private readonly blocksSection: string,
  ) {
    this.dirShift = 32 - dirBits;
    this.idMask = 2 ** idBits - 1;
    this.resMask = 2 ** (32 - idBits) - 1;
  }

  load(): void {
    this.keys = this.file.u32(this.keysSection);
    this.dir = this.file.u32(this.dirSection);
    this.filter = this.file.u32(this.filterSection);
    this.blocks = this.file.u32(this.blocksSection);
  }

  /**
   * Call `fn` with every id stored under any of the first `count` hashes, in order; `groups` holds
   * each hash's block slot. The filter is checked for all hashes first, in a loop without branches,
   * so the CPU overlaps their memory reads; the hashes that pass move to the front of `hashes`.
   */
  forEachOf(hashes: Uint32Array, groups: Uint32Array, count: number, fn: (id: number) => void): void {
    const f = this.filter;
    const blocks = this.blocks;
    let m = count;
    if (f && blocks) {
      m = 0;
      for (let i = 0; i < count; i++) {
        const hash = hashes[i]!;
        const g = groups[i]!;
        const start = blocks[g]!;
        const base = (start + Math.floor(((hash >>> 16) * (blocks[g + 1]! - start)) / 65536)) * 512;
        const b1 = base + (hash & 511);
        const b2 = base + ((hash >>> 7) & 511);
        hashes[m] = hash;
        m += (f[b1 >>> 5]! >>> (b1 & 31)) & (f[b2 >>> 5]! >>> (b2 & 31)) & 1;
      }
    }
    for (let i = 0; i < m; i++) this.lookup(hashes[i]!, fn);
  }

  /** Call `fn` with every id stored under this hash; `group` is its block slot, or -1 when unknown (no filter then). */
  forEach(hash: number, group: number, fn: (id: number) => void): void {
    const f = this.filter;
    const blocks = this.blocks;
    if (f && blocks && group >= 0) {
      const start = blocks[group]!;
      const base = (start + Math.floor(((hash >>> 16) * (blocks[group + 1]! - start)) / 65536)) * 512;
      const b1 = base + (hash & 511);
      const b2 = base + ((hash >>> 7) & 511);
      if (((f[b1 >>> 5]! >>> (b1 & 31)) & (f[b2 >>> 5]! >>> (b2 & 31)) & 1) === 0) return;
    }
    this.lookup(hash, fn);
  }

  private lookup(hash: number, fn: (id: number) => void): void {
    const bucket = hash >>> this.dirShift;
    let keys: Uint32Array;
    let start: number;
    let end: number;
    if (this.keys && this.dir) {
      keys = this.keys;
      start = this.dir[bucket]!;
      end = this.dir[bucket + 1]!;
    } else {
      const d = this.file.u32At(this.dirSection, bucket, bucket + 2);
      keys = this.file.u32At(this.keysSection, d[0]!, d[1]!);
      start = 0;
      end = keys.length;
    }
    // Entries of a bucket are sorted by (hash residue, id); a bucket holds a handful, so scan it.
    const residue = (hash & this.resMask) >>> 0;
    for (let i = start; i < end; i++) {
      const e = keys[i]!;
      const r = e >>> this.idBits;
      if (r === residue) fn(e & this.idMask);
      else if (r > residue) return;
    }
  }
}

/** One ecosystem's popular names, read from data/. */
export class PopularData {
  readonly ecosystem: Ecosystem;
  readonly count: number;
  readonly snapshotDate: string;
  private readonly file: StoreFile;
  private mem: Loaded | undefined;
  private readonly main: KeyTable;
  private readonly two: KeyTable;
  // Forms of the names lookups actually touch, computed once each (an array: faster than a Map here).
  // Arrays indexed by id (the fastest cache for bulk lookups), allocated on first use: two
  // `new Array(227_000)` cost ~7 ms, more than a one-name popularity question needs in total.
  private formsCache?: Array<NameForms | undefined>;
  private nameCache?: Array<string | undefined>;

  constructor(path: string, ecosystem: Ecosystem) {
    const file = StoreFile.open(path, POPULAR_KIND);
    const h = file.header;
    // A rejected file must not keep its descriptor: callers retry on the next question, and
    // leaked descriptors end in EMFILE for everything after.
    if (h.ecosystem !== ecosystem) throw file.closeWith(`slopguard data file ${path} holds ${String(h.ecosystem)} names, not ${ecosystem}`);
    this.file = file;
    this.ecosystem = ecosystem;
    this.count = Number(h.count);
    this.snapshotDate = h.snapshotDate;
    const dirBits = Number(h.dirBits);
    const dirBits2 = Number(h.dirBits2);
    const groupBits = Number(h.groupBits);
    const idBits = Number(h.idBits);
    const bits = (b: number, max: number) => Number.isInteger(b) && b >= 1 && b <= max;
    const s = h.sections;
    const ok =
      Number.isInteger(this.count) && bits(dirBits, 24) && bits(dirBits2, 24) && bits(idBits, 24) && groupBits === GROUP_BITS &&
      s.offsets?.length === (this.count + 1) * 4 && s.weekly?.length === this.count * 4 &&
      s.keyDir?.length === (2 ** dirBits + 1) * 4 && s.keyDir2?.length === (2 ** dirBits2 + 1) * 4 &&
      s.filter !== undefined && s.filter.length % 64 === 0 && s.filterDir?.length === (2 ** groupBits + 1) * 4 &&
      s.filter2 !== undefined && s.filter2.length % 64 === 0 && s.filter2Dir?.length === (2 ** groupBits + 1) * 4 &&
      s.names !== undefined && s.keys !== undefined && s.keys2 !== undefined && (s.rank === undefined || s.rank.length === this.count * 4);
    if (!ok) throw file.closeWith(`slopguard data file ${path} is corrupt; reinstall slopguard or run \`npm run data:refresh\``);
    this.main = new KeyTable(file, 'keys', 'keyDir', dirBits, idBits, 'filter', 'filterDir');
    this.two = new KeyTable(file, 'keys2', 'keyDir2', dirBits2, idBits, 'filter2', 'filter2Dir');
  }

  /** Read the whole file into memory: for callers about to ask many questions. */
  load(): void {
    if (this.mem) return;
    const f = this.file;
    this.mem = {
      offsets: f.u32('offsets'),
      names: f.bytes('names'),
      weekly: f.u32('weekly'),
      rank: f.has('rank') ? f.u32('rank') : undefined,
    };
    this.main.load();
    this.two.load();
  }

  /** Whether the file is in memory. */
  get loaded(): boolean {
    return this.mem !== undefined;
  }

  /** The highest weekly count in the list (the first name's). */
  get maxWeekly(): number {
    return this.count > 0 ? (this.weekly(0) ?? 0) : 0;
  }

  /** Number of stored keys (for benchmarks). */
  get keyCount(): number {
    return (this.file.header.sections.keys!.length + this.file.header.sections.keys2!.length) / 4;
  }

  /** The name with this id. */
  name(id: number): string {
    const m = this.mem;
    if (m) {
      // Lookups compare the same popular names again and again: decode each once.
      const cache = (this.nameCache ??= new Array<string | undefined>(this.count));
      let n = cache[id];
      if (n === undefined) cache[id] = n = m.names.toString('latin1', m.offsets[id]!, m.offsets[id + 1]!);
      return n;
    }
    const o = this.file.u32At('offsets', id, id + 2);
    return this.file.bytesAt('names', o[0]!, o[1]!).toString('latin1');
  }

  // The names section and the name offsets, read whole on first use (see namesBytes()).
  private namesBuf?: Buffer;
  private offsetsArr?: Uint32Array;

  /**
   * Every name in one buffer (most popular first, no separators between them): for the few
   * questions about the whole list (which words many popular names share), answered by scanning
   * it. One bulk read of that section, not of the whole file (the npm file is mostly key tables).
   */
  namesBytes(): Buffer {
    if (this.mem) return this.mem.names;
    return (this.namesBuf ??= this.file.bytesAt('names', 0, this.file.header.sections.names!.length));
  }

  /** Where each name starts in namesBytes() (`[id]`), and where the last ends (`[count]`). */
  nameOffsets(): Uint32Array {
    if (this.mem) return this.mem.offsets;
    if (!this.offsetsArr) {
      const raw = this.file.bytesAt('offsets', 0, (this.count + 1) * 4);
      // The file is little-endian: on such hosts (nearly all) an aligned copy is the array.
      if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
        this.offsetsArr = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
      } else {
        const offsets = new Uint32Array(this.count + 1);
        for (let i = 0; i <= this.count; i++) offsets[i] = raw.readUInt32LE(i * 4);
        this.offsetsArr = offsets;
      }
    }
    return this.offsetsArr;
  }

  /** Every name in one string, with nameOffsets(): for scans that want strings. */
  allNames(): { all: string; offsets: Uint32Array } {
    return { all: this.namesBytes().toString('latin1'), offsets: this.nameOffsets() };
  }

  /** The id of the name that holds byte `pos` of namesBytes(). */
  idAt(pos: number): number {
    const offsets = this.nameOffsets();
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (offsets[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The forms of the name with this id (cached). */
  forms(id: number): NameForms {
    const cache = (this.formsCache ??= new Array<NameForms | undefined>(this.count));
    let f = cache[id];
    if (!f) cache[id] = f = formsOf(this.ecosystem, this.name(id));
    return f;
  }

  /** Weekly downloads (PyPI: estimated from rank), or undefined when the list gives no count. */
  weekly(id: number): number | undefined {
    const w = this.mem ? this.mem.weekly[id]! : this.file.u32One('weekly', id);
    return w === UNKNOWN_WEEKLY ? undefined : w;
  }

  /** Rank among the most downloaded (PyPI), or undefined. */
  rank(id: number): number | undefined {
    if (!this.file.has('rank')) return undefined;
    return (this.mem ? this.mem.rank![id] : this.file.u32One('rank', id)) || undefined;
  }

  /** Ids stored under any of the first `count` final hashes of a family, with their block slots (both from KeyHasher.hashes). */
  probeAll(family: Family, hashes: Uint32Array, groups: Uint32Array, count: number, fn: (id: number) => void): void {
    (family === FAMILY.edit2 ? this.two : this.main).forEachOf(hashes, groups, count, fn);
  }

  /** Ids stored under a raw key hash (from KeyHasher) in a family. */
  probeRaw(family: Family, raw: number, fn: (id: number) => void): void {
    (family === FAMILY.edit2 ? this.two : this.main).forEach(finishHash(family, raw), -1, fn);
  }

  /** Ids stored under a family key (hash only; callers confirm). */
  probe(family: Family, key: string, fn: (id: number) => void, skip = -1, skip2 = -1): void {
    (family === FAMILY.edit2 ? this.two : this.main).forEach(hashKey(family, key, skip, skip2), groupOfKey(key, skip, skip2), fn);
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
