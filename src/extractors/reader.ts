/**
 * What every extractor starts from: the document, its text normalised into lines (BOM
 * dropped, CRLF read as LF) and a collector for refs and notes.
 */
import type { Ecosystem, SourceDocument } from '../core/types.js';
import { LineIndex, normalizeText } from './locate.js';
import { Collector } from './notes.js';

/** One document being read. Extractors extend it (or use it as it is). */
export class DocumentReader {
  readonly c: Collector;
  readonly lines: LineIndex;

  constructor(
    readonly doc: SourceDocument,
    ecosystem: Ecosystem,
  ) {
    this.c = new Collector(doc.path, ecosystem);
    this.lines = new LineIndex(normalizeText(doc.text));
  }

  /** A `malformed` note from a js-yaml error (js-yaml also runs inside yarn's parseSyml). */
  malformedYaml(e: unknown, what: string): void {
    const err = e as { reason?: string; message?: string; mark?: { line?: number; column?: number } };
    const line = (err.mark?.line ?? 0) + 1;
    const column = (err.mark?.column ?? 0) + 1;
    const reason = err.reason ?? String(err.message ?? e).split('\n')[0];
    this.c.malformed(`${this.doc.path} is not ${what}: ${reason} (at ${line}:${column}).`, { file: this.doc.path, line, column });
  }
}
