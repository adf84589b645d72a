import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, pypiProject, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnv } from '../helpers/registry-env.js';
import { sarifValidator } from '../reporters/sarif-schema.js';
import { createRepo, packageJson, type TestRepo } from './ci-repo.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const root = mkdtempSync(join(tmpdir(), 'slopguard-ci-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * A monorepo in two commits. Base: web/ depends on express and on `lodahs` (an old mistake that
 * must not fail every build); api/ has requirements.txt with requests. Head adds left-pad to web/
 * and a young look-alike `left-padd` to a new workspace tools/, and `reqeusts` to api/.
 */
function monorepo(dir: string): TestRepo {
  const repo = createRepo(dir);
  repo.write({
    'web/package.json': packageJson('web', { express: '^4.0.0', lodahs: '^1.0.0' }),
    'api/requirements.txt': 'requests==2.32.3\n',
  });
  repo.commit('base');
  repo.write({
    'web/package.json': packageJson('web', { express: '^4.0.0', lodahs: '^1.0.0', 'left-pad': '^1.3.0' }),
    'tools/package.json': packageJson('tools', { 'left-padd': '^1.0.0' }),
    'api/requirements.txt': 'requests==2.32.3\nreqeusts==0.0.1\n',
  });
  repo.commit('head');
  return repo;
}

describe('slopguard ci', () => {
  let reg: FixtureRegistry;
  let repo: TestRepo;
  let env: Record<string, string>;

  before(async () => {
    reg = await startFixtureRegistry({
      npm: [
        npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 40_000_000, repository: 'expressjs/express' }),
        npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 1_290_000, repository: 'stevemao/left-pad' }),
        npmPackage({ name: 'left-padd', created: '2026-11-24', weeklyDownloads: 3 }),
      ],
      pypi: [
        pypiProject({ name: 'requests', created: '2011-02-14', weeklyDownloads: 30_000_000, urls: { Source: 'https://example.test/requests' } }),
        pypiProject({ name: 'reqeusts', created: '2026-11-24', weeklyDownloads: 4 }),
      ],
      missing: { npm: ['lodahs'] },
    });
    repo = monorepo(join(root, 'repo'));
    env = { ...fixtureRegistryEnv(reg, join(root, 'cache')), PIP_CONFIG_FILE: '/dev/null' };
  });
  after(async () => {
    reg.assertNoUnexpectedRequests();
    await reg.close();
  });

  const io = (cwd = repo.dir) => testIo({ cwd, env, now: NOW });

  it('without --base judges every manifest of the monorepo', async () => {
    const t = io();
    assert.equal(await run(['ci', '--format', 'json'], t.io), 1, t.err());
    const report = JSON.parse(t.out());
    const verdicts = Object.fromEntries(report.packages.map((p: { ecosystem: string; name: string; verdict: string }) => [`${p.ecosystem}:${p.name}`, p.verdict]));
    assert.deepEqual(verdicts, { 'npm:express': 'ok', 'npm:lodahs': 'block', 'npm:left-pad': 'ok', 'npm:left-padd': 'block', 'pypi:requests': 'ok', 'pypi:reqeusts': 'block' });
  });

  it('with --base judges only names the change adds, and never asks the registry about the others', async () => {
    reg.clearRequests();
    const t = io();
    assert.equal(await run(['ci', '--base', 'HEAD~1', '--format', 'json'], t.io), 1, t.err());
    const report = JSON.parse(t.out());
    assert.deepEqual(report.packages.map((p: { name: string }) => p.name).sort(), ['left-pad', 'left-padd', 'reqeusts']);
    assert.equal(report.summary.block, 2);
    assert.match(t.err(), /3 package names new since HEAD~1; 3 already there not judged/);
    assert.equal(reg.count((r) => r.path.includes('lodahs') || r.path.includes('express') || /\/requests\//.test(r.path)), 0);
  });

  it('a change that adds nothing bad passes even though an old dependency is bad', async () => {
    const t = io();
    assert.equal(await run(['ci', '--base', 'HEAD', '--format', 'json'], t.io), 0, t.err());
    assert.equal(JSON.parse(t.out()).summary.checked, 0);
  });

  it('run from a sub-folder: paths are repository-relative; SARIF to --output validates against the schema', async () => {
    const t = io(join(repo.dir, 'web'));
    const out = join(root, 'web.sarif');
    assert.equal(await run(['ci', '..', '--base', 'HEAD~1', '--format', 'sarif', '--output', out], t.io), 1, t.err());
    assert.equal(t.out(), '');
    const log = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(sarifValidator()(log), []);
    const uris = log.runs[0].results.map((r: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`);
    assert.ok(uris.includes('typo tools/package.json:5'), uris.join('\n'));
    assert.ok(uris.includes('typo api/requirements.txt:2'), uris.join('\n'));
  });

  it('--format github prints annotations on repo paths', async () => {
    const t = io();
    assert.equal(await run(['ci', '--base', 'HEAD~1', '--format', 'github'], t.io), 1);
    assert.match(t.out(), /^::error file=tools\/package\.json,line=5,col=\d+.*::`left-padd` .*did you mean `left-pad`\?/m);
    assert.match(t.out(), /^::error file=api\/requirements\.txt,line=2,.*reqeusts/m);
  });

  it('--format markdown prints a PR comment', async () => {
    const t = io();
    assert.equal(await run(['ci', '--base', 'HEAD~1', '--format', 'markdown'], t.io), 1);
    assert.match(t.out(), /^<!-- slopguard-report -->\n### ⛔ slopguard blocked 2 packages/);
  });

  it('a bad --base or a folder outside git exits 2 with the reason', async () => {
    const bad = io();
    assert.equal(await run(['ci', '--base', 'no-such-branch'], bad.io), 2);
    assert.match(bad.err(), /no-such-branch/);
    const outside = mkdtempSync(join(root, 'plain-'));
    const t = testIo({ cwd: outside, env, now: NOW });
    assert.equal(await run(['ci', '--base', 'main'], t.io), 2);
    assert.match(t.err(), /not inside a git repository/);
  });

  it('--help explains --base and the formats with examples', async () => {
    const t = testIo();
    assert.equal(await run(['ci', '--help'], t.io), 0);
    assert.match(t.out(), /--base <ref>/);
    assert.match(t.out(), /sarif.*github.*markdown/s);
    assert.match(t.out(), /slopguard ci --base origin\/main --format github/);
  });
});
