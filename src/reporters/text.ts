import type { ExtractNote, Origin, PackageResult, Report, Verdict } from '../core/types.js';
import { escapeForTerminal as esc } from './escape.js';
import { noteMessage } from './note-message.js';
import { AGE_TEXT, expiredAllowMessage, formatCount, modePrefix } from './messages.js';
import { ageInDays } from '../signals/age.js';

/** How to draw: colours only on a TTY and only without NO_COLOR. */
export interface TextStyle {
  color: boolean;
  /** Show `ok` packages too (default true; wrappers show only problems). */
  showOk?: boolean;
}

const CODES = { red: 31, yellow: 33, green: 32, magenta: 35, dim: 2, bold: 1 } as const;
type Paint = (c: keyof typeof CODES, s: string) => string;

const VERDICT_LABEL: Record<Verdict, string> = { block: 'BLOCK', warn: 'WARN', unknown: 'UNKNOWN', ok: 'OK' };
const VERDICT_COLOR: Record<Verdict, keyof typeof CODES> = { block: 'red', warn: 'yellow', unknown: 'magenta', ok: 'green' };

export function formatOrigin(o: Origin): string {
  return `${o.file}${o.line ? `:${o.line}` : ''}${o.line && o.column ? `:${o.column}` : ''}`;
}

function humanAge(days: number): string {
  if (days < 1) return 'published today';
  if (days < 60) return `${days} day${days === 1 ? '' : 's'} old`;
  if (days < 730) return `${Math.floor(days / 30)} months old`;
  return `${Math.floor(days / 365)} years old`;
}

/** The facts behind the verdict, short: age and weekly downloads. */
function factsLine(p: PackageResult, now: Date): string {
  const f = p.facts;
  if (!f) return '';
  const parts: string[] = [];
  if (f.status === 'found') {
    const age = ageInDays(f.created, now);
    if (age !== undefined) parts.push(humanAge(age));
    if (f.weeklyDownloads !== undefined) parts.push(`${formatCount(f.weeklyDownloads)} downloads/week${f.downloadsSource === 'popular-list' ? ' (estimated)' : ''}`);
    else parts.push('downloads unknown');
  }
  return parts.join(' · ');
}

function noteLine(n: ExtractNote, paint: Paint): string {
  const label = n.level === 'error' ? paint('red', 'error') : n.level === 'warning' ? paint('yellow', 'warning') : paint('dim', 'note');
  return `${label} ${esc(formatOrigin(n.origin))}: ${esc(noteMessage(n))}`;
}

/** The package managers' own age settings, their drift and the ones that could not be read. */
function ageGateLines(a: NonNullable<Report['ageGates']>, paint: Paint, now: Date): string[] {
  const lines: string[] = [];
  if (a.settings.length) {
    lines.push(`${paint('dim', 'note')} ${AGE_TEXT.heading}`);
    for (const s of a.settings) lines.push(`  ${esc(AGE_TEXT.setting(s, now))}`);
  }
  for (const d of a.drift) lines.push(`${paint('yellow', 'warning')} ${esc(AGE_TEXT.drift(d, a.settings, now))}`);
  for (const p of a.problems) lines.push(`${paint('yellow', 'warning')} ${esc(AGE_TEXT.problem(p))}`);
  return lines;
}

/** A readable report: one block per package, reasons in plain words, then notes and a summary. */
export function renderText(report: Report, style: TextStyle, now = new Date()): string {
  const paint: Paint = style.color ? (c, s) => `\u001b[${CODES[c]}m${s}\u001b[0m` : (_c, s) => s;
  const showOk = style.showOk ?? true;
  const lines: string[] = [];
  const shown = report.packages.filter((p) => showOk || p.verdict !== 'ok');
  const width = Math.min(40, Math.max(0, ...shown.map((p) => p.name.length + p.ecosystem.length + 1)));
  for (const p of shown) {
    const label = paint(VERDICT_COLOR[p.verdict], VERDICT_LABEL[p.verdict].padEnd(7));
    const id = `${p.ecosystem}:${p.name}`;
    const facts = factsLine(p, now);
    lines.push(`${paint('bold', label)} ${facts ? `${esc(id).padEnd(width)}  ${paint('dim', facts)}` : esc(id)}`);
    for (const f of p.findings) {
      const bullet = f.severity === 'info' ? paint('dim', '  ·') : '  -';
      lines.push(`${bullet} ${esc(f.message)}`);
    }
    // Names typed on the command line need no "found at": the user just typed them.
    const located = p.origins.filter((o) => o.file !== '<args>');
    const origins = located.slice(0, 3).map(formatOrigin);
    if (origins.length) {
      const more = located.length > 3 ? ` (+${located.length - 3} more)` : '';
      lines.push(paint('dim', `    at ${esc(origins.join(', '))}${more}`));
    }
  }
  for (const n of report.notes) if (n.level !== 'info' || showOk) lines.push(noteLine(n, paint));
  for (const e of report.expiredAllowlist ?? []) {
    lines.push(`${paint('yellow', 'warning')} ${esc(expiredAllowMessage(e))}`);
  }
  for (const w of report.warnings ?? []) lines.push(`${paint('yellow', 'warning')} ${esc(w)}`);
  if (report.ageGates) lines.push(...ageGateLines(report.ageGates, paint, now));
  const s = report.summary;
  lines.push(
    `${modePrefix(report) && paint('bold', modePrefix(report))}${s.checked} checked: ${paint('green', `${s.ok} ok`)}, ${paint('yellow', `${s.warn} warn`)}, ${paint('red', `${s.block} block`)}, ${paint('magenta', `${s.unknown} unknown`)}`,
  );
  return `${lines.join('\n')}\n`;
}
