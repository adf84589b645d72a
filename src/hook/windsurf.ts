/**
 * `slopguard hook windsurf`: a Windsurf Cascade `pre_run_command` hook.
 *
 * Protocol (Cascade Hooks docs, https://docs.windsurf.com/windsurf/cascade/hooks, read 2026-12):
 * - stdin: `{ agent_action_name: "pre_run_command", trajectory_id, execution_id, timestamp,
 *   tool_info: { command_line, cwd } }`.
 * - A pre-hook blocks the action by exiting with code 2; what it writes is shown in Cascade when
 *   the hook entry sets `show_output: true`. Any other exit lets the command run. There is no
 *   "ask": what slopguard would ask about is denied with a message saying a person must decide
 *   (`withoutAsk`). No objection is exit 0 with no output; a warning is stderr with exit 0.
 */
import type { Io } from '../cli/io.js';
import { shellCallSubject } from './agent-shell.js';
import { decisionMessage, withoutAsk, type HookDecision } from './decision.js';
import { HookInputError, runAgentHook, type HookProtocol } from './runner.js';
import type { HookFlags } from './settings.js';
import { shellCallOf } from './shell-call.js';

/** The pre_run_command input fields slopguard reads. */
export interface WindsurfPreRunCommandInput {
  agent_action_name?: string;
  tool_info: { command_line?: unknown; cwd?: unknown };
}

function parseInput(json: unknown): WindsurfPreRunCommandInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HookInputError('the hook input is not a JSON object');
  const o = json as Record<string, unknown>;
  const ti = o.tool_info;
  if (ti === null || typeof ti !== 'object' || Array.isArray(ti)) throw new HookInputError('the hook input has no "tool_info" object (is this a Windsurf pre_run_command hook?)');
  return o as unknown as WindsurfPreRunCommandInput;
}

/** Exit 2 is the only way to block a Cascade action. */
const BLOCK = 2;

function answer(decision: HookDecision, what: string, io: Io): number {
  const d = withoutAsk(decision);
  if (d.action === 'none') return 0;
  io.stderr.write(`${decisionMessage(d, what)}\n`);
  return d.action === 'deny' ? BLOCK : 0;
}

/** The Windsurf protocol for the shared hook runner. */
export const WINDSURF_PROTOCOL: HookProtocol<WindsurfPreRunCommandInput> = {
  parse: parseInput,
  applies: (i) => i.agent_action_name === undefined || i.agent_action_name === 'pre_run_command',
  cwd: (i) => (typeof i.tool_info.cwd === 'string' ? i.tool_info.cwd : undefined),
  subject: (i, cwd, env, tree) => shellCallSubject(shellCallOf('windsurf', i), cwd, env, tree),
  answer,
  defaultOnUnverified: 'ask',
};

/** Run the Windsurf pre_run_command hook on stdin; returns the exit code. */
export function runWindsurfHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(WINDSURF_PROTOCOL, flags, io);
}
