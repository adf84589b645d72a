/**
 * Diff extraction speed: generated unified diffs of 10,000 lines read by `extractDiff`.
 * Target (issue #4): a 10,000-line diff in under 200 ms (median of at least 5 runs).
 *
 *   node dist/bench/diff.js [--runs 7] [--no-record]
 *
 * Run directly, it prints the table and writes it as the "## Diff extraction" section of
 * bench/results.md; `npm run bench` calls runDiffBench() and prints it.
 */
import { writeSections } from './results-file.js';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ExtractResult } from '../src/core/types.js';
import { extractDiff, type DiffOptions } from '../src/extractors/text/diff.js';
import { fmtMs, fmtSpread, markdownTable, type BenchRow } from './scenarios/table.js';

/** Options for one benchmark run. */
export interface DiffBenchOptions {
  /** Measured runs per scenario (median reported); at least 5. */
  runs?: number;
}

const TARGET_MS = 200;

/** One file's section of a diff: a header and hunks built from (kind, text) lines. */
function fileDiff(path: string, hunks: Array<{ oldStart: number; newStart: number; lines: Array<[' ' | '+' | '-', string]> }>, created = false): string[] {
  const out = [`diff --git a/${path} b/${path}`];
  if (created) out.push('new file mode 100644', 'index 0000000..1111111', '--- /dev/null', `+++ b/${path}`);
  else out.push('index 1111111..2222222 100644', `--- a/${path}`, `+++ b/${path}`);
  for (const h of hunks) {
    const old = h.lines.filter(([k]) => k !== '+').length;
    const neu = h.lines.filter(([k]) => k !== '-').length;
    out.push(`@@ -${created ? 0 : h.oldStart},${old} +${h.newStart},${neu} @@`);
    for (const [k, t] of h.lines) out.push(`${k}${t}`);
  }
  return out;
}

/**
 * A mixed diff of about `target` lines, as a large agent change or a merge looks: manifests
 * with re-ordered and added dependencies, a package-lock.json with new entries, requirements,
 * Python and TypeScript files with new imports, a Dockerfile, CI YAML, a README with commands,
 * and plenty of files nobody reads (Go, CSS). Returns the diff and how many names it adds.
 */
export function mixedDiff(target = 10_000): { diff: string; added: number } {
  const lines: string[] = [];
  let added = 0;
  let round = 0;
  while (lines.length < target) {
    const r = round++;
    // package.json: dependencies re-sorted (not new) and two added.
    const deps = Array.from({ length: 8 }, (_, i) => `    "dep-${r}-${i}": "^${i}.0.0",`);
    lines.push(...fileDiff(`packages/p${r}/package.json`, [{ oldStart: 5, newStart: 5, lines: [[' ', '  "dependencies": {'], ...deps.map((d) => ['-', d] as ['-', string]), ...[...deps].reverse().map((d) => ['+', d] as ['+', string]), ['+', `    "new-a-${r}": "^1.2.3",`], ['+', `    "@scope${r}/new-b": "~2.0.0"`], [' ', '  },']] }]));
    added += 2;
    // package-lock.json: 12 new entries (line level: key + resolved URL each).
    const lock: Array<[' ' | '+' | '-', string]> = [[' ', '    },']];
    for (let i = 0; i < 12; i++) {
      lock.push(['+', `    "node_modules/lock-${r}-${i}": {`], ['+', `      "version": "1.${i}.0",`], ['+', `      "resolved": "https://registry.npmjs.org/lock-${r}-${i}/-/lock-${r}-${i}-1.${i}.0.tgz",`], ['+', `      "integrity": "sha512-${'A'.repeat(60)}",`], ['+', '      "license": "MIT"'], ['+', '    },']);
      added += 1;
    }
    lock.push([' ', `    "node_modules/zzz-${r}": {`]);
    lines.push(...fileDiff(`packages/p${r}/package-lock.json`, [{ oldStart: 100, newStart: 100, lines: lock }]));
    // requirements.txt: one re-pinned, two added.
    lines.push(...fileDiff(`svc${r}/requirements.txt`, [{ oldStart: 1, newStart: 1, lines: [[' ', 'flask==3.0.3'], ['-', 'requests==2.31.0'], ['+', 'requests==2.32.3'], ['+', `py-new-${r}>=1.0`], ['+', `py-other-${r}[extra]==2.0`]] }]));
    added += 2;
    // Python and TypeScript: new imports among ordinary code.
    const pyCode = Array.from({ length: 40 }, (_, i) => ['+', `    value_${i} = compute(${i}) + offset  # line ${i}`] as ['+', string]);
    lines.push(...fileDiff(`svc${r}/app_${r}.py`, [{ oldStart: 1, newStart: 1, lines: [[' ', 'import os'], ['+', `import pymod_${r}`], ['+', 'import yaml'], ['+', 'from sklearn.linear_model import LinearRegression'], ['+', 'def handler():'], ...pyCode] }]));
    added += r === 0 ? 3 : 1; // yaml and sklearn are the same names every round
    const tsCode = Array.from({ length: 40 }, (_, i) => ['+', `  const v${i} = await fetchThing(${i}, { retries: 3 });`] as ['+', string]);
    lines.push(...fileDiff(`web${r}/src/page.tsx`, [{ oldStart: 1, newStart: 1, lines: [[' ', "import React from 'react';"], ['+', `import { thing } from 'ts-new-${r}/sub';`], ['+', "import { readFile } from 'node:fs/promises';"], ['+', "import local from './local';"], ['+', 'export async function page() {'], ...tsCode, ['+', '}']] }]));
    added += 1;
    // Dockerfile, CI YAML and README: install commands.
    lines.push(...fileDiff(`svc${r}/Dockerfile`, [{ oldStart: 1, newStart: 1, lines: [[' ', 'FROM python:3.12'], [' ', 'RUN pip install \\'], ['+', `    docker-new-${r} \\`], [' ', '    gunicorn']] }]));
    added += 1;
    lines.push(...fileDiff(`.github/workflows/ci${r}.yml`, [{ oldStart: 1, newStart: 1, lines: [[' ', 'jobs:'], [' ', '  t:'], [' ', '    steps:'], ['+', `      - run: npm install -g ci-tool-${r}`], ['+', '      - run: |'], ['+', `          pip install ci-py-${r}`]] }]));
    added += 2;
    lines.push(...fileDiff(`docs/guide${r}.md`, [{ oldStart: 1, newStart: 1, lines: [[' ', '# Guide'], ['+', ''], ['+', '```bash'], ['+', `npm i doc-pkg-${r}`], ['+', '```'], ['+', `Then \`pip install doc-py-${r}\`.`]] }]));
    added += 2;
    // Files nobody reads.
    const go = Array.from({ length: 60 }, (_, i) => ['+', `\tx${i} := compute(${i}) // npm install not-read`] as ['+', string]);
    lines.push(...fileDiff(`cmd/tool${r}/main.go`, [{ oldStart: 1, newStart: 1, lines: [[' ', 'package main'], ...go] }]));
    const css = Array.from({ length: 40 }, (_, i) => ['+', `.c${i} { color: #${(i * 4111).toString(16).padStart(6, '0')}; }`] as ['+', string]);
    lines.push(...fileDiff(`web${r}/src/style${r}.css`, [{ oldStart: 1, newStart: 1, lines: [[' ', ':root {}'], ...css] }]));
  }
  return { diff: `${lines.join('\n')}\n`, added };
}

/** One lockfile the diff creates, of about `target` lines (read whole by the real extractor). */
export function newLockfileDiff(target = 10_000): { diff: string; added: number } {
  const body: string[] = ['{', '  "name": "app",', '  "lockfileVersion": 3,', '  "packages": {', '    "": { "name": "app" },'];
  let n = 0;
  while (body.length < target - 3) {
    body.push(`    "node_modules/pkg-${n}": {`, `      "version": "1.0.${n % 50}",`, `      "resolved": "https://registry.npmjs.org/pkg-${n}/-/pkg-${n}-1.0.${n % 50}.tgz",`, `      "integrity": "sha512-${'B'.repeat(60)}"`, '    },');
    n++;
  }
  body.push(`    "node_modules/last": { "version": "1.0.0" }`, '  }', '}');
  return { diff: `${fileDiff('package-lock.json', [{ oldStart: 0, newStart: 1, lines: body.map((l) => ['+', l] as ['+', string]) }], true).join('\n')}\n`, added: n + 1 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function distinct(r: ExtractResult): number {
  return new Set(r.refs.map((x) => `${x.ecosystem}:${x.name}`)).size;
}

/** Times extractDiff on the generated diffs; one row each. */
export async function measureDiff(opts: DiffBenchOptions = {}): Promise<BenchRow[]> {
  const runs = Math.max(5, opts.runs ?? 7);
  const scenarios: Array<{ label: string; make: () => { diff: string; added: number }; options?: DiffOptions; target: boolean }> = [
    { label: 'mixed diff (manifests, lockfile hunks, code, Dockerfile, CI, Markdown, unread files), hunks only', make: () => mixedDiff(10_000), target: true },
    { label: 'one new package-lock.json (read whole)', make: () => newLockfileDiff(10_000), target: true },
  ];
  const rows: BenchRow[] = [];
  for (const s of scenarios) {
    const { diff, added } = s.make();
    const lineCount = diff.split('\n').length - 1;
    // One unmeasured run warms the JIT; it also checks the diff yields what was put in.
    const first = extractDiff(diff, s.options);
    if (distinct(first) !== added) throw new Error(`${s.label}: expected ${added} added names, got ${distinct(first)}`);
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      extractDiff(diff, s.options);
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    const ms = median(times);
    const row: BenchRow = {
      section: 'diff',
      scenario: `${s.label}: ${lineCount.toLocaleString('en')} lines, ${(diff.length / 1024).toFixed(0)} KB`,
      result: fmtMs(ms),
      cpu: fmtMs(median(cpu)),
      notes: `${added.toLocaleString('en')} added names found; ${runs} runs`,
    };
    const spread = fmtSpread(times);
    if (spread) row.spread = spread;
    if (s.target) {
      row.target = `< ${TARGET_MS} ms`;
      row.met = ms < TARGET_MS;
    }
    rows.push(row);
  }
  return rows;
}

/** The benchmark as a Markdown table (what `npm run bench` prints). */
export async function runDiffBench(opts: DiffBenchOptions = {}): Promise<string> {
  return markdownTable(await measureDiff(opts));
}

async function main(argv: string[]): Promise<void> {
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt === -1 ? 7 : Number(argv[runsAt + 1]);
  const table = await runDiffBench({ runs });
  process.stdout.write(`${table}\n`);
  if (!argv.includes('--no-record')) {
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const when = new Date().toISOString().slice(0, 10);
    const load = loadavg()[0]?.toFixed(1) ?? '?';
    const path = writeSections([['## Diff extraction',
      `\`extractDiff\` on generated unified diffs (bench/diff.ts), median wall time of ${Math.max(5, runs)} runs after one warm-up, CPU time (user + system) beside it; Node ${process.version}, ${cpus().length} × ${cpu}, load average ${load} when measured, ${when}. Target (issue #4): a 10,000-line diff in under 200 ms. Re-run: \`npx tsc -p . && node dist/bench/diff.js\`.\n\n${table}`]],
    );
    process.stdout.write(`recorded in ${path}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
