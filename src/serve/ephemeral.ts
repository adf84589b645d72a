/**
 * A guard for one wrapped command: started on a free loopback port, pointed at by the package
 * manager's own variables, closed when the command ends. With it, `slopguard npm install x` judges
 * not only `x` but every transitive package npm asks for.
 *
 * To be wired into src/wrap/index.ts: `const g = await startEphemeralGuard({ check });` then
 * spawn the tool with `{ ...env, ...g.env }` and `await g.close()` after it exits.
 */
import { clientEnv } from './client-env.js';
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
  const env = clientEnv({ npmRegistry: server.npmRegistry, pypiIndexUrl: server.pypiIndexUrl, host: '127.0.0.1' });
  return { npmRegistry: server.npmRegistry, pypiIndexUrl: server.pypiIndexUrl, env, close: () => server.close() };
}
