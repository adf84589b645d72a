import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { basePath, sh, skipUnless, which } from './tools.js';
import { startVerdaccio, type Verdaccio } from './verdaccio.js';

/**
 * slopguard's Verdaccio filter plugin inside a real Verdaccio 6.8 (the dev dependency), loaded
 * the way a user configures it (`plugins:` pointing at the package's verdaccio/ folder, `filters:
 * { slopguard: ... }`), and the real npm installing through it. Nothing else is in the way: npm
 * talks to Verdaccio only, with no slopguard wrapper.
 *
 * Two Verdaccios: one with the default plugin config (a young look-alike of lodash is refused,
 * a package with a clean name installs) and one with minReleaseAgeDays: 1, where everything
 * published by the test (seconds ago) is too young.
 */
const npm = which('npm');
const skip = skipUnless('verdaccio plugin end-to-end', npm !== undefined, 'npm is not installed on this machine');
const PLUGINS = fileURLToPath(new URL('../../../verdaccio', import.meta.url));

describe('e2e: slopguard as a Verdaccio filter plugin, with the real npm', { skip }, () => {
  let root: string;
  let guarded: Verdaccio;
  let gated: Verdaccio;
  let upstream: Verdaccio;
  let proxying: Verdaccio;
  let run = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-e2e-verdaccio-plugin-'));
    const plugin = (cfg: string) => [`plugins: ${PLUGINS}`, 'filters:', `  slopguard: ${cfg}`];
    [guarded, gated, upstream] = await Promise.all([
      startVerdaccio(join(root, 'guarded'), { extraConfig: plugin('{}'), logLevel: 'warn' }),
      startVerdaccio(join(root, 'gated'), { extraConfig: plugin('{ minReleaseAgeDays: 1 }'), logLevel: 'warn' }),
      startVerdaccio(join(root, 'upstream')),
    ]);
    for (const v of [guarded, gated, upstream]) {
      v.publish({ name: 'lodahs', version: '1.0.0' });
      v.publish({ name: 'slopguard-e2e-plain-widget', version: '2.1.0' });
    }
    // The usual set-up: packages come through an uplink (here a plain Verdaccio standing in for npmjs).
    proxying = await startVerdaccio(join(root, 'proxying'), { extraConfig: plugin('{}'), logLevel: 'warn', uplink: upstream.url });
  });
  after(async () => {
    await Promise.all([guarded?.stop(), gated?.stop(), upstream?.stop(), proxying?.stop()]);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /**
   * Verdaccio's log as soon as it matches (npm runs with spawnSync, so what Verdaccio printed meanwhile
   * is read only once the event loop turns again). Gives up after a generous bound and returns what it has.
   */
  async function logMatching(v: Verdaccio, re: RegExp): Promise<string> {
    for (let i = 0; i < 200 && !re.test(v.output()); i++) await new Promise((r) => setTimeout(r, 50));
    return v.output();
  }

  function install(registry: Verdaccio, spec: string) {
    const dir = join(root, `app-${++run}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `app-${run}`, version: '1.0.0', private: true })}\n`);
    writeFileSync(join(root, 'empty.npmrc'), '');
    const env = {
      PATH: basePath(),
      HOME: join(root, 'home'),
      npm_config_userconfig: join(root, 'empty.npmrc'),
      // A cache per install: a tarball cached by an earlier run must not hide what the registry says.
      npm_config_cache: join(root, `npm-cache-${run}`),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      NO_COLOR: '1',
    };
    const r = sh(npm!, ['install', spec, '--registry', registry.url], { cwd: dir, env });
    return { ...r, dir, installed: (name: string) => existsSync(join(dir, 'node_modules', name, 'package.json')) };
  }

  it('installs a package with a clean name through the guarded Verdaccio', () => {
    const r = install(guarded, 'slopguard-e2e-plain-widget');
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(r.installed('slopguard-e2e-plain-widget'));
  });

  for (const spec of ['lodahs', 'lodahs@1.0.0', 'lodahs@^1']) {
    it(`refuses the look-alike squat (${spec}): npm fails, nothing is installed, Verdaccio's log says why`, async () => {
      const r = install(guarded, spec);
      assert.notEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /No (versions available|matching version found) for lodahs/);
      assert.ok(!r.installed('lodahs'), 'lodahs is not in node_modules');
      const why = /slopguard refused npm package `lodahs`: `lodahs` looks like the popular npm package `lodash`/;
      assert.match(await logMatching(guarded, why), why);
    });
  }

  it('refuses the squat\'s tarball too, even asked for directly', async () => {
    const res = await fetch(`${guarded.url}lodahs/-/lodahs-1.0.0.tgz`);
    assert.equal(res.status, 404);
    const ok = await fetch(`${guarded.url}slopguard-e2e-plain-widget/-/slopguard-e2e-plain-widget-2.1.0.tgz`);
    assert.equal(ok.status, 200);
  });

  it('judges what comes through an uplink alike: the squat is refused (packument and tarball), the good package installs', async () => {
    const r = install(proxying, 'lodahs');
    assert.notEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /No versions available for lodahs/);
    assert.ok(!r.installed('lodahs'));
    // Verdaccio now holds the uplink's metadata for lodahs; the tarball must still not come through.
    assert.equal((await fetch(`${proxying.url}lodahs/-/lodahs-1.0.0.tgz`)).status, 404);
    const ok = install(proxying, 'slopguard-e2e-plain-widget');
    assert.equal(ok.status, 0, `${ok.stdout}\n${ok.stderr}`);
    assert.ok(ok.installed('slopguard-e2e-plain-widget'));
  });

  it('age gate (minReleaseAgeDays: 1): a package with no version old enough is not installable', async () => {
    const r = install(gated, 'slopguard-e2e-plain-widget');
    assert.notEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(!r.installed('slopguard-e2e-plain-widget'));
    const why = /slopguard refused npm package `slopguard-e2e-plain-widget`: every version was published less than 1 day ago/;
    assert.match(await logMatching(gated, why), why);
  });
});
