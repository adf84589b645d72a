/**
 * A record as lines short enough to append atomically ({@link MAX_LINE_BYTES}): a decision about
 * many packages (a lockfile scan) becomes several lines with the same `id`, numbered `part` of
 * `parts`; every line carries the whole decision, so each stands on its own.
 */
import type { AuditPackage, AuditRecord } from './record.js';
import { MAX_LINE_BYTES } from './writer.js';

const MAX_FIELD_CHARS = 1024;

function cutString(s: string): string {
  return s.length > MAX_FIELD_CHARS ? `${s.slice(0, MAX_FIELD_CHARS)}…` : s;
}

/** Long free-text fields cut, so the part of a line without packages stays well under the limit. */
function bounded(record: AuditRecord): AuditRecord {
  const out: AuditRecord = { ...record };
  out.cwd = cutString(out.cwd);
  if (out.repository) out.repository = cutString(out.repository);
  if (out.command) {
    let total = 0;
    const kept: string[] = [];
    for (const arg of out.command) {
      if (total + arg.length > MAX_FIELD_CHARS) {
        kept.push('…');
        break;
      }
      kept.push(arg);
      total += arg.length;
    }
    out.command = kept;
  }
  return out;
}

function boundedPackage(p: AuditPackage): AuditPackage {
  const out: AuditPackage = { ...p, name: p.name.length > 256 ? `${p.name.slice(0, 256)}…` : p.name, codes: p.codes.slice(0, 24) };
  if (out.reason) out.reason = out.reason.slice(0, 256);
  if (out.specs) out.specs = out.specs.map((s) => s.slice(0, 128));
  return out;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The record's JSON lines, each at most MAX_LINE_BYTES with its newline. */
export function recordLines(record: AuditRecord): string[] {
  const base = bounded(record);
  const packages = base.packages.map(boundedPackage);
  const whole = JSON.stringify({ ...base, packages });
  if (bytes(whole) < MAX_LINE_BYTES) return [whole];
  // Room for the packages: the line without them, plus `part`/`parts` fields.
  const room = MAX_LINE_BYTES - bytes(JSON.stringify({ ...base, packages: [], part: 9999, parts: 9999 })) - 2;
  const chunks: AuditPackage[][] = [[]];
  let used = 0;
  for (const p of packages) {
    const size = bytes(JSON.stringify(p)) + 1;
    if (used + size > room && chunks[chunks.length - 1]!.length) {
      chunks.push([]);
      used = 0;
    }
    chunks[chunks.length - 1]!.push(p);
    used += size;
  }
  return chunks.map((chunk, i) => JSON.stringify({ ...base, packages: chunk, part: i + 1, parts: chunks.length }));
}
