import { homedir } from 'node:os';
import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { DEFAULT_HOOK_BUDGET_S } from '../../hook/budget.js';
import { HOOK_TARGETS, installHook, slopguardInvocation, uninstallHook, type HookTarget, type InstallResult, type InstallScope } from '../../hook/install/index.js';
import type { HookFlags } from '../../hook/settings.js';
import type { Io } from '../io.js';
import { addPolicyOptions } from '../options.js';
import type { CommandContext } from '../run.js';

// The hook runners are imported when run: `slopguard check` should not load what only hooks need.

/** The options of a hook runner; `shellCommands`: it judges shell commands, so it resolves their installs' trees. */
function addHookRunOptions(cmd: Command, unverifiedDefault: string, shellCommands = true): Command {
  if (shellCommands) cmd.option('--no-resolve-tree', 'judge the names a command types, not also the tree its install resolves to (env SLOPGUARD_RESOLVE_TREE=0)');
  return addPolicyOptions(
    cmd
      .option('--budget <seconds>', `answer within this many seconds, registry or not (default ${DEFAULT_HOOK_BUDGET_S}; env SLOPGUARD_HOOK_BUDGET)`)
      .addOption(
        new Option('--on-unverified <action>', `when a package cannot be checked: ask | allow | deny (default ${unverifiedDefault}; env SLOPGUARD_HOOK_ON_UNVERIFIED)`).choices([
          'ask',
          'allow',
          'deny',
        ]),
      ),
  );
}

interface InstallFlags {
  project?: boolean;
  local?: boolean;
  user?: boolean;
  command?: string;
  allowMachinePath?: boolean;
}

const TARGET_NAME: Record<HookTarget, string> = {
  claude: 'Claude Code PreToolUse hook',
  cursor: 'Cursor beforeShellExecution hook',
  codex: 'Codex PreToolUse hook',
  gemini: 'Gemini CLI BeforeTool hook',
  copilot: 'GitHub Copilot preToolUse hook',
  opencode: 'OpenCode plugin',
  windsurf: 'Windsurf pre_run_command hook',
  git: 'git pre-commit hook',
};

function scopeOf(flags: InstallFlags): InstallScope {
  const chosen = [flags.project && 'project', flags.local && 'local', flags.user && 'user'].filter(Boolean);
  if (chosen.length > 1) throw new UsageError('choose one of --project, --local, --user');
  return (chosen[0] as InstallScope | undefined) ?? 'project';
}

function targetOf(target: string): HookTarget {
  if ((HOOK_TARGETS as readonly string[]).includes(target)) return target as HookTarget;
  throw new UsageError(`unknown hook target "${target}": expected ${HOOK_TARGETS.join(', ')}`);
}

/** The files a hook target writes at project scope that are meant to be committed and shared. */
const COMMITTED_AT_PROJECT_SCOPE: Record<HookTarget, string | undefined> = {
  claude: '.claude/settings.json',
  cursor: '.cursor/hooks.json',
  codex: '.codex/hooks.json',
  gemini: '.gemini/settings.json',
  copilot: '.github/hooks/slopguard.json',
  opencode: '.opencode/plugins/slopguard.js',
  windsurf: '.windsurf/hooks.json',
  git: undefined,
};

/** The hooks of agents whose protocols have no "ask": one `hook <agent>` subcommand each. */
const NO_ASK_AGENTS = [
  {
    name: 'codex',
    run: async (flags: HookFlags, io: Io) => (await import('../../hook/codex.js')).runCodexHook(flags, io),
    summary: 'OpenAI Codex CLI PreToolUse hook (reads the hook JSON on stdin)',
    description:
      "Reads Codex's PreToolUse JSON on stdin and checks the packages a Bash command would install. Blocked, or worth a look -> " +
      '{"hookSpecificOutput": {"permissionDecision": "deny", ...}} (Codex runs a command whose hook answers "ask"); otherwise no output.',
    wiring: `Wire it up with \`slopguard hook install codex\`, or by hand in .codex/hooks.json (or ~/.codex/hooks.json):
  {"hooks": {"PreToolUse": [{"matcher": "Bash",
     "hooks": [{"type": "command", "command": "slopguard hook codex", "timeout": 30}]}]}}`,
    example: `echo '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"npm i lodsah"}}' | slopguard hook codex`,
  },
  {
    name: 'gemini',
    run: async (flags: HookFlags, io: Io) => (await import('../../hook/gemini.js')).runGeminiHook(flags, io),
    summary: 'Gemini CLI BeforeTool hook (reads the hook JSON on stdin)',
    description:
      "Reads Gemini CLI's BeforeTool JSON on stdin and checks the packages a run_shell_command would install, and what a write_file or replace of a manifest adds. Blocked, or worth a look -> " +
      '{"decision": "deny", "reason": ...}; a warning -> {"systemMessage": ...}; otherwise {}.',
    wiring: `Wire it up with \`slopguard hook install gemini\`, or by hand in .gemini/settings.json (or ~/.gemini/settings.json):
  {"hooks": {"BeforeTool": [{"matcher": "run_shell_command|write_file|replace",
     "hooks": [{"name": "slopguard", "type": "command", "command": "slopguard hook gemini", "timeout": 30000}]}]}}`,
    example: `echo '{"hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"pip install reqests"}}' | slopguard hook gemini`,
  },
  {
    name: 'copilot',
    run: async (flags: HookFlags, io: Io) => (await import('../../hook/copilot.js')).runCopilotHook(flags, io),
    summary: 'GitHub Copilot CLI / coding agent preToolUse hook (reads the hook JSON on stdin)',
    description:
      "Reads Copilot's preToolUse JSON on stdin (toolArgs as a JSON string) and checks the packages a bash command would install. " +
      'Blocked, or worth a look -> {"permissionDecision": "deny", ...} (the only answer Copilot acts on); otherwise no output.',
    wiring: `Wire it up with \`slopguard hook install copilot\` (writes .github/hooks/slopguard.json), or by hand in any .github/hooks/*.json:
  {"version": 1, "hooks": {"preToolUse": [{"type": "command", "bash": "slopguard hook copilot", "timeoutSec": 30}]}}`,
    example: `echo '{"toolName":"bash","toolArgs":"{\\"command\\":\\"npm i lodsah\\"}","cwd":"."}' | slopguard hook copilot`,
  },
  {
    name: 'opencode',
    run: async (flags: HookFlags, io: Io) => (await import('../../hook/opencode.js')).runOpenCodeHook(flags, io),
    summary: 'OpenCode plugin check (the plugin `hook install opencode` writes calls it)',
    description:
      'Reads {"tool": "bash", "args": {"command": ...}, "directory": ...} on stdin, as slopguard\'s OpenCode plugin sends it, and answers ' +
      '{"action": "none" | "warn" | "deny", "message": ...}; the plugin throws for "deny", which stops the tool call.',
    wiring: `Wire it up with \`slopguard hook install opencode\`: it writes .opencode/plugins/slopguard.js (or
~/.config/opencode/plugins/slopguard.js with --user), which OpenCode loads at start-up.`,
    example: `echo '{"tool":"bash","args":{"command":"npm i lodsah"},"directory":"."}' | slopguard hook opencode`,
  },
  {
    name: 'windsurf',
    run: async (flags: HookFlags, io: Io) => (await import('../../hook/windsurf.js')).runWindsurfHook(flags, io),
    summary: 'Windsurf Cascade pre_run_command hook (reads the hook JSON on stdin)',
    description:
      "Reads Windsurf Cascade's pre_run_command JSON on stdin and checks the packages the command line would install. Blocked, or worth a look -> " +
      'exit 2 with the reason on stderr (the only way a Cascade hook blocks); otherwise exit 0.',
    wiring: `Wire it up with \`slopguard hook install windsurf\`, or by hand in .windsurf/hooks.json (or ~/.codeium/windsurf/hooks.json):
  {"hooks": {"pre_run_command": [{"command": "slopguard hook windsurf", "show_output": true}]}}`,
    example: `echo '{"agent_action_name":"pre_run_command","tool_info":{"command_line":"npm i lodsah","cwd":"."}}' | slopguard hook windsurf`,
  },
] as const;

async function installContext(flags: InstallFlags, io: Io, target?: HookTarget) {
  const scope = scopeOf(flags);
  // Project settings live at the repository root, wherever in it the command is run.
  const { gitRoot } = await import('../../sources/git.js');
  const root = (await gitRoot(io.cwd).catch(() => undefined)) ?? io.cwd;
  const committedFile = target && scope === 'project' ? COMMITTED_AT_PROJECT_SCOPE[target] : undefined;
  const where = { root, committed: committedFile !== undefined, allowMachinePath: flags.allowMachinePath === true, ...(committedFile ? { file: committedFile } : {}) };
  // Uninstall writes no command: it must work whatever the invocation would be.
  const invocation = target ? slopguardInvocation(io.env, flags.command, where) : slopguardInvocation(io.env, flags.command);
  return { root, home: io.env.HOME || homedir(), scope, invocation };
}

function report(result: InstallResult, target: HookTarget, io: Io): void {
  const file = relative(io.cwd, result.file).startsWith('..') ? result.file : relative(io.cwd, result.file) || result.file;
  const what = TARGET_NAME[target];
  const line: Record<InstallResult['status'], string> = {
    installed: `installed the ${what} in ${file}`,
    updated: `updated the ${what} in ${file}`,
    unchanged: `the ${what} is already installed in ${file}; nothing changed`,
    removed: `removed the ${what} from ${file}`,
    absent: `no slopguard ${what} in ${file}; nothing changed`,
  };
  io.stdout.write(`slopguard: ${line[result.status]}\n`);
  if (result.note) io.stdout.write(`slopguard: ${result.note}\n`);
}

export function registerHook(program: Command, ctx: CommandContext): void {
  const hook = program
    .command('hook')
    .summary('agent and git hooks: Claude Code, Cursor, Codex, Gemini CLI, Copilot, OpenCode, Windsurf, git pre-commit; install and uninstall them')
    .description('Check what coding agents and commits are about to add, where they add it.')
    .addHelpText(
      'after',
      `
Examples:
  slopguard hook install claude          wire into .claude/settings.json (this project)
  slopguard hook install claude --user   wire into ~/.claude/settings.json (every project)
  slopguard hook install cursor          wire into .cursor/hooks.json
  slopguard hook install codex           wire into .codex/hooks.json
  slopguard hook install gemini          wire into .gemini/settings.json
  slopguard hook install copilot         write .github/hooks/slopguard.json
  slopguard hook install opencode        write the plugin .opencode/plugins/slopguard.js
  slopguard hook install windsurf        wire into .windsurf/hooks.json
  slopguard hook install git             run before every commit in this repository
  slopguard hook uninstall claude        take it out again, leaving your other settings

An unknown agent name is a usage error (exit 2, on stderr), which Claude Code, Codex and Gemini CLI
read as "blocked" (Windsurf too); Copilot and Cursor skip a failing hook and run the command, so let
\`slopguard hook install <agent>\` write the name.`,
    );

  addHookRunOptions(
    hook
      .command('claude')
      .summary('Claude Code PreToolUse hook (reads the hook JSON on stdin)')
      .description(
        'Reads Claude Code\'s PreToolUse JSON on stdin. Bash: checks the packages install commands name. ' +
          'Write, Edit, MultiEdit of a manifest or lockfile: checks only the dependencies the edit adds. ' +
          'Blocked -> "deny" with the reason (Claude reads it and can correct the name); warned -> "ask"; ' +
          'otherwise no objection (no output).',
      )
      .addHelpText(
        'after',
        `
Wire it up with \`slopguard hook install claude\`, or by hand in .claude/settings.json:
  {"hooks": {"PreToolUse": [{"matcher": "Bash|Write|Edit|MultiEdit",
     "hooks": [{"type": "command", "command": "slopguard hook claude", "timeout": 30}]}]}}

Try it:
  echo '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"npm i lodsah"}}' | slopguard hook claude

Never stops the agent by accident: unreadable input or a broken config is let through with a warning on
stderr, unless --fail-closed.`,
      ),
    'ask',
  ).action(async (flags: HookFlags) => ctx.setExit(await (await import('../../hook/claude.js')).runClaudeHook(flags, ctx.io)));

  addHookRunOptions(
    hook
      .command('cursor')
      .summary("Cursor beforeShellExecution hook (reads the hook JSON on stdin)")
      .description('Reads Cursor\'s beforeShellExecution JSON on stdin and answers {"permission": "allow" | "deny" | "ask", ...}.')
      .addHelpText(
        'after',
        `
Wire it up with \`slopguard hook install cursor\`, or by hand in .cursor/hooks.json:
  {"version": 1, "hooks": {"beforeShellExecution": [{"command": "slopguard hook cursor"}]}}

Try it:
  echo '{"hook_event_name":"beforeShellExecution","command":"pip install reqests","cwd":"."}' | slopguard hook cursor`,
      ),
    'ask',
  ).action(async (flags: HookFlags) => ctx.setExit(await (await import('../../hook/cursor.js')).runCursorHook(flags, ctx.io)));

  for (const agent of NO_ASK_AGENTS) {
    addHookRunOptions(
      hook
        .command(agent.name)
        .summary(agent.summary)
        .description(agent.description)
        .addHelpText(
          'after',
          `
${agent.wiring}

Try it:
  ${agent.example}

This agent's hooks cannot ask the user, so what slopguard would ask about (a package days old, one it
could not check) is denied with a message saying a person must decide; --on-unverified allow lets
unchecked packages through with a warning instead. Never stops the agent by accident: unreadable
input or a broken config is let through with a warning on stderr, unless --fail-closed.`,
        ),
      'ask',
    ).action(async (flags: HookFlags) => ctx.setExit(await agent.run(flags, ctx.io)));
  }

  addHookRunOptions(
    hook
      .command('git-pre-commit')
      .summary('git pre-commit hook: checks the dependencies the staged changes add')
      .description('Reads the staged diff and checks only the dependencies it adds to manifests and lockfiles; exit 1 stops the commit.')
      .addHelpText(
        'after',
        `
Wire it up with \`slopguard hook install git\` (an existing pre-commit hook is kept and still runs),
or add this line to your own hook (husky: .husky/pre-commit):
  slopguard hook git-pre-commit

Exit codes: 0 commit goes ahead (warnings printed); 1 commit stopped.`,
      ),
    'allow',
    false,
  ).action(async (flags: HookFlags) => ctx.setExit(await (await import('../../hook/git-pre-commit.js')).runGitPreCommit(flags, ctx.io)));

  const scopeOptions = (cmd: Command) =>
    cmd
      .option('--project', 'this project, committed with it (default): .claude/settings.json, .cursor/hooks.json, the repository\'s git hooks')
      .option('--local', 'Claude Code only: this project, not committed (.claude/settings.local.json)')
      .option('--user', 'every project of this user: ~/.claude/settings.json, ~/.cursor/hooks.json, ~/.codex/hooks.json, ~/.gemini/settings.json, ~/.config/opencode/plugins/ (not Copilot or git: per repository)');

  scopeOptions(
    hook
      .command('install')
      .summary('wire a hook in: claude | cursor | codex | gemini | copilot | opencode | windsurf | git')
      .description(
        'Wire slopguard into Claude Code (PreToolUse), Cursor (beforeShellExecution), Codex (PreToolUse), Gemini CLI (BeforeTool), ' +
          'GitHub Copilot (preToolUse), OpenCode (a plugin), Windsurf (pre_run_command) or git (pre-commit).',
      )
      .argument('<target>', `one of ${HOOK_TARGETS.join(', ')}`)
      .option('--command <cmd>', 'how the hook should run slopguard (default: `slopguard` if on PATH, else `npx --no-install slopguard` for a devDependency, else this installation by absolute path)')
      .option('--allow-machine-path', 'let a committed settings file run slopguard by this machine\'s absolute path (refused by default)')
      .addHelpText(
        'after',
        `
Idempotent: installing twice changes nothing; your other settings and hooks are kept as they are.
An existing git pre-commit hook is chained (slopguard runs first, then it), never overwritten;
core.hooksPath is honoured.

Examples:
  slopguard hook install claude
  slopguard hook install claude --local
  slopguard hook install cursor --user
  slopguard hook install git --command "npx --no-install slopguard"`,
      ),
  ).action(async (target: string, flags: InstallFlags) => {
    const t = targetOf(target);
    report(installHook(t, await installContext(flags, ctx.io, t)), t, ctx.io);
  });

  scopeOptions(
    hook
      .command('uninstall')
      .summary('take a hook out again: claude | cursor | codex | gemini | copilot | opencode | windsurf | git')
      .description("Take slopguard's entry out of the agent's settings or hooks file (the OpenCode plugin file, the git pre-commit block).")
      .argument('<target>', `one of ${HOOK_TARGETS.join(', ')}`)
      .addHelpText(
        'after',
        `
Removes only slopguard's entry (and a git block it added), restoring a chained pre-commit hook.

Examples:
  slopguard hook uninstall claude
  slopguard hook uninstall git`,
      ),
  ).action(async (target: string, flags: InstallFlags) => {
    const t = targetOf(target);
    report(uninstallHook(t, await installContext(flags, ctx.io)), t, ctx.io);
  });
}
