/**
 * `slopguard data update`: newer popular-name lists for an installed slopguard, kept per user.
 *
 * The lists come from a snapshot folder (`--from DIR`, the TSV format of the project's snapshots)
 * or from public sources (npm's `npm-high-impact` names with counts from the npm downloads API,
 * PyPI's Simple API and top-pypi-packages; see public-sources.ts — slow on purpose, the downloads
 * API allows about one request a second). Before anything is replaced the new data is verified:
 * it must build, load, answer for the most popular names of the data in use, and hold at least
 * half as many names (a truncated download must not silently shrink what slopguard knows). The
 * user's folder is then replaced atomically (a rename), so a run at the same time reads the old
 * data or the new, never a mix.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getPopularIndex, dataInfo, type DataInfo } from '../similarity/index.js';
import { PopularData } from '../similarity/popular-data.js';
import { forgetDataLocations, locateData, userDataDir } from './location.js';
import { writeData, type DataLists } from './lists.js';

/** Why an update was refused; the message says what was wrong with the new lists. */
export class DataVerifyError extends Error {
  override name = 'DataVerifyError';
}

/** What an update did. */
export interface UpdateResult {
  dir: string;
  before: DataInfo | undefined;
  after: DataInfo;
}

/** How many of the current data's most popular npm names the new lists must still know. */
const CANARIES = 20;

/** The most popular npm names of the data in use (the new lists must know them). */
function canaries(dir: string): string[] {
  const data = new PopularData(join(dir, 'npm-popular.bin'), 'npm');
  const out: string[] = [];
  for (let id = 0; id < Math.min(CANARIES, data.count); id++) out.push(data.name(id));
  return out;
}

/** Check a freshly written data folder against the one in use; throws DataVerifyError. */
export function verifyData(fresh: string, current: string | undefined): DataInfo {
  let info: DataInfo;
  try {
    info = dataInfo({ dataDir: fresh });
    for (const eco of ['npm', 'pypi'] as const) getPopularIndex(eco, { dataDir: fresh, preload: true });
  } catch (e) {
    throw new DataVerifyError(`the new data does not load (${(e as Error).message})`);
  }
  if (!current) return info;
  const old = dataInfo({ dataDir: current });
  for (const eco of ['npm', 'pypi'] as const) {
    if (info[eco].snapshotDate < old[eco].snapshotDate) {
      throw new DataVerifyError(`the new ${eco} list (${info[eco].snapshotDate}) is older than the one in use (${old[eco].snapshotDate})`);
    }
    if (info[eco].count < old[eco].count / 2) {
      throw new DataVerifyError(`the new ${eco} list holds ${info[eco].count} names, fewer than half of the ${old[eco].count} in use; not used`);
    }
  }
  const index = getPopularIndex('npm', { dataDir: fresh });
  const missing = canaries(current).filter((n) => index.popularity(n) === undefined);
  if (missing.length > CANARIES / 4) throw new DataVerifyError(`the new npm list lacks ${missing.length} of the ${CANARIES} most popular names (${missing.slice(0, 5).join(', ')}…); not used`);
  return info;
}

let attempts = 0;

/** Build `lists` into the user's data folder, verified, replacing it atomically. */
export function installLists(lists: DataLists, env: Record<string, string | undefined>): UpdateResult {
  const target = userDataDir(env);
  const current = locateData(env);
  const before = current.snapshot ? dataInfo({ dataDir: current.dir }) : undefined;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  // A name never used before: the data readers cache what they read per folder.
  const temp = `${target}.new-${process.pid}-${++attempts}-${Date.now()}`;
  rmSync(temp, { recursive: true, force: true });
  try {
    writeData(lists, temp);
    const after = verifyData(temp, current.snapshot ? current.dir : undefined);
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
    rmSync(old, { recursive: true, force: true });
    forgetDataLocations();
    return before ? { dir: target, before, after } : { dir: target, before: undefined, after };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
