/**
 * Detector quality on real-world data: recall of the typo signal on known squats
 * (../shared/eval/typosquats.tsv) and false alarms on the most popular names of each ecosystem,
 * both through the same decision the product makes (the engine plus the popularity-gap rule in
 * src/signals/typo.ts). Run: node dist/bench/eval.js [--misses] [--alarms] [--record]
 *
 * The eval corpus is read at run time and only counted: no name from it is written anywhere.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ecosystem, PackageFacts, PackageRef, Signal, SignalContext, SignalOf } from '../src/core/types.js';
import { normalizePypiName } from '../src/core/names.js';
import { DEFAULT_POLICY } from '../src/policy/defaults.js';
import { getPopularIndex } from '../src/similarity/index.js';
import { NameSet } from '../src/similarity/name-set.js';
import { PopularData } from '../src/similarity/popular-data.js';
import { DATA_FILES, defaultDataDir } from '../src/similarity/index.js';
import { join } from 'node:path';
import { typo } from '../src/signals/typo.js';
import { recordSection } from './results-file.js';
import { otherEcosystem } from '../src/signals/other-ecosystem.js';

/** Every how-many-th project of PyPI's complete list the long-tail band samples. */
const TAIL_STEP = 50;

/** Where the eval corpora live (SLOPGUARD_EVAL_DIR overrides). */
export function evalDir(): string {
  return process.env.SLOPGUARD_EVAL_DIR ?? fileURLToPath(new URL('../../../shared/eval/', import.meta.url));
}

interface Row {
  ecosystem: Ecosystem;
  squat: string;
  target: string;
  stated: boolean;
  kind: string;
}

function readRows(): Row[] {
  const lines = readFileSync(join(evalDir(), 'typosquats.tsv'), 'utf8').split('\n');
  const head = lines.shift()!.split('\t');
  const col = (n: string) => head.indexOf(n);
  return lines
    .filter((l) => l.trim())
    .map((l) => l.split('\t'))
    .map((c) => ({
      ecosystem: c[col('ecosystem')] as Ecosystem,
      squat: c[col('squat_name')]!,
      target: c[col('intended_target')]!,
      stated: c[col('target_basis')] === 'stated',
      kind: c[col('squat_kind')]!,
    }));
}

/** The typo signal as check() runs it, for a package whose facts carry the given weekly downloads. */
export function decide(ecosystem: Ecosystem, name: string, weeklyDownloads?: number): SignalOf<'typo'> | undefined {
  const ref: PackageRef = { ecosystem, name };
  const facts: PackageFacts = { ecosystem, name, status: 'found', registry: 'eval', fetchedAt: new Date(0).toISOString() };
  if (weeklyDownloads !== undefined) facts.weeklyDownloads = weeklyDownloads;
  const ctx: SignalContext = { ref, facts, popular: (e) => getPopularIndex(e), now: new Date(), policy: DEFAULT_POLICY };
  return typo(ctx)[0];
}

const same = (e: Ecosystem, a: string, b: string) => (e === 'pypi' ? normalizePypiName(a) === normalizePypiName(b) : a.toLowerCase() === b.toLowerCase());
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

interface Tally {
  rows: number;
  flagged: number;
  stated: number;
  statedFlagged: number;
  statedRight: number;
}

/** Why a squat was missed, as far as the data can tell (no per-name judgement). */
function missReason(r: Row): string {
  const index = getPopularIndex(r.ecosystem);
  const pop = r.target ? index.popularity(r.target) : undefined;
  if (!r.target) return `${r.ecosystem}: no target named`;
  if (!pop) return r.ecosystem === 'pypi' ? 'pypi: target not among the ranked 15,000 (no popularity to weigh)' : 'npm: target not in the npm list (under ~480 downloads a month, or gone)';
  if (decide(r.ecosystem, r.squat) === undefined && index.popularity(r.squat)) return `${r.ecosystem}: squat itself listed with an audience (popularity-gap rule)`;
  if (r.kind === 'combosquat') return `${r.ecosystem}: combosquat without a lure word (popular name + arbitrary word)`;
  return `${r.ecosystem}: ${r.kind}, transformation not covered (3+ edits, truncation, compound)`;
}

/** Recall and targets on the squat corpus, one line per group, plus a table by kind of imitation. */
function recall(misses: string[]): string {
  const groups = new Map<string, Tally>();
  const byKind = new Map<string, number>();
  const reasons = new Map<string, number>();
  const tally = (g: string) => {
    let t = groups.get(g);
    if (!t) groups.set(g, (t = { rows: 0, flagged: 0, stated: 0, statedFlagged: 0, statedRight: 0 }));
    return t;
  };
  for (const r of readRows()) {
    // The candidate's downloads as the product would know them offline: from the list when listed.
    const s = decide(r.ecosystem, r.squat);
    const group = r.ecosystem === 'npm' ? (r.kind === 'scope-confusion' ? 'npm, scope-confusion campaign' : 'npm, other squats') : 'PyPI';
    for (const t of [tally(group), tally(r.ecosystem === 'npm' ? 'npm, all' : 'PyPI (all)')]) {
      t.rows++;
      if (s) t.flagged++;
      if (r.stated) {
        t.stated++;
        if (s) t.statedFlagged++;
        if (s && same(r.ecosystem, s.similarTo ?? '', r.target)) t.statedRight++;
      }
    }
    if (s) byKind.set(`${r.ecosystem} ${s.kind}`, (byKind.get(`${r.ecosystem} ${s.kind}`) ?? 0) + 1);
    else {
      misses.push(`${r.ecosystem}\t${r.kind}\t${r.squat}\t${r.target}`);
      const reason = missReason(r);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    if (s && r.stated && !same(r.ecosystem, s.similarTo ?? '', r.target)) misses.push(`${r.ecosystem}\twrong-target\t${r.squat}\t${r.target}\t-> ${s.similarTo} (${s.kind})`);
  }
  const order = ['npm, other squats', 'npm, scope-confusion campaign', 'npm, all', 'PyPI'];
  const goals: string[] = [];
  for (const g of ['npm, other squats', 'npm, scope-confusion campaign', 'PyPI']) {
    const t = groups.get(g);
    if (!t) continue;
    const recall = t.flagged / t.rows;
    const right = t.stated ? t.statedRight / t.stated : 1;
    goals.push(`${g}: recall ${pct(t.flagged, t.rows)} (${recall >= 0.9 ? 'met' : 'not met'}), target right ${pct(t.statedRight, t.stated)} of stated rows (${right >= 0.85 ? 'met' : 'not met'})`);
  }
  const lines = [
    '| squats | rows | flagged as `typo` (recall) | stated-target rows | target right (of stated rows) | target right (of stated rows flagged) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const g of order) {
    const t = groups.get(g);
    if (!t) continue;
    lines.push(`| ${g} | ${t.rows} | ${t.flagged} (${pct(t.flagged, t.rows)}) | ${t.stated} | ${t.statedRight} (${pct(t.statedRight, t.stated)}) | ${pct(t.statedRight, t.statedFlagged)} |`);
  }
  lines.push('', `**Goals (recall >= 90%, target right >= 85%):** ${goals.join('; ')}.`);
  const kinds = [...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`);
  lines.push('', `Flagged rows by kind of imitation found: ${kinds.join(', ')}.`);
  const why = [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`);
  lines.push('', `Missed rows by reason (counted automatically): ${why.join('; ')}.`);
  return lines.join('\n');
}

/** False alarms among the `n` most popular names of an ecosystem, and on a band of less popular ones. */
function falseAlarms(ecosystem: Ecosystem, from: number, to: number, step: number, alarms: string[]): { checked: number; engine: number; flagged: number } {
  const data = new PopularData(join(defaultDataDir(), DATA_FILES.popular(ecosystem)), ecosystem);
  const index = getPopularIndex(ecosystem);
  let checked = 0;
  let engine = 0;
  let flagged = 0;
  for (let id = from; id < Math.min(to, data.count); id += step) {
    const name = data.name(id);
    checked++;
    if (index.lookalike(name)) engine++;
    const s = decide(ecosystem, name, data.weekly(id));
    if (s) {
      flagged++;
      alarms.push(`${ecosystem}\t#${id + 1}\t${name}\t${data.weekly(id)}/wk\t-> ${s.similarTo} (${s.kind}, ${s.evidence.targetDownloads}/wk)`);
    }
  }
  return { checked, engine, flagged };
}

/**
 * False alarms on PyPI's long tail: every `step`th project of the complete list that is not among
 * the ranked 15,000, judged as a published package whose downloads are unknown (the eval's model
 * of a squat). Most of these are honest small projects, so this is an upper bound on what the
 * typo signal costs them: online, pypistats gives their downloads, and a weak resemblance (under
 * 0.7) is then reported only below 1,000 a week.
 */
function tailAlarms(step: number, alarms: string[]): { checked: number; flagged: number } {
  const names = NameSet.open(join(defaultDataDir(), DATA_FILES.pypiNames));
  const index = getPopularIndex('pypi');
  let i = 0;
  let checked = 0;
  let flagged = 0;
  names.forEach((name) => {
    if (i++ % step !== 0 || index.popularity(name)) return;
    checked++;
    const s = decide('pypi', name);
    if (s) {
      flagged++;
      alarms.push(`pypi\ttail\t${name}\t-> ${s.similarTo} (${s.kind}, ${s.strength})`);
    }
  });
  return { checked, flagged };
}

/** Hallucinated names: how often `typo` offers a target and `other-ecosystem` fires (both as not-found). */
function hallucinations(): string {
  const lines = readFileSync(join(evalDir(), 'hallucinated-sources.tsv'), 'utf8').split('\n');
  const head = lines.shift()!.split('\t');
  const col = (n: string) => head.indexOf(n);
  const t = { npm: { n: 0, typo: 0, other: 0, otherFlag: 0 }, pypi: { n: 0, typo: 0, other: 0, otherFlag: 0 } };
  const seen = new Set<string>();
  for (const l of lines) {
    if (!l.trim()) continue;
    const c = l.split('\t');
    const eco = c[col('ecosystem')] as Ecosystem;
    const name = c[col('name')]!;
    const flags = c[col('flags')] ?? '';
    if ((eco !== 'npm' && eco !== 'pypi') || seen.has(`${eco}:${name}`) || flags.includes('likely-prose-noise')) continue;
    seen.add(`${eco}:${name}`);
    const ref: PackageRef = { ecosystem: eco, name };
    const facts: PackageFacts = { ecosystem: eco, name, status: 'not-found', registry: 'eval', fetchedAt: new Date(0).toISOString() };
    const ctx: SignalContext = { ref, facts, popular: (e) => getPopularIndex(e), now: new Date(), policy: DEFAULT_POLICY };
    const row = t[eco];
    row.n++;
    if (typo(ctx).length) row.typo++;
    if (flags.includes('exists-in-other-ecosystem-list')) {
      row.otherFlag++;
      if (otherEcosystem.evaluate(ctx).length) row.other++;
    }
  }
  const out = [
    '| hallucinated names (not prose noise) | names | `typo` offers a target | flagged "exists in the other ecosystem" by the corpus | `other-ecosystem` fires on those |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const eco of ['npm', 'pypi'] as const) {
    const r = t[eco];
    out.push(`| ${eco} | ${r.n} | ${r.typo} (${pct(r.typo, r.n)}) | ${r.otherFlag} | ${r.other} (${pct(r.other, r.otherFlag)}) |`);
  }
  return out.join('\n');
}

/** The "Detector quality (eval)" section of bench/results.md. */
export async function runEval(opts: { misses?: string[]; alarms?: string[] } = {}): Promise<string> {
  const misses = opts.misses ?? [];
  const alarms = opts.alarms ?? [];
  const out = ['## Detector quality (eval)', '', `Measured ${new Date().toISOString().slice(0, 10)} with \`node dist/bench/eval.js\` on data snapshot ${getPopularIndex('npm').snapshotDate}.`, ''];
  out.push('### Recall on real squats (`../shared/eval/typosquats.tsv`)', '');
  out.push('A row counts when the `typo` signal fires for the squat name with the facts the product has offline (downloads from the bundled list when the name is listed, otherwise unknown), i.e. the engine plus the popularity-gap rule. Goals: recall >= 90% per line, target right on >= 85% of stated-target rows.', '');
  out.push(recall(misses), '');
  out.push('### False alarms on popular names', '');
  out.push('A popular name counts as a false alarm when the `typo` signal fires for it with its listed downloads (goal <= 0.5% of the 5,000 most popular). "engine only" is how many the engine alone would call a look-alike before the popularity-gap rule.', '');
  out.push('| names | checked | engine only | `typo` fired (false alarms) |', '| --- | ---: | ---: | ---: |');
  const bands: Array<[Ecosystem, string, number, number, number]> = [
    ['npm', 'npm, 5,000 most downloaded', 0, 5000, 1],
    ['pypi', 'PyPI, 5,000 highest ranked', 0, 5000, 1],
    ['npm', 'npm, every 9th of ranks 5,001-50,000', 5000, 50000, 9],
    ['npm', 'npm, every 35th of ranks 50,001-226,991', 50000, 226991, 35],
    ['pypi', 'PyPI, ranks 5,001-15,000', 5000, 15000, 1],
  ];
  const fpGoal: string[] = [];
  for (const [eco, label, from, to, step] of bands) {
    const r = falseAlarms(eco, from, to, step, alarms);
    out.push(`| ${label} | ${r.checked} | ${r.engine} (${pct(r.engine, r.checked)}) | ${r.flagged} (${pct(r.flagged, r.checked)}) |`);
    if (from === 0) fpGoal.push(`${label}: ${pct(r.flagged, r.checked)} (${r.flagged / r.checked <= 0.005 ? 'met' : 'not met'})`);
  }
  const tail = tailAlarms(TAIL_STEP, alarms);
  out.push(`| PyPI, every ${TAIL_STEP}th unranked project (downloads unknown: an upper bound) | ${tail.checked} | | ${tail.flagged} (${pct(tail.flagged, tail.checked)}) |`);
  out.push(
    '',
    `**Goal (<= 0.5% of the 5,000 most popular):** ${fpGoal.join('; ')}. The popularity-gap rule decides: a candidate with 10,000 or more weekly downloads (about npm's top 55,000 and PyPI's top 10,000) or within a tenth of its look-alike's audience is never reported, and a weak resemblance (confidence under 0.7) is reported only below 1,000 weekly downloads. ` +
      'The lower bands show the cost that remains: a small honest package one edit from a popular one looks exactly like a squat by name and audience; policy weighs its age, and the allowlist takes the rest.',
  );
  out.push('', '### Hallucinated names (`hallucinated-sources.tsv`)', '');
  out.push('Each name judged as not found on its registry. Most hallucinations are not near any popular name, so `typo` is expected to fire on a minority (the `not-found` finding blocks them anyway); `other-ecosystem` is measured on the names the corpus marks as existing in the other registry. npm names are checked against the complete offline PyPI list; PyPI names only against the npm popular list (npm has no complete offline list), so that column is a lower bound.', '');
  out.push(hallucinations());
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const misses: string[] = [];
  const alarms: string[] = [];
  const md = await runEval({ misses, alarms });
  process.stdout.write(`${md}\n`);
  // --record writes this section of bench/results.md (other sections are left alone).
  if (process.argv.includes('--record')) recordSection(md);
  if (process.argv.includes('--misses')) process.stderr.write(`${misses.join('\n')}\n`);
  if (process.argv.includes('--alarms')) process.stderr.write(`${alarms.join('\n')}\n`);
}
