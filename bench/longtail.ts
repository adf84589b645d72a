/**
 * False alarms on the long tail and recall on real squats, by verdict (block / warn), through the
 * typo signal and the severity policy as check() applies them (src/signals/typo.ts,
 * src/policy/verdict.ts). Issue 16's measure: of >= 2,000 real npm packages below rank 50,000 and
 * >= 2,000 ranked PyPI projects below rank 3,000, at most 0.2% blocked; recall on
 * ../shared/eval/typosquats.tsv not lower.
 *
 * Facts are what the fixture registry gives bench/scenarios/corpus.ts's packages: weekly downloads
 * from the 2026-11 snapshot (npm: monthly / 4.3; PyPI: the rank estimate, as the bundled list has
 * no counts) and a creation date from the corpus's age model (tail: 60-4,060 days, 2% under 30).
 * Squats are judged as published packages of unknown age with the downloads the product has
 * offline, as bench/eval.ts does. Run: node dist/bench/longtail.js [--alarms] [--record]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ecosystem, PackageFacts, Policy, Severity, SignalContext, Thresholds } from '../src/core/types.js';
import { DEFAULT_POLICY } from '../src/policy/defaults.js';
import { severityOf } from '../src/policy/verdict.js';
import { typo } from '../src/signals/typo.js';
import { getPopularIndex } from '../src/similarity/index.js';
import { weeklyFromRank } from '../src/similarity/popularity.js';
import { evalDir } from './eval.js';
import { recordSection } from './results-file.js';
import { prng } from './scenarios/corpus.js';

const DAY = 86_400_000;
/** The samples are packages of the public registries, as a default install asks them. */
const PUBLIC_REGISTRY: Record<Ecosystem, string> = { npm: 'https://registry.npmjs.org/', pypi: 'https://pypi.org/' };
const NOW = Date.parse('2026-11-25T00:00:00Z');

/** The data snapshots (SLOPGUARD_SHARED_DATA overrides). */
function dataDir(): string {
  return process.env.SLOPGUARD_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
}

/** bench/scenarios/corpus.ts's age model for a package of download rank `rank` (0-based). */
function ageDays(rank: number, seed = 8): number {
  const prnd = prng(seed * 7919 + rank);
  return rank < 2000 ? 1500 + prnd() * 4000 : prnd() < 0.02 && rank > 20000 ? prnd() * 29 : 60 + prnd() * 4000;
}

/** What one package's typo finding comes to: its severity, or none. */
type Outcome = Severity | 'none';

function judgeTypo(ecosystem: Ecosystem, name: string, facts: Partial<PackageFacts>, policy: Policy = DEFAULT_POLICY): { outcome: Outcome; detail: string } {
  const full: PackageFacts = { ecosystem, name, status: 'found', registry: PUBLIC_REGISTRY[ecosystem], fetchedAt: new Date(NOW).toISOString(), ...facts };
  const ctx: SignalContext = { ref: { ecosystem, name }, facts: full, popular: (e) => getPopularIndex(e), now: new Date(NOW), policy };
  const [s] = typo(ctx);
  if (!s) return { outcome: 'none', detail: '' };
  const sev = severityOf(s, ctx);
  const outcome: Outcome = sev === 'block' || sev === 'warn' || sev === 'info' ? sev : 'none';
  return { outcome, detail: `-> ${s.similarTo} (${s.kind}${s.evidence.shape ? `, ${s.evidence.shape}` : ''}, ratio ${s.evidence.ratio})` };
}

interface Tally {
  n: number;
  block: number;
  warn: number;
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);
const row = (label: string, t: Tally) => `| ${label} | ${t.n} | ${t.block} (${pct(t.block, t.n)}) | ${t.warn} (${pct(t.warn, t.n)}) |`;

/** npm: every `step`th package of download ranks >= 50,000 (security placeholders left out). */
function npmTail(step: number, alarms: string[], policy: Policy = DEFAULT_POLICY): Tally {
  const lines = readFileSync(join(dataDir(), 'npm-packages.tsv'), 'utf8').split('\n').slice(1);
  const rows = lines
    .map((l) => l.split('\t'))
    .filter((c) => c[0] && c[2] && !c[1]?.endsWith('-security'))
    .map((c) => ({ name: c[0]!, monthly: Number(c[2]) }))
    .sort((a, b) => b.monthly - a.monthly || (a.name < b.name ? -1 : 1));
  const t: Tally = { n: 0, block: 0, warn: 0 };
  for (let rank = 50_000; rank < rows.length; rank += step) {
    const r = rows[rank]!;
    // (Without a registry count the signal falls back to the bundled list, which holds every name
    // of this sample: the count is never missing here, so the age-alone rule is not exercised.)
    const facts: Partial<PackageFacts> = { created: new Date(NOW - ageDays(rank) * DAY).toISOString(), weeklyDownloads: Math.round(r.monthly / 4.3) };
    const { outcome, detail } = judgeTypo('npm', r.name, facts, policy);
    t.n++;
    if (outcome === 'block') t.block++;
    if (outcome === 'warn') t.warn++;
    if (outcome === 'block' || outcome === 'warn') alarms.push(`npm\t${outcome}\t#${rank + 1}\t${r.name}\t${facts.weeklyDownloads ?? '?'}/wk\t${Math.round(ageDays(rank))}d\t${detail}`);
  }
  return t;
}

/** PyPI: every `step`th ranked project of ranks 3,000-15,000. */
function pypiTail(step: number, alarms: string[], withCount: boolean, policy: Policy = DEFAULT_POLICY): Tally {
  const lines = readFileSync(join(dataDir(), 'pypi-projects.tsv'), 'utf8').split('\n').slice(1);
  const ranked = lines
    .map((l) => l.split('\t'))
    .filter((c) => c[3])
    .map((c) => ({ name: c[0]!, rank: Number(c[3]) }))
    .filter((r) => r.rank >= 3000)
    .sort((a, b) => a.rank - b.rank);
  const t: Tally = { n: 0, block: 0, warn: 0 };
  for (let i = 0; i < ranked.length; i += step) {
    const r = ranked[i]!;
    const facts: Partial<PackageFacts> = { created: new Date(NOW - ageDays(r.rank - 1) * DAY).toISOString() };
    // With a count: what pypistats would say (the rank estimate); without: pypistats rate-limited.
    if (withCount) facts.weeklyDownloads = weeklyFromRank(r.rank);
    const { outcome, detail } = judgeTypo('pypi', r.name, facts, policy);
    t.n++;
    if (outcome === 'block') t.block++;
    if (outcome === 'warn') t.warn++;
    if (withCount && (outcome === 'block' || outcome === 'warn')) alarms.push(`pypi\t${outcome}\t#${r.rank}\t${r.name}\t${Math.round(ageDays(r.rank - 1))}d\t${detail}`);
  }
  return t;
}

/**
 * PyPI's unranked projects (every `step`th of the complete list), downloads unknown, created at the
 * end of the month the list gives (their latest release: the first is no later, so this is the
 * youngest each project can be, and the blocks an upper bound).
 */
function pypiUnranked(step: number, alarms: string[], policy: Policy = DEFAULT_POLICY): Tally {
  const lines = readFileSync(join(dataDir(), 'pypi-projects.tsv'), 'utf8').split('\n').slice(1);
  const t: Tally = { n: 0, block: 0, warn: 0 };
  for (let i = 0; i < lines.length; i += step) {
    const c = lines[i]!.split('\t');
    if (!c[0] || c[3] || !/^\d{4}-\d{2}$/.test(c[2] ?? '')) continue;
    const [y, m] = c[2]!.split('-').map(Number) as [number, number];
    const created = Math.min(NOW, Date.UTC(y, m, 1) - DAY);
    const { outcome, detail } = judgeTypo('pypi', c[0], { created: new Date(created).toISOString() }, policy);
    t.n++;
    if (outcome === 'block') t.block++;
    if (outcome === 'warn') t.warn++;
    if (outcome === 'block') alarms.push(`pypi\tunranked-block\t${c[0]}\t${c[2]}\t${detail}`);
  }
  return t;
}

/** Recall by verdict on the squat corpus: unknown age, offline downloads (as bench/eval.ts). */
function squats(): Map<string, Tally> {
  const lines = readFileSync(join(evalDir(), 'typosquats.tsv'), 'utf8').split('\n');
  const head = lines.shift()!.split('\t');
  const col = (n: string) => head.indexOf(n);
  const groups = new Map<string, Tally>();
  for (const l of lines) {
    if (!l.trim()) continue;
    const c = l.split('\t');
    const eco = c[col('ecosystem')] as Ecosystem;
    const group = eco === 'npm' ? (c[col('squat_kind')] === 'scope-confusion' ? 'npm, scope-confusion campaign' : 'npm, other squats') : 'PyPI';
    const { outcome } = judgeTypo(eco, c[col('squat_name')]!, {});
    let t = groups.get(group);
    if (!t) groups.set(group, (t = { n: 0, block: 0, warn: 0 }));
    t.n++;
    if (outcome === 'block') t.block++;
    if (outcome === 'warn') t.warn++;
  }
  return groups;
}

/** The "False alarms on the long tail" section of bench/results.md. */
export function runLongTail(alarms: string[] = []): string {
  const out = ['## False alarms on the long tail (issue 16)', ''];
  out.push(`Measured ${new Date().toISOString().slice(0, 10)} with \`node dist/bench/longtail.js\` (typo signal + severity policy, default thresholds) on data snapshot ${getPopularIndex('npm').snapshotDate}.`, '');
  out.push('| sample | packages | typo blocks | typo warns ("did you mean") |', '| --- | ---: | ---: | ---: |');
  out.push(row('npm, every 75th of download ranks 50,000+ (corpus age model, snapshot downloads)', npmTail(75, alarms)));
  out.push(row('PyPI, every 5th of ranks 3,000-15,000, count known (rank estimate)', pypiTail(5, alarms, true)));
  out.push(row('PyPI, the same, count unknown (pypistats rate-limited)', pypiTail(5, alarms, false)));
  out.push(row('PyPI, every 50th unranked project, count unknown, as young as its latest release allows (an upper bound)', pypiUnranked(50, alarms)));
  out.push('', '| real squats (`../shared/eval/typosquats.tsv`, unknown age) | rows | blocked | warned |', '| --- | ---: | ---: | ---: |');
  for (const [g, t] of [...squats().entries()].sort()) out.push(row(g, t));
  // Each threshold's share: the same samples with one rule turned off or moved.
  const variants: Array<[string, Partial<Thresholds>]> = [
    ['defaults', {}],
    ['no adoption rule (typoAdoptedWeekly = infinity)', { typoAdoptedWeekly: Infinity }],
    ['no old-sibling rule (typoEstablishedDays = infinity)', { typoEstablishedDays: Infinity }],
    ['typoYoungDays 60 instead of 90', { typoYoungDays: 60 }],
    ['typoYoungDays 180 instead of 90', { typoYoungDays: 180 }],
  ];
  out.push('', '| thresholds | npm tail blocks | npm tail warns | PyPI ranked (count unknown) blocks | PyPI unranked (upper bound) blocks |', '| --- | ---: | ---: | ---: | ---: |');
  for (const [label, th] of variants) {
    const policy: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, ...th } };
    const n = npmTail(75, [], policy);
    const p = pypiTail(5, [], false, policy);
    const u = pypiUnranked(50, [], policy);
    out.push(`| ${label} | ${n.block} (${pct(n.block, n.n)}) | ${n.warn} (${pct(n.warn, n.n)}) | ${p.block} (${pct(p.block, p.n)}) | ${u.block} (${pct(u.block, u.n)}) |`);
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const alarms: string[] = [];
  const md = runLongTail(alarms);
  process.stdout.write(`${md}\n`);
  if (process.argv.includes('--record')) recordSection(md);
  if (process.argv.includes('--alarms')) process.stderr.write(`${alarms.join('\n')}\n`);
}
