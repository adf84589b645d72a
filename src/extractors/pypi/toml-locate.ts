/**
 * Positions in TOML files (pyproject.toml, Pipfile, poetry.lock, uv.lock).
 *
 * smol-toml (the parser) returns plain values without positions, so names are located by
 * scanning the text: table headers (`[a.b]`, `[[package]]`) split it into regions, keys are
 * found at the start of a line in their region, and array strings are found in order from
 * their key. This covers how people and tools write these files; a value this cannot find
 * falls back to the nearest thing it can (its table header), so the line is still close.
 * Multi-line strings that contain a line looking like a header can fool it; those do not
 * occur in dependency tables.
 */
import type { Origin } from '../../core/types.js';
import type { LineIndex } from '../locate.js';

/** A `[table]` or `[[array-of-tables]]` header. */
interface Header {
  path: string;
  array: boolean;
  /** Offset of the header line. */
  start: number;
  /** Offset of the last key segment in the header. */
  lastAt: number;
  /** Offset just past the header line (where its region starts). */
  bodyStart: number;
  /** Offset where the region ends (the next header, or the end of the text). */
  end: number;
}

/** A region of the text belonging to one table. */
export interface Region {
  start: number;
  end: number;
  /** Offset of the header's last key segment (undefined for the root region). */
  headerAt?: number;
}

const SEP = '\u001f';
const BARE_KEY = /[A-Za-z0-9_-]+/y;

/** Reads a dotted key (`a."b.c".d`) at `from`; returns the segments, offsets and where it ends. */
function readDottedKey(text: string, from: number, stop: string): { segments: string[]; offsets: number[]; end: number } | undefined {
  const segments: string[] = [];
  const offsets: number[] = [];
  let i = from;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const q = text[i];
    if (q === '"' || q === "'") {
      const close = text.indexOf(q, i + 1);
      if (close === -1 || text.slice(i, close).includes('\n')) return undefined;
      segments.push(text.slice(i + 1, close));
      offsets.push(i + 1);
      i = close + 1;
    } else {
      BARE_KEY.lastIndex = i;
      const hit = BARE_KEY.exec(text);
      if (!hit) return undefined;
      segments.push(hit[0]);
      offsets.push(i);
      i += hit[0].length;
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '.') {
      i++;
      continue;
    }
    return stop.includes(text[i] ?? '') ? { segments, offsets, end: i } : undefined;
  }
}

/** Finds tables, keys and strings in one TOML text. */
export class TomlLocator {
  private readonly headers: Header[] = [];
  /** Headers by path, in file order. */
  private readonly byPath = new Map<string, Header[]>();

  constructor(readonly lines: LineIndex) {
    const text = lines.text;
    let pos = 0;
    while (pos <= text.length) {
      const nl = text.indexOf('\n', pos);
      const end = nl === -1 ? text.length : nl;
      let i = pos;
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (text[i] === '[') {
        const array = text[i + 1] === '[';
        const key = readDottedKey(text, i + (array ? 2 : 1), ']');
        if (key && key.end <= end) {
          const last = this.headers[this.headers.length - 1];
          if (last) last.end = pos;
          this.headers.push({
            path: key.segments.join(SEP),
            array,
            start: pos,
            lastAt: key.offsets[key.offsets.length - 1] as number,
            bodyStart: Math.min(end + 1, text.length),
            end: text.length,
          });
        }
      }
      if (nl === -1) break;
      pos = nl + 1;
    }
    for (const h of this.headers) {
      const list = this.byPath.get(h.path);
      if (list) list.push(h);
      else this.byPath.set(h.path, [h]);
    }
  }

  /** The region of table `path` (the `index`-th for arrays of tables); `[]` is the root. */
  table(path: readonly string[], index = 0): Region | undefined {
    if (path.length === 0) return { start: 0, end: this.headers[0]?.start ?? this.lines.text.length };
    const h = this.byPath.get(path.join(SEP))?.[index];
    return h ? { start: h.bodyStart, end: h.end, headerAt: h.lastAt } : undefined;
  }

  /** Offset of the last segment of key `keyPath` written at a line start inside `region`. */
  keyIn(region: Region, keyPath: readonly string[]): number | undefined {
    const text = this.lines.text;
    let pos = region.start;
    while (pos < region.end) {
      const nl = text.indexOf('\n', pos);
      const end = nl === -1 || nl > region.end ? region.end : nl;
      const key = readDottedKey(text, pos, '=');
      if (key && key.end <= end && key.segments.length >= keyPath.length && keyPath.every((s, k) => key.segments[k] === s)) {
        return key.offsets[keyPath.length - 1];
      }
      pos = end + 1;
    }
    return undefined;
  }

  /**
   * Where `path` is defined: as a key in its table, a dotted key in a parent table, or a table
   * header of its own. Returns the offset of its last segment and the region searched.
   */
  locate(path: readonly string[]): { offset: number; region: Region } | undefined {
    for (let split = path.length - 1; split >= 0; split--) {
      const region = this.table(path.slice(0, split));
      if (!region) continue;
      const offset = this.keyIn(region, path.slice(split));
      if (offset !== undefined) return { offset, region };
    }
    const own = this.table(path);
    return own?.headerAt !== undefined ? { offset: own.headerAt, region: own } : undefined;
  }

  /**
   * Offset of the string `value` assigned to `key` in the `index`-th `[[arrayPath]]` table
   * (`name = "requests"` in a lockfile's `[[package]]`), or of the table header when the key is
   * not written there.
   */
  arrayTableValue(arrayPath: readonly string[], index: number, key: string, value: string): { offset: number; exact: boolean } | undefined {
    const region = this.table(arrayPath, index);
    if (!region) return undefined;
    const keyAt = this.keyIn(region, [key]);
    const at = keyAt === undefined ? undefined : this.stringIn(value, keyAt, region.end);
    if (at !== undefined) return { offset: at, exact: true };
    return region.headerAt === undefined ? undefined : { offset: region.headerAt, exact: false };
  }

  /** Offset of the content of the string literal `value` (either quote) in [from, end). */
  stringIn(value: string, from: number, end: number): number | undefined {
    const text = this.lines.text;
    // Search for the bare value and check the quotes around it: searching for each quoted form
    // separately would scan to the end of the file for the quote style that is not used.
    for (let at = text.indexOf(value, from + 1); at !== -1 && at + value.length < end; at = text.indexOf(value, at + 1)) {
      const q = text[at - 1];
      if ((q === '"' || q === "'") && text[at + value.length] === q) return at;
    }
    return undefined;
  }

  /** An origin at `offset` (or, when unknown, at `fallback`'s line), spanning `length`. */
  origin(file: string, offset: number | undefined, length: number, context: string, fallback?: number): Origin {
    if (offset !== undefined) return this.lines.origin(file, offset, length, context);
    if (fallback !== undefined) return this.lines.origin(file, fallback, 0, context);
    return { file, context };
  }
}

/**
 * Walks the strings of an array value in file order: each call finds the next literal after
 * the previous one, so repeated strings map to successive places.
 */
export class StringCursor {
  private from: number;

  constructor(
    private readonly loc: TomlLocator,
    start: number,
    private readonly end: number,
  ) {
    this.from = start;
  }

  /** Offset of the next `value` literal's content, or undefined. */
  next(value: string): number | undefined {
    const at = this.loc.stringIn(value, this.from, this.end);
    if (at !== undefined) this.from = at + value.length + 1;
    return at;
  }
}
