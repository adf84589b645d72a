// Runs every compiled test file (dist/test/**/*.test.js) with Node's test runner.
// Node 20's `node --test` does not expand glob patterns itself (that arrived in Node 21), and a bare
// directory would also run helper modules as tests, so the file list is built here. Plain JS so it
// runs without a build step; extra arguments are passed to `node --test` (e.g. --test-name-pattern).
//
// `--reliability=full` (what `npm run test:reliability` passes) runs only the reliability suite,
// at full size: SLOPGUARD_RELIABILITY=full (test/reliability/size.ts says what that changes).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = 'dist/test';
const RELIABILITY_SUITE = join(ROOT, 'reliability/suite.test.js');

// The slowest files, slowest first (per-file test time of one `npm test` on the 2-core machine at
// load 10, 2026-12-04, in seconds). Two files run at a time in the order given: starting these
// first keeps both slots busy to the end, instead of one of them meeting a long file after the
// other slot has run dry. Only the order changes: every file still runs and every failure is
// reported. Refresh by hand when a file's weight changes.
const SLOW_FIRST = [
  'reliability/suite.test.js', // 186: the counted reliability suite (quick size)
  'e2e/package.test.js', // 122: npm pack, npm ci --offline, the installed binaries
  'serve/npm-clients.test.js', // 93
  'e2e/verdaccio-plugin.test.js', // 41
  'e2e/wrap-guard.test.js', // 82: real npm, pnpm, yarn, bun and pip through the install guard
  'e2e/npm-install.test.js', // 35
  'serve/redis-shared.test.js', // 33
  'install/resolve-tree.test.js', // 33
  'serve/pip.test.js', // 31
  'e2e/pip-install.test.js', // 27
  'audit/processes.test.js', // 21
  'corpus/agent-commands.test.js', // 17
  'registry/shared-cache.test.js', // 14
  'e2e/bun-scanner.test.js', // 12
  'cli/base-policy.test.js', // 12
];

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.isFile() && e.name.endsWith('.test.js') ? [path] : [];
  });
}

/** The files, the known-slow ones first; a listed file that is gone is an error, not a silent skip. */
function ordered(files) {
  const slow = SLOW_FIRST.map((f) => join(ROOT, f));
  const gone = slow.filter((f) => !files.includes(f));
  if (gone.length > 0) {
    console.error(`run-tests: SLOW_FIRST in scripts/run-tests.mjs names ${gone.join(', ')}, which no longer exist${gone.length > 1 ? '' : 's'}: update the list`);
    process.exit(1);
  }
  return [...slow, ...files.filter((f) => !slow.includes(f))];
}

const args = process.argv.slice(2);
const reliabilityArg = args.find((a) => a.startsWith('--reliability='));
const passThrough = args.filter((a) => a !== reliabilityArg);
const env = { ...process.env };
let files;
if (reliabilityArg) {
  const size = reliabilityArg.slice('--reliability='.length);
  if (size !== 'full' && size !== 'quick') {
    console.error(`run-tests: ${reliabilityArg}: expected --reliability=full or --reliability=quick`);
    process.exit(2);
  }
  if (!existsSync(RELIABILITY_SUITE)) {
    console.error(`run-tests: no ${RELIABILITY_SUITE} (did tsc run?)`);
    process.exit(1);
  }
  env.SLOPGUARD_RELIABILITY = size;
  files = [RELIABILITY_SUITE];
} else {
  files = existsSync(ROOT) ? testFiles(ROOT).sort() : [];
  if (files.length === 0) {
    console.error(`run-tests: no compiled test files under ${ROOT} (did tsc run?)`);
    process.exit(1);
  }
  files = ordered(files);
}
// No --test-force-exit: on Node 20 it ended test files before all their suites had run, and the
// run still passed. Measured here: test/similarity/engine.test.js ran 88, 89 and 102 of its 102
// tests in three runs with it, 102 every time without; a fresh-clone CI run counted 2,322 tests
// instead of 2,336 with "fail 0". A test that is skipped by the runner is a check that silently never
// fires, so a stray handle (which would now keep a file's process alive) is the lesser risk: the
// whole suite ends without it (2,336 tests, 3 min 56 s), and CI's own time limit bounds a hang.
// --test-timeout: a test that hangs (a server that never answers, a regression in a wait loop) fails
// after 20 minutes instead of holding CI until its 90-minute limit; no test comes near it.
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=1200000', ...passThrough, ...files], { stdio: 'inherit', env });
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
