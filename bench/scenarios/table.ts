/**
 * The benchmark's result rows and their rendering: one row per measured figure, with its target
 * beside it, as a terminal table and as Markdown for bench/results.md.
 */

/** One measured figure. */
export interface BenchRow {
  /** Which table it belongs in (`check`, `npq`, or another helper's section). */
  section: string;
  scenario: string;
  /** The headline figure, formatted (`1.23 s`, `87 MB`). */
  result: string;
  /** Spread of the runs (`min-max`), when there were several. */
  spread?: string;
  /** Median CPU time (user + system) of the measured process: steadier than wall time on a busy machine. */
  cpu?: string;
  /** Requests, per package where that means something. */
  requests?: string;
  /** The floor latency allows, for cold runs. */
  floor?: string;
  target?: string;
  /** Undefined when the row has no target. */
  met?: boolean;
  notes?: string;
}

/** Milliseconds as people read them. */
export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

export function fmtSpread(xs: readonly number[]): string | undefined {
  if (xs.length < 2) return undefined;
  return `${fmtMs(Math.min(...xs))}-${fmtMs(Math.max(...xs))}`;
}

const COLUMNS: Array<[keyof BenchRow, string]> = [
  ['scenario', 'scenario'],
  ['result', 'median'],
  ['spread', 'runs min-max'],
  ['cpu', 'CPU'],
  ['requests', 'requests'],
  ['floor', 'floor'],
  ['target', 'target'],
  ['met', 'met'],
  ['notes', 'notes'],
];

function cell(row: BenchRow, key: keyof BenchRow): string {
  const v = row[key];
  if (key === 'met') return v === undefined ? '' : v ? 'yes' : 'NO';
  return v === undefined ? '' : String(v);
}

/** A Markdown table (pipes in cells escaped). */
export function markdownTable(rows: readonly BenchRow[]): string {
  const cols = COLUMNS.filter(([k]) => rows.some((r) => cell(r, k) !== ''));
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`| ${cols.map(([, h]) => h).join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${cols.map(([k]) => esc(cell(r, k))).join(' | ')} |`);
  return lines.join('\n');
}

/** A plain aligned table for the terminal. */
export function textTable(rows: readonly BenchRow[]): string {
  const cols = COLUMNS.filter(([k]) => rows.some((r) => cell(r, k) !== ''));
  const widths = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => cell(r, k).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cols.map(([, h]) => h)), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map(([k]) => cell(r, k))))].join('\n');
}
