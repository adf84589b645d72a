/**
 * The install planner's entry points (stable: the doors and the command corpus call these).
 * `planInstall` says what a command would install; `checkPlan` judges it, once per registry
 * setting; `planAndCheck` is both, for a door that has nothing else to judge.
 */
import type { CheckOptions } from '../core/check.js';
import type { Report } from '../core/types.js';
import type { FileAccess } from '../sources/file-access.js';
import { checkPlan, type CheckFn, type ExtraInput } from './check-plan.js';
import { planInstall, type InstallPlan, type PlanCommand, type PlanOptions } from './plan-install.js';

export { checkPlan, mergeReports, optionsFor, type CheckFn, type ExtraInput } from './check-plan.js';
export { planInstall, MAX_COMMAND_BYTES, type CheckGroup, type InstallPlan, type PlanCommand, type PlanOptions, type PlannedInstall, type RegistrySetting, type ResolveTree } from './plan-install.js';
export { PROJECT_FILES, installsLockfileOnly } from './project-files.js';
export { textOnlyAccess } from './text-access.js';
export { userFiles } from './user-files.js';
export { checkText } from './check-text.js';

/** A plan and its report. */
export interface PlannedReport {
  plan: InstallPlan;
  report: Report;
}

/** Plans `command` in `cwd` over `files` and judges it with `run` (see {@link checkPlan}). */
export async function planAndCheck(command: PlanCommand, cwd: string, files: FileAccess, base: CheckOptions, run: CheckFn, options: PlanOptions = {}, extra?: ExtraInput): Promise<PlannedReport> {
  const plan = await planInstall(command, cwd, files, options);
  return { plan, report: await checkPlan(plan, base, run, extra) };
}
