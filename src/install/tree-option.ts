/**
 * Whether a door resolves the transitive tree of `npm install x` / `pip install y` before judging
 * (install/resolve-tree.ts: the package manager's own dry run in a temporary copy), and the
 * planner hook that does it.
 *
 * The hooks resolve by default: they do not run the install, so without a resolution a squat that
 * `x` depends on would be fetched unseen. `SLOPGUARD_RESOLVE_TREE=0` (or the hook's
 * `--no-resolve-tree`) turns it off; `SLOPGUARD_RESOLVE_TREE=npm` (or `pypi`) keeps it for one
 * registry only (pip's dry run costs a Python start, and a project published only as source is
 * "not checked").
 *
 * The wrappers do not resolve by default: they run the package manager through the install guard
 * (wrap/guard.ts), which judges every package the client fetches during the run, so a resolution
 * before it would fetch the same metadata twice. With `SLOPGUARD_RESOLVE_TREE=1` they resolve
 * only the installs the guard will not see (see {@link guardCovers}).
 *
 * Never resolved, in any door: a command already typed as `slopguard <tool> …` that the guard
 * covers (the hook judges its typed names; the wrapper's guard the tree, as it installs).
 */
import type { Ecosystem } from '../core/types.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import { guardsTool } from '../wrap/guard.js';
import type { ResolveTree } from './plan-install.js';
import { resolveTree } from './resolve-tree.js';

type Env = Record<string, string | undefined>;

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;
const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi'] as const;

/** Which installs' trees a door resolves: every registry's, some, or none. */
export type TreeChoice = { ecosystems: ReadonlySet<Ecosystem> } | 'off';

/**
 * `SLOPGUARD_RESOLVE_TREE` read: `1`/`true`/`on` every registry, `0`/`false`/`off` none,
 * `npm`, `pypi` or `npm,pypi` those; unset is `undefined` (the door's default). A value it does
 * not know resolves every registry: a typo must not quietly turn the check off.
 */
export function treeChoiceFromEnv(env: Env): TreeChoice | undefined {
  const raw = env.SLOPGUARD_RESOLVE_TREE?.trim() ?? '';
  if (raw === '') return undefined;
  if (FALSE.test(raw)) return 'off';
  const all = { ecosystems: new Set(ECOSYSTEMS) };
  if (TRUE.test(raw)) return all;
  const listed = raw.toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (listed.length && listed.every((w) => (ECOSYSTEMS as readonly string[]).includes(w))) return { ecosystems: new Set(listed as Ecosystem[]) };
  return all;
}

/** The hooks' choice: the flag (`--no-resolve-tree`) wins, then the environment, else every registry. */
export function hookTreeChoice(env: Env, flag?: boolean): TreeChoice {
  if (flag === false) return 'off';
  return treeChoiceFromEnv(env) ?? { ecosystems: new Set(ECOSYSTEMS) };
}

/** The wrappers' choice: only when the environment asks (the install guard sees the tree otherwise). */
export function wrapperTreeChoice(env: Env): TreeChoice {
  return treeChoiceFromEnv(env) ?? 'off';
}

/**
 * Whether the install guard of `slopguard <tool> …` judges what this install fetches (so no door
 * resolves it beforehand): a wrapped install of a guarded tool, not pointed at a registry of its
 * own (which the tool would ask directly) and not run with `--slopguard-no-guard` or
 * `SLOPGUARD_GUARD=0`. The guard's finer exceptions (private registries' credentials, yarn's and
 * bun's own registry config) are not read here: there the wrapper says the guard was skipped.
 */
export function guardCovers(cmd: Pick<InstallCommand, 'tool' | 'subcommand' | 'wrapped' | 'registry' | 'indexUrl'>, env: Env = {}): boolean {
  if (!cmd.wrapped || !cmd.wrapped.guard || FALSE.test(env.SLOPGUARD_GUARD?.trim() ?? '')) return false;
  return guardsTool(cmd) && cmd.registry === undefined && cmd.indexUrl === undefined;
}

/** Whether `slopguard <the same argv>` would run this install through the install guard (see {@link guardCovers}). */
function wrapperWouldGuard(cmd: InstallCommand): boolean {
  return guardsTool(cmd) && cmd.registry === undefined && cmd.indexUrl === undefined && cmd.argv.length > 0;
}

/** The registries the environment names explicitly (else the package manager's own config decides). */
export function registriesFromEnv(env: Env): { npmRegistry?: string; pypiIndexUrl?: string } {
  const out: { npmRegistry?: string; pypiIndexUrl?: string } = {};
  if (env.SLOPGUARD_NPM_REGISTRY) out.npmRegistry = env.SLOPGUARD_NPM_REGISTRY;
  if (env.PIP_INDEX_URL) out.pypiIndexUrl = env.PIP_INDEX_URL;
  return out;
}

/**
 * The planner's `resolveTree` for a door, or undefined when `choice` is off. `budgetMs` is asked
 * at each resolution (the hook's budget shrinks as it goes); the registry of the install's own
 * `--registry`/`-i` wins over the door's. Installs of a registry the choice leaves out, and
 * wrapped installs the guard covers, are not resolved (no notes: their typed names are judged).
 */
export function treeResolver(env: Env, budgetMs: () => number, registries: { npmRegistry?: string; pypiIndexUrl?: string } = {}, choice: TreeChoice = hookTreeChoice(env)): ResolveTree | undefined {
  if (choice === 'off') return undefined;
  return async (install, files) => {
    const cmd = install.command;
    if (!choice.ecosystems.has(cmd.ecosystem) || guardCovers(cmd, env)) return { refs: [], notes: [] };
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
      wrapArgv: wrapperWouldGuard(cmd) ? cmd.argv : undefined,
    });
  };
}
