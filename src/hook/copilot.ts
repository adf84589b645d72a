/**
 * `slopguard hook copilot`: a GitHub Copilot CLI / Copilot coding agent `preToolUse` hook.
 *
 * Protocol (GitHub Copilot hooks reference,
 * https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference, read 2026-12):
 * - stdin (the camelCase format, chosen by configuring the event as `preToolUse`):
 *   `{ timestamp, cwd, toolName: "bash", toolArgs: "{\"command\":\"...\",\"description\":\"...\"}" }`,
 *   where `toolArgs` is a JSON string.
 * - stdout, exit 0: `{ "permissionDecision": "deny", "permissionDecisionReason": "..." }`. Only
 *   "deny" is acted on; other outputs are ignored, and a hook that exits non-zero is skipped (the
 *   tool runs). So every answer exits 0, what slopguard would ask about is denied with a message
 *   saying a person must decide (`withoutAsk`), and a warning goes to stderr only.
 */
import type { Io } from '../cli/io.js';
import { shellCallSubject } from './agent-shell.js';
import { denyOnlyAnswer } from './decision.js';
import { HookInputError, runAgentHook, type HookProtocol } from './runner.js';
import type { HookFlags } from './settings.js';
import { copilotToolArgs, shellCallOf } from './shell-call.js';

/** The preToolUse input fields slopguard reads. */
export interface CopilotPreToolUseInput {
  timestamp?: number;
  cwd?: string;
  toolName: string;
  toolArgs: unknown;
}

/** What slopguard prints to deny a call. */
export interface CopilotHookOutput {
  permissionDecision: 'deny';
  permissionDecisionReason: string;
}

function parseInput(json: unknown): CopilotPreToolUseInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HookInputError('the hook input is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.toolName !== 'string') throw new HookInputError('the hook input has no "toolName" (is this a Copilot preToolUse hook, configured under the camelCase event name?)');
  const args = copilotToolArgs(o.toolArgs);
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new HookInputError(`the hook input's "toolArgs" for ${o.toolName} is not a JSON object (or a string holding one)`);
  return o as unknown as CopilotPreToolUseInput;
}

const answer = denyOnlyAnswer((message): CopilotHookOutput => ({ permissionDecision: 'deny', permissionDecisionReason: message }));

/** The Copilot protocol for the shared hook runner. */
export const COPILOT_PROTOCOL: HookProtocol<CopilotPreToolUseInput> = {
  parse: parseInput,
  applies: () => true,
  cwd: (i) => i.cwd,
  subject: (i, cwd, env, tree) => shellCallSubject(shellCallOf('copilot', i), cwd, env, tree),
  answer,
  defaultOnUnverified: 'ask',
};

/** Run the Copilot preToolUse hook on stdin; returns the exit code. */
export function runCopilotHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(COPILOT_PROTOCOL, flags, io);
}
