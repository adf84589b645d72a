/**
 * Wire `slopguard hook codex` into Codex's hooks file as a PreToolUse command hook on Bash.
 *
 * File shape (Codex hooks docs, https://developers.openai.com/codex/hooks; Claude Code's shape):
 *   { "hooks": { "PreToolUse": [ { "matcher": "Bash",
 *                                  "hooks": [ { "type": "command", "command": "...", "timeout": 30 } ] } ] } }
 * in `<repo>/.codex/hooks.json` (project; Codex reads a project's `.codex/` only once the project
 * is trusted) or `~/.codex/hooks.json` (user). "timeout" is in seconds. The same hooks can be
 * written as `[[hooks.PreToolUse]]` tables in config.toml; slopguard writes the JSON file, which
 * Codex reads beside it.
 */
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { installMatcherGroup, uninstallMatcherGroup } from './matcher-groups.js';
import type { InstallContext, InstallResult } from './types.js';

/** Seconds Codex waits for the hook: the 10 s check budget plus start-up, with room to spare. */
export const CODEX_HOOK_TIMEOUT = 30;

/** The hooks file for a scope. */
export function codexHooksPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  if (ctx.scope === 'local') throw new UsageError('--local is for Claude Code only; Codex reads .codex/hooks.json in the project (--project) or ~/.codex/hooks.json (--user)');
  return ctx.scope === 'user' ? join(ctx.home, '.codex', 'hooks.json') : join(ctx.root, '.codex', 'hooks.json');
}

/** Add (or refresh) the PreToolUse entry. */
export function installCodex(ctx: InstallContext): InstallResult {
  const command = `${ctx.invocation} hook codex`;
  return installMatcherGroup({
    file: codexHooksPath(ctx),
    event: 'PreToolUse',
    sub: 'codex',
    group: { matcher: 'Bash', hooks: [{ type: 'command', command, timeout: CODEX_HOOK_TIMEOUT }] },
  });
}

/** Remove our entry, keeping everything else. */
export function uninstallCodex(ctx: InstallContext): InstallResult {
  return uninstallMatcherGroup({ file: codexHooksPath(ctx), event: 'PreToolUse', sub: 'codex' });
}
