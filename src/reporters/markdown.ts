import type { Origin, PackageResult, Report, Verdict } from '../core/types.js';
import { escapeForTerminal } from './escape.js';
import { expiredAllowMessage, modePrefix, REGISTRY_NAME, reasonLine } from './messages.js';
import { noteMessage } from './note-message.js';

/**
 * A pull-request comment: a headline, a table of the packages that need a decision, notes about
 * files that could not be read. Starts with a hidden marker so a bot can find and update its own
 * comment instead of adding a new one each push. Every untrusted string (names, paths, registry
 * text) is escaped so it renders as text: no HTML, no links, no table breaks.
 */

/** The hidden marker at the top of the comment. */
export const MARKDOWN_MARKER = '<!-- slopguard-report -->';

const LABEL: Record<Verdict, string> = { block: '⛔ block', unknown: '❔ unverified', warn: '⚠️ warn', ok: '✅ ok' };
const ORDER: Record<Verdict, number> = { block: 0, unknown: 1, warn: 2, ok: 3 };
const MAX_ROWS = 200;

/** Plain text safe inside a table cell: Markdown and HTML specials escaped, one line. */
export function mdText(s: string): string {
  return escapeForTerminal(s)
    .replace(/[\\`*_[\]|~<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

/** Code span safe inside a table cell (a fence longer than any backtick run; `|` escaped). */
export function mdCode(s: string): string {
  const text = escapeForTerminal(s).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A reason line from messages.ts keeps its `name` code spans; everything else is escaped. */
function mdReason(line: string): string {
  return line
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? mdCode(part.slice(1, -1)) : mdText(part)))
    .join('');
}

function whereCell(origins: readonly Origin[]): string {
  if (origins.length === 0) return '';
  const shown = origins.slice(0, 3).map((o) => mdCode(`${o.file}${o.line ? `:${o.line}` : ''}`));
  return `${shown.join('<br>')}${origins.length > 3 ? `<br>+${origins.length - 3} more` : ''}`;
}

function row(p: PackageResult): string {
  const id = mdCode(`${p.ecosystem === 'npm' ? '' : 'pypi:'}${p.name}`);
  return `| ${LABEL[p.verdict]} | ${id} | ${mdReason(reasonLine(p))} | ${whereCell(p.origins)} |`;
}

function headline(report: Report): string {
  const s = report.summary;
  if (s.block) return `### ⛔ slopguard blocked ${s.block} package${s.block === 1 ? '' : 's'}`;
  if (s.unknown) return `### ❔ slopguard could not verify ${s.unknown} package${s.unknown === 1 ? '' : 's'}`;
  if (s.warn) return `### ⚠️ slopguard: ${s.warn} package${s.warn === 1 ? '' : 's'} to check`;
  return '### ✅ slopguard: no problems found';
}

/** Render a report as a Markdown pull-request comment. */
export function renderMarkdown(report: Report): string {
  const lines = [MARKDOWN_MARKER, headline(report), ''];
  const s = report.summary;
  lines.push(`${modePrefix(report)}${s.checked} checked: ${s.ok} ok, ${s.warn} warn, ${s.block} block, ${s.unknown} unknown.`, '');
  const problems = report.packages.filter((p) => p.verdict !== 'ok').sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]);
  if (problems.length) {
    lines.push('| Verdict | Package | Why | Where |', '| --- | --- | --- | --- |');
    for (const p of problems.slice(0, MAX_ROWS)) lines.push(row(p));
    if (problems.length > MAX_ROWS) lines.push('', `…and ${problems.length - MAX_ROWS} more (run \`slopguard ci\` locally for the full list).`);
    const ecosystems = [...new Set(problems.map((p) => REGISTRY_NAME[p.ecosystem]))].join(' and ');
    lines.push('', `<sub>Names were checked against ${ecosystems}. To accept a package on purpose, add it to the \`allow\` list in \`.slopguard.json\` with a reason.</sub>`);
  }
  const notes = report.notes.filter((n) => n.level !== 'info');
  if (notes.length) {
    lines.push('', '<details><summary>Notes</summary>', '');
    for (const n of notes.slice(0, MAX_ROWS)) {
      lines.push(`- **${n.level}** ${mdCode(`${n.origin.file}${n.origin.line ? `:${n.origin.line}` : ''}`)}: ${mdText(noteMessage(n))}`);
    }
    lines.push('', '</details>');
  }
  for (const e of report.expiredAllowlist ?? []) lines.push('', `> ⚠️ ${mdReason(expiredAllowMessage(e))}`);
  for (const w of report.warnings ?? []) lines.push('', `> ⚠️ ${mdText(w)}`);
  return `${lines.join('\n')}\n`;
}
