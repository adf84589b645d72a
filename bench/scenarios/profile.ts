/**
 * Summarise a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile`) by where the
 * time went: self time per source file, grouped by package (node_modules/<pkg>, src/<dir>, node:
 * internals), and the hottest functions. Run:
 *
 *   node dist/bench/scenarios/profile.js <file.cpuprofile> [--top 25]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which bucket a script URL belongs to: an npm package, a src/ folder, or Node itself. */
export function bucketOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const m = url.match(/\/dist\/(src|bench|test)\/([^/]+)/);
  if (m) return `${m[1]}/${m[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** Self time (ms) by bucket, by file and by function, hottest first. */
export function summarize(p: CpuProfile): { totalMs: number; buckets: Array<[string, number]>; files: Array<[string, number]>; functions: Array<[string, number]> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const buckets = new Map<string, number>();
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const url = n.callFrame.url;
    const name = n.callFrame.functionName || '(anonymous)';
    const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + us / 1000);
    add(buckets, name === '(idle)' ? '(idle)' : name === '(garbage collector)' ? '(gc)' : name === '(program)' ? '(program)' : bucketOf(url));
    if (url) add(files, url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/'));
    add(fns, `${name} ${url ? url.replace(/^.*\//, '') : ''}:${n.callFrame.lineNumber + 1}`);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalMs: (p.endTime - p.startTime) / 1000, buckets: sorted(buckets), files: sorted(files), functions: sorted(fns) };
}

function main(): void {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/scenarios/profile.js <file.cpuprofile> [--top N]\n');
    process.exitCode = 2;
    return;
  }
  const i = process.argv.indexOf('--top');
  const top = i > 0 ? Number(process.argv[i + 1]) : 25;
  const s = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const show = (title: string, rows: Array<[string, number]>) => {
    process.stdout.write(`\n${title}\n`);
    for (const [k, ms] of rows.slice(0, top)) process.stdout.write(`${ms.toFixed(1).padStart(9)} ms  ${k}\n`);
  };
  process.stdout.write(`profile: ${s.totalMs.toFixed(0)} ms\n`);
  show('self time by package / folder', s.buckets);
  show('self time by file', s.files);
  show('hottest functions (self)', s.functions);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
