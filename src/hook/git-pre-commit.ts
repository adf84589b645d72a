/**
 * `slopguard hook git-pre-commit`: check the dependencies the staged changes add.
 *
 * git runs the pre-commit hook before it asks for a message; exit 1 stops the commit and what
 * the hook prints on stderr is shown to the person committing. Warnings are printed and let
 * through (there is nobody to "ask" mid-commit); packages nobody could check are let through
 * with a warning unless --on-unverified deny or --fail-closed. `git commit --no-verify` skips
 * every pre-commit hook, this one included.
 */
import { isUserError } from '../core/errors.js';
import type { Io } from '../cli/io.js';
import { useColor } from '../cli/io.js';
import { diffWantsWholeFile, extractDiff } from '../extractors/text/diff.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { renderText } from '../reporters/text.js';
import { gitDiffWithContents } from '../sources/git.js';
import { checkWithinBudget } from './budget.js';
import { decide } from './decision.js';
import { failClosedEarly, hookConfig, onUnverifiedEarly, type HookFlags } from './settings.js';
import { changeSettings } from '../cli/change-settings.js';
import { noteMessage } from '../reporters/note-message.js';
import { MONITOR_MODE_LABEL } from '../reporters/messages.js';
import { auditHookDecision } from '../audit/hook.js';

/** Run the pre-commit check in the repository at io.cwd; returns 1 to stop the commit. */
export async function runGitPreCommit(flags: HookFlags, io: Io): Promise<number> {
  const failClosed = failClosedEarly(flags, io.env);
  try {
    // The commit is judged with the policy of HEAD: a policy edit inside it applies from the next one.
    const change = await changeSettings({ staged: true }, io.cwd);
    const config = hookConfig(flags, io, io.cwd, 'allow', change.load);
    // Whole files, not just hunks: a dependency moved within package.json is not "added".
    const staged = await gitDiffWithContents({ staged: true }, io.cwd, diffWantsWholeFile);
    const extracted = extractDiff(staged.diff, { readOld: staged.readOld, readNew: staged.readNew });
    for (const n of change.notes) io.stderr.write(`slopguard: warning: ${escapeForTerminal(noteMessage(n))}\n`);
    if (extracted.refs.length === 0) return 0;
    const report = await checkWithinBudget(extracted.refs, { ...config.checkOptions, notes: [...extracted.notes, ...change.notes] }, config.budgetMs);
    const decision = decide(report, config.settings.policy, config.onUnverified);
    // Monitor mode: the findings are printed and logged, the commit goes ahead.
    const monitor = config.settings.policy.mode === 'monitor';
    await auditHookDecision(config.settings, decision, monitor ? { action: 'none', reasons: [] } : decision, { report, hookJson: undefined, cwd: io.cwd, io });
    if (decision.action === 'none') return 0;
    const now = io.now?.() ?? new Date();
    io.stderr.write(renderText({ ...report, packages: report.packages.filter((p) => p.verdict !== 'ok') }, { color: useColor(io.stderr, io.env), showOk: false }, now));
    if (monitor) {
      io.stderr.write(`slopguard: ${MONITOR_MODE_LABEL} committing; ${decision.action === 'deny' ? 'the commit would have been stopped' : 'look at the warnings above'}\n`);
      return 0;
    }
    if (decision.action === 'deny') {
      io.stderr.write(
        'slopguard: commit stopped: the staged changes add the dependencies above. Use the intended names, allowlist a package ' +
          'that is really wanted (SLOPGUARD_ALLOW=<name> git commit, or an "allow" entry in .slopguard.json committed first: a commit is judged by the policy of HEAD), or skip every pre-commit hook once with `git commit --no-verify`.\n',
      );
      return 1;
    }
    io.stderr.write(`slopguard: ${decision.action === 'warn' ? 'committing without a check of the packages above' : 'committing; look at the warnings above'}\n`);
    return 0;
  } catch (e) {
    const why = isUserError(e) ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    // Could not check: --on-unverified decides (allow with a warning by default for git; deny stops it).
    const stop = failClosed || onUnverifiedEarly(flags, io.env, 'allow') === 'deny';
    io.stderr.write(`slopguard: ${escapeForTerminal(why)}${stop ? ' (commit stopped: could not check)' : '; committing unchecked'}\n`);
    return stop ? 1 : 0;
  }
}
