/**
 * `slopguard hook codex`: an OpenAI Codex CLI PreToolUse command hook.
 *
 * Protocol (Codex hooks docs, https://developers.openai.com/codex/hooks, read 2026-12; it uses the
 * Claude Code wire format):
 * - stdin: `{ session_id, turn_id, transcript_path, cwd, hook_event_name: "PreToolUse", model,
 *   permission_mode, tool_name: "Bash", tool_use_id, tool_input: { command } }`.
 * - stdout, exit 0: `{ "hookSpecificOutput": { "hookEventName": "PreToolUse",
 *   "permissionDecision": "deny", "permissionDecisionReason": "..." } }` blocks the call and shows
 *   the reason to the model; exit 2 blocks with stderr as the reason. Exit 0 with no output is no
 *   objection.
 * - Codex does not support "allow", "ask", `updatedInput` or fields it does not know: it reports
 *   the hook as failed and RUNS the command. So slopguard never prints "ask": what it would ask
 *   about is denied with a message saying a person must decide (`withoutAsk`), and a warning goes
 *   to stderr only, with nothing on stdout.
 *
 * Only shell calls are judged; `apply_patch` edits of manifests are left to the git hook, CI and
 * the editor integration.
 */
import type { Io } from '../cli/io.js';
import { shellCallSubject } from './agent-shell.js';
import { denyOnlyAnswer } from './decision.js';
import { HookInputError, runAgentHook, type HookProtocol } from './runner.js';
import type { HookFlags } from './settings.js';
import { shellCallOf } from './shell-call.js';

/** The PreToolUse input fields slopguard reads. */
export interface CodexPreToolUseInput {
  cwd?: string;
  hook_event_name?: string;
  tool_name: string;
  tool_input: Record<string, unknown>;
}

/** What slopguard prints to deny a call. */
export interface CodexHookOutput {
  hookSpecificOutput: { hookEventName: 'PreToolUse'; permissionDecision: 'deny'; permissionDecisionReason: string };
}

function parseInput(json: unknown): CodexPreToolUseInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HookInputError('the hook input is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.tool_name !== 'string') throw new HookInputError('the hook input has no "tool_name" (is this a Codex PreToolUse hook?)');
  const ti = o.tool_input;
  if (ti === null || typeof ti !== 'object' || Array.isArray(ti)) throw new HookInputError(`the hook input has no "tool_input" object for ${o.tool_name}`);
  return o as unknown as CodexPreToolUseInput;
}

const answer = denyOnlyAnswer((message): CodexHookOutput => ({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: message } }));

/** The Codex protocol for the shared hook runner. */
export const CODEX_PROTOCOL: HookProtocol<CodexPreToolUseInput> = {
  parse: parseInput,
  applies: (i) => i.hook_event_name === undefined || i.hook_event_name === 'PreToolUse',
  cwd: (i) => i.cwd,
  subject: (i, cwd, env, tree) => shellCallSubject(shellCallOf('codex', i), cwd, env, tree),
  answer,
  // Asked about means denied here (see the module comment); --on-unverified allow lets it through with a warning.
  defaultOnUnverified: 'ask',
};

/** Run the Codex PreToolUse hook on stdin; returns the exit code. */
export function runCodexHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(CODEX_PROTOCOL, flags, io);
}
