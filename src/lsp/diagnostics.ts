/**
 * Report -> LSP diagnostics for one document: the exact range of each package name (extractors
 * give line, column and endColumn), severity from the verdict, the one-line reason, and the
 * suggested name in `data` for the quick fix.
 */
import type { Diagnostic, Range } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ExtractNote, Origin, PackageResult, Report, Verdict } from '../core/types.js';
import { reasonLine, suggestionFor } from '../reporters/messages.js';

/** A package found in the document, where it is, and what was decided about it. */
export interface LocatedResult {
  range: Range;
  result: PackageResult;
}

/** What a slopguard diagnostic carries for code actions. */
export interface DiagnosticData {
  ecosystem: string;
  name: string;
  suggestion?: string;
}

/** `ok` packages get no diagnostic (hover still shows their facts). */
const SEVERITY: Record<Verdict, DiagnosticSeverity | undefined> = {
  block: DiagnosticSeverity.Error,
  warn: DiagnosticSeverity.Warning,
  // The registry could not be asked: worth knowing, not the author's mistake.
  unknown: DiagnosticSeverity.Information,
  ok: undefined,
};

export const DIAGNOSTIC_SOURCE = 'slopguard';

/** The range of a name: origin columns are 1-based, endColumn exclusive; LSP is 0-based. */
export function rangeOf(origin: Origin, doc: TextDocument): Range | undefined {
  if (origin.line === undefined || origin.line < 1 || origin.line > doc.lineCount) return undefined;
  const line = origin.line - 1;
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  if (origin.column === undefined) return { start: { line, character: 0 }, end: { line, character: lineText.length } };
  const start = Math.min(origin.column - 1, lineText.length);
  const end = origin.endColumn !== undefined ? Math.min(origin.endColumn - 1, lineText.length) : lineText.length;
  return { start: { line, character: start }, end: { line, character: Math.max(start, end) } };
}

/**
 * Every place each package was found in this document. Origins in other files (a requirements
 * file's `-r` includes) are skipped: their lines are not this document's lines.
 */
export function locateResults(report: Report, doc: TextDocument, path: string): LocatedResult[] {
  const out: LocatedResult[] = [];
  for (const result of report.packages) {
    for (const origin of result.origins) {
      if (origin.file !== path) continue;
      const range = rangeOf(origin, doc);
      if (range) out.push({ range, result });
    }
  }
  return out;
}

/** Diagnostics for the packages that are not ok. */
export function diagnosticsFor(located: readonly LocatedResult[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { range, result } of located) {
    const severity = SEVERITY[result.verdict];
    if (severity === undefined) continue;
    const serious = result.findings.find((f) => f.severity === 'block') ?? result.findings.find((f) => f.severity !== 'info') ?? result.findings[0];
    const data: DiagnosticData = { ecosystem: result.ecosystem, name: result.name };
    const suggestion = suggestionFor(result);
    if (suggestion) data.suggestion = suggestion;
    const d: Diagnostic = { range, severity, source: DIAGNOSTIC_SOURCE, message: reasonLine(result), data };
    if (serious) d.code = serious.code;
    out.push(d);
  }
  return out;
}

/** Extractor notes worth showing in the editor: names no registry accepts. Syntax errors are the editor's own business. */
/** Notes shown as diagnostics on the document they point at. */
const NOTE_CODES_SHOWN: ReadonlySet<ExtractNote['code']> = new Set(['invalid-name', 'refused', 'unreadable']);

export function noteDiagnostics(notes: readonly ExtractNote[], doc: TextDocument, path: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const n of notes) {
    // Names the registry would refuse, and includes slopguard would not read (outside the
    // repository, a device, over a cap): the packages behind those are unchecked, so say so here.
    if (!NOTE_CODES_SHOWN.has(n.code) || n.origin.file !== path) continue;
    const range = rangeOf(n.origin, doc);
    if (range) out.push({ range, severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, code: n.code, message: n.message });
  }
  return out;
}
