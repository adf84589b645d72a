/**
 * Build data/ from a snapshot directory (default ../shared/data next to the repository, or
 * SLOPGUARD_SNAPSHOT_DIR). Usage: node dist/scripts/build-data.js [--from DIR] [--out DIR]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readSnapshotDir, writeData } from '../src/data/lists.js';

/** The repository root (two levels up from dist/scripts/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where snapshot files are looked for when no --from is given. */
export function defaultSnapshotDir(env: Record<string, string | undefined> = process.env): string {
  return env.SLOPGUARD_SNAPSHOT_DIR ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
}

function main(): number {
  const { values } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' } } });
  const from = values.from ?? defaultSnapshotDir();
  const out = values.out ?? `${REPO_ROOT}data`;
  if (!existsSync(from)) {
    process.stderr.write(`build-data: no snapshot directory at ${from} (use --from DIR or SLOPGUARD_SNAPSHOT_DIR)\n`);
    return 2;
  }
  const report = writeData(readSnapshotDir(from), out);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
