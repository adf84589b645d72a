#!/usr/bin/env node
// Shim: run the compiled CLI and hand its exit code to the process. All logic lives in src/cli/run.ts.
// dist/bin/ is its bundle (scripts/bundle.mjs: one file to load, not ~80 modules, on every call);
// a checkout compiled with `tsc` alone has only dist/src/, which runs the same code, slower to start.

const argv = process.argv.slice(2);
let stdin = process.stdin;
let answered = false;

// The hook fast path (src/hook/fast-path.ts): an agent hook call for a command that cannot install
// anything is answered by a small bundle, without loading the CLI. It hands everything else on,
// stdin included, to the full path below.
// It reads and writes file descriptors 0 and 1 directly: setting up process.stdin and
// process.stdout as streams would cost more than the rest of it.
if (argv[0] === 'hook' && argv.length === 2) {
  const fast = await import(new URL('../dist/bin/hook-fast.js', import.meta.url).href).catch(() => undefined);
  if (fast?.isFastHookCall(argv)) {
    const { readFileSync, writeSync } = await import('node:fs');
    let input;
    try {
      input = readFileSync(0);
    } catch {
      // A non-blocking or closed stdin (EAGAIN, EOF as an error): the full path reads it as a stream.
    }
    const answer = input && fast.fastHookAnswer(argv, input.toString('utf8'));
    if (answer) {
      try {
        if (answer.stdout) writeSync(1, answer.stdout);
      } catch (e) {
        if (e.code !== 'EPIPE') throw e;
      }
      process.exitCode = answer.code;
      answered = true;
    } else if (input) {
      const { Readable } = await import('node:stream');
      stdin = Readable.from([input]);
    }
  }
}

if (!answered) {
  // `slopguard scan | head`: the reader went away. That is not our failure; stop quietly, as other
  // command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const bundle = new URL('../dist/bin/run.js', import.meta.url);
  const { run } = await import(bundle.href).catch((e) => {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(bundle.pathname)) return import('../dist/src/cli/run.js');
    throw e;
  });
  process.exitCode = await run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin,
    env: process.env,
    cwd: process.cwd(),
  });
}
