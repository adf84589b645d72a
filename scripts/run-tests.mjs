// Runs every compiled test file (dist/test/**/*.test.js) with Node's test runner.
// Node 20's `node --test` does not expand glob patterns itself (that arrived in Node 21), and a bare
// directory would also run helper modules as tests, so the file list is built here. Plain JS so it
// runs without a build step; extra arguments are passed to `node --test` (e.g. --test-name-pattern).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.isFile() && e.name.endsWith('.test.js') ? [path] : [];
  });
}

const files = testFiles('dist/test').sort();
if (files.length === 0) {
  console.error('run-tests: no compiled test files under dist/test (did tsc run?)');
  process.exit(1);
}
// --test-force-exit: a test file whose tests have all finished must not hold the run open through
// a stray handle (a socket or timer some dependency keeps); CI has a time limit, a hang is a red run.
// --test-timeout: a test that hangs (a server that never answers, a regression in a wait loop) fails
// after 20 minutes instead of holding CI until its 90-minute limit; no test comes near it.
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-force-exit', '--test-timeout=1200000', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
