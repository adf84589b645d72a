/**
 * The one flow every agent hook follows, whatever its protocol: read the JSON the agent sends on
 * stdin, find what it is about to install, check it within the time budget, and answer in the
 * protocol's own words. It never crashes the agent: unreadable input or a bug is reported on
 * stderr and let through with a warning, or denied when failing closed; a broken config is
 * "cannot check" (ask, or deny when failing closed), never let through.
 */
import { isAbsolute } from 'node:path';
import type { CheckOptions } from '../core/check.js';
import { isUserError } from '../core/errors.js';
import type { ExtractNote, PackageRef, Report } from '../core/types.js';
import { readAll, type Io } from '../cli/io.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { checkPlan } from '../install/check-plan.js';
import type { InstallPlan, ResolveTree } from '../install/plan-install.js';
import { hookTreeChoice, registriesFromEnv, treeResolver } from '../install/tree-option.js';
import { checkWithinBudget, REAL_TIMER, startBudget, withinBudget, type BudgetTimer } from './budget.js';
import type { ProtectedFile } from '../policy/protected-files.js';
import { cannotCheck, decide, unreadableInput, withProtectedEdits, type HookDecision, type UnverifiedAction } from './decision.js';
import { budgetMs, failClosedEarly, hookConfig, onUnverifiedEarly, type HookFlags } from './settings.js';
import { auditHookDecision, auditHookUnjudged, monitored } from '../audit/hook.js';

/** What an agent is about to do that introduces packages. */
export interface HookSubject {
  /** Names the action for messages: "this command", "this edit of package.json". */
  what: string;
  refs: PackageRef[];
  notes: ExtractNote[];
  /** Where the action itself says the packages come from (`npm i --registry`, `pip install -i`). */
  registryOverrides?: NonNullable<CheckOptions['registryOverrides']>;
  env?: Record<string, string>;
  /**
   * Files the action would change that decide what slopguard or the package managers do
   * (policy/protected-files.ts), as `[shown path, why]`: the user is asked, whatever else is found.
   */
  protectedEdits?: Array<[path: string, why: ProtectedFile]>;
  /**
   * For shell commands: the install plan, judged once per registry setting (install/check-plan.ts).
   * Its `writes` lists the files the command writes (absolute).
   */
  plan?: InstallPlan;
}

/** The hook input could not be understood; the message says why. */
export class HookInputError extends Error {
  override name = 'HookInputError';
}

/** One agent's hook protocol. */
export interface HookProtocol<I> {
  /** Validate the parsed JSON; throw HookInputError for a shape the protocol does not define. */
  parse(json: unknown): I;
  /** Whether this call is one the hook judges (the right event); others get no objection. */
  applies(input: I): boolean;
  /** The project folder the agent works in, if the input names one. */
  cwd(input: I): string | undefined;
  /**
   * What the call would install (and protected files it would change); undefined when nothing.
   * `env` locates the user's files; `resolveTree`, when given, resolves the transitive tree of a
   * shell command's installs within the call's budget (install/tree-option.ts).
   */
  subject(input: I, cwd: string, env: Io['env'], resolveTree?: ResolveTree): Promise<HookSubject | undefined>;
  /** Write the answer in the protocol's format and return the exit code. */
  answer(decision: HookDecision, what: string, io: Io): number;
  /** What unverified packages lead to by default. */
  defaultOnUnverified: UnverifiedAction;
  /**
   * Adjusts the decision to the agent's mode (Claude Code's `bypassPermissions` approves every
   * "ask" by itself, so an ask must become a deny there).
   */
  escalate?(input: I, decision: HookDecision): HookDecision;
}

/** Hook inputs carry whole files (Write); cap them so a runaway pipe cannot exhaust memory. */
const MAX_INPUT = 64 * 1024 * 1024;

function warnNotes(notes: readonly ExtractNote[], io: Io): void {
  for (const n of notes) if (n.level !== 'info') io.stderr.write(`slopguard: ${n.level}: ${escapeForTerminal(n.message)}\n`);
}

/**
 * The note for a subject that was not known within the budget: whatever the call would install
 * went unchecked, so it is unverified (the user's --on-unverified applies), never "nothing to do".
 */
function subjectTimedOut(budgetMs: number): ExtractNote {
  return {
    level: 'warning',
    code: 'skipped',
    message: `could not work out what this call installs within the ${budgetMs / 1000} s time budget`,
    origin: { file: '<hook input>' },
    unverified: true,
  };
}

/**
 * Run one hook call end to end and return the exit code the agent expects. The budget covers
 * the subject and the check together; `timer` is the clock it runs on (tests pass their own).
 */
export async function runAgentHook<I>(protocol: HookProtocol<I>, flags: HookFlags, io: Io, timer: BudgetTimer = REAL_TIMER): Promise<number> {
  const failClosed = failClosedEarly(flags, io.env);
  let hookJson: unknown;
  // An answer given without judging (unreadable input, a broken config): recorded where flags or env say.
  const unjudged = async (d: HookDecision, what: string): Promise<number> => {
    await auditHookUnjudged(flags, d, { hookJson, io });
    return protocol.answer(d, what, io);
  };
  const letThrough = (problem: string, what = 'this tool call'): Promise<number> => {
    io.stderr.write(`slopguard: ${failClosed ? 'error' : 'warning'}: ${escapeForTerminal(problem)}${failClosed ? ' (denied: failing closed)' : '; allowed unchecked'}\n`);
    return unjudged(unreadableInput(problem, failClosed), what);
  };

  let input: I;
  try {
    const raw = await readAll(io.stdin, MAX_INPUT);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new HookInputError(`the hook input on stdin is not JSON (${(e as Error).message})`);
    }
    input = protocol.parse(json);
    hookJson = json;
  } catch (e) {
    return letThrough(e instanceof HookInputError ? e.message : `could not read the hook input: ${(e as Error).message}`);
  }
  if (!protocol.applies(input)) return protocol.answer({ action: 'none', reasons: [] }, 'this tool call', io);

  const given = protocol.cwd(input);
  const cwd = given && isAbsolute(given) ? given : io.cwd;
  let what = 'this tool call';
  try {
    // The budget covers the whole call: working out what it does, and checking it.
    const budget = startBudget(budgetMs(flags, io.env), timer);
    try {
      // What the call does is read before the config: a command that installs nothing and edits no
      // protected file needs no policy, so a broken config does not put every `ls` to the user.
      // The transitive tree by default (`--no-resolve-tree` / SLOPGUARD_RESOLVE_TREE=0: off), within half of what is left.
      const resolveTree = treeResolver(io.env, () => budget.left(), registriesFromEnv(io.env), hookTreeChoice(io.env, flags.resolveTree));
      const planned = await withinBudget(protocol.subject(input, cwd, io.env, resolveTree), budget);
      const subject: HookSubject | undefined = planned ? planned.value : { what: 'this tool call', refs: [], notes: [subjectTimedOut(budget.totalMs)] };
      if (subject) {
        what = subject.what;
        warnNotes(subject.notes, io);
      }
      const protectedEdits = subject?.protectedEdits ?? [];
      // A file that could not be read (refused, unreadable, not planned in time) may hide packages: judged, never "none".
      const hidden = subject?.notes.some((n) => n.unverified) ?? false;
      if (!subject || (subject.refs.length === 0 && protectedEdits.length === 0 && !hidden)) return protocol.answer({ action: 'none', reasons: [] }, what, io);
      let config;
      try {
        config = hookConfig(flags, io, cwd, protocol.defaultOnUnverified);
      } catch (e) {
        if (!isUserError(e)) throw e;
        // A broken config is "cannot check", never "no objection": ask (deny when failing closed).
        const action = failClosed || onUnverifiedEarly(flags, io.env, protocol.defaultOnUnverified) === 'deny' ? 'deny' : 'ask';
        io.stderr.write(`slopguard: error: ${escapeForTerminal(`slopguard is misconfigured: ${e.message}`)} (${action === 'deny' ? 'denied' : 'asking the user'})\n`);
        return unjudged(cannotCheck(`slopguard is misconfigured: ${e.message}`, action), what);
      }
      let decision: HookDecision = { action: 'none', reasons: [] };
      let report: Report | undefined;
      if (subject.refs.length || hidden) {
        const options: CheckOptions = {
          ...config.checkOptions,
          cwd: config.checkOptions.cwd ?? cwd,
          registryOverrides: { ...config.checkOptions.registryOverrides, ...subject.registryOverrides },
          env: { ...config.checkOptions.env, ...subject.env },
        };
        // A shell command's plan judges each install with its own registry or index; an edit is one group.
        const plan: Pick<InstallPlan, 'groups' | 'notes'> = subject.plan ?? { groups: [{ setting: { cwd }, refs: subject.refs }], notes: subject.notes };
        report = await checkPlan(plan, options, (refs, o) => checkWithinBudget(refs, o, budget));
        decision = decide(report, config.settings.policy, config.onUnverified);
      }
      // Monitor mode: no objection about packages (said on stderr and logged); protected edits are still put to the user.
      const enforced = decision;
      if (config.settings.policy.mode === 'monitor') decision = monitored(decision, io);
      decision = withProtectedEdits(decision, protectedEdits);
      const answer = protocol.escalate ? protocol.escalate(input, decision) : decision;
      await auditHookDecision(config.settings, enforced, answer, { report, hookJson, cwd, io });
      return protocol.answer(answer, what, io);
    } finally {
      budget.cancel();
    }
  } catch (e) {
    if (isUserError(e)) return letThrough(`slopguard is misconfigured: ${e.message}`, what);
    // A bug in slopguard must not stop the agent's work unless the user asked to fail closed.
    if (io.env.SLOPGUARD_DEBUG) io.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return letThrough(`internal error: ${(e as Error)?.message ?? String(e)}`, what);
  }
}
