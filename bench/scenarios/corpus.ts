/**
 * The benchmark corpus: a deterministic, real-shaped set of npm packages, the fixture-registry
 * documents for them, and package-lock.json files that name them.
 *
 * Real lockfiles are mostly popular packages with a long tail, about a third of them scoped
 * (`@babel/*`, `@types/*`), which matters because scoped names cannot go into a bulk downloads
 * request. So names are drawn from the 2026-11 npm snapshot in ../shared/data/ by popularity
 * band (60 % from the top 2,000, 30 % from 2,000-20,000, 10 % from 20,000 on). Where the
 * snapshot is missing, synthetic names with the same scoped share stand in (and the run says so).
 *
 * Fixture documents are sized like real ones: every version has dependencies, popular packages
 * carry a README in the full packument (the abbreviated "corgi" one has none), version counts
 * grow with popularity. The registry's answers therefore cost what real ones cost to parse.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmPackage, type NpmPackageFixture } from '../../test/fixture-registry/server.js';

/** One package of the corpus. */
export interface CorpusPackage {
  name: string;
  /** Weekly downloads (snapshot monthly / 4.3). */
  weeklyDownloads: number;
  /** Rank by downloads in the snapshot (0 = most downloaded). */
  rank: number;
  versions: string[];
  created: string;
  published: string;
  scripts?: Record<string, string>;
  deprecated?: string;
}

/** The repository root (dist/bench/scenarios/corpus.js -> three levels up). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Generated files (lockfiles, npq's working dir) live here; git ignores it. */
export const WORK_DIR = join(REPO_ROOT, 'bench', '.work');
const SNAPSHOT = join(REPO_ROOT, '..', 'shared', 'data', 'npm-packages.tsv');

/** Names every corpus contains first (scenario 3 checks `express`). */
const PINNED = ['express'];

/** A small deterministic PRNG (mulberry32): the corpus must be the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SnapshotRow {
  name: string;
  monthly: number;
}

function readSnapshot(): SnapshotRow[] | undefined {
  if (!existsSync(SNAPSHOT)) return undefined;
  const rows: SnapshotRow[] = [];
  const lines = readFileSync(SNAPSHOT, 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const [name, latest, monthly] = lines[i]!.split('\t');
    // Security placeholders are not what a working project locks.
    if (!name || !latest || latest.includes('-security')) continue;
    rows.push({ name, monthly: Number(monthly) || 0 });
  }
  rows.sort((a, b) => b.monthly - a.monthly || (a.name < b.name ? -1 : 1));
  return rows;
}

function syntheticRows(count: number): SnapshotRow[] {
  // Same scoped share as the real top ranks (about one in three).
  return Array.from({ length: count }, (_, i) => ({
    name: i % 3 === 0 ? `@bench-scope${i % 40}/pkg-${i}` : `bench-pkg-${i}`,
    monthly: Math.round(4e9 / (i + 1)),
  }));
}

let cachedRows: { rows: SnapshotRow[]; synthetic: boolean } | undefined;
function snapshotRows(): { rows: SnapshotRow[]; synthetic: boolean } {
  if (!cachedRows) {
    const real = readSnapshot();
    cachedRows = real ? { rows: real, synthetic: false } : { rows: syntheticRows(200_000), synthetic: true };
  }
  return cachedRows;
}

/** Whether the corpus had to use synthetic names (no ../shared/data snapshot). */
export function corpusIsSynthetic(): boolean {
  return snapshotRows().synthetic;
}

const DAY = 86_400_000;
/** Fixed "now" for corpus dates: the snapshot day. Ages are relative to it. */
const CORPUS_NOW = Date.parse('2026-11-25T00:00:00Z');

function versionsFor(rank: number, rnd: () => number): string[] {
  // Popular packages have long histories (lodash ~110 versions, @babel/core ~180).
  const max = rank < 2000 ? 120 : rank < 20000 ? 50 : 15;
  const n = 1 + Math.floor(rnd() * max);
  const out: string[] = [];
  let major = 0;
  let minor = 0;
  let patch = 0;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.05) (major++, (minor = 0), (patch = 0));
    else if (r < 0.3) (minor++, (patch = 0));
    else patch++;
    out.push(`${major}.${minor}.${patch}`);
  }
  return [...new Set(out)];
}

/**
 * `count` distinct packages, deterministic for a seed. The first `n` of a larger corpus are
 * themselves a realistic corpus, so the 1,000 case is a prefix of the 5,000 one.
 */
export function buildCorpus(count: number, seed = 8): CorpusPackage[] {
  const { rows } = snapshotRows();
  const rnd = prng(seed);
  const byName = new Map(rows.map((r, i) => [r.name, i]));
  const chosen = new Set<number>();
  for (const p of PINNED) {
    const i = byName.get(p);
    if (i !== undefined) chosen.add(i);
  }
  const bands: Array<[number, number, number]> = [
    [0.6, 0, Math.min(2000, rows.length)],
    [0.9, 2000, Math.min(20000, rows.length)],
    [1.0, 20000, rows.length],
  ];
  let guard = 0;
  while (chosen.size < count && guard++ < count * 50) {
    const r = rnd();
    const [, lo, hi] = bands.find(([p]) => r < p)!;
    if (hi <= lo) continue;
    chosen.add(lo + Math.floor(rnd() * (hi - lo)));
  }
  const order = [...chosen];
  return order.map((rank) => {
    const row = rows[rank]!;
    const prnd = prng(seed * 7919 + rank);
    // Popular packages are older; about 2 % of the tail is younger than 30 days.
    const ageDays = rank < 2000 ? 1500 + prnd() * 4000 : prnd() < 0.02 && rank > 20000 ? prnd() * 29 : 60 + prnd() * 4000;
    const created = new Date(CORPUS_NOW - ageDays * DAY);
    const published = new Date(Math.min(CORPUS_NOW - DAY, created.getTime() + prnd() * ageDays * DAY));
    const pkg: CorpusPackage = {
      name: row.name,
      weeklyDownloads: Math.round(row.monthly / 4.3),
      rank,
      versions: versionsFor(rank, prnd),
      created: created.toISOString(),
      published: published.toISOString(),
    };
    if (prnd() < 0.03) pkg.scripts = { postinstall: 'node install.js' };
    if (prnd() < 0.03) pkg.deprecated = 'this package is no longer maintained';
    return pkg;
  });
}

/** The fixture-registry document for a corpus package, padded to real sizes. */
export function fixtureOf(p: CorpusPackage): NpmPackageFixture {
  const opts: Parameters<typeof npmPackage>[0] = {
    name: p.name,
    created: p.created,
    published: p.published,
    versions: p.versions,
    weeklyDownloads: p.weeklyDownloads,
    // Not a GitHub URL, and on a host that cannot resolve: npq's deprecation check asks the
    // GitHub API about GitHub repositories, and the benchmark must not leave the machine.
    repository: { type: 'git', url: `git+https://git.fixture.invalid/bench/${p.name.replace(/^@/, '').replace('/', '-')}.git` },
    description: `benchmark fixture for ${p.name}`,
  };
  if (p.scripts) opts.scripts = p.scripts;
  if (p.deprecated) opts.deprecated = p.deprecated;
  const fx = npmPackage(opts);
  const doc = fx.packument as { versions?: Record<string, Record<string, unknown>>; readme?: string; license?: string };
  doc.license = 'MIT';
  for (const m of Object.values(doc.versions ?? {})) {
    // The fields a real version manifest carries (npm adds most of them at publish), so a
    // version weighs ~1 KB as on the registry rather than the builder's ~300 bytes.
    m._npmUser = { name: 'fixture', email: 'fixture@example.invalid' };
    m.maintainers = [{ name: 'fixture', email: 'fixture@example.invalid' }];
    m.author = { name: 'Fixture Author', email: 'author@example.invalid', url: 'https://example.invalid' };
    m.keywords = ['benchmark', 'fixture', 'slopguard'];
    m.dependencies = { 'dep-a': '^1.0.0', 'dep-b': '^2.1.0', 'dep-c': '~3.0.0' };
    m.devDependencies = { 'dev-a': '^5.0.0', 'dev-b': '^29.7.0', 'dev-c': '^8.57.0' };
    m.license = 'MIT';
    m.engines = { node: '>=18' };
    m.gitHead = '0123456789abcdef0123456789abcdef01234567';
    m._nodeVersion = '20.11.1';
    m._npmVersion = '10.2.4';
    const dist = m.dist as Record<string, unknown>;
    dist.fileCount = 12;
    dist.unpackedSize = 48213;
    dist.signatures = [{ keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA', sig: `MEUCIQ${'A'.repeat(90)}` }];
  }
  // Real full packuments carry the README (often tens of KB); the corgi drops it.
  if (p.rank < 20000) doc.readme = `# ${p.name}\n\n${'Benchmark README text. '.repeat(300)}`;
  return fx;
}

function tarballBase(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}

/**
 * A package-lock.json (lockfileVersion 3) naming every package in `pkgs` once at the top of
 * node_modules, some again nested at another version (as real trees have), with a root that
 * depends directly on the first few.
 */
export function packageLockOf(projectName: string, pkgs: readonly CorpusPackage[], seed = 1): string {
  const rnd = prng(seed);
  const direct: Record<string, string> = {};
  const dev: Record<string, string> = {};
  pkgs.slice(0, Math.min(40, pkgs.length)).forEach((p, i) => {
    (i % 3 === 0 ? dev : direct)[p.name] = `^${p.versions[p.versions.length - 1]}`;
  });
  const packages: Record<string, unknown> = {
    '': { name: projectName, version: '1.0.0', dependencies: direct, devDependencies: dev },
  };
  const entry = (p: CorpusPackage, version: string) => {
    const e: Record<string, unknown> = {
      version,
      resolved: `https://registry.npmjs.org/${p.name}/-/${tarballBase(p.name)}-${version}.tgz`,
      integrity: `sha512-${Buffer.from(`${p.name}@${version}`).toString('base64')}`,
      license: 'MIT',
    };
    if (rnd() < 0.4) e.dev = true;
    if (p.scripts) e.hasInstallScript = true;
    return e;
  };
  for (const p of pkgs) packages[`node_modules/${p.name}`] = entry(p, p.versions[p.versions.length - 1]!);
  // About one in ten packages appears a second time, nested under another at an older version.
  for (let i = 0; i < pkgs.length; i++) {
    const p = pkgs[i]!;
    if (p.versions.length < 2 || rnd() >= 0.1) continue;
    const parent = pkgs[Math.floor(rnd() * pkgs.length)]!;
    if (parent.name === p.name) continue;
    packages[`node_modules/${parent.name}/node_modules/${p.name}`] = entry(p, p.versions[0]!);
  }
  return `${JSON.stringify({ name: projectName, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

/** Write a project folder with a package.json and a package-lock.json; returns the lockfile path. */
export function writeProject(dir: string, projectName: string, pkgs: readonly CorpusPackage[], seed = 1): string {
  mkdirSync(dir, { recursive: true });
  const lock = packageLockOf(projectName, pkgs, seed);
  const root = (JSON.parse(lock) as { packages: Record<string, Record<string, unknown>> }).packages['']!;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: projectName, version: '1.0.0', private: true, dependencies: root.dependencies, devDependencies: root.devDependencies }, null, 2)}\n`);
  const path = join(dir, 'package-lock.json');
  writeFileSync(path, lock);
  return path;
}

/**
 * A monorepo of `lockfiles` projects that share most packages: every project locks the `shared`
 * core plus its own slice of the rest. Returns the folder and the distinct packages named.
 */
export function writeMonorepo(dir: string, corpus: readonly CorpusPackage[], lockfiles = 20, shared = 400, perProject = 500): { dir: string; distinct: number } {
  const core = corpus.slice(0, shared);
  const rest = corpus.slice(shared);
  const extra = perProject - shared;
  const names = new Set(core.map((p) => p.name));
  for (let i = 0; i < lockfiles; i++) {
    // Overlapping windows over the rest: neighbours share half of their own packages too.
    const start = (i * Math.floor(extra / 2)) % Math.max(1, rest.length - extra);
    const own = rest.slice(start, start + extra);
    for (const p of own) names.add(p.name);
    writeProject(join(dir, 'packages', `pkg-${String(i).padStart(2, '0')}`), `pkg-${i}`, [...core, ...own], 100 + i);
  }
  return { dir, distinct: names.size };
}

/** Make sure a folder exists and return it. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
