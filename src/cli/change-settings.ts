/**
 * Settings for judging a change (`ci --base`, `diff --git`, `diff --staged`, the pre-commit
 * hook): the project config comes from the change's base revision, where it was reviewed and
 * merged, and policy edits inside the change become `policy-change` notes (policy/base-policy.ts).
 */
import type { ExtractNote } from '../core/types.js';
import { changePolicy, type ChangePolicy } from '../policy/base-policy.js';
import type { LoadSettingsOptions } from '../policy/settings.js';
import { gitRoot, readSide, sidesOf, type Side } from '../sources/git.js';

/** Which change: a base ref against the work tree (ci), a diff range, or the staged changes. */
export type ChangeSpec = { base: string } | { range: string } | { staged: true };

/** The load options (base project config) and notes for a change. */
export interface ChangeSettings {
  load: LoadSettingsOptions;
  notes: ExtractNote[];
}

function label(spec: ChangeSpec, old: Side): string {
  if ('base' in spec) return spec.base;
  if ('staged' in spec) return 'HEAD';
  const at = spec.range.indexOf('..');
  if (at > 0) return spec.range.slice(0, at);
  return 'rev' in old ? old.rev : spec.range;
}

/** Read the base policy of a change in the repository at `cwd`. */
export async function changeSettings(spec: ChangeSpec, cwd: string): Promise<ChangeSettings> {
  const root = await gitRoot(cwd);
  const sides: { old: Side; new: Side } | undefined =
    'base' in spec ? { old: { rev: spec.base }, new: { worktree: true } } : await sidesOf('staged' in spec ? spec : spec.range, root);
  if (!sides) {
    // Revision syntax slopguard does not split into two sides: no project policy it could trust.
    const note: ExtractNote = {
      level: 'warning',
      code: 'policy-change',
      message: `the base of ${'range' in spec ? spec.range : 'this change'} could not be told apart, so no project config was applied (use a..b or a...b)`,
      origin: { file: '<git>' },
    };
    return { load: { project: null }, notes: [note] };
  }
  const policy: ChangePolicy = await changePolicy({
    root,
    cwd,
    baseLabel: label(spec, sides.old),
    readBase: (p) => readSide(sides.old, p, root),
    readChange: (p) => readSide(sides.new, p, root),
    // The staged changes' base is the local HEAD, which an agent can commit to as well.
    localBase: 'staged' in spec,
  });
  return { load: { project: policy.project }, notes: policy.notes };
}
