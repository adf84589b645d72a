/**
 * A change under review is judged with the policy of its base revision: the project config as it
 * is at the base (reviewed and merged, so trusted there; a local HEAD only when the user trusted
 * that content), never the one inside the change. A
 * pull request that adds a squat together with an allow entry for it, or with
 * `severities: {"typo": "off"}`, is judged as if the config were unchanged; the edit is reported
 * as a `policy-change` note naming what it changes, and applies once merged.
 */
import { posix, relative, resolve, sep } from 'node:path';
import { isUserError } from '../core/errors.js';
import type { ExtractNote } from '../core/types.js';
import { parseConfigText, type ConfigFile } from './config-file.js';
import type { ProjectConfigOverride } from './settings.js';
import { sha256, trustedContent } from './trust-store.js';

/** Reads a repository-relative path on one side of the change; undefined when absent. */
export type SideReader = (repoPath: string) => Promise<string | undefined>;

/** The base policy to judge a change with, and notes about policy edits inside it. */
export interface ChangePolicy {
  /** The base revision's project config (trusted), or null when the base had none. */
  project: ProjectConfigOverride | null;
  notes: ExtractNote[];
}

const CONFIG_NAMES = ['.slopguard.json', 'package.json'] as const;

interface Found {
  repoPath: string;
  text: string;
}

/** Folders from cwd up to the repository root, as repository-relative POSIX paths. */
function searchDirs(root: string, cwd: string): string[] {
  const rel = relative(root, resolve(cwd));
  if (rel.startsWith('..')) return [''];
  const parts = rel === '' ? [] : rel.split(sep);
  const dirs: string[] = [];
  for (let i = parts.length; i >= 0; i--) dirs.push(parts.slice(0, i).join('/'));
  return dirs;
}

function hasKey(text: string): boolean {
  try {
    const v = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown> | null;
    return !!v && typeof v === 'object' && 'slopguard' in v;
  } catch {
    return /"slopguard"\s*:/.test(text);
  }
}

/** The nearest `.slopguard.json`, or package.json with a `slopguard` key, on one side. */
async function findOnSide(read: SideReader, dirs: readonly string[]): Promise<Found | undefined> {
  for (const dir of dirs) {
    for (const name of CONFIG_NAMES) {
      const repoPath = dir ? posix.join(dir, name) : name;
      const text = await read(repoPath);
      if (text === undefined) continue;
      if (name === 'package.json' && !hasKey(text)) continue;
      return { repoPath, text };
    }
  }
  return undefined;
}

/** The fields two configs differ in (`allow.npm`, `severities.typo`, `failClosed`). */
export function changedFields(before: ConfigFile, after: ConfigFile): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof ConfigFile>;
  for (const key of [...keys].sort()) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
      const sub = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of [...sub].sort()) {
        if (JSON.stringify((a as Record<string, unknown>)[k]) !== JSON.stringify((b as Record<string, unknown>)[k])) out.push(`${key}.${k}`);
      }
    } else if (typeof (a ?? b) === 'object' && !Array.isArray(a ?? b)) {
      for (const k of Object.keys((a ?? b) as object).sort()) out.push(`${key}.${k}`);
    } else out.push(key);
  }
  return out;
}

/**
 * The base revision's project config for judging a change, plus a `policy-change` note when the
 * change edits it (or adds, removes or breaks it). A broken config at the base is a ConfigError
 * (exit 2): the reviewed policy cannot be read, so nothing can be judged by it.
 */
export async function changePolicy(o: {
  root: string;
  cwd: string;
  baseLabel: string;
  readBase: SideReader;
  readChange: SideReader;
  /** The base is the local HEAD (pre-commit, --staged): its config needs the user's trust (see ProjectConfigOverride). */
  localBase?: boolean;
}): Promise<ChangePolicy> {
  const dirs = searchDirs(o.root, o.cwd);
  const base = await findOnSide(o.readBase, dirs);
  const change = await findOnSide(o.readChange, dirs);
  let baseConfig: ConfigFile | undefined;
  if (base) baseConfig = parseConfigText(base.repoPath, base.text, `${base.repoPath} at ${o.baseLabel}`);
  let project: ProjectConfigOverride | null = null;
  if (base && baseConfig) {
    const path = resolve(o.root, base.repoPath);
    project = { path, config: baseConfig, revision: o.baseLabel };
    if (o.localBase) project.requireTrust = { hash: sha256(trustedContent(path, Buffer.from(base.text, 'utf8'))) };
  }

  const notes: ExtractNote[] = [];
  const note = (file: string, what: string) =>
    notes.push({
      level: 'warning',
      code: 'policy-change',
      message: `this change ${what}; it is judged with the policy of ${o.baseLabel} and the edit applies once merged`,
      origin: { file },
    });
  if (!change) {
    if (base) note(base.repoPath, `removes slopguard's policy ${base.repoPath}`);
    return { project, notes };
  }
  let changeConfig: ConfigFile | undefined;
  try {
    changeConfig = parseConfigText(change.repoPath, change.text, change.repoPath);
  } catch (e) {
    if (!isUserError(e)) throw e;
    note(change.repoPath, `leaves slopguard's policy ${change.repoPath} invalid (${e.message})`);
    return { project, notes };
  }
  if (!base) {
    const fields = Object.keys(changeConfig).sort();
    if (fields.length) note(change.repoPath, `adds slopguard's policy ${change.repoPath} (${fields.join(', ')})`);
    return { project, notes };
  }
  if (base.repoPath !== change.repoPath) {
    note(change.repoPath, `moves slopguard's policy from ${base.repoPath} to ${change.repoPath}`);
    return { project, notes };
  }
  const fields = changedFields(baseConfig!, changeConfig);
  if (fields.length) note(change.repoPath, `edits slopguard's policy in ${change.repoPath}: ${fields.join(', ')}`);
  return { project, notes };
}
