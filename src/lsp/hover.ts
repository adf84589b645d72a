/**
 * Hover over a dependency name: the verdict, the reason when it is not ok, and the facts behind
 * it (first publish and age, latest version, weekly downloads, repository), in Markdown.
 */
import type { Hover, Position, Range } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { PackageResult } from '../core/types.js';
import { formatCount, REGISTRY_NAME, reasonLine } from '../reporters/messages.js';
import { ageInDays } from '../signals/age.js';
import type { LocatedResult } from './diagnostics.js';

const VERDICT_WORD = { ok: 'looks fine', warn: 'warning', block: 'blocked', unknown: 'could not be checked' } as const;

/**
 * Markdown-escape text from registries and files, so it is shown rather than interpreted. Only
 * inline syntax matters: every value sits after a fixed prefix, never at the start of a line.
 */
function md(s: string): string {
  return s.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  return !(p.line === r.end.line && p.character > r.end.character);
}

/** The facts as Markdown list items. */
export function factLines(p: PackageResult, now: Date): string[] {
  const f = p.facts;
  if (!f) return [];
  if (f.status !== 'found') return [`- ${f.status === 'not-found' ? 'not on the registry' : f.status === 'unpublished' ? 'unpublished' : 'the registry could not be asked'} (${md(f.registry)})`];
  const lines: string[] = [];
  const age = ageInDays(f.created, now);
  if (f.created) lines.push(`- first published ${f.created.slice(0, 10)}${age !== undefined ? ` (${formatCount(age)} days ago)` : ''}`);
  if (f.latestVersion) lines.push(`- latest ${md(f.latestVersion)}${f.latestPublish ? `, published ${f.latestPublish.slice(0, 10)}` : ''}`);
  if (f.weeklyDownloads !== undefined) lines.push(`- ${formatCount(f.weeklyDownloads)} downloads last week${f.downloadsSource === 'popular-list' ? ' (estimated from the popular-package list)' : ''}`);
  else lines.push('- weekly downloads unknown');
  if (f.repository) lines.push(`- repository: ${md(f.repository)}`);
  return lines;
}

/** The hover for a position, if a checked name is under it. */
export function hoverAt(located: readonly LocatedResult[], position: Position, now: Date): Hover | undefined {
  const hit = located.find((l) => contains(l.range, position));
  if (!hit) return undefined;
  const p = hit.result;
  const parts = [`**${md(p.name)}** (${REGISTRY_NAME[p.ecosystem]}): ${VERDICT_WORD[p.verdict]}`];
  if (p.verdict !== 'ok') parts.push('', md(reasonLine(p)));
  const facts = factLines(p, now);
  if (facts.length) parts.push('', ...facts);
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n') }, range: hit.range };
}
