/**
 * Wire `slopguard hook copilot` into GitHub Copilot's repository hooks as a preToolUse command hook.
 *
 * File shape (GitHub Copilot hooks reference): any `.github/hooks/*.json`,
 *   { "version": 1, "hooks": { "preToolUse": [ { "type": "command", "bash": "...", "timeoutSec": 30 } ] } }
 * Copilot CLI reads the files in the folder it runs in; the Copilot coding agent reads them from
 * the repository's default branch. slopguard writes its own file, `.github/hooks/slopguard.json`,
 * so the user's hook files are never touched; uninstall removes our entry, and the file when
 * nothing else is left in it. Only `bash` is written: on Windows add a `powershell` command by hand.
 */
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { isOurHookCommand } from './command.js';
import { eventListInstaller } from './event-list.js';
import type { InstallContext, InstallResult } from './types.js';

/** Seconds Copilot waits for the hook (its default is 30). */
export const COPILOT_HOOK_TIMEOUT = 30;

/** slopguard's hooks file in the repository. */
export function copilotHooksPath(ctx: Pick<InstallContext, 'root' | 'scope'>): string {
  if (ctx.scope !== 'project') throw new UsageError('Copilot hooks live in the repository (.github/hooks/); run `slopguard hook install copilot` there, without --user or --local');
  return join(ctx.root, '.github', 'hooks', 'slopguard.json');
}

const copilot = eventListInstaller({
  event: 'preToolUse',
  path: copilotHooksPath,
  entry: (invocation) => ({ type: 'command', bash: `${invocation} hook copilot`, timeoutSec: COPILOT_HOOK_TIMEOUT }),
  isOurs: (e) => isOurHookCommand(e.bash, 'copilot') || isOurHookCommand(e.powershell, 'copilot'),
  versioned: true,
  ownFile: true,
});

/** Add (or refresh) the preToolUse entry; a new file gets `"version": 1`. */
export function installCopilot(ctx: InstallContext): InstallResult {
  return copilot.install(ctx);
}

/** Remove our entry; delete the file when only `version` and empty hooks are left. */
export function uninstallCopilot(ctx: InstallContext): InstallResult {
  return copilot.uninstall(ctx);
}
