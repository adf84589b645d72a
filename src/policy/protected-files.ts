/**
 * The files an agent must not change behind the user's back, because they decide what slopguard
 * (or the package managers it guards) does: slopguard's own config and trust store, the package
 * managers' registry and auth config, and the agents' hook settings that run slopguard at all.
 * An agent's edit of one of these is put to the user (ask) with the reason. One list, one
 * matcher: the Claude Code edit hook uses it, and the shell planner's "files this command
 * writes" can be passed through the same function.
 */
import { basename, dirname, resolve, sep } from 'node:path';
import { stateDir, systemConfigPath, userConfigPath } from './config-paths.js';

/** What kind of file it is, for the reason shown to the user. */
export type ProtectedKind = 'slopguard-config' | 'slopguard-state' | 'registry-config' | 'agent-hooks' | 'git-hooks';

/** A protected file: its kind and why an edit needs the user. */
export interface ProtectedFile {
  kind: ProtectedKind;
  /** Why, for the message ("it is slopguard's policy"). */
  reason: string;
}

/** Package-manager config files by name: where registries, indexes and their tokens are set. */
export const REGISTRY_CONFIG_FILES = ['.npmrc', '.yarnrc', '.yarnrc.yml', 'bunfig.toml', 'pip.conf', 'pip.ini', 'uv.toml', '.pypirc'] as const;

/** slopguard's own project config file names (package.json#slopguard is judged by content). */
export const SLOPGUARD_CONFIG_FILES = ['.slopguard.json'] as const;

const REASON: Record<ProtectedKind, string> = {
  'slopguard-config': "it is slopguard's own policy",
  'slopguard-state': "it is slopguard's record of trusted projects",
  'registry-config': 'it sets the package registries (and their tokens) installs use',
  'agent-hooks': 'it sets the agent hooks that run slopguard',
  'git-hooks': 'it sets the git hooks that run slopguard',
};

/** The protected-file answer for a kind (also for files judged by content, such as package.json#slopguard). */
export const protectedOf = (kind: ProtectedKind): ProtectedFile => ({ kind, reason: REASON[kind] });
const hit = protectedOf;

/**
 * Whether an edit of `path` (absolute, or relative to `cwd`) must be put to the user.
 * `env` locates the user's config, the system config and the state folder.
 */
export function protectedFile(path: string, cwd: string, env: Record<string, string | undefined>): ProtectedFile | undefined {
  const abs = resolve(cwd, path);
  const name = basename(abs);
  const parent = basename(dirname(abs));
  const parts = abs.split(sep);
  if (abs === resolve(userConfigPath(env)) || abs === resolve(systemConfigPath(env))) return hit('slopguard-config');
  if (abs.startsWith(resolve(stateDir(env)) + sep)) return hit('slopguard-state');
  if ((SLOPGUARD_CONFIG_FILES as readonly string[]).includes(name)) return hit('slopguard-config');
  if ((REGISTRY_CONFIG_FILES as readonly string[]).includes(name)) return hit('registry-config');
  if (parent === '.claude' && /^settings(\.[\w-]+)?\.json$/.test(name)) return hit('agent-hooks');
  if (parent === '.cursor' && name === 'hooks.json') return hit('agent-hooks');
  const git = parts.lastIndexOf('.git');
  // .git/hooks/* and .git/config (core.hooksPath moves the hooks elsewhere).
  if (git !== -1 && (parts[git + 1] === 'hooks' || (parts[git + 1] === 'config' && parts.length === git + 2))) return hit('git-hooks');
  return undefined;
}

/** Whether a package.json edit changes its `slopguard` section (the policy), given the texts before and after. */
export function changesPackageJsonPolicy(before: string | undefined, after: string): boolean {
  const section = (text: string | undefined) => {
    if (text === undefined) return undefined;
    try {
      return JSON.stringify((JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown> | null)?.slopguard ?? null);
    } catch {
      // Unparsable on either side: cannot tell, so it counts as a change only if the text mentions the key.
      return /"slopguard"\s*:/.test(text) ? `unparsable:${text}` : 'null';
    }
  };
  return section(before ?? '{}') !== section(after);
}
