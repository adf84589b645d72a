/**
 * Judging a plan: `check()` once per distinct registry setting, the reports merged. In
 * `pip install <squat> && pip install -i <other index> flask`, the squat is judged against the
 * default index and flask against the other; one setting for the whole line would let one
 * command's `-i` vouch for another's names. Every door calls this (wrappers, hooks, `text`, MCP).
 */
import type { CheckOptions } from '../core/check.js';
import type { ExtractNote, PackageRef, Report } from '../core/types.js';
import type { InstallPlan, RegistrySetting } from './plan-install.js';
import { summarize } from '../core/summary.js';

/** How a door runs one check (`check`, or the hook's `checkWithinBudget`). */
export type CheckFn = (refs: PackageRef[], options: CheckOptions) => Promise<Report>;

/** Extra refs and notes the door found outside install commands (imports in a text). */
export interface ExtraInput {
  refs: readonly PackageRef[];
  notes: readonly ExtractNote[];
}

/** The check options for one registry setting, over the door's own. */
export function optionsFor(setting: RegistrySetting | undefined, base: CheckOptions): CheckOptions {
  const options: CheckOptions = { ...base, notes: [] };
  if (!setting) return options;
  options.cwd = setting.cwd;
  if (setting.npmRegistry) options.registryOverrides = { ...base.registryOverrides, npmRegistry: setting.npmRegistry };
  if (setting.indexUrl || setting.extraIndexUrls?.length) {
    const env = { ...base.env };
    if (setting.indexUrl) env.PIP_INDEX_URL = setting.indexUrl;
    // pip also installs from these: a private name served there is not "missing".
    if (setting.extraIndexUrls?.length) env.PIP_EXTRA_INDEX_URL = [...setting.extraIndexUrls, ...(env.PIP_EXTRA_INDEX_URL ?? '').split(/\s+/)].filter(Boolean).join(' ');
    options.env = env;
  }
  return options;
}


/** Reports of several checks as one (notes first from the plan, then each check's own). */
export function mergeReports(reports: readonly Report[], notes: readonly ExtractNote[]): Report {
  const merged: Report = { schemaVersion: 1, summary: { checked: 0, ok: 0, warn: 0, block: 0, unknown: 0 }, packages: [], notes: [...notes] };
  const warnings = new Set<string>();
  for (const r of reports) {
    merged.packages.push(...r.packages);
    merged.notes.push(...r.notes);
    for (const w of r.warnings ?? []) warnings.add(w);
    if (r.expiredAllowlist?.length) merged.expiredAllowlist = [...(merged.expiredAllowlist ?? []), ...r.expiredAllowlist];
  }
  if (warnings.size) merged.warnings = [...warnings];
  merged.summary = summarize(merged.packages);
  return merged;
}

/**
 * Judges `plan` (plus `extra`, judged with the door's own settings) and returns one report.
 * Notes come first in the report, as `check()` puts the notes it is given. With nothing to
 * judge, no check runs (no registry request) and the report carries the notes alone.
 */
export async function checkPlan(plan: Pick<InstallPlan, 'groups' | 'notes'>, base: CheckOptions, run: CheckFn, extra?: ExtraInput): Promise<Report> {
  const notes = [...(base.notes ?? []), ...(extra?.notes ?? []), ...plan.notes];
  const jobs: Array<{ refs: PackageRef[]; options: CheckOptions }> = [];
  if (extra?.refs.length) jobs.push({ refs: [...extra.refs], options: optionsFor(undefined, base) });
  for (const g of plan.groups) {
    // The door's own folder and default registries: one check with the extra refs.
    const plain = !g.setting.npmRegistry && !g.setting.indexUrl && !g.setting.extraIndexUrls?.length && g.setting.cwd === base.cwd;
    const first = jobs[0];
    if (plain && first && first.options.registryOverrides === base.registryOverrides && first.options.env === base.env && first.options.cwd === base.cwd) first.refs.push(...g.refs);
    else jobs.push({ refs: [...g.refs], options: optionsFor(g.setting, base) });
  }
  if (jobs.length === 0) return mergeReports([], notes);
  // Notes ride with the first check, so `check()` words and dedupes them as it always has.
  (jobs[0] as { options: CheckOptions }).options.notes = notes;
  const reports = await Promise.all(jobs.map((j) => run(j.refs, j.options)));
  return mergeReports(reports, []);
}
