/**
 * `slopguard hook claude`: a Claude Code PreToolUse command hook.
 *
 * Protocol (Claude Code hooks reference, https://code.claude.com/docs/en/hooks, read 2026-11):
 * - stdin: `{ session_id, transcript_path, cwd, permission_mode, hook_event_name: "PreToolUse",
 *   tool_name, tool_input, tool_use_id }`, where tool_input is `{ command, description, timeout }`
 *   for Bash, `{ file_path, content }` for Write, `{ file_path, old_string, new_string,
 *   replace_all }` for Edit and `{ file_path, edits: [{ old_string, new_string, replace_all }] }`
 *   for MultiEdit; "File paths are absolute".
 * - stdout, exit 0: `{ "hookSpecificOutput": { "hookEventName": "PreToolUse",
 *   "permissionDecision": "allow" | "deny" | "ask", "permissionDecisionReason": "..." } }`.
 *   "ask: shown in the prompt. deny: shown to Claude." A top-level `systemMessage` is a
 *   "Warning message shown to user".
 * - exit 0 with no output: "allow the tool call with no further action", i.e. the normal
 *   permission flow. Exit 2 blocks with stderr fed to Claude; any other code is a non-blocking
 *   error and the call proceeds.
 *
 * Choices: no objection is exit 0 with no output, never `"allow"`, because a hook's allow skips
 * the user's permission prompt and slopguard only knows about package names, not whether the
 * rest of the command is safe. Every answer is JSON with exit 0 (deny included) so the reason
 * reaches Claude intact. Under bypassPermissions an "ask" is auto-approved
 * (anthropics/claude-code#77212) and "deny" still blocks, so there an ask becomes a deny.
 */
import { basename, resolve } from 'node:path';
import { changesPackageJsonPolicy, protectedFile, protectedOf } from '../policy/protected-files.js';
import type { Io } from '../cli/io.js';
import type { ResolveTree } from '../install/plan-install.js';
import { decisionMessage, type HookDecision } from './decision.js';
import { addedRefs, applyStringEdits, displayPath, isDependencyFile, readCurrent, type StringEdit } from './edit.js';
import { HookInputError, runAgentHook, type HookProtocol, type HookSubject } from './runner.js';
import type { HookFlags } from './settings.js';
import { shellSubject } from './shell.js';

/** The PreToolUse input fields slopguard reads. */
export interface ClaudePreToolUseInput {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  permission_mode?: string;
  hook_event_name?: string;
  tool_name: string;
  tool_input: Record<string, unknown>;
  tool_use_id?: string;
}

/** What slopguard prints for ask / deny / warn. */
export interface ClaudeHookOutput {
  hookSpecificOutput?: {
    hookEventName: 'PreToolUse';
    permissionDecision: 'allow' | 'deny' | 'ask';
    permissionDecisionReason: string;
  };
  systemMessage?: string;
}

const EDIT_TOOLS = new Set(['Write', 'Edit', 'MultiEdit']);

function parseInput(json: unknown): ClaudePreToolUseInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HookInputError('the hook input is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.tool_name !== 'string') throw new HookInputError('the hook input has no "tool_name" (is this a Claude Code PreToolUse hook?)');
  const ti = o.tool_input;
  if (ti === null || typeof ti !== 'object' || Array.isArray(ti)) throw new HookInputError(`the hook input has no "tool_input" object for ${o.tool_name}`);
  return o as unknown as ClaudePreToolUseInput;
}

/** The file's text after the tool runs, or undefined when the tool would not change it. */
function afterEdit(tool: string, input: Record<string, unknown>, before: string | undefined): string | undefined {
  if (tool === 'Write') return typeof input.content === 'string' ? input.content : undefined;
  if (tool === 'Edit') return applyStringEdits(before, [input as unknown as StringEdit]);
  if (tool === 'MultiEdit') return Array.isArray(input.edits) ? applyStringEdits(before, input.edits as StringEdit[]) : undefined;
  return undefined;
}

async function subjectOf(input: ClaudePreToolUseInput, cwd: string, env: Io['env'], tree?: ResolveTree): Promise<HookSubject | undefined> {
  const ti = input.tool_input;
  if (input.tool_name === 'Bash') {
    return typeof ti.command === 'string' ? shellSubject(ti.command, cwd, env, tree) : undefined;
  }
  if (!EDIT_TOOLS.has(input.tool_name) || typeof ti.file_path !== 'string') return undefined;
  const path = resolve(cwd, ti.file_path);
  const what = `this edit of ${displayPath(path, cwd)}`;
  const guarded = protectedFile(path, cwd, env);
  if (guarded) return { what, refs: [], notes: [], protectedEdits: [[displayPath(path, cwd), guarded]] };
  if (!isDependencyFile(ti.file_path)) return undefined;
  const current = await readCurrent(path, cwd);
  const before = current.text;
  // An edit of a file slopguard would not read (a FIFO, a device, over the cap) cannot be
  // judged: what it adds is unverified, never allowed unseen. A Write replaces the whole file,
  // so its content is judged as it is.
  if (current.note && input.tool_name !== 'Write') return { what, refs: [], notes: [{ ...current.note, unverified: true }] };
  const after = afterEdit(input.tool_name, ti, before);
  if (after === undefined) return undefined;
  const subject: HookSubject = { what, ...(await addedRefs({ path, before, after }, cwd)) };
  // package.json#slopguard is slopguard's policy too: an edit of that section goes to the user.
  if (basename(path) === 'package.json' && changesPackageJsonPolicy(before, after)) {
    subject.protectedEdits = [[`${displayPath(path, cwd)}#slopguard`, protectedOf('slopguard-config')]];
  }
  return subject;
}

function answer(d: HookDecision, what: string, io: Io): number {
  if (d.action === 'none') return 0;
  const message = decisionMessage(d, what);
  const out: ClaudeHookOutput =
    d.action === 'warn'
      ? { systemMessage: message }
      : { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: d.action, permissionDecisionReason: message } };
  io.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

/** The Claude Code protocol for the shared hook runner. */
export const CLAUDE_PROTOCOL: HookProtocol<ClaudePreToolUseInput> = {
  parse: parseInput,
  applies: (i) => i.hook_event_name === undefined || i.hook_event_name === 'PreToolUse',
  cwd: (i) => i.cwd,
  subject: subjectOf,
  answer,
  // The user is at the keyboard: let them decide about a package nobody could check.
  defaultOnUnverified: 'ask',
  escalate: bypassEscalation,
};

/**
 * Under `permission_mode: "bypassPermissions"` Claude Code approves an "ask" by itself
 * (anthropics/claude-code#77212): nobody would see the question, so what would ask denies,
 * saying why. Other modes (`default`, `acceptEdits`, `plan`) show the question to the user.
 */
export function bypassEscalation(input: Pick<ClaudePreToolUseInput, 'permission_mode'>, d: HookDecision): HookDecision {
  if (input.permission_mode !== 'bypassPermissions' || d.action !== 'ask') return d;
  const out: HookDecision = { ...d, action: 'deny', reasons: [...d.reasons, bypassReason(d)], escalated: true };
  // Only what could not be checked: advice about package names would send the agent the wrong way.
  if (d.reasons.every((r) => r.startsWith('not checked: '))) out.unreadable = true;
  return out;
}

/**
 * Why an ask was denied under bypassPermissions, and the way forward: a tree that could not be
 * resolved is checked by running the install through the wrapper (its install guard judges each
 * package as it is fetched), which an agent can do by itself.
 */
function bypassReason(d: HookDecision): string {
  const why = 'Claude Code runs with bypassPermissions, which would approve this question unseen; denied instead';
  const run = d.wrapperCommands ?? [];
  if (run.length) return `${why}. Run ${run.map((c) => `\`${c}\``).join(' and ')} instead: the wrapper checks every package the install fetches, as it fetches it (or ask the user to run it, or to allow the package).`;
  return `${why} (ask the user to run it, or allow the package).`;
}

/** Run the Claude Code PreToolUse hook on stdin; returns the exit code. */
export function runClaudeHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(CLAUDE_PROTOCOL, flags, io);
}
