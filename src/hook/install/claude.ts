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
import { editJson, isObject, parseJson, readJsonConfig, writeFileAtomic } from './json-config.js';
import { isOurHookCommand } from './command.js';
import type { InstallContext, InstallResult } from './types.js';
import { InputError } from '../../core/errors.js';

/** The tools whose input the hook reads: shell commands and edits of manifests. */
export const CLAUDE_MATCHER = 'Bash|Write|Edit|MultiEdit';
/** Seconds Claude Code waits for the hook: the 10 s check budget plus start-up, with room to spare. */
export const CLAUDE_HOOK_TIMEOUT = 30;

/** The settings file for a scope. */
export function claudeSettingsPath(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string {
  if (ctx.scope === 'user') return join(ctx.home, '.claude', 'settings.json');
  return join(ctx.root, '.claude', ctx.scope === 'local' ? 'settings.local.json' : 'settings.json');
}

interface OurHook {
  group: number;
  hook: number;
  /** The group holds only our hook. */
  alone: boolean;
}

function preToolUse(value: Record<string, unknown>, file: string): unknown[] {
  const hooks = value.hooks;
  if (hooks === undefined) return [];
  if (!isObject(hooks)) throw new InputError(file, '"hooks" is not an object; fix it by hand, slopguard will not rewrite it');
  const pre = hooks.PreToolUse;
  if (pre === undefined) return [];
  if (!Array.isArray(pre)) throw new InputError(file, '"hooks.PreToolUse" is not an array; fix it by hand, slopguard will not rewrite it');
  return pre;
}

function findOurs(groups: unknown[]): OurHook[] {
  const found: OurHook[] = [];
  groups.forEach((g, gi) => {
    if (!isObject(g) || !Array.isArray(g.hooks)) return;
    const hooks = g.hooks;
    hooks.forEach((h, hi) => {
      if (isObject(h) && isOurHookCommand(h.command, 'claude')) found.push({ group: gi, hook: hi, alone: hooks.length === 1 });
    });
  });
  return found;
}

/** Remove our hooks (last first, so earlier indices stay valid) and the containers left empty. */
function removeOurs(text: string, file: string, format: Parameters<typeof editJson>[3]): string {
  let out = text;
  for (;;) {
    const ours = findOurs(preToolUse(parseJson(out), file));
    const last = ours[ours.length - 1];
    if (!last) break;
    out = last.alone ? editJson(out, ['hooks', 'PreToolUse', last.group], undefined, format) : editJson(out, ['hooks', 'PreToolUse', last.group, 'hooks', last.hook], undefined, format);
  }
  const after = parseJson(out);
  if (isObject(after.hooks) && Array.isArray(after.hooks.PreToolUse) && after.hooks.PreToolUse.length === 0) out = editJson(out, ['hooks', 'PreToolUse'], undefined, format);
  const pruned = parseJson(out);
  if (isObject(pruned.hooks) && Object.keys(pruned.hooks).length === 0) out = editJson(out, ['hooks'], undefined, format);
  return out;
}

/** Add (or refresh) the PreToolUse entry. */
export function installClaude(ctx: InstallContext): InstallResult {
  const file = claudeSettingsPath(ctx);
  const cfg = readJsonConfig(file);
  const command = `${ctx.invocation} hook claude`;
  const wanted = { matcher: CLAUDE_MATCHER, hooks: [{ type: 'command', command, timeout: CLAUDE_HOOK_TIMEOUT }] };
  const groups = preToolUse(cfg.value, file);
  const ours = findOurs(groups);
  if (ours.length === 1 && ours[0]!.alone && JSON.stringify(groups[ours[0]!.group]) === JSON.stringify(wanted)) return { file, status: 'unchanged' };
  const base = ours.length ? removeOurs(cfg.text, file, cfg.format) : cfg.text;
  const text = editJson(base, ['hooks', 'PreToolUse', -1], wanted, cfg.format);
  writeFileAtomic(file, text);
  return { file, status: ours.length ? 'updated' : 'installed' };
}

/** Remove our entry, keeping everything else. */
export function uninstallClaude(ctx: InstallContext): InstallResult {
  const file = claudeSettingsPath(ctx);
  const cfg = readJsonConfig(file);
  if (!cfg.exists || findOurs(preToolUse(cfg.value, file)).length === 0) return { file, status: 'absent' };
  writeFileAtomic(file, removeOurs(cfg.text, file, cfg.format));
  return { file, status: 'removed' };
}
