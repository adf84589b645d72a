/**
 * The text doors (`slopguard text`, MCP `check_text`): the text extractors find install commands
 * (as shell steps), imports and requires; the install planner plans the steps (heredocs, files
 * the text writes, per-command registries) over a view with no files but those the text writes.
 */
import type { CheckOptions } from '../core/check.js';
import type { Report, SourceDocument } from '../core/types.js';
import { extractText } from '../extractors/text/free-text.js';
import type { ShellStep } from '../extractors/text/shell-effects.js';
import { checkPlan, type CheckFn } from './check-plan.js';
import { planInstall } from './plan-install.js';
import { textOnlyAccess } from './text-access.js';
import { dropFirstParty } from '../sources/first-party.js';

/**
 * Judges what `doc` would install; `cwd` is where relative paths in the text are resolved. With a
 * repository `root`, the project's own modules, aliases and workspace packages among the imports
 * are never sent to a registry (install commands are judged as written).
 */
export async function checkText(doc: SourceDocument, cwd: string, options: CheckOptions, run: CheckFn, root?: string): Promise<Report> {
  const steps: ShellStep[] = [];
  const extracted = await dropFirstParty(extractText(doc, { steps }), root);
  const plan = await planInstall({ steps }, cwd, textOnlyAccess(cwd), { missingFiles: 'info' });
  return checkPlan(plan, options, run, extracted);
}
