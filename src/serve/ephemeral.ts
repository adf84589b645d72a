/**
 * A guard for one wrapped command: started on a free loopback port, pointed at by the package
 * manager's own variables, closed when the command ends. With it, `slopguard npm install x` judges
 * not only `x` but every transitive package npm asks for.
 *
 * To be wired into src/wrap/index.ts: `const g = await startEphemeralGuard({ check });` then
 * spawn the tool with `{ ...env, ...g.env }` and `await g.close()` after it exits.
 */
import { startServer, type ServeOptions } from './server.js';

/** A running ephemeral guard. */
export interface EphemeralGuard {
  /** `http://127.0.0.1:<port>/npm/` */
  npmRegistry: string;
  /** `http://127.0.0.1:<port>/pypi/simple/` */
  pypiIndexUrl: string;
  /**
   * Environment variables that point every supported package manager at the guard: npm, pnpm,
   * yarn classic and bun read `npm_config_registry`; yarn berry `YARN_NPM_REGISTRY_SERVER`; bun
   * also `BUN_CONFIG_REGISTRY`; pip `PIP_INDEX_URL`; uv `UV_DEFAULT_INDEX` (and the older
   * `UV_INDEX_URL`); poetry has no variable for its default source (it reads pyproject.toml), so
   * `POETRY_REPOSITORIES_…` are not set here. `PIP_EXTRA_INDEX_URL`/`UV_EXTRA_INDEX_URL` are
   * cleared so no package bypasses the guard through an extra index; the guard itself reads the
   * user's extra indexes for its facts.
   */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Start a guard on 127.0.0.1 with a free port (options as for startServer; host and port are fixed). */
export async function startEphemeralGuard(options: Omit<ServeOptions, 'host' | 'port'> = {}): Promise<EphemeralGuard> {
  const server = await startServer({ ...options, host: '127.0.0.1', port: 0 });
  const env: Record<string, string> = {
    npm_config_registry: server.npmRegistry,
    NPM_CONFIG_REGISTRY: server.npmRegistry,
    YARN_NPM_REGISTRY_SERVER: server.npmRegistry,
    YARN_REGISTRY: server.npmRegistry,
    // Yarn berry refuses plain-http registries outside this list.
    YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
    BUN_CONFIG_REGISTRY: server.npmRegistry,
    PIP_INDEX_URL: server.pypiIndexUrl,
    PIP_EXTRA_INDEX_URL: '',
    UV_DEFAULT_INDEX: server.pypiIndexUrl,
    UV_INDEX_URL: server.pypiIndexUrl,
    UV_EXTRA_INDEX_URL: '',
  };
  return { npmRegistry: server.npmRegistry, pypiIndexUrl: server.pypiIndexUrl, env, close: () => server.close() };
}
