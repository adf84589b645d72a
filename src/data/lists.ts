/**
 * The name lists data/ is built from, whatever their source, and writing data/ from them.
 * Shared by build-data (from the snapshot files) and refresh-data (snapshots or public sources).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PopularEntry, type TargetThresholds, buildPopularIndex } from '../similarity/build.js';
import { DATA_FILES, type DataInfo } from '../similarity/index.js';
import { buildNameSet } from '../similarity/name-set.js';
import { weeklyFromMonthly } from '../similarity/popularity.js';

/** Everything data/ is made of. */
export interface DataLists {
  /** ISO day the lists were taken. */
  snapshotDate: string;
  /** npm names with weekly downloads. */
  npm: PopularEntry[];
  /** PyPI names with their rank (ranked ones only). */
  pypiRanked: PopularEntry[];
  /** Every PyPI project name (PEP 503-normalised). */
  pypiAll: string[];
  /** Human description of the sources, for the README and meta.json. */
  npmSource: string;
  pypiSource: string;
}

/**
 * Which names the engine compares against. Every listed npm name is a target (the list starts at
 * about 110 weekly downloads): squats of names that were popular when they were registered and
 * have declined since still matter, and the popularity-gap rule, not the target list, keeps peers
 * apart. Two-edit typos are looked for only around names with 100,000 weekly downloads (PyPI:
 * about the top 1,500 by estimate), where a second edit is still more likely a typo than another
 * word. All ranked PyPI names are targets; unranked ones have no popularity to weigh.
 */
export const THRESHOLDS: Record<'npm' | 'pypi', TargetThresholds> = {
  npm: { spellingMinWeekly: 100, twoEditsMinWeekly: 100_000, scopedMinWeekly: 0 },
  pypi: { spellingMinWeekly: 0, twoEditsMinWeekly: 100_000, scopedMinWeekly: 0 },
};

/** Read a TSV with a header line into rows keyed by column name. */
export function readTsv(path: string): Array<Record<string, string>> {
  const lines = readFileSync(path, 'utf8').split('\n');
  const head = (lines.shift() ?? '').split('\t');
  const rows: Array<Record<string, string>> = [];
  for (const line of lines) {
    if (!line) continue;
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    head.forEach((h, i) => (row[h] = cells[i] ?? ''));
    rows.push(row);
  }
  return rows;
}

/**
 * The snapshot directory format (../shared/data): `npm-packages.tsv` (name, latest_version,
 * downloads_last_month) and `pypi-projects.tsv` (name, latest_version, month,
 * rank_among_15000_most_downloaded), dated by the README's "taken on YYYY-MM-DD".
 */
export function readSnapshotDir(dir: string): DataLists {
  let snapshotDate: string | undefined;
  try {
    snapshotDate = /taken on (\d{4}-\d{2}-\d{2})/.exec(readFileSync(join(dir, 'README.md'), 'utf8'))?.[1];
  } catch {
    // no README: fall through to the error below
  }
  if (!snapshotDate) throw new Error(`${dir}/README.md does not say when the snapshot was taken ("taken on YYYY-MM-DD")`);
  const npm: PopularEntry[] = [];
  for (const r of readTsv(join(dir, 'npm-packages.tsv'))) {
    // Security placeholders are npm's tombstones for malware, not popular packages.
    if (!r.name || r.latest_version === '0.0.1-security') continue;
    const monthly = r.downloads_last_month === '' ? undefined : Number(r.downloads_last_month);
    npm.push(monthly === undefined || !Number.isFinite(monthly) ? { name: r.name } : { name: r.name, weekly: weeklyFromMonthly(monthly) });
  }
  const pypiRanked: PopularEntry[] = [];
  const pypiAll: string[] = [];
  for (const r of readTsv(join(dir, 'pypi-projects.tsv'))) {
    if (!r.name) continue;
    pypiAll.push(r.name);
    const rank = Number(r.rank_among_15000_most_downloaded);
    if (r.rank_among_15000_most_downloaded && Number.isInteger(rank) && rank > 0) pypiRanked.push({ name: r.name, rank });
  }
  return {
    snapshotDate,
    npm,
    pypiRanked,
    pypiAll,
    npmSource: `slopguard snapshot ${snapshotDate}: npm packages with about 480 or more downloads a month, with their monthly downloads (npm downloads API)`,
    pypiSource: `slopguard snapshot ${snapshotDate}: every project PyPI listed, with ranks among the 15,000 most downloaded (top-pypi-packages)`,
  };
}

/** What writeData produced, for logs and benchmarks. */
export interface WriteReport {
  files: Record<string, number>;
  npm: ReturnType<typeof buildPopularIndex>['stats'];
  pypi: ReturnType<typeof buildPopularIndex>['stats'];
  pypiAll: number;
  ms: number;
}

/** Write every data file (atomically, file by file) and the README into `outDir`. */
export function writeData(lists: DataLists, outDir: string): WriteReport {
  const t0 = performance.now();
  mkdirSync(outDir, { recursive: true });
  const npm = buildPopularIndex('npm', lists.npm, { ...THRESHOLDS.npm, snapshotDate: lists.snapshotDate, source: lists.npmSource });
  const pypi = buildPopularIndex('pypi', lists.pypiRanked, { ...THRESHOLDS.pypi, snapshotDate: lists.snapshotDate, source: lists.pypiSource });
  const names = buildNameSet(lists.pypiAll, lists.snapshotDate, { source: lists.pypiSource });
  const meta: DataInfo = {
    npm: { snapshotDate: lists.snapshotDate, count: npm.stats.names, source: lists.npmSource },
    pypi: { snapshotDate: lists.snapshotDate, count: new Set(lists.pypiAll).size, ranked: pypi.stats.names, source: lists.pypiSource },
  };
  const files: Record<string, Buffer | string> = {
    [DATA_FILES.popular('npm')]: npm.image,
    [DATA_FILES.popular('pypi')]: pypi.image,
    [DATA_FILES.pypiNames]: names,
    [DATA_FILES.meta]: `${JSON.stringify(meta, null, 2)}\n`,
  };
  const sizes: Record<string, number> = {};
  for (const [name, content] of Object.entries(files)) {
    const path = join(outDir, name);
    writeFileSync(`${path}.tmp`, content);
    renameSync(`${path}.tmp`, path);
    sizes[name] = Buffer.byteLength(content);
  }
  writeFileSync(join(outDir, 'README.md'), readme(lists, meta, npm.stats, pypi.stats, sizes));
  return { files: sizes, npm: npm.stats, pypi: pypi.stats, pypiAll: meta.pypi.count, ms: Math.round(performance.now() - t0) };
}

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

function readme(lists: DataLists, meta: DataInfo, npm: WriteReport['npm'], pypi: WriteReport['pypi'], sizes: Record<string, number>): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `# slopguard data

Generated by \`scripts/build-data.ts\` / \`npm run data:refresh\`; do not edit by hand (this README is
regenerated too). slopguard warns when this data is more than 90 days old.

Snapshot date: **${lists.snapshotDate}**.

| file | size | holds |
| --- | --- | --- |
| \`${DATA_FILES.popular('npm')}\` | ${mb(sizes[DATA_FILES.popular('npm')]!)} | ${n(npm.names)} npm names with weekly downloads (monthly / 4.29); ${n(npm.spellingTargets)} unscoped names with >= ${n(THRESHOLDS.npm.spellingMinWeekly)} weekly downloads are spelling targets (${n(npm.twoEditTargets)} with >= ${n(THRESHOLDS.npm.twoEditsMinWeekly)} also of two-edit typos), ${n(npm.scopedTargets)} scoped names (${n(npm.scopes)} scopes) are scope-confusion targets; ${n(npm.keys)} index keys |
| \`${DATA_FILES.popular('pypi')}\` | ${mb(sizes[DATA_FILES.popular('pypi')]!)} | ${n(pypi.names)} ranked PyPI projects (all spelling targets; ${n(pypi.twoEditTargets)} estimated at >= ${n(THRESHOLDS.pypi.twoEditsMinWeekly)} weekly downloads also of two-edit typos); weekly downloads are estimated from rank (Zipf fit, see src/similarity/popularity.ts); ${n(pypi.keys)} index keys |
| \`${DATA_FILES.pypiNames}\` | ${mb(sizes[DATA_FILES.pypiNames]!)} | all ${n(meta.pypi.count)} PyPI project names (PEP 503), front-coded, for "not on PyPI" offline |
| \`${DATA_FILES.meta}\` | ${sizes[DATA_FILES.meta]} B | dates, counts and sources (read by \`dataInfo()\`) |

## Sources

- npm: ${lists.npmSource}.
- PyPI: ${lists.pypiSource}.

The npm list holds only names with some audience, so a name missing from it may still exist on
npm (slopguard asks the registry); the PyPI list is complete as of the snapshot date.
Security placeholders (\`0.0.1-security\`, npm's tombstones for removed malware) are left out.

## Licences

The lists are facts about public registries (package names and download counts), not creative
works. Download counts come from the npm downloads API (api.npmjs.org) and, for PyPI ranks, from
hugovk/top-pypi-packages (no licence file; cited by source and date, DOI via Zenodo); PyPI names
come from PyPI's Simple API. The optional refresh from public sources also reads
\`npm-high-impact\` (MIT, wooorm).

Python import names (\`import yaml\` -> \`PyYAML\`) are mapped to distributions with \`data/python-imports/\`:
the import-to-distribution mapping and standard-library list of bndr/pipreqs (Apache-2.0, credited
with source commits in \`data/python-imports/README.md\`), CPython 3.11's module list, and
slopguard's own overrides.

## Format

Binary files are slopguard's own little-endian layout (src/similarity/store.ts): a JSON header,
then typed-array sections, read by positional reads until a process asks enough questions to
load a file whole. \`${DATA_FILES.popular('npm')}\` and \`${DATA_FILES.popular('pypi')}\` hold names
by popularity, their counts, and two key tables (a directory on the top bits of 32-bit key hashes,
one u32 per key packing the remaining hash bits with the name's id, and a bit filter): exact
names, one-deletion neighbourhoods, word-order, affix, version and scope keys in one; the
two-deletion neighbourhoods of the most popular names in the other (src/similarity/keys.ts).
\`${DATA_FILES.pypiNames}\` is a sorted front-coded list in blocks of 32 names.

Other entries in data/ (such as \`python-imports/\`) are built by their own scripts and documented
there.
`;
}
