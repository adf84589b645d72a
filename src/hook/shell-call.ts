/**
 * Where each agent's hook input carries the shell command it is about to run: one home for that
 * knowledge, shared by the protocols (src/hook/<agent>.ts) and the hook fast path
 * (src/hook/fast-path.ts), which must agree exactly on which calls are shell commands.
 *
 * This module imports nothing: the fast path loads it on every hook call.
 */

/** The agents whose hook protocol `slopguard hook <agent>` speaks. */
export const AGENT_HOOKS = ['claude', 'cursor', 'codex', 'gemini', 'copilot', 'opencode', 'windsurf'] as const;

/** One of {@link AGENT_HOOKS}. */
export type AgentHook = (typeof AGENT_HOOKS)[number];

/** A shell command read from a hook input. */
export interface ShellCall {
  /** The command text, as the shell will read it. */
  command?: string;
  /** An argv the agent runs directly (Codex can send `["git", "status"]`); `command` is then unset. */
  argv?: string[];
  /** The folder it runs in, when the input names one apart from its cwd (Gemini's `dir_path`, OpenCode's `workdir`). */
  dir?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `["bash", "-lc", "npm i x"]`: the script a shell is asked to run. */
const SHELL_C = /^(?:.*[\\/])?(?:sh|bash|zsh|dash|ksh|pwsh|powershell)(?:\.exe)?$/i;

function fromCommandField(v: unknown, dir?: string): ShellCall | undefined {
  const base = dir === undefined ? {} : { dir };
  if (typeof v === 'string') return { ...base, command: v };
  if (Array.isArray(v) && v.length > 0 && v.every((w) => typeof w === 'string')) {
    const words = v as string[];
    if (words.length === 3 && SHELL_C.test(words[0]!) && /^-(?:l?c|Command)$/i.test(words[1]!)) return { ...base, command: words[2]! };
    return { ...base, argv: words };
  }
  return undefined;
}

/** Claude Code and Codex share the PreToolUse input shape; these are their shell tools' names. */
const CLAUDE_SHELL_TOOLS = new Set(['Bash']);
// Codex names its shell tools "Bash" in hook input; the raw names are accepted in case a version sends them.
const CODEX_SHELL_TOOLS = new Set(['Bash', 'shell', 'local_shell', 'exec_command', 'unified_exec']);
const COPILOT_SHELL_TOOLS = new Set(['bash', 'powershell']);

/**
 * The shell call in an agent's hook input, or undefined when the input is not a shell call the
 * hook judges (another tool, another event, or a shape the protocol does not define).
 */
export function shellCallOf(agent: AgentHook, json: unknown): ShellCall | undefined {
  if (!isObject(json)) return undefined;
  const event = json.hook_event_name;
  switch (agent) {
    case 'claude':
    case 'codex': {
      if (event !== undefined && event !== 'PreToolUse') return undefined;
      const tools = agent === 'claude' ? CLAUDE_SHELL_TOOLS : CODEX_SHELL_TOOLS;
      if (typeof json.tool_name !== 'string' || !tools.has(json.tool_name) || !isObject(json.tool_input)) return undefined;
      return fromCommandField(json.tool_input.command);
    }
    case 'cursor':
      if (event !== undefined && event !== 'beforeShellExecution') return undefined;
      return typeof json.command === 'string' ? { command: json.command } : undefined;
    case 'gemini': {
      if (event !== undefined && event !== 'BeforeTool') return undefined;
      if (json.tool_name !== 'run_shell_command' || !isObject(json.tool_input)) return undefined;
      const ti = json.tool_input;
      return fromCommandField(ti.command, str(ti.dir_path) ?? str(ti.directory));
    }
    case 'copilot': {
      if (typeof json.toolName !== 'string' || !COPILOT_SHELL_TOOLS.has(json.toolName.toLowerCase())) return undefined;
      const args = copilotToolArgs(json.toolArgs);
      return isObject(args) ? fromCommandField(args.command) : undefined;
    }
    case 'windsurf': {
      if (json.agent_action_name !== undefined && json.agent_action_name !== 'pre_run_command') return undefined;
      if (!isObject(json.tool_info)) return undefined;
      return fromCommandField(json.tool_info.command_line);
    }
    case 'opencode': {
      if (json.tool !== 'bash' || !isObject(json.args)) return undefined;
      return fromCommandField(json.args.command, str(json.args.workdir));
    }
  }
}

/** Copilot sends `toolArgs` as a JSON string ("{\"command\":\"...\"}"); an object is taken as is. */
export function copilotToolArgs(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}
