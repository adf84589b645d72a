/**
 * The hook fast path: most shell commands an agent runs (`ls`, `git status`, `cargo build`) cannot
 * install anything, and a hook pays a whole Node start for each. bin/slopguard.js
 * loads this small bundle (dist/bin/hook-fast.cjs, scripts/bundle.mjs) before the CLI; when the call
 * is a plain `hook <agent>` for a shell command whose text holds no word that could start a package
 * command, it prints the protocol's own "no objection" and the CLI, the pipeline, the data and the
 * registry clients are never loaded.
 *
 * It only ever answers "no objection", and only where the full path would too: anything it is not
 * sure of (flags, other tools, input it cannot read, any hint of a package tool) takes the full path.
 * One difference: it does not read the project's slopguard config, so a broken config is reported
 * at the next command that installs something, not on every `ls`.
 */
import { PACKAGE_COMMAND_STEMS } from '../extractors/text/install-command.js';
import { AGENT_HOOKS, shellCallOf, type AgentHook } from './shell-call.js';

// The list as this bundle has it, for the test that it is the grammar's.
export { PACKAGE_COMMAND_STEMS };

/** What each agent reads as "no objection": the bytes its full protocol prints for it, exit 0. */
export const NO_OBJECTION: Readonly<Record<AgentHook, string>> = {
  claude: '',
  cursor: '{"permission":"allow"}\n',
  codex: '',
  gemini: '{}\n',
  copilot: '',
  opencode: '{"action":"none"}\n',
  windsurf: '',
};

/** Larger inputs go the full path (it caps them and reports the cap); the shim reads no more than this. */
export const MAX_FAST_INPUT = 1024 * 1024;

/** A finished hook answer. */
export interface FastAnswer {
  stdout: string;
  code: number;
}

/** Whether `argv` names an agent hook the fast path may answer (the shim reads stdin only then). */
export function isFastHookCall(argv: readonly string[]): boolean {
  return argv.length === 2 && argv[0] === 'hook' && (AGENT_HOOKS as readonly string[]).includes(argv[1]!);
}

/**
 * Whether a command's text could start a package command: one of the grammar's program stems
 * appears in it once quotes and backslashes are gone (`n'p'm`, `n\pm`, a line continuation and
 * `C:\tools\npm.cmd` all still say npm to the shell and to the grammar).
 */
export function mayInstall(command: string): boolean {
  const text = command.replace(/\\\r?\n/g, '').replace(/['"\\]/g, '').toLowerCase();
  return PACKAGE_COMMAND_STEMS.some((stem) => text.includes(stem));
}

/** The answer for a hook call that cannot install anything; undefined when the full path must judge it. */
export function fastHookAnswer(argv: readonly string[], input: string): FastAnswer | undefined {
  if (!isFastHookCall(argv) || input.length > MAX_FAST_INPUT) return undefined;
  const agent = argv[1] as AgentHook;
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch {
    return undefined;
  }
  const call = shellCallOf(agent, json);
  if (call?.command === undefined || mayInstall(call.command)) return undefined;
  return { stdout: NO_OBJECTION[agent], code: 0 };
}
