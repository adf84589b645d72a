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
 * streams would cost more than the rest of it. Returns whether it answered, what it read, and
 * whether stdin has more after that.
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
  // Read at most what the fast path would judge: a larger (or endless) input goes on to the full
  // path, which caps it, as the bytes read so far followed by the rest of stdin.
  const fs = require('node:fs');
  const chunks = [];
  const buf = Buffer.allocUnsafe(64 * 1024);
  let size = 0;
  let eof = false;
  while (size <= fast.MAX_FAST_INPUT) {
    let n;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === 'EOF') eof = true; // Windows pipes end with an error
      break; // EAGAIN (a non-blocking stdin) and the rest: the full path reads it as a stream
    }
    if (n === 0) {
      eof = true;
      break;
    }
    chunks.push(Buffer.from(buf.subarray(0, n)));
    size += n;
  }
  const input = Buffer.concat(chunks);
  if (!eof) return { answered: false, input, more: true };
  const answer = fast.fastHookAnswer(argv, input.toString('utf8'));
  if (!answer) return { answered: false, input, more: false };
  try {
    if (answer.stdout) fs.writeSync(1, answer.stdout);
  } catch (e) {
    if (e.code !== 'EPIPE') throw e;
  }
  process.exitCode = answer.code;
  return { answered: true };
}

async function fullPath(input, more) {
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
  let stdin = process.stdin;
  if (input) {
    const rest = async function* () {
      yield input;
      if (more) for await (const chunk of process.stdin) yield chunk;
    };
    stdin = require('node:stream').Readable.from(rest());
  }
  process.exitCode = await run(argv, { stdout: process.stdout, stderr: process.stderr, stdin, env: process.env, cwd: process.cwd() });
}

const fast = fastPath();
if (!fast.answered) {
  fullPath(fast.input, fast.more).catch((e) => {
    // As an ES module entry would: the stack on stderr, exit 1.
    process.exitCode = 1;
    throw e;
  });
}
