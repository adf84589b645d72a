/**
 * Wire `slopguard hook cursor` into Cursor's hooks file as a beforeShellExecution hook.
 *
 * File shape (Cursor hooks docs, https://cursor.com/docs/agent/hooks):
 *   { "version": 1, "hooks": { "beforeShellExecution": [ { "command": "..." } ] } }
 * in `.cursor/hooks.json` (project) or `~/.cursor/hooks.json` (user). Other events, other hooks
 * and unknown keys are kept as they are; installing twice changes nothing.
 */
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { isOurHookCommand } from './command.js';
import { editJson, isObject, parseJson, readJsonConfig, writeFileAtomic } from './json-config.js';
import type { InstallContext, InstallResult } from './types.js';

const EVENT = 'beforeShellExecution';

/** The hooks file for a scope (Cursor has no "local" file: local means project). */
export function cursorHooksPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  return ctx.scope === 'user' ? join(ctx.home, '.cursor', 'hooks.json') : join(ctx.root, '.cursor', 'hooks.json');
}

function entries(value: Record<string, unknown>, file: string): unknown[] {
  if (value.hooks === undefined) return [];
  if (!isObject(value.hooks)) throw new InputError(file, '"hooks" is not an object; fix it by hand, slopguard will not rewrite it');
  const list = value.hooks[EVENT];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(file, `"hooks.${EVENT}" is not an array; fix it by hand, slopguard will not rewrite it`);
  return list;
}

function ourIndices(list: unknown[]): number[] {
  return list.flatMap((e, i) => (isObject(e) && isOurHookCommand(e.command, 'cursor') ? [i] : []));
}

function removeOurs(text: string, file: string, format: Parameters<typeof editJson>[3]): string {
  let out = text;
  for (;;) {
    const last = ourIndices(entries(parseJson(out), file)).pop();
    if (last === undefined) break;
    out = editJson(out, ['hooks', EVENT, last], undefined, format);
  }
  const after = parseJson(out);
  if (isObject(after.hooks) && Array.isArray(after.hooks[EVENT]) && after.hooks[EVENT].length === 0) out = editJson(out, ['hooks', EVENT], undefined, format);
  return out;
}

/** Add (or refresh) the beforeShellExecution entry; a new file gets `"version": 1`. */
export function installCursor(ctx: InstallContext): InstallResult {
  const file = cursorHooksPath(ctx);
  const cfg = readJsonConfig(file);
  const wanted = { command: `${ctx.invocation} hook cursor` };
  const list = entries(cfg.value, file);
  const ours = ourIndices(list);
  if (ours.length === 1 && JSON.stringify(list[ours[0]!]) === JSON.stringify(wanted)) return { file, status: 'unchanged' };
  let text = ours.length ? removeOurs(cfg.text, file, cfg.format) : cfg.text;
  if (parseJson(text).version === undefined) text = editJson(text, ['version'], 1, cfg.format);
  text = editJson(text, ['hooks', EVENT, -1], wanted, cfg.format);
  writeFileAtomic(file, text);
  return { file, status: ours.length ? 'updated' : 'installed' };
}

/** Remove our entry, keeping everything else. */
export function uninstallCursor(ctx: InstallContext): InstallResult {
  const file = cursorHooksPath(ctx);
  const cfg = readJsonConfig(file);
  if (!cfg.exists || ourIndices(entries(cfg.value, file)).length === 0) return { file, status: 'absent' };
  writeFileAtomic(file, removeOurs(cfg.text, file, cfg.format));
  return { file, status: 'removed' };
}
