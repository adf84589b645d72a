/**
 * The installer shape three agents share: a JSON hooks file with `{ "hooks": { "<event>": [entry,
 * …] } }` (Cursor's beforeShellExecution, GitHub Copilot's preToolUse, Windsurf's pre_run_command).
 * One entry is ours (its command runs `slopguard … hook <agent>`); the user's entries, other events
 * and unknown keys are kept as they are, byte for byte; installing twice changes nothing.
 */
import { rmSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { editJson, isObject, parseJson, readJsonConfig, writeFileAtomic } from './json-config.js';
import type { InstallContext, InstallResult } from './types.js';

/** What differs between the agents. */
export interface EventListSpec {
  /** The event the entry goes under. */
  event: string;
  /** The file for a scope (throws a UsageError for a scope the agent does not have). */
  path(ctx: Pick<InstallContext, 'root' | 'home' | 'scope'>): string;
  /** The entry slopguard writes. */
  entry(invocation: string): Record<string, unknown>;
  /** Whether an entry is ours. */
  isOurs(entry: Record<string, unknown>): boolean;
  /** A new file gets `"version": 1` (Cursor, Copilot). */
  versioned?: boolean;
  /** On uninstall, delete the file when nothing but `version` and empty hooks is left (a file of slopguard's own). */
  ownFile?: boolean;
  /** On uninstall, drop a `hooks` object left empty (Windsurf; Cursor keeps `"hooks": {}` as it writes it). */
  pruneEmptyHooks?: boolean;
}

/** Install and uninstall for one agent's hooks file. */
export function eventListInstaller(spec: EventListSpec): { install(ctx: InstallContext): InstallResult; uninstall(ctx: InstallContext): InstallResult } {
  const { event } = spec;
  const entries = (value: Record<string, unknown>, file: string): unknown[] => {
    if (value.hooks === undefined) return [];
    if (!isObject(value.hooks)) throw new InputError(file, '"hooks" is not an object; fix it by hand, slopguard will not rewrite it');
    const list = value.hooks[event];
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw new InputError(file, `"hooks.${event}" is not an array; fix it by hand, slopguard will not rewrite it`);
    return list;
  };
  const ourIndices = (list: unknown[]): number[] => list.flatMap((e, i) => (isObject(e) && spec.isOurs(e) ? [i] : []));
  const removeOurs = (text: string, file: string, format: Parameters<typeof editJson>[3]): string => {
    let out = text;
    for (;;) {
      const last = ourIndices(entries(parseJson(out), file)).pop();
      if (last === undefined) break;
      out = editJson(out, ['hooks', event, last], undefined, format);
    }
    const after = parseJson(out);
    const left = isObject(after.hooks) ? after.hooks[event] : undefined;
    if (Array.isArray(left) && left.length === 0) out = editJson(out, ['hooks', event], undefined, format);
    const pruned = parseJson(out);
    if (spec.pruneEmptyHooks && isObject(pruned.hooks) && Object.keys(pruned.hooks).length === 0) out = editJson(out, ['hooks'], undefined, format);
    return out;
  };
  return {
    install(ctx) {
      const file = spec.path(ctx);
      const cfg = readJsonConfig(file);
      const wanted = spec.entry(ctx.invocation);
      const list = entries(cfg.value, file);
      const ours = ourIndices(list);
      if (ours.length === 1 && JSON.stringify(list[ours[0]!]) === JSON.stringify(wanted)) return { file, status: 'unchanged' };
      let text = ours.length ? removeOurs(cfg.text, file, cfg.format) : cfg.text;
      if (spec.versioned && parseJson(text).version === undefined) text = editJson(text, ['version'], 1, cfg.format);
      writeFileAtomic(file, editJson(text, ['hooks', event, -1], wanted, cfg.format));
      return { file, status: ours.length ? 'updated' : 'installed' };
    },
    uninstall(ctx) {
      const file = spec.path(ctx);
      const cfg = readJsonConfig(file);
      if (!cfg.exists || ourIndices(entries(cfg.value, file)).length === 0) return { file, status: 'absent' };
      const text = removeOurs(cfg.text, file, cfg.format);
      const left = parseJson(text);
      if (spec.ownFile && Object.keys(left).every((k) => k === 'version' || (k === 'hooks' && isObject(left.hooks) && Object.keys(left.hooks).length === 0))) rmSync(file);
      else writeFileAtomic(file, text);
      return { file, status: 'removed' };
    },
  };
}
