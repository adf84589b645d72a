#!/usr/bin/env node
// Shim: run the compiled CLI and hand its exit code to the process. All logic lives in src/cli/run.ts.
// dist/bin/ is its bundle (scripts/bundle.mjs: one file to load, not ~80 modules, on every call);
// a checkout compiled with `tsc` alone has only dist/src/, which runs the same code, slower to start.
const bundle = new URL('../dist/bin/run.js', import.meta.url);
const { run } = await import(bundle.href).catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(bundle.pathname)) return import('../dist/src/cli/run.js');
  throw e;
});

// `slopguard scan | head`: the reader went away. That is not our failure; stop quietly, as other
// command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
