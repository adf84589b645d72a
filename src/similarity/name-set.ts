/**
 * A complete, sorted set of names, front-coded in blocks (each name stores only what differs from
 * the one before it). About half the size of the plain list, read in place, and a membership test
 * is a binary search over block heads plus a scan of one block: microseconds, no parsing at load.
 */
import { StoreFile, writeStore } from './store.js';

/** Kind tag of name-set files. */
export const NAME_SET_KIND = 'name-set';
const BLOCK = 32;
const MAX_NAME = 255;

/** Build the file image of a name set. Names must be ASCII; duplicates are dropped. */
export function buildNameSet(names: Iterable<string>, snapshotDate: string, extra: Record<string, unknown>): Buffer {
  const sorted = [...new Set(names)].filter((n) => n.length > 0 && n.length <= MAX_NAME && /^[\x21-\x7e]+$/.test(n)).sort(compareAscii);
  const blocks = Math.ceil(sorted.length / BLOCK);
  const starts = new Uint32Array(blocks + 1);
  const out: number[] = [];
  let prev = '';
  sorted.forEach((name, i) => {
    if (i % BLOCK === 0) {
      starts[i / BLOCK] = out.length;
      out.push(name.length);
      for (let k = 0; k < name.length; k++) out.push(name.charCodeAt(k));
    } else {
      let p = 0;
      while (p < prev.length && p < name.length && prev.charCodeAt(p) === name.charCodeAt(p)) p++;
      out.push(p, name.length - p);
      for (let k = p; k < name.length; k++) out.push(name.charCodeAt(k));
    }
    prev = name;
  });
  starts[blocks] = out.length;
  return writeStore(NAME_SET_KIND, snapshotDate, { count: sorted.length, block: BLOCK, ...extra }, { starts, data: Buffer.from(out) });
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A name set opened for lookups: positional reads until `load()`. */
export class NameSet {
  readonly count: number;
  readonly snapshotDate: string;
  private readonly file: StoreFile;
  private readonly blocks: number;
  private readonly dataLength: number;
  private starts: Uint32Array | undefined;
  private data: Buffer | undefined;
  private readonly scratch = Buffer.alloc(MAX_NAME);

  constructor(file: StoreFile) {
    this.file = file;
    this.count = Number(file.header.count);
    this.snapshotDate = file.header.snapshotDate;
    const s = file.header.sections;
    if (!s.starts || !s.data || s.starts.length < 4) throw new Error(`slopguard data file ${file.path} is corrupt; reinstall slopguard or run \`npm run data:refresh\``);
    this.blocks = s.starts.length / 4 - 1;
    this.dataLength = s.data.length;
  }

  /** Open a name-set file (throws naming the file when it is unusable). */
  static open(path: string): NameSet {
    const file = StoreFile.open(path, NAME_SET_KIND);
    try {
      return new NameSet(file);
    } catch (e) {
      // A rejected file must not keep its descriptor: callers retry on the next question.
      file.close();
      throw e;
    }
  }

  /** Read the whole set into memory, for callers about to ask many questions. */
  load(): void {
    if (this.data) return;
    this.starts = this.file.u32('starts');
    this.data = this.file.bytes('data');
  }

  private start(block: number): number {
    return this.starts ? this.starts[block]! : this.file.u32One('starts', block);
  }

  private bytes(start: number, end: number): Buffer {
    return this.data ? this.data.subarray(start, end) : this.file.bytesAt('data', start, end);
  }

  /** Whether the set holds exactly this name. */
  has(name: string): boolean {
    if (name.length === 0 || name.length > MAX_NAME || this.blocks === 0) return false;
    const q = Buffer.from(name, 'latin1');
    if (q.toString('latin1') !== name) return false;
    // The last block whose head is <= q.
    let lo = 0;
    let hi = this.blocks - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.compareHead(mid, q) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return this.scanBlock(this.bytes(this.start(lo), this.start(lo + 1)), q);
  }

  /** Every name, in sorted order (for benchmarks that sample the complete list). Loads the set. */
  forEach(fn: (name: string) => void): void {
    this.load();
    const cur = Buffer.alloc(MAX_NAME);
    for (let b = 0; b < this.blocks; b++) {
      const block = this.bytes(this.start(b), this.start(b + 1));
      let len = block[0]!;
      block.copy(cur, 0, 1, 1 + len);
      fn(cur.toString('latin1', 0, len));
      for (let at = 1 + len; at < block.length; ) {
        const p = block[at]!;
        const s = block[at + 1]!;
        block.copy(cur, p, at + 2, at + 2 + s);
        len = p + s;
        at += 2 + s;
        fn(cur.toString('latin1', 0, len));
      }
    }
  }

  /** Sign of (head of block - q). */
  private compareHead(block: number, q: Buffer): number {
    const at = this.start(block);
    const head = this.bytes(at, Math.min(at + 1 + MAX_NAME, this.dataLength));
    const len = head[0]!;
    return head.compare(q, 0, q.length, 1, 1 + len);
  }

  private scanBlock(block: Buffer, q: Buffer): boolean {
    const cur = this.scratch;
    let len = block[0]!;
    block.copy(cur, 0, 1, 1 + len);
    let at = 1 + len;
    for (;;) {
      const c = cur.compare(q, 0, q.length, 0, len);
      if (c === 0) return true;
      if (c > 0 || at >= block.length) return false; // sorted: once past q, it is absent
      const p = block[at]!;
      const s = block[at + 1]!;
      block.copy(cur, p, at + 2, at + 2 + s);
      len = p + s;
      at += 2 + s;
    }
  }
}
