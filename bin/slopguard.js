#!/usr/bin/env node
// Shim: run the compiled CLI and hand its exit code to the process. All logic lives in src/cli/run.ts.
import { run } from '../dist/src/cli/run.js';

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
