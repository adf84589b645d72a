/**
 * What slopguard knows offline about popular npm and PyPI names: popularity, existence (PyPI's
 * complete name list) and the look-alike engine. Everything loads lazily, once per process: a
 * check that never asks about popularity never reads data/, and the complete PyPI name list is read
 * only when a PyPI existence question is asked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataDir } from '../data/location.js';
import type { Ecosystem, PopularIndex, SimilarityMatch } from '../core/types.js';
import { Engine, type FamilyMatch } from './engine.js';
import { canonicalName } from './forms.js';
import { NameSet } from './name-set.js';
import { PopularData } from './popular-data.js';

export { popularEnough, ESTABLISHED_WEEKLY, PEER_RATIO, weeklyFromRank } from './popularity.js';
export { FAMILY_CONFIDENCE, type FamilyMatch } from './engine.js';

/** A popular index that can also name an npm scope family's package (see families.ts). */
export interface ScopeFamilyIndex extends PopularIndex {
  /** npm: `@scope/<name>` when the unscoped name starts with a scope family's word, else undefined. */
  scopeFamily(name: string): FamilyMatch | undefined;
}

/** An index that can say which popular name a multi-word name wraps (see Engine.wrapped). */
export interface WrappedIndex extends PopularIndex {
  wrapped(name: string): SimilarityMatch | undefined;
}

/** Whether an index can answer wrapped-name questions (the bundled one can; test doubles may not). */
export function hasWrapped(index: PopularIndex): index is WrappedIndex {
  return typeof (index as Partial<WrappedIndex>).wrapped === 'function';
}

/** Whether an index can answer scope-family questions (the bundled one can; test doubles may not). */
export function hasScopeFamilies(index: PopularIndex): index is ScopeFamilyIndex {
  return typeof (index as Partial<ScopeFamilyIndex>).scopeFamily === 'function';
}

/** Options for the data location (tests and the refresh script point elsewhere). */
export interface DataOptions {
  /** Directory holding the data files; the package's own data/ by default. */
  dataDir?: string;
}

/** File names inside the data directory. */
export const DATA_FILES = {
  meta: 'meta.json',
  popular: (e: Ecosystem) => `${e}-popular.bin`,
  pypiNames: 'pypi-names.bin',
} as const;

/** One ecosystem's entry in data/meta.json. */
export interface EcosystemDataInfo {
  /** ISO day the lists were taken. */
  snapshotDate: string;
  /** Names in the popular list (npm) or in the complete project list (PyPI). */
  count: number;
  /** PyPI: names with a download rank. */
  ranked?: number;
  /** Where the lists came from. */
  source?: string;
}

/** Dates and counts of the bundled data. */
export interface DataInfo {
  npm: EcosystemDataInfo;
  pypi: EcosystemDataInfo;
}

/** The data directory this process's environment points at (see data/location.ts). */
export function defaultDataDir(): string {
  return resolveDataDir(process.env);
}

const metaCache = new Map<string, DataInfo>();

/** Dates and counts of the data, from data/meta.json (a few hundred bytes). */
export function dataInfo(opts: DataOptions = {}): DataInfo {
  const dir = opts.dataDir ?? defaultDataDir();
  let info = metaCache.get(dir);
  if (!info) {
    const path = join(dir, DATA_FILES.meta);
    try {
      info = JSON.parse(readFileSync(path, 'utf8')) as DataInfo;
    } catch (e) {
      throw new Error(`slopguard data file ${path} cannot be read (${(e as Error).message}); reinstall slopguard or run \`npm run data:refresh\``);
    }
    metaCache.set(dir, info);
  }
  return info;
}

/** Age in whole days of the oldest snapshot, for the "data is stale" warning. */
export function dataAgeDays(now: Date, opts: DataOptions = {}): number {
  const info = dataInfo(opts);
  const oldest = Math.min(Date.parse(info.npm.snapshotDate), Date.parse(info.pypi.snapshotDate));
  return Math.max(0, Math.floor((now.getTime() - oldest) / 86_400_000));
}

// Reading a whole 25 MB file costs tens of milliseconds; one look-alike search by positional reads
// costs about a millisecond and a popularity question a few microseconds. Switch to memory once a
// run has shown it will ask many (a lockfile scan, the language server, a benchmark).
const LOAD_AFTER_LOOKUPS = 16;
const LOAD_AFTER_QUESTIONS = 512;

/** A PopularIndex over the files in one data directory; each file is opened on first use. */
class LazyPopularIndex implements ScopeFamilyIndex {
  private data?: PopularData;
  private engine?: Engine;
  private names?: NameSet;
  private lookups = 0;
  private questions = 0;

  constructor(
    readonly ecosystem: Ecosystem,
    private readonly dir: string,
  ) {}

  get snapshotDate(): string {
    return dataInfo({ dataDir: this.dir })[this.ecosystem].snapshotDate;
  }

  /** Read the data into memory now (long-running processes and benchmarks). */
  preload(): void {
    this.load().load();
    if (this.ecosystem === 'pypi') (this.names ??= NameSet.open(join(this.dir, DATA_FILES.pypiNames))).load();
  }

  private load(): PopularData {
    return (this.data ??= new PopularData(join(this.dir, DATA_FILES.popular(this.ecosystem)), this.ecosystem));
  }

  popularity(name: string): { weeklyDownloads?: number; rank?: number } | undefined {
    const data = this.load();
    if (++this.questions === LOAD_AFTER_QUESTIONS) data.load();
    const id = data.find(name);
    if (id < 0) return undefined;
    const out: { weeklyDownloads?: number; rank?: number } = {};
    const w = data.weekly(id);
    const r = data.rank(id);
    if (w !== undefined) out.weeklyDownloads = w;
    if (r !== undefined) out.rank = r;
    return out;
  }

  lookalike(name: string): SimilarityMatch | undefined {
    this.engine ??= new Engine(this.load());
    if (++this.lookups === LOAD_AFTER_LOOKUPS) this.data!.load();
    return this.engine.lookalike(name);
  }

  scopeFamily(name: string): FamilyMatch | undefined {
    this.engine ??= new Engine(this.load());
    return this.engine.scopeFamily(name);
  }

  wrapped(name: string): SimilarityMatch | undefined {
    this.engine ??= new Engine(this.load());
    return this.engine.wrapped(name);
  }

  exists(name: string): boolean | undefined {
    if (this.ecosystem === 'npm') {
      const data = this.load();
      if (++this.questions === LOAD_AFTER_QUESTIONS) data.load();
      return data.find(name) >= 0 ? true : undefined;
    }
    this.names ??= NameSet.open(join(this.dir, DATA_FILES.pypiNames));
    if (++this.questions === LOAD_AFTER_QUESTIONS) this.names.load();
    return this.names.has(canonicalName('pypi', name));
  }
}

const indexes = new Map<string, LazyPopularIndex>();

/**
 * The popular-name index of one ecosystem: created once per process and data directory, its files
 * read on first use. Throws (naming the file) only when a file it needs is missing or corrupt.
 */
export function getPopularIndex(ecosystem: Ecosystem, opts: DataOptions & { preload?: boolean } = {}): PopularIndex {
  const dir = opts.dataDir ?? defaultDataDir();
  const key = `${ecosystem}\0${dir}`;
  let index = indexes.get(key);
  if (!index) indexes.set(key, (index = new LazyPopularIndex(ecosystem, dir)));
  if (opts.preload) index.preload();
  return index;
}
