import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, pypiProject, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { repo } from '../helpers/repo.js';

const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

// `requestz` is a real (unranked) PyPI name, one letter from `requests`; the fixture makes it young.
const LOOKALIKE = 'requestz';

/** pip's index-url set to the fixture (a mirror, or not), SLOPGUARD_PYPI_URL deliberately unset. */
function envFor(reg: FixtureRegistry, cwd: string): Record<string, string> {
  const pipConf = join(cwd, 'pip.conf');
  writeFileSync(pipConf, `[global]\nindex-url = ${reg.url}/simple/\n`);
  return {
    PIP_CONFIG_FILE: pipConf,
    SLOPGUARD_NPM_REGISTRY: `${reg.url}/`,
    SLOPGUARD_NPM_DOWNLOADS_API: reg.url,
    SLOPGUARD_PYPISTATS_API: reg.url,
    SLOPGUARD_CACHE_DIR: join(cwd, '.cache-sg'),
  };
}

type Doc = { packages: Array<{ name: string; verdict: string; findings: Array<{ code: string; similarTo?: string }> }> };

async function checkLookalike(mirror: boolean, config?: Record<string, unknown>) {
  const pypi = [pypiProject({ name: LOOKALIKE, created: ago(6), weeklyDownloads: 3 })];
  if (mirror) pypi.push(pypiProject({ name: 'pip', created: ago(6000), weeklyDownloads: 90_000_000 }));
  // The probe names are served for every case; the config cases assert they are not asked.
  return withFixtureRegistry({ pypi, missing: { pypi: mirror ? [] : ['pip', 'setuptools', 'wheel'] } }, async (reg) => {
    const cwd = repo({});
    const args = ['check', `pypi:${LOOKALIKE}`, '--format', 'json'];
    if (config) {
      writeFileSync(join(cwd, 'slopguard.json'), JSON.stringify(config));
      args.push('--config', join(cwd, 'slopguard.json'));
    }
    const t = testIo({ env: envFor(reg, cwd), cwd });
    const code = await run(args, t.io);
    const doc = JSON.parse(t.out()) as Doc;
    const probes = reg.requests.filter((r) => /\/simple\/(pip|setuptools|wheel)\/?$/.test(r.path)).length;
    return { code, pkg: doc.packages[0]!, probes, err: t.err() };
  }, { allowUnrequested: true });
}

describe('a public PyPI mirror as index-url is not a private registry', () => {
  it('a mirror (it serves pip): the look-alike is judged against the public lists and blocked', async () => {
    const r = await checkLookalike(true);
    assert.equal(r.pkg.findings.find((f) => f.code === 'typo')?.similarTo, 'requests', JSON.stringify(r));
    assert.equal(r.pkg.verdict, 'block');
    assert.equal(r.code, 1);
    assert.equal(r.probes, 1, 'one well-known name asked, once');
  });

  it('a private index (it does not serve pip): names stay private, no typo judged (as before)', async () => {
    const r = await checkLookalike(false);
    assert.equal(r.pkg.findings.find((f) => f.code === 'typo'), undefined);
    assert.notEqual(r.pkg.verdict, 'block');
  });

  it('config privateIndex: true is believed without asking', async () => {
    const r = await checkLookalike(true, { privateIndex: true });
    assert.equal(r.pkg.findings.find((f) => f.code === 'typo'), undefined);
    assert.equal(r.probes, 0);
  });

  it('config privateIndex: false makes the index a mirror without asking', async () => {
    const r = await checkLookalike(false, { privateIndex: false });
    assert.equal(r.pkg.verdict, 'block');
    assert.equal(r.probes, 0);
  });

  it('config privateIndex must be a boolean (exit 2, the field named)', async () => {
    const cwd = repo({ 'slopguard.json': '{ "privateIndex": "yes" }' });
    const t = testIo({ env: { SLOPGUARD_OFFLINE: '1', SLOPGUARD_CACHE_DIR: join(cwd, '.c') }, cwd });
    assert.equal(await run(['check', 'pypi:requests', '--config', join(cwd, 'slopguard.json')], t.io), 2);
    assert.match(t.err(), /privateIndex/);
  });
});

describe('an npm mirror as the default registry keeps typo checks on', () => {
  it('registry= in .npmrc (no SLOPGUARD_NPM_REGISTRY): a young look-alike of a popular name is blocked', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'lodasq', created: ago(6), weeklyDownloads: 3, repository: 'r' })] }, async (reg) => {
      const cwd = repo({});
      writeFileSync(join(cwd, '.npmrc'), `registry=${reg.url}/\n`);
      const t = testIo({ env: { SLOPGUARD_NPM_DOWNLOADS_API: reg.url, SLOPGUARD_PYPI_URL: reg.url, SLOPGUARD_PYPISTATS_API: reg.url, SLOPGUARD_CACHE_DIR: join(cwd, '.c') }, cwd });
      assert.equal(await run(['check', 'lodasq', '--format', 'json'], t.io), 1);
      const doc = JSON.parse(t.out()) as Doc;
      assert.equal(doc.packages[0]!.findings.find((f) => f.code === 'typo')?.similarTo, 'lodash');
      assert.ok(reg.count('/lodasq') > 0, 'asked the mirror');
    });
  });
});
