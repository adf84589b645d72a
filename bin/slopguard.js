#!/usr/bin/env node
// Shim: run the compiled CLI and hand its exit code to the process. All logic lives in src/cli/run.ts.
// dist/bin/ is its bundle (scripts/bundle.mjs: one file to load, not ~80 modules, on every call);
// a checkout compiled with `tsc` alone has only dist/src/, which runs the same code, slower to start.
//
// This file is CommonJS (bin/package.json): an ES module entry starts Node's ES module loader
// before any of it runs, ~6 ms that the hook fast path below cannot spare. The CLI is ESM,
// loaded with import() once the fast path has passed.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const argv = process.argv.slice(2);
const dist = join(__dirname, '..', 'dist');

/**
 * The hook fast path (src/hook/fast-path.ts, bundled to dist/bin/hook-fast.cjs): an agent hook call
 * for a command that cannot install anything is answered without loading the CLI. It reads and
 * writes file descriptors 0 and 1 directly, since setting up process.stdin and process.stdout as
 * streams would cost more than the rest of it. Returns whether it answered, and what it read.
 */
function fastPath() {
  if (argv[0] !== 'hook' || argv.length !== 2) return { answered: false };
  let fast;
  try {
    fast = require(join(dist, 'bin', 'hook-fast.cjs'));
  } catch {
    return { answered: false }; // a checkout compiled with tsc alone: the full path does it all
  }
  if (!fast.isFastHookCall(argv)) return { answered: false };
  const fs = require('node:fs');
  let input;
  try {
    input = fs.readFileSync(0);
  } catch {
    // A non-blocking or closed stdin (EAGAIN, EOF as an error): the full path reads it as a stream.
    return { answered: false };
  }
  const answer = fast.fastHookAnswer(argv, input.toString('utf8'));
  if (!answer) return { answered: false, input };
  try {
    if (answer.stdout) fs.writeSync(1, answer.stdout);
  } catch (e) {
    if (e.code !== 'EPIPE') throw e;
  }
  process.exitCode = answer.code;
  return { answered: true };
}

async function fullPath(input) {
  // `slopguard scan | head`: the reader went away. That is not our failure; stop quietly, as other
  // command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const bundle = join(dist, 'bin', 'run.js');
  const { run } = await import(pathToFileURL(bundle).href).catch((e) => {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(bundle)) return import(pathToFileURL(join(dist, 'src', 'cli', 'run.js')).href);
    throw e;
  });
  // What the fast path already read from stdin is handed on as the stream the CLI reads.
  const stdin = input ? require('node:stream').Readable.from([input]) : process.stdin;
  process.exitCode = await run(argv, { stdout: process.stdout, stderr: process.stderr, stdin, env: process.env, cwd: process.cwd() });
}

const fast = fastPath();
if (!fast.answered) {
  fullPath(fast.input).catch((e) => {
    // As an ES module entry would: the stack on stderr, exit 1.
    process.exitCode = 1;
    throw e;
  });
}
