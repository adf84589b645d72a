/**
 * Quick fixes: "Replace with `lodash`" on a diagnostic whose package imitates a popular one.
 * The edit replaces exactly the name's range, leaving the version and the rest of the line.
 */
import type { CodeAction, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { CodeActionKind, TextEdit } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './diagnostics.js';

function dataOf(d: Diagnostic): DiagnosticData | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  return d.source === DIAGNOSTIC_SOURCE && data && typeof data.name === 'string' && typeof data.ecosystem === 'string' ? (data as DiagnosticData) : undefined;
}

/** The quick fixes for the diagnostics the client sends back with a codeAction request. */
export function quickFixes(params: CodeActionParams): CodeAction[] {
  // A client asking only for other kinds (refactor, source.organizeImports) gets none.
  if (params.context.only && !params.context.only.some((k) => k === CodeActionKind.QuickFix || k === CodeActionKind.Empty)) return [];
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    const data = dataOf(d);
    if (!data?.suggestion) continue;
    actions.push({
      title: `Replace with \`${data.suggestion}\``,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [params.textDocument.uri]: [TextEdit.replace(d.range, data.suggestion)] } },
    });
  }
  return actions;
}
