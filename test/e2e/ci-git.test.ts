import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRepo, packageJson } from '../cli/ci-repo.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { sarifValidator } from '../reporters/sarif-schema.js';
import { basePath, skipUnless, slopguard, which } from './tools.js';

/**
 * The README's GitHub Actions step, run for real: a pull-request checkout (a clone with the base
 * branch as origin/main and one commit on top), then
 * `slopguard ci --base origin/main --format sarif --output slopguard.sarif` with the built CLI.
 */
const skip = skipUnless('ci end-to-end', which('git') !== undefined, 'git is not installed on this machine');

describe('e2e: slopguard ci on a pull-request checkout', { skip }, () => {
  let root: string;
  let reg: FixtureRegistry;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-e2e-ci-'));
    reg = await startFixtureRegistry({
      npm: [
        npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 40_000_000, repository: 'expressjs/express' }),
        npmPackage({ name: 'left-padd', created: new Date(Date.now() - 86_400_000), weeklyDownloads: 2 }),
      ],
    });
  });
  after(async () => {
    reg?.assertNoUnexpectedRequests();
    await reg?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('--base origin/main reports only the added dependency, as valid SARIF at its line', async () => {
    const upstream = createRepo(join(root, 'upstream'));
    upstream.write({ 'package.json': packageJson('app', { express: '^4.0.0', 'old-mistake-pkg': '^1.0.0' }) });
    upstream.commit('base');
    const clone = spawnSync('git', ['clone', '-q', join(root, 'upstream'), join(root, 'pr')], { encoding: 'utf8', env: { PATH: basePath(), HOME: root, GIT_CONFIG_NOSYSTEM: '1' } });
    assert.equal(clone.status, 0, clone.stderr);
    const pr = createRepo(join(root, 'pr'));
    pr.write({ 'package.json': packageJson('app', { express: '^4.0.0', 'old-mistake-pkg': '^1.0.0', 'left-padd': '^1.0.0' }) });
    pr.commit('add left-padd');

    const r = await slopguard(['ci', '--base', 'origin/main', '--format', 'sarif', '--output', 'slopguard.sarif'], {
      cwd: pr.dir,
      env: { PATH: basePath(), HOME: root, SLOPGUARD_NPM_REGISTRY: `${reg.url}/`, SLOPGUARD_NPM_DOWNLOADS_API: reg.url, SLOPGUARD_CACHE_DIR: join(root, 'cache') },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /1 package name new since origin\/main; 2 already there not judged/);
    const log = JSON.parse(readFileSync(join(pr.dir, 'slopguard.sarif'), 'utf8'));
    assert.deepEqual(sarifValidator()(log), []);
    const results = log.runs[0].results as Array<{ ruleId: string; level: string; properties: { package: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    assert.deepEqual([...new Set(results.map((x) => x.properties.package))], ['left-padd']);
    const typo = results.find((x) => x.ruleId === 'typo')!;
    assert.equal(typo.level, 'error');
    assert.equal(typo.locations[0]!.physicalLocation.artifactLocation.uri, 'package.json');
    assert.equal(typo.locations[0]!.physicalLocation.region.startLine, 7);
  });
});
