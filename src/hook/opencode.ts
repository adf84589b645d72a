/**
 * `slopguard hook opencode`: the other half of the OpenCode plugin `slopguard hook install
 * opencode` writes (src/hook/install/opencode.ts).
 *
 * OpenCode (https://opencode.ai/docs/plugins/) has no command hooks: a plugin's
 * `"tool.execute.before": async (input, output) => {...}` runs before every tool call, with
 * `input.tool` ("bash") and `output.args` (`{ command, workdir, description, timeout }`), and
 * blocks the call by throwing. The plugin sends slopguard this JSON on stdin:
 *   `{ "tool": "bash", "args": { "command": "..." }, "directory": "/project", "sessionID": "..." }`
 * and reads back one line `{ "action": "none" | "warn" | "deny", "message"?: "..." }` (exit 0).
 * It throws for "deny" (the message is what the agent reads), logs "warn", and lets "none" run.
 * A plugin cannot ask the user, so what slopguard would ask about is denied (`withoutAsk`).
 */
import type { Io } from '../cli/io.js';
import { shellCallSubject } from './agent-shell.js';
import { decisionMessage, withoutAsk, type HookDecision } from './decision.js';
import { HookInputError, runAgentHook, type HookProtocol } from './runner.js';
import type { HookFlags } from './settings.js';
import { shellCallOf } from './shell-call.js';

/** What the plugin sends. */
export interface OpenCodeToolInput {
  tool: string;
  args: Record<string, unknown>;
  directory?: string;
  sessionID?: string;
}

/** What slopguard answers the plugin. */
export interface OpenCodeHookOutput {
  action: 'none' | 'warn' | 'deny';
  message?: string;
}

function parseInput(json: unknown): OpenCodeToolInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HookInputError('the hook input is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.tool !== 'string') throw new HookInputError('the hook input has no "tool" (is this the slopguard OpenCode plugin?)');
  if (o.args === null || typeof o.args !== 'object' || Array.isArray(o.args)) throw new HookInputError(`the hook input has no "args" object for ${o.tool}`);
  return o as unknown as OpenCodeToolInput;
}

function answer(decision: HookDecision, what: string, io: Io): number {
  const d = withoutAsk(decision);
  const out: OpenCodeHookOutput = { action: d.action === 'deny' ? 'deny' : d.action === 'warn' ? 'warn' : 'none' };
  if (d.action !== 'none') out.message = decisionMessage(d, what);
  io.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

/** The OpenCode plugin protocol for the shared hook runner. */
export const OPENCODE_PROTOCOL: HookProtocol<OpenCodeToolInput> = {
  parse: parseInput,
  applies: () => true,
  cwd: (i) => i.directory,
  subject: (i, cwd, env, tree) => shellCallSubject(shellCallOf('opencode', i), cwd, env, tree),
  answer,
  defaultOnUnverified: 'ask',
};

/** Run the OpenCode plugin's check on stdin; returns the exit code. */
export function runOpenCodeHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(OPENCODE_PROTOCOL, flags, io);
}
