/**
 * Shared set-up for the door tests (hooks, LSP, MCP): one fixture registry with a few packages
 * of each kind, and the environment that points slopguard at it with a private cache folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmPackage, pypiProject, startFixtureRegistry, type FixtureRegistry, type RegistryFixtures } from '../fixture-registry/server.js';
import { fixtureRegistryEnv } from '../helpers/registry-env.js';

/** The clock every door test runs at (the bundled popular lists are from 2026-11). */
export const NOW = new Date('2026-11-26T12:00:00Z');

/** Popular, old, fine packages; a new and barely used one; names that do not exist. */
export function doorFixtures(): RegistryFixtures {
  return {
    npm: [
      npmPackage({ name: 'lodash', created: '2012-04-23', versions: ['4.17.20', '4.17.21'], published: '2021-02-20', weeklyDownloads: 60_000_000, repository: 'lodash/lodash' }),
      npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 40_000_000, repository: 'expressjs/express' }),
      npmPackage({ name: 'fresh-helper-kit', created: '2026-11-21', weeklyDownloads: 3, repository: 'someone/fresh-helper-kit' }),
    ],
    pypi: [pypiProject({ name: 'requests', created: '2011-02-14', weeklyDownloads: 120_000_000, urls: { Source: 'https://github.com/psf/requests' } })],
    missing: { npm: ['lodahs', 'expresss'], pypi: ['reqeusts'] },
  };
}

/** A running registry, its environment for slopguard, and cleanup. */
export interface DoorRegistry {
  registry: FixtureRegistry;
  env: Record<string, string>;
  cacheDir: string;
  close(): Promise<void>;
}

export async function startDoorRegistry(fixtures: RegistryFixtures = doorFixtures(), opts: Parameters<typeof startFixtureRegistry>[1] = {}): Promise<DoorRegistry> {
  const registry = await startFixtureRegistry(fixtures, opts);
  const cacheDir = mkdtempSync(join(tmpdir(), 'slopguard-door-cache-'));
  return {
    registry,
    cacheDir,
    env: registryEnv(registry.url, cacheDir),
    close: async () => {
      await registry.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Environment pointing every API at one base URL, with a given cache folder. */
export function registryEnv(url: string, cacheDir: string): Record<string, string> {
  // The cache key's state dir (testIo's HOME does not exist, and the key is never in the developer's).
  // The door tests judge what a command names; this world has no package manager to resolve a
  // tree with (the hooks resolve by default). test/hook/tree.test.ts and the corpus resolve with the real npm.
  return { ...fixtureRegistryEnv({ url }, cacheDir, { stateDir: join(cacheDir, 'state') }), SLOPGUARD_RESOLVE_TREE: '0' };
}
