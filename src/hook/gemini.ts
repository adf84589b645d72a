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
 * - File tools: `write_file` `{ file_path, content }` and `replace` `{ file_path, old_string,
 *   new_string, expected_replacements }`; an edit of a manifest, lockfile, MCP config or agent
 *   instructions is judged by the dependencies it adds, as for Claude Code's Write and Edit.
 * - `decision` is "allow" or "deny" (alias "block"): there is no "ask". What slopguard would ask
 *   about is denied with a message saying a person must decide (`withoutAsk`). No objection is
 *   `{}` (no decision: Gemini's own confirmation of shell commands still applies).
 */
import { resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import type { ResolveTree } from '../install/plan-install.js';
import { protectedFile } from '../policy/protected-files.js';
import { shellCallSubject } from './agent-shell.js';
import { addedRefs, applyStringEdits, displayPath, isDependencyFile, readCurrent } from './edit.js';
import { decisionMessage, withoutAsk, type HookDecision } from './decision.js';
import { HookInputError, runAgentHook, type HookProtocol, type HookSubject } from './runner.js';
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

/** The file's text after write_file or replace, or undefined when the tool would not change it. */
function afterEdit(tool: string, ti: Record<string, unknown>, before: string | undefined): string | undefined {
  if (tool === 'write_file') return typeof ti.content === 'string' ? ti.content : undefined;
  if (typeof ti.old_string !== 'string' || typeof ti.new_string !== 'string') return undefined;
  const many = typeof ti.expected_replacements === 'number' && ti.expected_replacements > 1;
  return applyStringEdits(before, [{ old_string: ti.old_string, new_string: ti.new_string, replace_all: many }]);
}

async function subjectOf(i: GeminiBeforeToolInput, cwd: string, env: Io['env'], tree?: ResolveTree): Promise<HookSubject | undefined> {
  if (i.tool_name === 'run_shell_command') return shellCallSubject(shellCallOf('gemini', i), cwd, env, tree);
  const file = i.tool_input.file_path;
  if ((i.tool_name !== 'write_file' && i.tool_name !== 'replace') || typeof file !== 'string') return undefined;
  const path = resolve(cwd, file);
  const what = `this edit of ${displayPath(path, cwd)}`;
  // An edit of slopguard's own config, a package manager's or an agent's hook settings goes to a person.
  const guarded = protectedFile(path, cwd, env);
  if (guarded) return { what, refs: [], notes: [], protectedEdits: [[displayPath(path, cwd), guarded]] };
  if (!isDependencyFile(file)) return undefined;
  const current = await readCurrent(path, cwd);
  // A file slopguard would not read (a FIFO, a device, over the cap): what a replace adds is unverified.
  if (current.note && i.tool_name !== 'write_file') return { what, refs: [], notes: [{ ...current.note, unverified: true }] };
  const after = afterEdit(i.tool_name, i.tool_input, current.text);
  if (after === undefined) return undefined;
  return { what, ...(await addedRefs({ path, before: current.text, after }, cwd)) };
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
  subject: subjectOf,
  answer,
  defaultOnUnverified: 'ask',
};

/** Run the Gemini CLI BeforeTool hook on stdin; returns the exit code. */
export function runGeminiHook(flags: HookFlags, io: Io): Promise<number> {
  return runAgentHook(GEMINI_PROTOCOL, flags, io);
}
