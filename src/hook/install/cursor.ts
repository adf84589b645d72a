/**
 * Wire `slopguard hook cursor` into Cursor's hooks file as a beforeShellExecution hook.
 *
 * File shape (Cursor hooks docs, https://cursor.com/docs/agent/hooks):
 *   { "version": 1, "hooks": { "beforeShellExecution": [ { "command": "..." } ] } }
 * in `.cursor/hooks.json` (project) or `~/.cursor/hooks.json` (user). Other events, other hooks
 * and unknown keys are kept as they are; installing twice changes nothing.
 */
import { join } from 'node:path';
import { isOurHookCommand } from './command.js';
import { eventListInstaller } from './event-list.js';
import type { InstallContext, InstallResult } from './types.js';

/** The hooks file for a scope (Cursor has no "local" file: local means project). */
export function cursorHooksPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  return ctx.scope === 'user' ? join(ctx.home, '.cursor', 'hooks.json') : join(ctx.root, '.cursor', 'hooks.json');
}

const cursor = eventListInstaller({
  event: 'beforeShellExecution',
  path: cursorHooksPath,
  entry: (invocation) => ({ command: `${invocation} hook cursor` }),
  isOurs: (e) => isOurHookCommand(e.command, 'cursor'),
  versioned: true,
});

/** Add (or refresh) the beforeShellExecution entry; a new file gets `"version": 1`. */
export function installCursor(ctx: InstallContext): InstallResult {
  return cursor.install(ctx);
}

/** Remove our entry, keeping everything else. */
export function uninstallCursor(ctx: InstallContext): InstallResult {
  return cursor.uninstall(ctx);
}
