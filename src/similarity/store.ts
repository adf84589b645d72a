/**
 * The binary files in data/. A file is opened by reading its header only; sections are then read
 * in small positional reads, so a run that asks about a handful of names touches a few kilobytes of
 * a 25 MB file. A caller that will ask many questions calls `load()` once, after which everything
 * is served from memory through typed-array views (no parsing, no per-name objects).
 *
 * Layout (little-endian): magic (4 bytes), format version (u32), header length (u32), a JSON
 * header naming each section's offset and length, then the sections, each 4-byte aligned.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

/** The format version this code reads and writes. Bump it when a section changes meaning. */
export const FORMAT_VERSION = 1;

/** A section's place in the file. */
export interface SectionRef {
  offset: number;
  length: number;
}

/** The JSON header: what the file holds and where. */
export interface FileHeader {
  kind: string;
  /** ISO day the data was taken. */
  snapshotDate: string;
  sections: Record<string, SectionRef>;
  /** Anything else the writer wants to record (counts, thresholds, sources). */
  [extra: string]: unknown;
}

const MAGIC = 'SGIX';
const MAX_HEADER = 1 << 20;

/** Serialise sections (Buffers or Uint32Arrays) with a header into one file image. */
export function writeStore(kind: string, snapshotDate: string, extra: Record<string, unknown>, sections: Record<string, Buffer | Uint32Array>): Buffer {
  if (endianness() !== 'LE') throw new Error('the data builder writes little-endian files; run it on a little-endian machine');
  const names = Object.keys(sections);
  // Offsets depend on the header length, which depends on the offsets' digits: settle it by iterating.
  let headerLen = 0;
  for (;;) {
    let at = align(12 + headerLen);
    const refs: Record<string, SectionRef> = {};
    for (const n of names) {
      const s = sections[n]!;
      refs[n] = { offset: at, length: s.byteLength };
      at = align(at + s.byteLength);
    }
    const json = Buffer.from(JSON.stringify({ kind, snapshotDate, ...extra, sections: refs }), 'utf8');
    if (json.length === headerLen) {
      const out = Buffer.alloc(at);
      out.write(MAGIC, 0, 'latin1');
      out.writeUInt32LE(FORMAT_VERSION, 4);
      out.writeUInt32LE(json.length, 8);
      json.copy(out, 12);
      for (const n of names) {
        const s = sections[n]!;
        const src = Buffer.isBuffer(s) ? s : Buffer.from(s.buffer, s.byteOffset, s.byteLength);
        src.copy(out, refs[n]!.offset);
      }
      return out;
    }
    headerLen = json.length;
  }
}

function align(n: number): number {
  return (n + 3) & ~3;
}

function unusable(path: string, why: string): Error {
  return new Error(`slopguard data file ${path} is ${why}; reinstall slopguard or run \`npm run data:refresh\``);
}

/** An opened data file: its header, and its sections by positional reads or, once loaded, from memory. */
export class StoreFile {
  readonly header: FileHeader;
  private fd: number | undefined;
  private buf: Buffer | undefined;
  private readonly scratch = Buffer.alloc(8);
  private readonly littleEndian = endianness() === 'LE';

  private constructor(
    readonly path: string,
    fd: number,
    header: FileHeader,
  ) {
    this.fd = fd;
    this.header = header;
  }

  /** Open a data file, reading and checking its header only. Throws a plain Error naming the file when unusable. */
  static open(path: string, kind: string): StoreFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new Error(`slopguard data file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); reinstall slopguard or run \`npm run data:refresh\``);
    }
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(12);
      if (size < 12 || readSync(fd, head, 0, 12, 0) !== 12 || head.toString('latin1', 0, 4) !== MAGIC) throw unusable(path, 'not a slopguard data file');
      const version = head.readUInt32LE(4);
      if (version !== FORMAT_VERSION) throw unusable(path, `format version ${version}, this slopguard reads ${FORMAT_VERSION}`);
      const headerLen = head.readUInt32LE(8);
      if (headerLen > MAX_HEADER || 12 + headerLen > size) throw unusable(path, 'corrupt (header)');
      const json = Buffer.alloc(headerLen);
      readSync(fd, json, 0, headerLen, 12);
      let header: FileHeader;
      try {
        header = JSON.parse(json.toString('utf8')) as FileHeader;
      } catch {
        throw unusable(path, 'corrupt (header)');
      }
      if (header.kind !== kind) throw unusable(path, `a ${String(header.kind)} file where ${kind} was expected`);
      for (const [n, r] of Object.entries(header.sections ?? {})) {
        if (r.offset % 4 !== 0 || r.offset + r.length > size) throw unusable(path, `truncated (section ${n})`);
      }
      return new StoreFile(path, fd, header);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Whether the whole file is in memory. */
  get loaded(): boolean {
    return this.buf !== undefined;
  }

  /** Read the whole file into memory (one read) and close it; later reads are served from memory. */
  load(): void {
    if (this.buf) return;
    let buf = readFileSync(this.path);
    // Typed-array views need 4-byte alignment; a large readFileSync gets its own aligned buffer, but be sure.
    if (buf.byteOffset % 4 !== 0) buf = Buffer.from(buf);
    this.buf = buf;
    this.close();
  }

  /** Close the descriptor and return an Error with this message, for `throw file.closeWith(...)`. */
  closeWith(message: string): Error {
    this.close();
    return new Error(message);
  }

  /** Close the file descriptor (reads after this load the file). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private section(n: string): SectionRef {
    const r = this.header.sections[n];
    if (!r) throw unusable(this.path, `missing section ${n}`);
    return r;
  }

  /** Whether the file has a section. */
  has(n: string): boolean {
    return this.header.sections[n] !== undefined;
  }

  /** A whole section as bytes (loads the file). */
  bytes(n: string): Buffer {
    this.load();
    const r = this.section(n);
    return this.buf!.subarray(r.offset, r.offset + r.length);
  }

  /** A whole section as u32s (loads the file). */
  u32(n: string): Uint32Array {
    this.load();
    const r = this.section(n);
    if (this.littleEndian) return new Uint32Array(this.buf!.buffer, this.buf!.byteOffset + r.offset, r.length >>> 2);
    // Big-endian hosts are rare; copy with explicit byte order rather than misread.
    const out = new Uint32Array(r.length >>> 2);
    for (let i = 0; i < out.length; i++) out[i] = this.buf!.readUInt32LE(r.offset + i * 4);
    return out;
  }

  /** Bytes [start, end) of a section, read from the file (or memory once loaded). */
  bytesAt(n: string, start: number, end: number): Buffer {
    const r = this.section(n);
    if (start < 0 || end < start || end > r.length) throw unusable(this.path, `corrupt (read past section ${n})`);
    if (this.buf) return this.buf.subarray(r.offset + start, r.offset + end);
    const out = Buffer.alloc(end - start);
    this.read(out, r.offset + start);
    return out;
  }

  /** u32s [start, end) of a section. */
  u32At(n: string, start: number, end: number): Uint32Array {
    const b = this.bytesAt(n, start * 4, end * 4);
    const out = new Uint32Array(end - start);
    for (let i = 0; i < out.length; i++) out[i] = b.readUInt32LE(i * 4);
    return out;
  }

  /** One u32 of a section. */
  u32One(n: string, index: number): number {
    const r = this.section(n);
    if (index < 0 || index * 4 + 4 > r.length) throw unusable(this.path, `corrupt (read past section ${n})`);
    if (this.buf) return this.buf.readUInt32LE(r.offset + index * 4);
    this.read(this.scratch.subarray(0, 4), r.offset + index * 4);
    return this.scratch.readUInt32LE(0);
  }

  private read(into: Buffer, position: number): void {
    if (this.fd === undefined) {
      this.load();
      this.buf!.copy(into, 0, position, position + into.length);
      return;
    }
    if (readSync(this.fd, into, 0, into.length, position) !== into.length) throw unusable(this.path, 'truncated');
  }
}
