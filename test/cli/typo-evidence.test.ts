import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check } from '../../src/core/check.js';
import { run } from '../../src/cli/run.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { npmPackage, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnvIn as envFor } from '../helpers/registry-env.js';
import { repo } from '../helpers/repo.js';

const NOW = new Date('2026-11-26T00:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

// Invented look-alikes of `lodash` (in the bundled popular list), served by the fixture registry only.
const FIXTURES = {
  npm: [
    npmPackage({ name: 'lodasj', created: ago(1500), weeklyDownloads: 400, repository: 'r' }), // an old sibling with an audience
    npmPackage({ name: 'lodasq', created: ago(6), weeklyDownloads: 3, repository: 'r' }), // a young squat
    npmPackage({ name: 'lodaxh', created: ago(1500), repository: 'r' }), // old, the downloads API has no count
    npmPackage({ name: 'lodazh', created: ago(1500), weeklyDownloads: 0, repository: 'r' }), // old, measured near zero
    // The target itself: an old look-alike that would block is compared with it (older? same owner?).
    npmPackage({ name: 'lodash', created: ago(5000), weeklyDownloads: 50_000_000, repository: 'r' }),
  ],
};

type Doc = { packages: Array<{ name: string; verdict: string; findings: Array<{ code: string; severity: string; similarTo?: string; evidence?: Record<string, unknown> }> }> };

describe('typo verdicts by evidence, through slopguard check and check()', () => {
  const table: Array<[string, string, number, string]> = [
    ['lodasj', 'warn', 0, 'an old sibling with sustained downloads: a "did you mean" warning, exit 0'],
    ['lodasq', 'block', 1, 'a young squat: blocked, exit 1'],
    ['lodaxh', 'warn', 0, 'old with no count from the downloads API: missing evidence, not a low count'],
    ['lodazh', 'block', 1, 'old but measured at zero downloads: blocked'],
  ];
  for (const [name, verdict, exit, label] of table) {
    it(`${name}: ${label}`, async () => {
      // An old look-alike that blocks is compared with its target (src/signals/typo-target.ts), so
      // the target is served exactly where that lookup happens (unrequested fixtures fail).
      const serves = verdict === 'block' && name !== 'lodasq' ? [name, 'lodash'] : [name];
      await withFixtureRegistry({ npm: FIXTURES.npm.filter((p) => serves.includes(p.name)) }, async (reg) => {
        const cwd = repo({});
        const t = testIo({ env: envFor(reg, cwd), cwd, now: NOW });
        const code = await run(['check', name, '--format', 'json'], t.io);
        const doc = JSON.parse(t.out()) as Doc;
        const typo = doc.packages[0]!.findings.find((f) => f.code === 'typo');
        assert.equal(typo?.similarTo, 'lodash');
        assert.equal(typo?.severity, verdict);
        assert.equal(doc.packages[0]!.verdict, verdict);
        assert.equal(code, exit);
        reg.assertNoUnexpectedRequests();
      });
    });
  }

  it('check(): the same pair, with the thresholds from Policy.thresholds', async () => {
    // lodash: with the stricter line the old lodasj blocks, and is then compared with its target.
    await withFixtureRegistry({ npm: FIXTURES.npm.filter((p) => ['lodasj', 'lodasq', 'lodash'].includes(p.name)) }, async (reg) => {
      const cwd = repo({});
      const opts = { registryOverrides: { npmRegistry: `${reg.url}/`, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url }, cacheDir: join(cwd, '.c'), now: () => NOW, env: { HOME: '/nonexistent-home' } };
      const refs = [{ ecosystem: 'npm' as const, name: 'lodasj' }, { ecosystem: 'npm' as const, name: 'lodasq' }];
      const report = await check(refs, { ...opts, policy: DEFAULT_POLICY });
      assert.deepEqual(report.packages.map((p) => `${p.name}:${p.verdict}`).sort(), ['lodasj:warn', 'lodasq:block']);
      const strict = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, typoAdoptedWeekly: 1_000 } };
      const again = await check(refs, { ...opts, policy: strict });
      assert.deepEqual(again.packages.map((p) => `${p.name}:${p.verdict}`).sort(), ['lodasj:block', 'lodasq:block']);
    });
  });
});
