/**
 * Whether a door resolves the transitive tree of `npm install x` / `pip install y` before judging
 * (install/resolve-tree.ts: the package manager's own dry run in a temporary copy), and the
 * planner hook that does it.
 *
 * Opt-in for now (`SLOPGUARD_RESOLVE_TREE=1`): a resolution runs the real package manager against
 * the registry, seconds on a cold cache, on every install an agent types; until the registry guard
 * (`slopguard serve`) carries the wrappers' transitive checks, the hooks pay it only when asked.
 * Without it the typed names, requirement files, manifests and lockfiles are judged as before.
 */
import type { ResolveTree } from './plan-install.js';
import { resolveTree } from './resolve-tree.js';

type Env = Record<string, string | undefined>;

const TRUE = /^(1|true|yes|on)$/i;

/** The environment asks for tree resolution. */
export function treeResolutionWanted(env: Env): boolean {
  return TRUE.test(env.SLOPGUARD_RESOLVE_TREE?.trim() ?? '');
}

/** The registries the environment names explicitly (else the package manager's own config decides). */
export function registriesFromEnv(env: Env): { npmRegistry?: string; pypiIndexUrl?: string } {
  const out: { npmRegistry?: string; pypiIndexUrl?: string } = {};
  if (env.SLOPGUARD_NPM_REGISTRY) out.npmRegistry = env.SLOPGUARD_NPM_REGISTRY;
  if (env.PIP_INDEX_URL) out.pypiIndexUrl = env.PIP_INDEX_URL;
  return out;
}

/**
 * The planner's `resolveTree` for a door, or undefined when not wanted. `budgetMs` is asked at
 * each resolution (the hook's budget shrinks as it goes); the registry of the install's own
 * `--registry`/`-i` wins over the door's.
 */
export function treeResolver(env: Env, budgetMs: () => number, registries: { npmRegistry?: string; pypiIndexUrl?: string } = {}): ResolveTree | undefined {
  if (!treeResolutionWanted(env)) return undefined;
  return async (install, files) => {
    const cmd = install.command;
    return resolveTree({
      tool: cmd.program ?? cmd.tool,
      ecosystem: cmd.ecosystem,
      packages: cmd.refs,
      cwd: install.cwd,
      registry: install.setting.npmRegistry ?? registries.npmRegistry,
      indexUrl: install.setting.indexUrl ?? registries.pypiIndexUrl,
      extraIndexUrls: install.setting.extraIndexUrls,
      env: env as NodeJS.ProcessEnv,
      // Half of what is left: the resolved names still have to be judged within the budget.
      budgetMs: Math.max(0, Math.floor(budgetMs() / 2)),
      files,
    });
  };
}
