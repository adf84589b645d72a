/**
 * `slopguard hook install|uninstall <target>`: one installer per place a hook can be wired.
 */
import { installClaude, uninstallClaude } from './claude.js';
import { installCursor, uninstallCursor } from './cursor.js';
import { installGit, uninstallGit } from './git.js';
import type { InstallContext, InstallResult } from './types.js';

export type { InstallContext, InstallResult, InstallScope } from './types.js';
export { slopguardInvocation } from './command.js';

/** The things `hook install` can wire slopguard into. */
export type HookTarget = 'claude' | 'cursor' | 'git';
export const HOOK_TARGETS: readonly HookTarget[] = ['claude', 'cursor', 'git'];

const INSTALLERS: Record<HookTarget, { install(ctx: InstallContext): InstallResult; uninstall(ctx: InstallContext): InstallResult }> = {
  claude: { install: installClaude, uninstall: uninstallClaude },
  cursor: { install: installCursor, uninstall: uninstallCursor },
  git: { install: installGit, uninstall: uninstallGit },
};

/** Wire the hook in (idempotent; keeps the user's other settings and hooks). */
export function installHook(target: HookTarget, ctx: InstallContext): InstallResult {
  return INSTALLERS[target].install(ctx);
}

/** Take the hook out again, leaving everything else as it was. */
export function uninstallHook(target: HookTarget, ctx: InstallContext): InstallResult {
  return INSTALLERS[target].uninstall(ctx);
}
