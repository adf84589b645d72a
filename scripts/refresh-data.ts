/**
 * `npm run data:refresh`: rebuild data/ from the project's snapshot files when they are present
 * (SLOPGUARD_SNAPSHOT_DIR, or ../shared/data next to the repository), otherwise from public
 * sources (see public-sources.ts; about half an hour, the npm downloads API allows about one
 * request a second).
 *
 * Usage: node dist/scripts/refresh-data.js [--from DIR | --public] [--out DIR] [--no-carry-over]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PopularEntry } from '../src/similarity/build.js';
import { DATA_FILES } from '../src/similarity/index.js';
import { PopularData } from '../src/similarity/popular-data.js';
import { REPO_ROOT, defaultSnapshotDir } from './build-data.js';
import { readSnapshotDir, writeData } from '../src/data/lists.js';
import { fetchPublicLists, publicSources } from '../src/data/public-sources.js';

/** The npm names and counts in an existing data directory, to carry over into a public refresh. */
export function currentNpmEntries(dataDir: string): PopularEntry[] {
  const path = join(dataDir, DATA_FILES.popular('npm'));
  if (!existsSync(path)) return [];
  const data = new PopularData(path, 'npm');
  data.load();
  const out: PopularEntry[] = [];
  for (let id = 0; id < data.count; id++) {
    const w = data.weekly(id);
    out.push(w === undefined ? { name: data.name(id) } : { name: data.name(id), weekly: w });
  }
  return out;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' }, public: { type: 'boolean' }, 'no-carry-over': { type: 'boolean' } } });
  const out = values.out ?? join(REPO_ROOT, 'data');
  const from = values.from ?? defaultSnapshotDir();
  const log = (line: string) => process.stderr.write(`data:refresh: ${line}\n`);
  let lists;
  if (!values.public && existsSync(join(from, 'npm-packages.tsv'))) {
    log(`from the snapshot files in ${from}`);
    lists = readSnapshotDir(from);
  } else {
    if (values.from) {
      log(`no snapshot files in ${values.from}`);
      return 2;
    }
    log('no snapshot files; reading public sources');
    lists = await fetchPublicLists(publicSources(), {
      fetch,
      carryOver: values['no-carry-over'] ? [] : currentNpmEntries(out),
      now: new Date(),
      log,
    });
  }
  const report = writeData(lists, out);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`data:refresh: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
