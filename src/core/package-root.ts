/**
 * The folder slopguard is installed in: the one holding its package.json, bin/ and data/.
 *
 * Found by walking up from this module rather than by a fixed `../../..`, because the same code
 * runs at two depths: the CLI from the bundle in dist/bin/ (scripts/bundle.mjs, one file to load
 * instead of ~80) and the library and the tests from dist/src/<folder>/.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; ) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'slopguard') return (root = dir);
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`slopguard cannot find its own package.json above ${start}; the installation is incomplete`);
    dir = up;
  }
}
