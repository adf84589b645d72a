/**
 * `slopguard hook install|uninstall <target>`: one installer per place a hook can be wired.
 */
import { installClaude, uninstallClaude } from './claude.js';
import { installCodex, uninstallCodex } from './codex.js';
import { installCopilot, uninstallCopilot } from './copilot.js';
import { installCursor, uninstallCursor } from './cursor.js';
import { installGemini, uninstallGemini } from './gemini.js';
import { installGit, uninstallGit } from './git.js';
import { installOpenCode, uninstallOpenCode } from './opencode.js';
import { installWindsurf, uninstallWindsurf } from './windsurf.js';
import type { InstallContext, InstallResult } from './types.js';

export type { InstallContext, InstallResult, InstallScope } from './types.js';
export { slopguardInvocation } from './command.js';

/** The things `hook install` can wire slopguard into. */
export const HOOK_TARGETS = ['claude', 'cursor', 'codex', 'gemini', 'copilot', 'opencode', 'windsurf', 'git'] as const;
/** One of {@link HOOK_TARGETS}. */
export type HookTarget = (typeof HOOK_TARGETS)[number];

const INSTALLERS: Record<HookTarget, { install(ctx: InstallContext): InstallResult; uninstall(ctx: InstallContext): InstallResult }> = {
  claude: { install: installClaude, uninstall: uninstallClaude },
  cursor: { install: installCursor, uninstall: uninstallCursor },
  codex: { install: installCodex, uninstall: uninstallCodex },
  gemini: { install: installGemini, uninstall: uninstallGemini },
  copilot: { install: installCopilot, uninstall: uninstallCopilot },
  opencode: { install: installOpenCode, uninstall: uninstallOpenCode },
  windsurf: { install: installWindsurf, uninstall: uninstallWindsurf },
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
