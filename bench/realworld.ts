/**
 * False alarms on real dependency trees: the lockfiles and manifests of public projects in
 * bench/real-world/ (provenance and licences in its README), read by slopguard's own extractors,
 * every distinct registry package judged by the typo signal and the severity policy.
 *
 * Facts come from the 2026-11 snapshots, as the issue measured them: npm downloads from the npm
 * list (monthly / 4.3), PyPI from the rank curve; names the lists lack have no count (missing
 * evidence). Neither snapshot has creation dates, so ages follow bench/scenarios/corpus.ts's model
 * by download rank (names the lists lack are modelled as the tail: 60-4,060 days, 2% under 30).
 * Run: node dist/bench/realworld.js [--alarms] [--record]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Ecosystem, PackageFacts, Severity, SignalContext } from '../src/core/types.js';
import { normalizePypiName } from '../src/core/names.js';
import { extractDocument } from '../src/extractors/index.js';
import { DEFAULT_POLICY } from '../src/policy/defaults.js';
import { severityOf } from '../src/policy/verdict.js';
import { typo } from '../src/signals/typo.js';
import { getPopularIndex } from '../src/similarity/index.js';
import { recordSection } from './results-file.js';
import { prng } from './scenarios/corpus.js';

const DAY = 86_400_000;
/** The samples are packages of the public registries, as a default install asks them. */
const PUBLIC_REGISTRY: Record<Ecosystem, string> = { npm: 'https://registry.npmjs.org/', pypi: 'https://pypi.org/' };
const NOW = Date.parse('2026-11-25T00:00:00Z');
/** The rank the age model gives a name the snapshot lacks (the npm list's last rank). */
const UNLISTED_RANK = 226_994;

/** bench/real-world/ in the source tree. */
const CORPUS = fileURLToPath(new URL('../../bench/real-world/', import.meta.url));

function dataDir(): string {
  return process.env.SLOPGUARD_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
}

/** bench/scenarios/corpus.ts's age model (see bench/longtail.ts). */
function ageDays(rank: number, seed = 8): number {
  const prnd = prng(seed * 7919 + rank);
  return rank < 2000 ? 1500 + prnd() * 4000 : prnd() < 0.02 && rank > 20000 ? prnd() * 29 : 60 + prnd() * 4000;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.gz') ? [p] : [];
  });
}

/** Every distinct registry package of the corpus, per ecosystem, with how many projects use it. */
function corpusPackages(): { projects: Map<Ecosystem, Set<string>>; names: Map<string, { ecosystem: Ecosystem; name: string; projects: Set<string> }>; formats: Set<string> } {
  const names = new Map<string, { ecosystem: Ecosystem; name: string; projects: Set<string> }>();
  const projects = new Map<Ecosystem, Set<string>>([['npm', new Set()], ['pypi', new Set()]]);
  const formats = new Set<string>();
  for (const project of readdirSync(CORPUS).filter((n) => statSync(join(CORPUS, n)).isDirectory())) {
    for (const file of files(join(CORPUS, project))) {
      const path = relative(join(CORPUS, project), file).replace(/\.gz$/, '');
      const result = extractDocument({ path, text: gunzipSync(readFileSync(file)).toString('utf8') });
      formats.add(path.endsWith('.txt') ? 'requirements files' : path.split('/').pop()!);
      for (const ref of result.refs) {
        if ((ref.source ?? 'registry') !== 'registry') continue;
        const name = ref.ecosystem === 'pypi' ? normalizePypiName(ref.name) : ref.name;
        const key = `${ref.ecosystem}:${name}`;
        let e = names.get(key);
        if (!e) names.set(key, (e = { ecosystem: ref.ecosystem, name, projects: new Set() }));
        e.projects.add(project);
        projects.get(ref.ecosystem)!.add(project);
      }
    }
  }
  return { projects, names, formats };
}

/** Download ranks (0-based) and npm weekly counts from the snapshots. */
function snapshot(): { npm: Map<string, { rank: number; weekly: number }>; pypi: Map<string, number> } {
  const npmRows = readFileSync(join(dataDir(), 'npm-packages.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c[0] && c[2])
    .map((c) => ({ name: c[0]!, monthly: Number(c[2]) }))
    .sort((a, b) => b.monthly - a.monthly || (a.name < b.name ? -1 : 1));
  const npm = new Map(npmRows.map((r, rank) => [r.name, { rank, weekly: Math.round(r.monthly / 4.3) }]));
  const pypi = new Map<string, number>();
  for (const l of readFileSync(join(dataDir(), 'pypi-projects.tsv'), 'utf8').split('\n').slice(1)) {
    const c = l.split('\t');
    if (c[0] && c[3]) pypi.set(normalizePypiName(c[0]), Number(c[3]) - 1);
  }
  return { npm, pypi };
}

type Outcome = Severity | 'none';

/** The "False alarms on real dependency trees" section of bench/results.md. */
export function runRealWorld(alarms: string[] = []): string {
  const { projects, names, formats } = corpusPackages();
  const snap = snapshot();
  // `counted`: alarms on names with a download count (npm: in the snapshot; PyPI: ranked). The
  // others lack one only because the snapshot lacks the name; online the registry's count decides.
  const tally = { npm: { n: 0, block: 0, warn: 0, counted: 0 }, pypi: { n: 0, block: 0, warn: 0, counted: 0 } };
  for (const { ecosystem, name, projects: used } of names.values()) {
    const facts: PackageFacts = { ecosystem, name, status: 'found', registry: PUBLIC_REGISTRY[ecosystem], fetchedAt: new Date(NOW).toISOString() };
    let rank = UNLISTED_RANK;
    if (ecosystem === 'npm') {
      const s = snap.npm.get(name);
      if (s) ((rank = s.rank), (facts.weeklyDownloads = s.weekly));
    } else {
      rank = snap.pypi.get(name) ?? UNLISTED_RANK;
    }
    facts.created = new Date(NOW - ageDays(rank) * DAY).toISOString();
    const ctx: SignalContext = { ref: { ecosystem, name }, facts, popular: (e) => getPopularIndex(e), now: new Date(NOW), policy: DEFAULT_POLICY };
    const [s] = typo(ctx);
    const sev = s ? severityOf(s, ctx) : 'none';
    const outcome: Outcome = sev === 'block' || sev === 'warn' ? sev : 'none';
    const t = tally[ecosystem];
    t.n++;
    if (outcome === 'block') t.block++;
    if (outcome === 'warn') t.warn++;
    if (outcome !== 'none' && (ecosystem === 'npm' ? facts.weeklyDownloads !== undefined : rank !== UNLISTED_RANK)) t.counted++;
    if (s && outcome !== 'none') alarms.push(`${ecosystem}\t${outcome}\t${name}\t${facts.weeklyDownloads ?? '?'}/wk\t${Math.round(ageDays(rank))}d\t-> ${s.similarTo} (${s.kind}${s.evidence.shape ? `, ${s.evidence.shape}` : ''})\t${[...used].join(',')}`);
  }
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);
  const out = ['## False alarms on real dependency trees (issue 16)', ''];
  out.push(
    `Measured ${new Date().toISOString().slice(0, 10)} with \`node dist/bench/realworld.js\` on the lockfiles and manifests in bench/real-world/ ` +
      `(${projects.get('npm')!.size} projects with npm packages, ${projects.get('pypi')!.size} with PyPI packages; formats: ${[...formats].sort().join(', ')}), ` +
      'snapshot downloads, the corpus age model (see bench/realworld.ts).',
    '',
  );
  out.push(
    '| ecosystem | distinct packages | typo blocks (goal <= 0.02%) | typo warns | typo alarms, either (goal <= 0.1%) | of those, on names with a download count |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const eco of ['npm', 'pypi'] as const) {
    const t = tally[eco];
    out.push(`| ${eco} | ${t.n} | ${t.block} (${pct(t.block, t.n)}) | ${t.warn} (${pct(t.warn, t.n)}) | ${t.block + t.warn} (${pct(t.block + t.warn, t.n)}) | ${t.counted} (${pct(t.counted, t.n)}) |`);
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const alarms: string[] = [];
  const md = runRealWorld(alarms);
  process.stdout.write(`${md}\n`);
  if (process.argv.includes('--record')) recordSection(md);
  if (process.argv.includes('--alarms')) process.stderr.write(`${alarms.join('\n')}\n`);
}
