/**
 * Text positions shared by every extractor: turn offsets into 1-based `line:column` and
 * origins, after normalising the text the same way for all of them.
 *
 * Columns count UTF-16 code units (JavaScript string indices), which is what LSP clients use
 * by default, so editors underline exactly the name.
 */
import type { Origin } from '../core/types.js';

/**
 * Strips a leading byte-order mark and turns CRLF and lone CR into LF.
 *
 * Line and column numbers stay those of the original file: a BOM is not a column anyone sees,
 * and the removed `\r` always sat at the end of a line.
 */
export function normalizeText(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes('\r') ? noBom.replace(/\r\n?/g, '\n') : noBom;
}

/** A 1-based position. */
export interface Position {
  line: number;
  column: number;
}

/** Offset <-> line/column lookups over one (normalised) text. */
export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Number of lines (a trailing newline does not open a counted line of its own). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column of an offset (clamped to the text). */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (this.starts[lo] as number) + 1 };
  }

  /** Offset where 1-based `line` starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))] as number;
  }

  /** The text of 1-based `line`, without its newline. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const end = line < this.starts.length ? (this.starts[line] as number) - 1 : this.text.length;
    return this.text.slice(start, end);
  }

  /** An origin spanning `length` characters from `offset` (on one line). */
  origin(file: string, offset: number, length: number, context?: string): Origin {
    const { line, column } = this.position(offset);
    const origin: Origin = { file, line, column, endColumn: column + Math.max(0, length) };
    if (context !== undefined) origin.context = context;
    return origin;
  }
}

/**
 * The last package in a `/`-separated path of package names, a scope staying with its name,
 * and where it starts: `parent/@s/child` (bun.lock) gives `@s/child`; yarn resolution keys
 * may hold `**` and `*` glob segments, which are skipped.
 */
export function lastPackageSegment(key: string): { name: string; index: number } {
  const parts = key.split('/');
  let index = 0;
  let best = { name: key, index: 0 };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const next = parts[i + 1];
    if (part.startsWith('@') && next !== undefined) {
      best = { name: `${part}/${next}`, index };
      index += part.length + next.length + 2;
      i++;
    } else {
      if (part !== '' && part !== '**' && part !== '*') best = { name: part, index };
      index += part.length + 1;
    }
  }
  return best;
}

/**
 * Splits `name@range` at the `@` that ends the name (a leading `@` is the scope marker).
 * Returns the whole text as the name when there is no range.
 */
export function splitDescriptor(descriptor: string): { name: string; range: string | undefined } {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? { name: descriptor, range: undefined } : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** The last path segment, for `/` or `\` separated paths (how extractors match files). */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1);
}
