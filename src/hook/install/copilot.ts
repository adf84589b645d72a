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
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { isOurHookCommand } from './command.js';
import { editJson, isObject, parseJson, readJsonConfig, writeFileAtomic } from './json-config.js';
import type { InstallContext, InstallResult } from './types.js';

const EVENT = 'preToolUse';
/** Seconds Copilot waits for the hook (its default is 30). */
export const COPILOT_HOOK_TIMEOUT = 30;

/** slopguard's hooks file in the repository. */
export function copilotHooksPath(ctx: Pick<InstallContext, 'root' | 'scope'>): string {
  if (ctx.scope !== 'project') throw new UsageError('Copilot hooks live in the repository (.github/hooks/); run `slopguard hook install copilot` there, without --user or --local');
  return join(ctx.root, '.github', 'hooks', 'slopguard.json');
}

function entries(value: Record<string, unknown>, file: string): unknown[] {
  if (value.hooks === undefined) return [];
  if (!isObject(value.hooks)) throw new InputError(file, '"hooks" is not an object; fix it by hand, slopguard will not rewrite it');
  const list = value.hooks[EVENT];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(file, `"hooks.${EVENT}" is not an array; fix it by hand, slopguard will not rewrite it`);
  return list;
}

const ourIndices = (list: unknown[]): number[] => list.flatMap((e, i) => (isObject(e) && (isOurHookCommand(e.bash, 'copilot') || isOurHookCommand(e.powershell, 'copilot')) ? [i] : []));

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

/** Add (or refresh) the preToolUse entry; a new file gets `"version": 1`. */
export function installCopilot(ctx: InstallContext): InstallResult {
  const file = copilotHooksPath(ctx);
  const cfg = readJsonConfig(file);
  const wanted = { type: 'command', bash: `${ctx.invocation} hook copilot`, timeoutSec: COPILOT_HOOK_TIMEOUT };
  const list = entries(cfg.value, file);
  const ours = ourIndices(list);
  if (ours.length === 1 && JSON.stringify(list[ours[0]!]) === JSON.stringify(wanted)) return { file, status: 'unchanged' };
  let text = ours.length ? removeOurs(cfg.text, file, cfg.format) : cfg.text;
  if (parseJson(text).version === undefined) text = editJson(text, ['version'], 1, cfg.format);
  writeFileAtomic(file, editJson(text, ['hooks', EVENT, -1], wanted, cfg.format));
  return { file, status: ours.length ? 'updated' : 'installed' };
}

/** Remove our entry; delete the file when only `version` and empty hooks are left. */
export function uninstallCopilot(ctx: InstallContext): InstallResult {
  const file = copilotHooksPath(ctx);
  const cfg = readJsonConfig(file);
  if (!cfg.exists || ourIndices(entries(cfg.value, file)).length === 0) return { file, status: 'absent' };
  const text = removeOurs(cfg.text, file, cfg.format);
  const left = parseJson(text);
  const empty = Object.keys(left).every((k) => k === 'version' || (k === 'hooks' && isObject(left.hooks) && Object.keys(left.hooks).length === 0));
  if (empty) rmSync(file);
  else writeFileAtomic(file, text);
  return { file, status: 'removed' };
}
