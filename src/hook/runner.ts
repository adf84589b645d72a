/**
 * The one flow every agent hook follows, whatever its protocol: read the JSON the agent sends on
 * stdin, find what it is about to install, check it within the time budget, and answer in the
 * protocol's own words. It never crashes the agent: unreadable input, a broken config or a bug
 * is reported on stderr and let through with a warning, or denied when failing closed.
 */
import { isAbsolute } from 'node:path';
import type { CheckOptions } from '../core/check.js';
import { isUserError } from '../core/errors.js';
import type { ExtractNote, PackageRef, Report } from '../core/types.js';
import { readAll, type Io } from '../cli/io.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { checkWithinBudget, REAL_TIMER, startBudget, withinBudget, type Budget, type BudgetTimer } from './budget.js';
import { decide, unreadableInput, type HookDecision, type UnverifiedAction } from './decision.js';
import { failClosedEarly, hookConfig, type HookConfig, type HookFlags } from './settings.js';

/** What an agent is about to do that introduces packages. */
export interface HookSubject {
  /** Names the action for messages: "this command", "this edit of package.json". */
  what: string;
  refs: PackageRef[];
  notes: ExtractNote[];
  /** Where the action itself says the packages come from (`npm i --registry`, `pip install -i`). */
  registryOverrides?: NonNullable<CheckOptions['registryOverrides']>;
  env?: Record<string, string>;
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
  /** What the call would install; undefined or no refs when it installs nothing. */
  subject(input: I, cwd: string): Promise<HookSubject | undefined>;
  /** Write the answer in the protocol's format and return the exit code. */
  answer(decision: HookDecision, what: string, io: Io): number;
  /** What unverified packages lead to by default. */
  defaultOnUnverified: UnverifiedAction;
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
  const letThrough = (problem: string, what = 'this tool call'): number => {
    io.stderr.write(`slopguard: ${failClosed ? 'error' : 'warning'}: ${escapeForTerminal(problem)}${failClosed ? ' (denied: failing closed)' : '; allowed unchecked'}\n`);
    return protocol.answer(unreadableInput(problem, failClosed), what, io);
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
  } catch (e) {
    return letThrough(e instanceof HookInputError ? e.message : `could not read the hook input: ${(e as Error).message}`);
  }
  if (!protocol.applies(input)) return protocol.answer({ action: 'none', reasons: [] }, 'this tool call', io);

  const given = protocol.cwd(input);
  const cwd = given && isAbsolute(given) ? given : io.cwd;
  let what = 'this tool call';
  try {
    const config = hookConfig(flags, io, cwd, protocol.defaultOnUnverified);
    const budget = startBudget(config.budgetMs, timer);
    try {
      return await judge(protocol, input, cwd, config, budget, io, (w) => (what = w));
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

/** The subject and its check, within the call's budget. `named` learns what the call is, for error messages. */
async function judge<I>(protocol: HookProtocol<I>, input: I, cwd: string, config: HookConfig, budget: Budget, io: Io, named: (what: string) => void): Promise<number> {
  const planned = await withinBudget(protocol.subject(input, cwd), budget);
  if (!planned) {
    const report: Report = { schemaVersion: 1, summary: { checked: 0, ok: 0, warn: 0, block: 0, unknown: 0 }, packages: [], notes: [subjectTimedOut(budget.totalMs)] };
    return protocol.answer(decide(report, config.settings.policy, config.onUnverified), 'this tool call', io);
  }
  const subject = planned.value;
  const what = subject?.what ?? 'this tool call';
  named(what);
  if (subject) warnNotes(subject.notes, io);
  if (!subject || subject.refs.length === 0) return protocol.answer({ action: 'none', reasons: [] }, what, io);
  const options: CheckOptions = {
    ...config.checkOptions,
    registryOverrides: { ...config.checkOptions.registryOverrides, ...subject.registryOverrides },
    env: { ...config.checkOptions.env, ...subject.env },
  };
  const report = await checkWithinBudget(subject.refs, options, budget);
  return protocol.answer(decide(report, config.settings.policy, config.onUnverified), what, io);
}
