/**
 * Wire `slopguard hook gemini` into Gemini CLI's settings as a BeforeTool hook on run_shell_command.
 *
 * Settings shape (Gemini CLI hooks reference, https://geminicli.com/docs/hooks/reference):
 *   { "hooks": { "BeforeTool": [ { "matcher": "run_shell_command|write_file|replace",
 *       "hooks": [ { "name": "slopguard", "type": "command", "command": "...", "timeout": 30000 } ] } ] } }
 * in `.gemini/settings.json` (project) or `~/.gemini/settings.json` (user). "matcher" is a regex
 * on the tool name; "timeout" is in milliseconds (default 60000).
 */
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { installMatcherGroup, uninstallMatcherGroup } from './matcher-groups.js';
import type { InstallContext, InstallResult } from './types.js';

/** The tools whose input the hook reads: shell commands and writes and edits of files. */
export const GEMINI_MATCHER = 'run_shell_command|write_file|replace';
/** Milliseconds Gemini CLI waits for the hook: the 10 s check budget plus start-up, with room to spare. */
export const GEMINI_HOOK_TIMEOUT_MS = 30_000;

/** The settings file for a scope. */
export function geminiSettingsPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  if (ctx.scope === 'local') throw new UsageError('--local is for Claude Code only; Gemini CLI reads .gemini/settings.json in the project (--project) or ~/.gemini/settings.json (--user)');
  return ctx.scope === 'user' ? join(ctx.home, '.gemini', 'settings.json') : join(ctx.root, '.gemini', 'settings.json');
}

/** Add (or refresh) the BeforeTool entry. */
export function installGemini(ctx: InstallContext): InstallResult {
  const command = `${ctx.invocation} hook gemini`;
  return installMatcherGroup({
    file: geminiSettingsPath(ctx),
    event: 'BeforeTool',
    sub: 'gemini',
    group: { matcher: GEMINI_MATCHER, hooks: [{ name: 'slopguard', type: 'command', command, timeout: GEMINI_HOOK_TIMEOUT_MS }] },
  });
}

/** Remove our entry, keeping everything else. */
export function uninstallGemini(ctx: InstallContext): InstallResult {
  return uninstallMatcherGroup({ file: geminiSettingsPath(ctx), event: 'BeforeTool', sub: 'gemini' });
}
