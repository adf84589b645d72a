/**
 * Wire `slopguard hook windsurf` into Windsurf's Cascade hooks as a pre_run_command hook.
 *
 * File shape (Cascade Hooks docs, https://docs.windsurf.com/windsurf/cascade/hooks):
 *   { "hooks": { "pre_run_command": [ { "command": "...", "show_output": true } ] } }
 * in `.windsurf/hooks.json` (workspace) or `~/.codeium/windsurf/hooks.json` (user).
 * `show_output` makes Cascade show why a command was blocked. Other hooks are kept.
 */
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { isOurHookCommand } from './command.js';
import { eventListInstaller } from './event-list.js';
import type { InstallContext, InstallResult } from './types.js';

/** The hooks file for a scope. */
export function windsurfHooksPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  if (ctx.scope === 'local') throw new UsageError('--local is for Claude Code only; Windsurf reads .windsurf/hooks.json in the workspace (--project) or ~/.codeium/windsurf/hooks.json (--user)');
  return ctx.scope === 'user' ? join(ctx.home, '.codeium', 'windsurf', 'hooks.json') : join(ctx.root, '.windsurf', 'hooks.json');
}

const windsurf = eventListInstaller({
  event: 'pre_run_command',
  path: windsurfHooksPath,
  entry: (invocation) => ({ command: `${invocation} hook windsurf`, show_output: true }),
  isOurs: (e) => isOurHookCommand(e.command, 'windsurf'),
  pruneEmptyHooks: true,
});

/** Add (or refresh) the pre_run_command entry. */
export function installWindsurf(ctx: InstallContext): InstallResult {
  return windsurf.install(ctx);
}

/** Remove our entry, keeping everything else. */
export function uninstallWindsurf(ctx: InstallContext): InstallResult {
  return windsurf.uninstall(ctx);
}
