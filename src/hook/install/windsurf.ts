/**
 * Wire `slopguard hook windsurf` into Windsurf's Cascade hooks as a pre_run_command hook.
 *
 * File shape (Cascade Hooks docs, https://docs.windsurf.com/windsurf/cascade/hooks):
 *   { "hooks": { "pre_run_command": [ { "command": "...", "show_output": true } ] } }
 * in `.windsurf/hooks.json` (workspace) or `~/.codeium/windsurf/hooks.json` (user).
 * `show_output` makes Cascade show why a command was blocked. Other hooks are kept.
 */
import { join } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { isOurHookCommand } from './command.js';
import { editJson, isObject, parseJson, readJsonConfig, writeFileAtomic } from './json-config.js';
import type { InstallContext, InstallResult } from './types.js';

const EVENT = 'pre_run_command';

/** The hooks file for a scope. */
export function windsurfHooksPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  if (ctx.scope === 'local') throw new UsageError('--local is for Claude Code only; Windsurf reads .windsurf/hooks.json in the workspace (--project) or ~/.codeium/windsurf/hooks.json (--user)');
  return ctx.scope === 'user' ? join(ctx.home, '.codeium', 'windsurf', 'hooks.json') : join(ctx.root, '.windsurf', 'hooks.json');
}

function entries(value: Record<string, unknown>, file: string): unknown[] {
  if (value.hooks === undefined) return [];
  if (!isObject(value.hooks)) throw new InputError(file, '"hooks" is not an object; fix it by hand, slopguard will not rewrite it');
  const list = value.hooks[EVENT];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(file, `"hooks.${EVENT}" is not an array; fix it by hand, slopguard will not rewrite it`);
  return list;
}

const ourIndices = (list: unknown[]): number[] => list.flatMap((e, i) => (isObject(e) && isOurHookCommand(e.command, 'windsurf') ? [i] : []));

function removeOurs(text: string, file: string, format: Parameters<typeof editJson>[3]): string {
  let out = text;
  for (;;) {
    const last = ourIndices(entries(parseJson(out), file)).pop();
    if (last === undefined) break;
    out = editJson(out, ['hooks', EVENT, last], undefined, format);
  }
  const after = parseJson(out);
  const left = isObject(after.hooks) ? after.hooks[EVENT] : undefined;
  if (Array.isArray(left) && left.length === 0) out = editJson(out, ['hooks', EVENT], undefined, format);
  const pruned = parseJson(out);
  if (isObject(pruned.hooks) && Object.keys(pruned.hooks).length === 0) out = editJson(out, ['hooks'], undefined, format);
  return out;
}

/** Add (or refresh) the pre_run_command entry. */
export function installWindsurf(ctx: InstallContext): InstallResult {
  const file = windsurfHooksPath(ctx);
  const cfg = readJsonConfig(file);
  const wanted = { command: `${ctx.invocation} hook windsurf`, show_output: true };
  const list = entries(cfg.value, file);
  const ours = ourIndices(list);
  if (ours.length === 1 && JSON.stringify(list[ours[0]!]) === JSON.stringify(wanted)) return { file, status: 'unchanged' };
  const text = ours.length ? removeOurs(cfg.text, file, cfg.format) : cfg.text;
  writeFileAtomic(file, editJson(text, ['hooks', EVENT, -1], wanted, cfg.format));
  return { file, status: ours.length ? 'updated' : 'installed' };
}

/** Remove our entry, keeping everything else. */
export function uninstallWindsurf(ctx: InstallContext): InstallResult {
  const file = windsurfHooksPath(ctx);
  const cfg = readJsonConfig(file);
  if (!cfg.exists || ourIndices(entries(cfg.value, file)).length === 0) return { file, status: 'absent' };
  writeFileAtomic(file, removeOurs(cfg.text, file, cfg.format));
  return { file, status: 'removed' };
}
