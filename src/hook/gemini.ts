/**
 * `slopguard hook gemini`: a Gemini CLI BeforeTool command hook.
 *
 * Protocol (Gemini CLI hooks reference, https://geminicli.com/docs/hooks/reference, read 2026-12):
 * - stdin: `{ session_id, transcript_path, cwd, hook_event_name: "BeforeTool", timestamp,
 *   tool_name: "run_shell_command", tool_input: { command, description, dir_path } }`.
 * - stdout, exit 0, JSON only ("must not print any plain text to stdout other than the final
 *   JSON"): `{ "decision": "deny", "reason": "..." }` blocks the tool and sends the reason to the
 *   agent as a tool error; `systemMessage` is "displayed immediately to the user". Exit 2 blocks
 *   with stderr as the reason; any other code is a warning and the tool runs.
 * - `decision` is "allow" or "deny" (alias "block"): there is no "ask". What slopguard would ask
 *   about is denied with a message saying a person must decide (`withoutAsk`). No objection is
 *   `{}` (no decision: Gemini's own confirmation of shell commands still applies).
 */
import type { Io } from '../cli/io.js';
import { shellCallSubject } from './agent-shell.js';
import { decisionMessage, withoutAsk, type HookDecision } from './decision.js';
import { HookInputError, runAgentHook, type HookProtocol } from './runner.js';
import type { HookFlags } from './settings.js';
import { shellCallOf } from './shell-call.js';

/** The BeforeTool input fields slopguard reads. */
export interface GeminiBeforeToolInput {
  cwd?: string;
  hook_event_name?: string;
  tool_name: string;
  tool_input: Record<string, unknown>;
}

/** What slopguard prints. */
export interface GeminiHookOutput {
  decision?: 'deny';
  reason?: string;
  systemMessage?: string;
}

function parseInput(json: unknown): GeminiBeforeToolInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HookInputError('the hook input is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.tool_name !== 'string') throw new HookInputError('the hook input has no "tool_name" (is this a Gemini CLI BeforeTool hook?)');
  const ti = o.tool_input;
  if (ti === null || typeof ti !== 'object' || Array.isArray(ti)) throw new HookInputError(`the hook input has no "tool_input" object for ${o.tool_name}`);
  return o as unknown as GeminiBeforeToolInput;
}

function answer(decision: HookDecision, what: string, io: Io): number {
  const d = withoutAsk(decision);
  const out: GeminiHookOutput = {};
  if (d.action !== 'none') {
    const message = decisionMessage(d, what);
    if (d.action === 'deny') {
      out.decision = 'deny';
      out.reason = message;
    }
    out.systemMessage = message;
  }
  io.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

/** The Gemini CLI protocol for the shared hook runner. */
export const GEMINI_PROTOCOL: HookProtocol<GeminiBeforeToolInput> = {
  parse: parseInput,
  applies: (i) => i.hook_event_name === undefined || i.hook_event_name === 'BeforeTool',
  cwd: (i) => i.cwd,
  subject: (i, cwd) => shellCallSubject(shellCallOf('gemini', i), cwd),
  answer,
  defaultOnUnverified: 'ask',
};

/** Run the Gemini CLI BeforeTool hook on stdin; returns the exit code. */
export function runGeminiHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(GEMINI_PROTOCOL, flags, io);
}
