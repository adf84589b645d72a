/**
 * What an agent hook answers, decided once from a Report for every hook protocol (Claude Code,
 * Cursor, git): deny what the policy fails, ask about warnings, and for packages nobody could
 * check do what the user chose (`--on-unverified ask|allow|deny`; `--fail-closed` means deny).
 */
import type { PackageResult, Policy, Report } from '../core/types.js';
import type { ProtectedFile } from '../policy/protected-files.js';
import { fails, unverifiedNotes } from '../policy/verdict.js';
import { noteMessage } from '../reporters/note-message.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { reasonLine } from '../reporters/messages.js';

/** What to do when the registry could not be asked about a package. */
export type UnverifiedAction = 'ask' | 'allow' | 'deny';
export const UNVERIFIED_ACTIONS: readonly UnverifiedAction[] = ['ask', 'allow', 'deny'];

/**
 * `none`: no objection (the agent's normal permission flow applies); `warn`: let it through but
 * tell the user; `ask`: the user must confirm; `deny`: stop it and tell the agent why.
 */
export type HookAction = 'none' | 'warn' | 'ask' | 'deny';

/** A hook's answer, with one line per package that matters (already safe to print). */
export interface HookDecision {
  action: HookAction;
  reasons: string[];
  /** The hook could not read its input or config: no package was judged. */
  unreadable?: boolean;
  /**
   * Nothing was judged bad: the answer comes only from what could not be checked (a registry that
   * did not answer, input that hid packages). The advice is then "try again", not "rename".
   */
  uncheckedOnly?: boolean;
  /**
   * This is an "ask" the agent's hook protocol has no way to put to the user (Codex, Gemini CLI,
   * Copilot, OpenCode), answered as a denial whose message says a person should decide.
   */
  cannotAsk?: boolean;
  /**
   * What could not be checked here is checked by running the install as these commands
   * (`slopguard npm install x`: the wrapper's install guard judges what it fetches), from the
   * notes' `wrapperCommand`. A denial that replaces an ask names them, so an agent is not stuck.
   */
  wrapperCommands?: string[];
  /** An ask denied because the agent would approve it unseen (Claude Code's bypassPermissions), not a fail-closed setting. */
  escalated?: boolean;
}

const RANK: Record<HookAction, number> = { none: 0, warn: 1, ask: 2, deny: 3 };

function worse(a: HookAction, b: HookAction): HookAction {
  return RANK[b] > RANK[a] ? b : a;
}

function actionFor(p: PackageResult, policy: Pick<Policy, 'failOn'>, onUnverified: UnverifiedAction): HookAction {
  if (fails(p.verdict, policy)) return 'deny';
  if (p.verdict === 'warn') return 'ask';
  if (p.verdict === 'unknown') return onUnverified === 'allow' ? 'warn' : onUnverified;
  return 'none';
}

/** Nothing about the package was found bad: it only could not be checked (under fail-closed that blocks). */
function uncheckedOnly(p: PackageResult): boolean {
  return p.verdict === 'unknown' || p.findings.every((f) => f.code === 'unverified' || (f.severity !== 'block' && f.severity !== 'warn'));
}

/** The hook's answer for a report. Reasons list the worst packages first. */
export function decide(report: Report, policy: Pick<Policy, 'failOn'>, onUnverified: UnverifiedAction): HookDecision {
  let action: HookAction = 'none';
  const judged = report.packages.map((p) => ({ p, a: actionFor(p, policy, onUnverified) })).filter((x) => x.a !== 'none');
  for (const { a } of judged) action = worse(action, a);
  judged.sort((x, y) => RANK[y.a] - RANK[x.a]);
  const reasons = judged.map(({ p }) => escapeForTerminal(reasonLine(p)));
  // What could not be read may hide packages: never "no objection" for it.
  const hidden = unverifiedNotes(report);
  if (hidden.length) {
    action = worse(action, onUnverified === 'allow' ? 'warn' : onUnverified);
    for (const n of hidden) reasons.push(escapeForTerminal(`not checked: ${noteMessage(n)}`));
  }
  const decision: HookDecision = { action, reasons };
  const wrapped = [...new Set(hidden.flatMap((n) => (n.wrapperCommand ? [escapeForTerminal(n.wrapperCommand)] : [])))];
  if (action !== 'none' && wrapped.length) decision.wrapperCommands = wrapped;
  if (action !== 'none' && judged.every(({ p }) => uncheckedOnly(p))) decision.uncheckedOnly = true;
  return decision;
}

/** The answer when slopguard cannot check at all (its config is broken): ask or deny, never let through. */
export function cannotCheck(problem: string, action: 'ask' | 'deny'): HookDecision {
  return { action, reasons: [escapeForTerminal(problem)], unreadable: true };
}

/** Add the protected files an action changes: each is put to the user (ask at least). */
export function withProtectedEdits(d: HookDecision, edits: ReadonlyArray<[path: string, why: ProtectedFile]>): HookDecision {
  if (!edits.length) return d;
  const reasons = [...d.reasons, ...edits.map(([path, why]) => escapeForTerminal(`it changes \`${path}\`: ${why.reason}`))];
  return { ...d, action: worse(d.action, 'ask'), reasons };
}

/**
 * For protocols without an "ask": what slopguard would ask about is denied instead, because those
 * agents read anything short of a denial as "go ahead" (Codex even runs a command whose hook said
 * "ask"). The message tells the agent a person has to decide.
 */
export function withoutAsk(d: HookDecision): HookDecision {
  return d.action === 'ask' ? { ...d, action: 'deny', cannotAsk: true } : d;
}

/**
 * The answer of a protocol whose only blocking answer is a JSON denial on stdout (Codex, Copilot):
 * what would ask is denied (withoutAsk), a warning goes to stderr, no objection prints nothing.
 * `denial` is the protocol's own JSON for the message.
 */
export function denyOnlyAnswer(denial: (message: string) => unknown): (decision: HookDecision, what: string, io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } }) => number {
  return (decision, what, io) => {
    const d = withoutAsk(decision);
    if (d.action === 'none') return 0;
    const message = decisionMessage(d, what);
    if (d.action === 'warn') io.stderr.write(`${message}\n`);
    else io.stdout.write(`${JSON.stringify(denial(message))}\n`);
    return 0;
  };
}

/** The answer when the hook could not read what it was asked (bad JSON, bad config). */
export function unreadableInput(problem: string, failClosed: boolean): HookDecision {
  return { action: failClosed ? 'deny' : 'warn', reasons: [escapeForTerminal(problem)], unreadable: true };
}

/**
 * The message for people and agents. `what` names the thing judged ("this command", "this edit
 * of package.json"). A denial says what to do next, because an agent reads it and retries.
 */
export function decisionMessage(d: HookDecision, what: string): string {
  const list = d.reasons.map((r) => `- ${r}`).join('\n');
  switch (d.action) {
    case 'deny':
      if (d.cannotAsk && d.uncheckedOnly) {
        const wrapped = d.wrapperCommands?.length ? `run ${d.wrapperCommands.map((c) => `\`${c}\``).join(' and ')} instead (the wrapper checks every package the install fetches, as it fetches it), ` : '';
        return (
          `slopguard stopped ${what} because it could not check what it would install (this agent's hooks cannot ask the user):\n${list}\n` +
          `Nothing here was found to be bad: ${wrapped}try again when the registry answers, or ask the user to run it.`
        );
      }
      if (d.cannotAsk) {
        return (
          `slopguard stopped ${what} until a person has looked at it (this agent's hooks cannot ask the user):\n${list}\n` +
          'Tell the user what you wanted to install and why; they can run it themselves, or allow the name ' +
          '(an "allow" entry in .slopguard.json, or SLOPGUARD_ALLOW=<name>).'
        );
      }
      // Denied only because nobody would see the question: no "failing closed" (the reasons say why and what to run).
      if (d.escalated && (d.unreadable || d.uncheckedOnly)) return `slopguard stopped ${what} because it could not check what it would install, and nobody would see the question:\n${list}`;
      // Nothing was judged, so advice about package names would send the agent the wrong way.
      if (d.unreadable) return `slopguard stopped ${what} because it could not check it (failing closed):\n${list}`;
      // Advice about names would send the agent the wrong way when no name was judged bad.
      if (d.uncheckedOnly) {
        return (
          `slopguard stopped ${what} because it could not check what it would install (failing closed):\n${list}\n` +
          'Nothing here was found to be bad: try again when the registry answers, or ask the user to run it.'
        );
      }
      return (
        `slopguard stopped ${what}:\n${list}\n` +
        'Use the intended package name instead. If this exact package is really wanted, ask the user to allow it ' +
        '(an "allow" entry in .slopguard.json, which applies once they run `slopguard trust`, or SLOPGUARD_ALLOW=<name>).'
      );
    case 'ask':
      if (d.unreadable) return `slopguard could not check ${what}, so it asks before it runs:\n${list}`;
      return `slopguard asks for a look before ${what} runs:\n${list}`;
    case 'warn':
      return `slopguard let ${what} through without checking it:\n${list}`;
    case 'none':
      return '';
  }
}
