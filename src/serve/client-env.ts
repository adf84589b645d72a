/**
 * The environment variables that point every supported package manager at a guard: one table
 * for the wrappers' ephemeral guard (serve/ephemeral.ts) and `shell-init --server` (a running
 * `slopguard serve`), so both set the same variables.
 *
 * npm, pnpm, yarn classic and bun read `npm_config_registry`; yarn berry `YARN_NPM_REGISTRY_SERVER`
 * (and refuses a plain-http registry whose host is not in `YARN_UNSAFE_HTTP_WHITELIST`); yarn
 * classic also `YARN_REGISTRY`; bun also `BUN_CONFIG_REGISTRY`; pip `PIP_INDEX_URL`; uv
 * `UV_DEFAULT_INDEX` (and the older `UV_INDEX_URL`). Poetry has no variable for its default
 * source (it reads pyproject.toml). The extra-index variables are cleared so no package bypasses
 * the guard through an extra index; the guard itself reads the user's extra indexes for its facts.
 */

/** Where a guard serves its two fronts, and the host clients reach it by. */
export interface GuardAddress {
  /** `http://host:port/npm/` */
  npmRegistry: string;
  /** `http://host:port/pypi/simple/` */
  pypiIndexUrl: string;
  /** The host name alone (for yarn berry's plain-http allow list). */
  host: string;
}

/** One variable: its value for a guard, or `clear` (set empty by a wrapper, unset by a shell). */
export interface ClientEnvVar {
  name: string;
  value: (g: GuardAddress) => string | 'clear';
  /** Only for a plain-http guard (yarn berry's allow list). */
  httpOnly?: true;
}

/** The variables, in the order shells print them. */
export const CLIENT_ENV: readonly ClientEnvVar[] = [
  { name: 'npm_config_registry', value: (g) => g.npmRegistry },
  { name: 'NPM_CONFIG_REGISTRY', value: (g) => g.npmRegistry },
  { name: 'YARN_NPM_REGISTRY_SERVER', value: (g) => g.npmRegistry },
  { name: 'YARN_REGISTRY', value: (g) => g.npmRegistry },
  { name: 'YARN_UNSAFE_HTTP_WHITELIST', value: (g) => g.host, httpOnly: true },
  { name: 'BUN_CONFIG_REGISTRY', value: (g) => g.npmRegistry },
  { name: 'PIP_INDEX_URL', value: (g) => g.pypiIndexUrl },
  { name: 'PIP_EXTRA_INDEX_URL', value: () => 'clear' },
  { name: 'UV_DEFAULT_INDEX', value: (g) => g.pypiIndexUrl },
  { name: 'UV_INDEX_URL', value: (g) => g.pypiIndexUrl },
  { name: 'UV_EXTRA_INDEX_URL', value: () => 'clear' },
];

/** The variables for a guard as a spawn environment (cleared ones set empty). */
export function clientEnv(g: GuardAddress): Record<string, string> {
  const http = g.npmRegistry.startsWith('http:');
  const env: Record<string, string> = {};
  for (const v of CLIENT_ENV) {
    if (v.httpOnly && !http) continue;
    const value = v.value(g);
    env[v.name] = value === 'clear' ? '' : value;
  }
  return env;
}
