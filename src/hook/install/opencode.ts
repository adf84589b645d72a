/**
 * Wire slopguard into OpenCode: write the plugin file (opencode-plugin.ts) to
 * `.opencode/plugins/slopguard.js` (project) or `~/.config/opencode/plugins/slopguard.js` (user),
 * the folders OpenCode loads plugins from (https://opencode.ai/docs/plugins/).
 *
 * The file is slopguard's alone: installing again with the same command changes nothing, a changed
 * command rewrites it, and a file of that name without our first line is never overwritten.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { writeFileAtomic } from './json-config.js';
import { OPENCODE_PLUGIN_MARKER, openCodePlugin } from './opencode-plugin.js';
import type { InstallContext, InstallResult } from './types.js';

/** The plugin file for a scope. */
export function openCodePluginPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  if (ctx.scope === 'local') throw new UsageError('--local is for Claude Code only; OpenCode loads .opencode/plugins/ in the project (--project) or ~/.config/opencode/plugins/ (--user)');
  return ctx.scope === 'user' ? join(ctx.home, '.config', 'opencode', 'plugins', 'slopguard.js') : join(ctx.root, '.opencode', 'plugins', 'slopguard.js');
}

function readPlugin(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Write (or refresh) the plugin file. */
export function installOpenCode(ctx: InstallContext): InstallResult {
  const file = openCodePluginPath(ctx);
  const current = readPlugin(file);
  const wanted = openCodePlugin(`${ctx.invocation} hook opencode`);
  if (current === wanted) return { file, status: 'unchanged' };
  if (current !== undefined && !current.startsWith(OPENCODE_PLUGIN_MARKER)) {
    throw new InputError(file, 'exists and is not slopguard\'s plugin; move it away, then run the install again');
  }
  writeFileAtomic(file, wanted);
  return { file, status: current === undefined ? 'installed' : 'updated' };
}

/** Delete the plugin file if it is ours. */
export function uninstallOpenCode(ctx: InstallContext): InstallResult {
  const file = openCodePluginPath(ctx);
  const current = readPlugin(file);
  if (current === undefined || !current.startsWith(OPENCODE_PLUGIN_MARKER)) return { file, status: 'absent' };
  rmSync(file);
  return { file, status: 'removed' };
}
