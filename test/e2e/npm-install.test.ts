import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { basePath, nonEmpty, skipUnless, slopguard, which } from './tools.js';
import { startVerdaccio, type Verdaccio } from './verdaccio.js';

/**
 * `slopguard npm install ...` with the real npm against a real registry (Verdaccio on loopback).
 *
 * Where facts come from: packuments (existence, creation date) from Verdaccio, the registry npm
 * is pointed at with --registry, exactly as in real use. Verdaccio does not serve npm's downloads
 * API, so SLOPGUARD_NPM_DOWNLOADS_API points at the fixture registry, which knows the weekly
 * downloads of the two published packages and fails the test on any other request. The default
 * policy is used unchanged: left-pad, published seconds ago, gets a too-new warning and installs
 * (off a terminal warnings proceed); left-padd, a young look-alike with 3 downloads, is blocked;
 * a name Verdaccio does not have is blocked as not found.
 */
const npm = which('npm');
const skip = skipUnless('npm end-to-end', npm !== undefined, 'npm is not installed on this machine');

describe('e2e: slopguard npm install against Verdaccio', { skip }, () => {
  let root: string;
  let registry: Verdaccio;
  let downloads: FixtureRegistry;
  let run = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-e2e-npm-'));
    registry = await startVerdaccio(join(root, 'verdaccio'));
    registry.publish({ name: 'left-pad', version: '1.3.0' });
    registry.publish({ name: 'left-padd', version: '1.0.0' });
    downloads = await startFixtureRegistry({
      npm: [
        npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 1_290_000 }),
        npmPackage({ name: 'left-padd', created: new Date(), weeklyDownloads: 3 }),
      ],
    });
  });
  after(async () => {
    await registry?.stop();
    downloads?.assertNoUnexpectedRequests();
    await downloads?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A fresh project folder and an environment where npm's every run leaves a log in `logs`. */
  function project(): { dir: string; logs: string; env: NodeJS.ProcessEnv } {
    const dir = join(root, `app-${++run}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `app-${run}`, version: '1.0.0', private: true }, null, 2)}\n`);
    const logs = join(root, `npm-logs-${run}`);
    writeFileSync(join(root, 'empty.npmrc'), '');
    return {
      dir,
      logs,
      env: {
        PATH: basePath(),
        HOME: join(root, 'home'),
        npm_config_userconfig: join(root, 'empty.npmrc'),
        npm_config_cache: join(root, 'npm-cache'),
        npm_config_logs_dir: logs,
        npm_config_update_notifier: 'false',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        SLOPGUARD_CACHE_DIR: join(root, 'slopguard-cache'),
        SLOPGUARD_NPM_DOWNLOADS_API: downloads.url,
        NO_COLOR: '1',
      },
    };
  }

  it('installs a good package into node_modules (a too-new warning is printed, and npm runs)', async () => {
    const p = project();
    const r = await slopguard(['npm', 'install', 'left-pad', '--registry', registry.url], { cwd: p.dir, env: p.env });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(JSON.parse(readFileSync(join(p.dir, 'node_modules', 'left-pad', 'package.json'), 'utf8')).version, '1.3.0');
    assert.match(r.stderr, /WARNING npm package `left-pad`/);
    assert.ok(nonEmpty(p.logs), 'npm ran and wrote its log');
  });

  for (const [name, why] of [
    ['left-padd', /BLOCKED npm package `left-padd`\n {2}.*did you mean `left-pad`\?/],
    ['slopguard-e2e-no-such-package', /BLOCKED npm package `slopguard-e2e-no-such-package`\n {2}`slopguard-e2e-no-such-package` does not exist on npm/],
  ] as const) {
    it(`blocks ${name}: exit 1, node_modules and package.json untouched, npm never started`, async () => {
      const p = project();
      const before = readFileSync(join(p.dir, 'package.json'), 'utf8');
      const r = await slopguard(['npm', 'install', name, '--registry', registry.url], { cwd: p.dir, env: p.env });
      assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, why);
      assert.match(r.stderr, /npm was not run/);
      assert.ok(!existsSync(join(p.dir, 'node_modules')), 'no node_modules');
      assert.ok(!existsSync(join(p.dir, 'package-lock.json')), 'no lockfile');
      assert.equal(readFileSync(join(p.dir, 'package.json'), 'utf8'), before);
      // npm writes a debug log for every run, even one that fails at once: none means it never started.
      assert.ok(!nonEmpty(p.logs), 'npm left no log: it never started');
    });
  }

  it('hands npm its arguments byte for byte: a cache folder named with quotes, $(...), backticks, ; and | is created literally', async () => {
    const p = project();
    const odd = join(root, `cache "dq" 'sq' $(touch pwned) \`id\` ; | & x`);
    const r = await slopguard(['npm', 'install', 'left-pad', '--registry', registry.url, '--cache', odd], { cwd: p.dir, env: p.env });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(odd), 'npm used the folder exactly as named');
    assert.ok(!existsSync(join(p.dir, 'pwned')) && !existsSync(join(root, 'pwned')), 'nothing was interpreted by a shell');
  });

  it('passes a checked install\'s hostile flag values (spaces, quotes, $(...), backticks, ;, |, newlines) to the tool unchanged', async () => {
    const p = project();
    const fake = join(root, 'fake-bin');
    mkdirSync(fake, { recursive: true });
    const log = join(root, 'fake-npm.json');
    writeFileSync(join(fake, 'npm'), `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(join(fake, 'npm'), 0o755);
    const hostile = ['install', 'left-pad', '--registry', registry.url, '--otp', '$(touch pwned)', '--tag', 'a b;c|d', '--script-shell', '`id`\nnext line', '--loglevel', `'sq' "dq"`];
    const r = await slopguard(['npm', ...hostile], { cwd: p.dir, env: { ...p.env, PATH: basePath([fake]) } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(readFileSync(log, 'utf8')), hostile);
  });

  it('npm ci checks the lockfile first, then runs npm ci', async () => {
    const p = project();
    const first = await slopguard(['npm', 'install', 'left-pad', '--registry', registry.url], { cwd: p.dir, env: p.env });
    assert.equal(first.status, 0, first.stderr);
    rmSync(join(p.dir, 'node_modules'), { recursive: true });
    const r = await slopguard(['npm', 'ci', '--registry', registry.url], { cwd: p.dir, env: p.env });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(p.dir, 'node_modules', 'left-pad', 'package.json')));
    // The lockfile now names the squat: npm ci is refused before it deletes node_modules.
    const lockPath = join(p.dir, 'package-lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    lock.packages['node_modules/left-padd'] = { version: '1.0.0', resolved: `${registry.url}left-padd/-/left-padd-1.0.0.tgz` };
    lock.packages[''].dependencies = { ...lock.packages[''].dependencies, 'left-padd': '^1.0.0' };
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));
    const blocked = await slopguard(['npm', 'ci', '--registry', registry.url], { cwd: p.dir, env: p.env });
    assert.equal(blocked.status, 1, blocked.stderr);
    assert.match(blocked.stderr, /BLOCKED npm package `left-padd` \(package-lock\.json:\d+\)/);
    assert.ok(existsSync(join(p.dir, 'node_modules', 'left-pad')), 'npm ci did not run (it would have removed node_modules first)');
  });

  it('a stale lockfile does not hide a name just added to package.json: bare npm install is refused', async () => {
    const p = project();
    const first = await slopguard(['npm', 'install', 'left-pad', '--registry', registry.url], { cwd: p.dir, env: p.env });
    assert.equal(first.status, 0, first.stderr);
    // package.json gains the squat; package-lock.json still only knows left-pad.
    const manifestPath = join(p.dir, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.dependencies = { ...manifest.dependencies, 'left-padd': '^1.0.0' };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const lockBefore = readFileSync(join(p.dir, 'package-lock.json'), 'utf8');
    assert.doesNotMatch(lockBefore, /left-padd/);
    rmSync(p.logs, { recursive: true, force: true });
    const r = await slopguard(['npm', 'install', '--registry', registry.url], { cwd: p.dir, env: p.env });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /BLOCKED npm package `left-padd` \(package\.json:\d+\)/);
    assert.ok(!existsSync(join(p.dir, 'node_modules', 'left-padd')), 'the squat was not installed');
    assert.equal(readFileSync(join(p.dir, 'package-lock.json'), 'utf8'), lockBefore, 'the lockfile is untouched');
    assert.ok(!nonEmpty(p.logs), 'npm never started');
  });
});
