/**
 * Positions for the text extractors: a text may be a slice of a larger file (a code block in
 * an answer, a `run:` step in a workflow), so offsets in the scanned text are turned into
 * origins in the file through a {@link Locate} function.
 */
import type { Origin } from '../../core/types.js';
import { LineIndex } from '../locate.js';

/** Where a text came from: the file, and the line (and column) its first character sits on. */
export interface TextOrigin {
  file: string;
  /** 1-based line of the text's first line in the file (default 1). */
  line?: number;
  /** 1-based column of the text's first character on that line (default 1). */
  column?: number;
}

/** Turns `length` characters at `offset` in the scanned text into an origin in the file. */
export type Locate = (offset: number, length: number, context?: string) => Origin;

/** A locator for `text` whose first line is `origin.line` (and first column `origin.column`) of `origin.file`. */
export function textLocator(text: string | LineIndex, origin: TextOrigin): Locate {
  const index = typeof text === 'string' ? new LineIndex(text) : text;
  const dl = (origin.line ?? 1) - 1;
  const dc = (origin.column ?? 1) - 1;
  return (offset, length, context) => {
    const o = index.origin(origin.file, offset, length, context);
    if (o.line === 1 && dc) {
      o.column = (o.column ?? 1) + dc;
      o.endColumn = (o.endColumn ?? 1) + dc;
    }
    o.line = (o.line ?? 1) + dl;
    return o;
  };
}
