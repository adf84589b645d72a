/**
 * `slopguard hook cursor`: a Cursor `beforeShellExecution` hook.
 *
 * Protocol (Cursor hooks docs, https://cursor.com/docs/agent/hooks, read 2026-11):
 * - stdin: `{ hook_event_name: "beforeShellExecution", conversation_id, generation_id,
 *   workspace_roots: [...], command, cwd, ... }` ("command": "npm install express",
 *   "cwd": "/path/to/project").
 * - stdout: `{ "permission": "allow" | "deny" | "ask", "user_message": "...", "agent_message": "..." }`
 *   — beforeShellExecution "Can block? Yes; Can message agent? Yes". The current docs spell the
 *   messages `user_message` / `agent_message` (the launch docs' camelCase spelling is not written:
 *   a reader that took both showed every message twice). The user gets the message for every
 *   answer; the agent only for a denial, the one answer it must act on (retry with another name).
 * - A hook that crashes, times out or prints invalid JSON lets the command through unless the
 *   hook entry sets `failClosed: true`; a permission hook that prints nothing is refused under
 *   failClosed, so slopguard always prints an answer (`"allow"` when it has no objection; the
 *   hook runs before Cursor's own approval step, which still applies).
 */
import type { Io } from '../cli/io.js';
import { decisionMessage, type HookDecision } from './decision.js';
import { HookInputError, runAgentHook, type HookProtocol } from './runner.js';
import type { HookFlags } from './settings.js';
import { shellSubject } from './shell.js';

/** The beforeShellExecution input fields slopguard reads. */
export interface CursorShellInput {
  hook_event_name?: string;
  command: string;
  cwd?: string;
  workspace_roots?: string[];
  conversation_id?: string;
  generation_id?: string;
}

/** What slopguard prints. */
export interface CursorShellOutput {
  permission: 'allow' | 'deny' | 'ask';
  user_message?: string;
  agent_message?: string;
}

function parseInput(json: unknown): CursorShellInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HookInputError('the hook input is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.command !== 'string') throw new HookInputError('the hook input has no "command" (is this a Cursor beforeShellExecution hook?)');
  return o as unknown as CursorShellInput;
}

function answer(d: HookDecision, what: string, io: Io): number {
  const out: CursorShellOutput = { permission: d.action === 'deny' ? 'deny' : d.action === 'ask' ? 'ask' : 'allow' };
  if (d.action !== 'none') {
    const message = decisionMessage(d, what);
    out.user_message = message;
    // Only a denial is news the agent must act on; an ask or a warning is for the user.
    if (d.action === 'deny') out.agent_message = message;
  }
  io.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

/** The Cursor protocol for the shared hook runner. */
export const CURSOR_PROTOCOL: HookProtocol<CursorShellInput> = {
  parse: parseInput,
  applies: (i) => i.hook_event_name === undefined || i.hook_event_name === 'beforeShellExecution',
  cwd: (i) => i.cwd || i.workspace_roots?.[0],
  subject: async (i, cwd, env, tree) => shellSubject(i.command, cwd, env, tree),
  answer,
  defaultOnUnverified: 'ask',
};

/** Run the Cursor beforeShellExecution hook on stdin; returns the exit code. */
export function runCursorHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(CURSOR_PROTOCOL, flags, io);
}
