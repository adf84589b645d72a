import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check, optionsFromEnvironment, run, type Report } from '../../src/index.js';
import { npmPackage, pypiProject, withFixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnv } from '../helpers/registry-env.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** What a user compares: verdicts, finding codes and the summary (not timing). */
const shape = (r: Report) => ({ summary: r.summary, packages: r.packages.map((p) => ({ name: p.name, verdict: p.verdict, codes: p.findings.map((f) => f.code) })) });

describe('library: check() with optionsFromEnvironment() gives the CLI\'s Report', () => {
  it('the same names, environment and folder give the same verdicts as `slopguard check --format json`', async () => {
    const fixtures = {
      npm: [npmPackage({ name: 'express', created: ago(5000), weeklyDownloads: 40_000_000, repository: 'r' }), npmPackage({ name: 'fresh-kit', created: ago(3), weeklyDownloads: 4 })],
      pypi: [pypiProject({ name: 'requests', created: ago(5000), weeklyDownloads: 30_000_000, urls: { Source: 'r' } })],
      missing: { npm: ['lodahs'], pypi: ['reqeusts'] },
    };
    await withFixtureRegistry(fixtures, async (reg) => {
      const cwd = mkdtempSync(join(tmpdir(), 'sg-lib-'));
      const env = {
        HOME: join(cwd, 'home'),
        SLOPGUARD_SYSTEM_CONFIG: join(cwd, 'no-system-config.json'),
        ...fixtureRegistryEnv(reg, join(cwd, 'cache')),
        // A setting only the environment carries: the library must honour it like the CLI.
        SLOPGUARD_FAIL_ON: 'warn',
        SLOPGUARD_ALLOW: 'fresh-kit',
      };
      // The user's own config (trusted) sets a threshold too.
      const userConfig = join(cwd, 'home', '.config', 'slopguard');
      (await import('node:fs')).mkdirSync(userConfig, { recursive: true });
      writeFileSync(join(userConfig, 'config.json'), JSON.stringify({ thresholds: { minAgeDays: 60 } }));
      const specs = ['express', 'lodahs', 'fresh-kit', 'pypi:requests', 'pypi:reqeusts'];

      const t = testIo({ env, cwd, now: NOW });
      await run(['check', '--format', 'json', ...specs], t.io);
      const cli = JSON.parse(t.out()) as Report;

      const lib = await check(specs, optionsFromEnvironment({ env, cwd, now: () => NOW }));
      assert.deepEqual(shape(lib), shape(cli));
      assert.equal(lib.packages.find((p) => p.name === 'fresh-kit')?.findings[0]?.code, 'allowlisted', 'SLOPGUARD_ALLOW reached the library');

      // Without it, check() reads none of the environment: the allow entry does not apply.
      const bare = await check(specs, { registryOverrides: { npmRegistry: `${reg.url}/`, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url }, cacheDir: join(cwd, 'cache2'), env: { HOME: env.HOME }, now: () => NOW });
      assert.notEqual(bare.packages.find((p) => p.name === 'fresh-kit')?.findings[0]?.code, 'allowlisted');
    }, { strict: false });
  });
});
