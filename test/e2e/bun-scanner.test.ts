/**
 * slopguard as Bun's security scanner, with the real bun (the npm package `bun`, a devDependency)
 * installing from Verdaccio on loopback: bun hands the scanner every package it is about to add,
 * a look-alike squat stops the install (no node_modules entry, no lockfile entry), a good package
 * installs. The scanner is the published entry `slopguard/bun-scanner` (bin/bun-scanner.mjs).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, skipUnless } from './tools.js';
import { startVerdaccio, type Verdaccio } from './verdaccio.js';

const BUN = join(REPO_ROOT, 'node_modules', '.bin', 'bun');
const skip = skipUnless('bun security scanner', existsSync(BUN), 'the bun devDependency is not installed (npm ci)');

function bun(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BUN, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('bun security scanner: real bun through Verdaccio', { skip }, () => {
  let root: string;
  let registry: Verdaccio;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'sg-bun-scanner-'));
    registry = await startVerdaccio(join(root, 'verdaccio'));
    // A look-alike of lodash published today: a young typo, blocked. And an ordinary new package.
    registry.publish({ name: 'lodahs', version: '1.0.0' });
    registry.publish({ name: 'sg-bun-plain-widget', version: '1.0.0' });
  });
  after(async () => {
    await registry?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function project(name: string, deps: Record<string, string>): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = join(root, name);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies: deps }, null, 2));
    writeFileSync(join(dir, 'bunfig.toml'), `[install]\nregistry = "${registry.url}"\n\n[install.security]\nscanner = "slopguard/bun-scanner"\n`);
    // The scanner is resolved from the project, as a devDependency would be.
    symlinkSync(REPO_ROOT.replace(/\/$/, ''), join(dir, 'node_modules', 'slopguard'));
    const env: NodeJS.ProcessEnv = {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      HOME: join(root, 'home'),
      BUN_INSTALL_CACHE_DIR: join(root, 'bun-cache'),
      SLOPGUARD_NPM_REGISTRY: registry.url,
      SLOPGUARD_NPM_DOWNLOADS_API: registry.url.replace(/\/$/, ''),
      SLOPGUARD_CACHE_DIR: join(root, 'sg-cache'),
      // Everything in this registry was published today: judge names, not age.
      SLOPGUARD_MIN_AGE_DAYS: '0',
      SLOPGUARD_MIN_WEEKLY_DOWNLOADS: '0',
      CI: '1',
      NO_COLOR: '1',
    };
    mkdirSync(env.HOME!, { recursive: true });
    return { dir, env };
  }

  it('a look-alike squat stops bun install with slopguard\'s reason; nothing of it is installed', async () => {
    const { dir, env } = project('squat-app', { lodahs: '1.0.0' });
    const r = await bun(['install', '--no-save'], dir, env);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /lodahs/);
    assert.match(r.out, /slopguard: .*did you mean `lodash`/);
    assert.ok(!existsSync(join(dir, 'node_modules', 'lodahs')), 'the squat was not installed');
  });

  it('a good package installs through the scanner', async () => {
    const { dir, env } = project('good-app', { 'sg-bun-plain-widget': '1.0.0' });
    const r = await bun(['install'], dir, env);
    assert.equal(r.code, 0, r.out);
    assert.ok(existsSync(join(dir, 'node_modules', 'sg-bun-plain-widget', 'package.json')), r.out);
    assert.ok(readFileSync(join(dir, 'bun.lock'), 'utf8').includes('sg-bun-plain-widget'));
  });
});
