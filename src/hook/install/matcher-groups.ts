/**
 * Install and uninstall one command hook in a settings file shaped the way Claude Code, Codex and
 * Gemini CLI share:
 *   { "hooks": { "<Event>": [ { "matcher": "<tool regex>", "hooks": [ { "type": "command", "command": "...", ... } ] } ] } }
 *
 * Idempotent: an entry whose command runs `slopguard ... hook <sub>` is ours; installing again with
 * the same entry changes nothing, a changed one replaces ours; other groups, other hooks in a
 * shared group and unknown keys are kept as they are, formatting included (json-config.ts).
 */
import { InputError } from '../../core/errors.js';
import { isOurHookCommand } from './command.js';
import { editJson, isObject, parseJson, readJsonConfig, writeFileAtomic } from './json-config.js';
import type { InstallResult } from './types.js';

/** What to write where. */
export interface MatcherGroupHook {
  /** The settings file. */
  file: string;
  /** The event key under "hooks" ("PreToolUse", "BeforeTool"). */
  event: string;
  /** The `hook <sub>` our command runs, to recognise our entries. */
  sub: string;
  /** The whole group slopguard adds: `{ matcher, hooks: [ourEntry] }`. */
  group: Record<string, unknown>;
}

interface Ours {
  group: number;
  hook: number;
  /** The group holds only our hook. */
  alone: boolean;
}

function groupsOf(value: Record<string, unknown>, spec: MatcherGroupHook): unknown[] {
  const hooks = value.hooks;
  if (hooks === undefined) return [];
  if (!isObject(hooks)) throw new InputError(spec.file, '"hooks" is not an object; fix it by hand, slopguard will not rewrite it');
  const list = hooks[spec.event];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(spec.file, `"hooks.${spec.event}" is not an array; fix it by hand, slopguard will not rewrite it`);
  return list;
}

function findOurs(groups: unknown[], sub: string): Ours[] {
  const found: Ours[] = [];
  groups.forEach((g, gi) => {
    if (!isObject(g) || !Array.isArray(g.hooks)) return;
    const hooks = g.hooks;
    hooks.forEach((h, hi) => {
      if (isObject(h) && isOurHookCommand(h.command, sub)) found.push({ group: gi, hook: hi, alone: hooks.length === 1 });
    });
  });
  return found;
}

/** Remove our hooks (last first, so earlier indices stay valid) and the containers left empty. */
function removeOurs(text: string, spec: MatcherGroupHook, format: Parameters<typeof editJson>[3]): string {
  let out = text;
  for (;;) {
    const last = findOurs(groupsOf(parseJson(out), spec), spec.sub).pop();
    if (!last) break;
    out = last.alone ? editJson(out, ['hooks', spec.event, last.group], undefined, format) : editJson(out, ['hooks', spec.event, last.group, 'hooks', last.hook], undefined, format);
  }
  const after = parseJson(out);
  const left = isObject(after.hooks) ? after.hooks[spec.event] : undefined;
  if (Array.isArray(left) && left.length === 0) out = editJson(out, ['hooks', spec.event], undefined, format);
  const pruned = parseJson(out);
  if (isObject(pruned.hooks) && Object.keys(pruned.hooks).length === 0) out = editJson(out, ['hooks'], undefined, format);
  return out;
}

/** Add (or refresh) our group. */
export function installMatcherGroup(spec: MatcherGroupHook): InstallResult {
  const cfg = readJsonConfig(spec.file);
  const groups = groupsOf(cfg.value, spec);
  const ours = findOurs(groups, spec.sub);
  if (ours.length === 1 && ours[0]!.alone && JSON.stringify(groups[ours[0]!.group]) === JSON.stringify(spec.group)) return { file: spec.file, status: 'unchanged' };
  const base = ours.length ? removeOurs(cfg.text, spec, cfg.format) : cfg.text;
  writeFileAtomic(spec.file, editJson(base, ['hooks', spec.event, -1], spec.group, cfg.format));
  return { file: spec.file, status: ours.length ? 'updated' : 'installed' };
}

/** Remove our hook, keeping everything else. */
export function uninstallMatcherGroup(spec: Omit<MatcherGroupHook, 'group'>): InstallResult {
  const cfg = readJsonConfig(spec.file);
  const full = { ...spec, group: {} };
  if (!cfg.exists || findOurs(groupsOf(cfg.value, full), spec.sub).length === 0) return { file: spec.file, status: 'absent' };
  writeFileAtomic(spec.file, removeOurs(cfg.text, full, cfg.format));
  return { file: spec.file, status: 'removed' };
}
