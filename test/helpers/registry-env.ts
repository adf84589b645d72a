import { join } from 'node:path';

/** Options of {@link fixtureRegistryEnv}. */
export interface FixtureRegistryEnvOptions {
  /**
   * The user's state dir (XDG_STATE_HOME), where the cache key lives. Give one where HOME does not
   * exist (testIo's) or must not be written; the key is never the developer's.
   */
  stateDir?: string;
}

/**
 * The environment that points all four registry APIs slopguard asks (npm packuments, npm
 * downloads, PyPI JSON and simple, pypistats) at one loopback fixture registry, with a cache
 * folder of the test's own. One home for the variable names, so a test cannot forget one API
 * and reach a real registry.
 */
export function fixtureRegistryEnv(reg: { url: string }, cacheDir: string, opts: FixtureRegistryEnvOptions = {}): Record<string, string> {
  return {
    SLOPGUARD_NPM_REGISTRY: `${reg.url.replace(/\/$/, '')}/`,
    SLOPGUARD_NPM_DOWNLOADS_API: reg.url.replace(/\/$/, ''),
    SLOPGUARD_PYPI_URL: reg.url.replace(/\/$/, ''),
    SLOPGUARD_PYPISTATS_API: reg.url.replace(/\/$/, ''),
    SLOPGUARD_CACHE_DIR: cacheDir,
    ...(opts.stateDir ? { XDG_STATE_HOME: opts.stateDir } : {}),
  };
}

/** {@link fixtureRegistryEnv} with the cache in `<cwd>/.cache-sg`, for a test that runs in a folder of its own. */
export function fixtureRegistryEnvIn(reg: { url: string }, cwd: string): Record<string, string> {
  return fixtureRegistryEnv(reg, join(cwd, '.cache-sg'));
}
