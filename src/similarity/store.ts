/**
 * The binary files in data/. A file is read with one readFileSync and used in place through typed
 * arrays: no parsing and no per-name objects, so loading costs milliseconds (see bench/results.md).
 *
 * Layout (little-endian): magic (4 bytes), format version (u32), header length (u32), a JSON
 * header naming each section's offset and length, then the sections, each 4-byte aligned.
 */
import { readFileSync } from 'node:fs';
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

/** A file opened for reading: its header and raw sections. */
export interface StoreFile {
  header: FileHeader;
  bytes(section: string): Buffer;
  u32(section: string): Uint32Array;
}

const MAGIC = 'SGIX';

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

/** Open a data file. Throws a plain Error naming the file when it is missing, truncated or of another version. */
export function readStore(path: string, kind: string): StoreFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`slopguard data file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); reinstall slopguard or run \`npm run data:refresh\``);
  }
  const bad = (why: string) => new Error(`slopguard data file ${path} is ${why}; reinstall slopguard or run \`npm run data:refresh\``);
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC) throw bad('not a slopguard data file');
  if (buf.readUInt32LE(4) !== FORMAT_VERSION) throw bad(`format version ${buf.readUInt32LE(4)}, this slopguard reads ${FORMAT_VERSION}`);
  const headerLen = buf.readUInt32LE(8);
  let header: FileHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLen)) as FileHeader;
  } catch {
    throw bad('corrupt (header)');
  }
  if (header.kind !== kind) throw bad(`a ${String(header.kind)} file where ${kind} was expected`);
  for (const [n, r] of Object.entries(header.sections)) {
    if (r.offset % 4 !== 0 || r.offset + r.length > buf.length) throw bad(`truncated (section ${n})`);
  }
  // Typed-array views need 4-byte alignment; a large readFileSync gets its own aligned buffer, but be sure.
  if (buf.byteOffset % 4 !== 0) buf = Buffer.from(buf);
  const littleEndian = endianness() === 'LE';
  const section = (n: string): SectionRef => {
    const r = header.sections[n];
    if (!r) throw bad(`missing section ${n}`);
    return r;
  };
  return {
    header,
    bytes: (n) => {
      const r = section(n);
      return buf.subarray(r.offset, r.offset + r.length);
    },
    u32: (n) => {
      const r = section(n);
      if (littleEndian) return new Uint32Array(buf.buffer, buf.byteOffset + r.offset, r.length >>> 2);
      // Big-endian hosts are rare; copy with explicit byte order rather than misread.
      const out = new Uint32Array(r.length >>> 2);
      for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32LE(r.offset + i * 4);
      return out;
    },
  };
}
