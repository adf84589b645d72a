import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * What a command loads decides what every call costs (an agent hook runs `slopguard check` per
 * install; bench/README.md has the figures). These tests run the real CLI in a child process with
 * a module-loading hook and assert that modules only other commands or the network need stay
 * unloaded, so a static import added anywhere shows up here rather than as a slow hook.
 */

const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));

/** Module URLs/paths the CLI loaded for `args` (ESM through a resolve hook, CommonJS through Module._load). */
function loadedModules(args: string[], env: Record<string, string> = {}): { urls: string[]; bundled: boolean; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lazy-'));
  const out = join(dir, 'loaded.txt');
  const hooks = join(dir, 'hooks.mjs');
  const register = join(dir, 'register.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(out)}, r.url + '\\n');
  return r;
}
`,
  );
  writeFileSync(
    register,
    `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const Module = createRequire(import.meta.url)('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const r = load.apply(this, arguments);
  try { appendFileSync(${JSON.stringify(out)}, Module._resolveFilename(request, parent) + '\\n'); } catch {}
  return r;
};
`,
  );
  writeFileSync(out, '');
  const home = join(dir, 'home');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], {
    cwd: dir,
    // No machine-wide npm, pip or uv config either: a file there (an age setting) is read through
    // the file-access port, which a folder without one never loads (policy/native-age.ts).
    env: { PATH: process.env.PATH ?? '', HOME: home, SLOPGUARD_CACHE_DIR: join(dir, 'cache'), NO_COLOR: '1', npm_config_globalconfig: join(dir, 'no-npmrc'), PIP_CONFIG_FILE: '/dev/null', XDG_CONFIG_DIRS: join(dir, 'no-xdg'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const raw = readFileSync(out, 'utf8').split('\n').filter(Boolean);
  const urls = [...new Set(expandChunks(raw))];
  return { urls, bundled: raw.some((u) => u.includes('/dist/bin/run.js')), status: r.status, stderr: r.stderr };
}

/**
 * The CLI runs from the bundle in dist/bin/ (scripts/bundle.mjs): a loaded chunk stands for every
 * module esbuild put in it, as its metafile records. Paths come back as the unbundled ones
 * (`/dist/src/core/check.js`, `/node_modules/commander/...`), so the patterns below read the same
 * either way.
 */
function expandChunks(urls: readonly string[]): string[] {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const meta = JSON.parse(readFileSync(join(root, 'dist', 'bin', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const out: string[] = [];
  for (const u of urls) {
    const path = u.startsWith('file:') ? fileURLToPath(u) : u;
    const rel = path.startsWith(root) ? path.slice(root.length) : undefined;
    const chunk = rel !== undefined ? meta.outputs[rel] : undefined;
    if (chunk) out.push(...Object.keys(chunk.inputs).map((i) => `${root}${i}`));
    else out.push(path);
  }
  return out;
}

/** The loaded modules that match any of the patterns. */
function offenders(urls: readonly string[], patterns: readonly RegExp[]): string[] {
  return urls.filter((u) => patterns.some((p) => p.test(u)));
}

const OTHER_COMMANDS = [/\/dist\/src\/(extractors|sources|wrap|hook|lsp|mcp|serve)\//, /node_modules\/(@modelcontextprotocol|vscode-languageserver|js-yaml|smol-toml|@yarnpkg)\//];
const NETWORK = [/node_modules\/(undici|npm-registry-fetch|make-fetch-happen|@npmcli\/agent)\//];
const CHECK_PIPELINE = [/\/dist\/src\/(core\/check|similarity|registry|signals)\b/];

describe('the CLI loads only what the command being run needs', () => {
  it('--version loads no command and none of the pipeline', () => {
    const { urls, bundled, status } = loadedModules(['--version']);
    assert.equal(status, 0);
    assert.ok(bundled, 'the CLI did not run from its bundle (dist/bin/run.js): missing, or bin/slopguard.js bypasses it');
    assert.ok(urls.length > 0, 'the loading hook saw nothing: the test itself is broken');
    assert.deepEqual(offenders(urls, [...OTHER_COMMANDS, ...CHECK_PIPELINE, ...NETWORK]), []);
  });

  it('check without the network (offline, nothing cached) loads neither other commands nor an HTTP stack', () => {
    const { urls, status, stderr } = loadedModules(['check', '--offline', '--format', 'json', 'express']);
    // Nothing cached offline: unverified, exit 3 (the check itself ran).
    assert.equal(status, 3, stderr);
    assert.ok(urls.some((u) => /\/dist\/src\/core\/check\.js$/.test(u)), 'check() was not loaded: the command did not run');
    assert.deepEqual(offenders(urls, [...OTHER_COMMANDS, ...NETWORK, /node_modules\/zod\//]), []);
  });

  it('scan of a package-lock loads no parser of another format (YAML, TOML, yarn berry, PEP 440)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-lazy-scan-'));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/left-pad': { version: '1.3.0' } } }));
    const { urls, status, stderr } = loadedModules(['scan', '--offline', '--format', 'json', join(dir, 'package-lock.json')]);
    assert.equal(status, 3, stderr);
    assert.ok(urls.some((u) => /\/dist\/src\/extractors\/npm\/package-lock\.js$/.test(u)), 'the package-lock extractor was not loaded: the scan did not run');
    assert.deepEqual(offenders(urls, [/node_modules\/(js-yaml|smol-toml|@yarnpkg|@renovatebot)\//, ...NETWORK]), []);
  });

  it('a wrapped command that is not an install loads no install guard; an install does (src/serve/)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'sg-lazy-bin-'));
    writeFileSync(join(bin, 'npm'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, SLOPGUARD_ALLOW: 'express' };
    const SERVE = [/\/dist\/src\/serve\//];
    const notInstall = loadedModules(['npm', 'run', 'build'], env);
    assert.equal(notInstall.status, 0, notInstall.stderr);
    assert.ok(notInstall.urls.some((u) => /\/dist\/src\/wrap\/index\.js$/.test(u)), 'the wrapper was not loaded: the command did not run');
    assert.deepEqual(offenders(notInstall.urls, SERVE), []);
    const install = loadedModules(['npm', 'install', 'express'], env);
    assert.equal(install.status, 0, install.stderr);
    assert.ok(offenders(install.urls, SERVE).some((u) => /\/serve\/ephemeral\.js$/.test(u)), 'an install starts the guard (the pattern above can fire)');
  });

  it('--help still lists every command (it loads them all)', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    assert.equal(r.status, 0);
    for (const name of ['check', 'scan', 'diff', 'text', 'ci', 'hook', 'lsp', 'mcp']) assert.match(r.stdout, new RegExp(`^  ${name}\\b`, 'm'));
  });
});
