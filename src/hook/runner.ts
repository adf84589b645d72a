/**
 * The one flow every agent hook follows, whatever its protocol: read the JSON the agent sends on
 * stdin, find what it is about to install, check it within the time budget, and answer in the
 * protocol's own words. It never crashes the agent: unreadable input, a broken config or a bug
 * is reported on stderr and let through with a warning, or denied when failing closed.
 */
import { isAbsolute } from 'node:path';
import type { CheckOptions } from '../core/check.js';
import { isUserError } from '../core/errors.js';
import type { ExtractNote, PackageRef } from '../core/types.js';
import { readAll, type Io } from '../cli/io.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { checkPlan } from '../install/check-plan.js';
import type { InstallPlan } from '../install/plan-install.js';
import { checkWithinBudget } from './budget.js';
import { decide, unreadableInput, type HookDecision, type UnverifiedAction } from './decision.js';
import { failClosedEarly, hookConfig, type HookFlags } from './settings.js';

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
  /** What the call would install; undefined or no refs when it installs nothing. */
  subject(input: I, cwd: string): Promise<HookSubject | undefined>;
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

/** Run one hook call end to end and return the exit code the agent expects. */
export async function runAgentHook<I>(protocol: HookProtocol<I>, flags: HookFlags, io: Io): Promise<number> {
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
    const subject = await protocol.subject(input, cwd);
    if (subject) {
      what = subject.what;
      warnNotes(subject.notes, io);
    }
    // No package, and nothing that hides one: no objection.
    if (!subject || (subject.refs.length === 0 && !subject.notes.some((n) => n.unverified))) return protocol.answer({ action: 'none', reasons: [] }, what, io);
    const options: CheckOptions = {
      ...config.checkOptions,
      registryOverrides: { ...config.checkOptions.registryOverrides, ...subject.registryOverrides },
      env: { ...config.checkOptions.env, ...subject.env },
    };
    const plan: Pick<InstallPlan, 'groups' | 'notes'> = subject.plan ?? { groups: [{ setting: { cwd }, refs: subject.refs }], notes: subject.notes.filter((n) => n.unverified) };
    const report = await checkPlan(plan, { ...options, cwd: options.cwd ?? cwd }, (refs, o) => checkWithinBudget(refs, o, config.budgetMs));
    const decision = decide(report, config.settings.policy, config.onUnverified);
    return protocol.answer(protocol.escalate ? protocol.escalate(input, decision) : decision, what, io);
  } catch (e) {
    if (isUserError(e)) return letThrough(`slopguard is misconfigured: ${e.message}`, what);
    // A bug in slopguard must not stop the agent's work unless the user asked to fail closed.
    if (io.env.SLOPGUARD_DEBUG) io.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return letThrough(`internal error: ${(e as Error)?.message ?? String(e)}`, what);
  }
}
