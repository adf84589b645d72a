// Bundles the compiled CLI (dist/src/cli/run.js) into dist/bin/, the file bin/slopguard.js loads.
//
// Why: every `slopguard` process is a whole Node start, and an agent hook or an install wrapper
// pays it on every call. Loading ~80 separate ES modules (each resolved, read, compiled and linked
// on its own) cost ~40 ms of a ~175 ms warm `check express` (bench/results.md); one bundle with
// split chunks keeps the lazy loading (each command, the network stack, the LSP and MCP servers
// stay separate chunks loaded on demand) without the per-module cost.
//
// Small dependencies that every run needs are bundled in; the large or rarely used ones stay
// ordinary packages, loaded from node_modules when a code path needs them. The library entry
// (dist/src/index.js) is not bundled. Plain JS so it runs straight after `tsc`.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const INLINE = new Set([
  'commander', // every run: argument parsing
  'ini', // every run: .npmrc and pip.conf
  'validate-npm-package-name', // every npm name
  'fastest-levenshtein', // every look-alike search
]);

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((d) => !INLINE.has(d)).flatMap((d) => [d, `${d}/*`]);

rmSync(new URL('../dist/bin/', import.meta.url), { recursive: true, force: true });
// commander requires node:child_process when it loads, for executable subcommands (which
// slopguard does not use); loading it (with net and dgram) cost every process ~15 ms. Inside
// commander it is replaced by a stand-in that loads the real module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'slopguard-shim' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'slopguard-shim' }, () => ({
      contents: "let cp; const real = () => (cp ??= require('node:child_process')); module.exports = new Proxy({}, { get: (_, k) => real()[k], has: (_, k) => k in real() });",
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: ['dist/src/cli/run.js'],
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Bundled CommonJS packages call require() for Node built-ins; an ES module has no require.
  banner: { js: "import { createRequire as __slopguardRequire } from 'node:module'; const require = __slopguardRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
  plugins: [lazyChildProcess],
});
// Which modules each chunk holds: test/cli/lazy-imports.test.ts reads it to tell which parts of
// the source a command loaded.
writeFileSync(new URL('../dist/bin/meta.json', import.meta.url), JSON.stringify(result.metafile));

// The hook fast path (src/hook/fast-path.ts), its own small bundle that shares nothing with the
// CLI's chunks, so loading it loads nothing else. It needs only the grammar's list of program
// stems: that list is taken from the compiled grammar here, at build time, and emitted as a
// module of one constant, so the fast path never loads the grammar and the list has one source.
const { PACKAGE_COMMAND_STEMS } = await import(new URL('../dist/src/extractors/text/install-command.js', import.meta.url).href);
const grammarConstantsOnly = {
  name: 'install-command-stems-only',
  setup(b) {
    b.onResolve({ filter: /[\\/]extractors[\\/]text[\\/]install-command\.js$/ }, () => ({ path: 'install-command-stems', namespace: 'slopguard-stems' }));
    b.onLoad({ filter: /.*/, namespace: 'slopguard-stems' }, () => ({
      contents: `export const PACKAGE_COMMAND_STEMS = ${JSON.stringify(PACKAGE_COMMAND_STEMS)};`,
      loader: 'js',
    }));
  },
};
// CommonJS, because the shim bin/slopguard.js is (see there): require() of it starts no ES module loader.
await build({
  entryPoints: ['dist/src/hook/fast-path.js'],
  outfile: 'dist/bin/hook-fast.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  plugins: [grammarConstantsOnly],
});
