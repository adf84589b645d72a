import type { ExtractNote, Origin, PackageResult, Report, Verdict } from '../core/types.js';
import { escapeForTerminal } from './escape.js';
import { expiredAllowMessage, modePrefix, REGISTRY_NAME, reasonLine } from './messages.js';
import { noteMessage } from './note-message.js';

/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`): each blocked, warned or
 * unverified package becomes an annotation on the line of every file that names it, so it shows in
 * the pull request's "Files changed" view. Untrusted text is escaped as the Actions runner expects
 * (actions/toolkit `command.ts`): `%`, CR and LF in the message; additionally `:` and `,` in
 * properties. Control and invisible characters are made visible first, so a package name can never
 * end the command early or start a new one.
 */

type Command = 'error' | 'warning' | 'notice';

/** Escape the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (`file=`, `title=`) of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line. */
export function workflowCommand(cmd: Command, props: Record<string, string | number | undefined>, message: string): string {
  const p = Object.entries(props)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${k}=${escapeProperty(escapeForTerminal(String(v)))}`)
    .join(',');
  return `::${cmd}${p ? ` ${p}` : ''}::${escapeData(escapeForTerminal(message))}`;
}

const COMMAND_FOR: Record<Verdict, Command | undefined> = { block: 'error', unknown: 'warning', warn: 'warning', ok: undefined };
const TITLE_FOR: Record<Verdict, string> = { block: 'blocked', unknown: 'could not verify', warn: 'check before use', ok: 'ok' };

function where(o: Origin | undefined): Record<string, string | number | undefined> {
  if (!o || (o.file.startsWith('<') && o.file.endsWith('>'))) return {};
  return { file: o.file.split('\\').join('/'), line: o.line, col: o.line ? o.column : undefined, endColumn: o.line && o.column ? o.endColumn : undefined };
}

function packageLines(p: PackageResult): string[] {
  const cmd = COMMAND_FOR[p.verdict];
  if (!cmd) return [];
  const title = `slopguard: ${REGISTRY_NAME[p.ecosystem]} package ${p.name} ${TITLE_FOR[p.verdict]}`;
  const reason = reasonLine(p);
  // One annotation per file (its first line): a package repeated on 40 lockfile lines is one problem.
  const perFile = new Map<string, Origin>();
  for (const o of p.origins) if (!perFile.has(o.file)) perFile.set(o.file, o);
  const origins = perFile.size ? [...perFile.values()] : [undefined];
  return origins.map((o) => workflowCommand(cmd, { ...where(o), title }, reason));
}

function noteLine(n: ExtractNote): string {
  const cmd: Command = n.level === 'error' ? 'error' : n.level === 'warning' ? 'warning' : 'notice';
  return workflowCommand(cmd, { ...where(n.origin), title: `slopguard: ${n.code}` }, noteMessage(n));
}

/** Render a report as GitHub Actions annotations plus a one-line summary. */
export function renderGithub(report: Report): string {
  const lines: string[] = [];
  for (const p of report.packages) lines.push(...packageLines(p));
  // Info notes (a git dependency not looked up) are noise in a pull request; the text format shows them.
  for (const n of report.notes) if (n.level !== 'info') lines.push(noteLine(n));
  for (const e of report.expiredAllowlist ?? []) lines.push(workflowCommand('warning', { title: 'slopguard: expired allow entry' }, expiredAllowMessage(e)));
  for (const w of report.warnings ?? []) lines.push(workflowCommand('warning', { title: 'slopguard' }, w));
  const s = report.summary;
  lines.push(`slopguard: ${modePrefix(report)}${s.checked} checked: ${s.ok} ok, ${s.warn} warn, ${s.block} block, ${s.unknown} unknown`);
  return `${lines.join('\n')}\n`;
}
