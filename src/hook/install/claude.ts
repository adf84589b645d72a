/**
 * Wire `slopguard hook claude` into Claude Code's settings as a PreToolUse command hook.
 *
 * Settings shape (Claude Code hooks reference, https://code.claude.com/docs/en/hooks):
 *   { "hooks": { "PreToolUse": [ { "matcher": "Bash|Write|Edit|MultiEdit",
 *                                  "hooks": [ { "type": "command", "command": "...", "timeout": 30 } ] } ] } }
 * "matcher" is a regex on the tool name; "timeout" is in seconds. Files: ~/.claude/settings.json
 * (user), .claude/settings.json (project, committed), .claude/settings.local.json (project, not
 * committed).
 *
 * Idempotent: an entry whose command runs `slopguard ... hook claude` is ours; installing again
 * with the same command changes nothing; other hooks and unknown keys are kept as they are.
 */
import { join } from 'node:path';
import { installMatcherGroup, uninstallMatcherGroup } from './matcher-groups.js';
import type { InstallContext, InstallResult } from './types.js';

/** The tools whose input the hook reads: shell commands and edits of manifests. */
export const CLAUDE_MATCHER = 'Bash|Write|Edit|MultiEdit';
/** Seconds Claude Code waits for the hook: the 10 s check budget plus start-up, with room to spare. */
export const CLAUDE_HOOK_TIMEOUT = 30;

/** The settings file for a scope. */
export function claudeSettingsPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  if (ctx.scope === 'user') return join(ctx.home, '.claude', 'settings.json');
  return join(ctx.root, '.claude', ctx.scope === 'local' ? 'settings.local.json' : 'settings.json');
}

/** Add (or refresh) the PreToolUse entry. */
export function installClaude(ctx: InstallContext): InstallResult {
  const command = `${ctx.invocation} hook claude`;
  return installMatcherGroup({
    file: claudeSettingsPath(ctx),
    event: 'PreToolUse',
    sub: 'claude',
    group: { matcher: CLAUDE_MATCHER, hooks: [{ type: 'command', command, timeout: CLAUDE_HOOK_TIMEOUT }] },
  });
}

/** Remove our entry, keeping everything else. */
export function uninstallClaude(ctx: InstallContext): InstallResult {
  return uninstallMatcherGroup({ file: claudeSettingsPath(ctx), event: 'PreToolUse', sub: 'claude' });
}
