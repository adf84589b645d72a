import { homedir } from 'node:os';
import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { DEFAULT_HOOK_BUDGET_S } from '../../hook/budget.js';
import { HOOK_TARGETS, installHook, slopguardInvocation, uninstallHook, type HookTarget, type InstallResult, type InstallScope } from '../../hook/install/index.js';
import type { HookFlags } from '../../hook/settings.js';
import type { Io } from '../io.js';
import type { CommandContext } from '../run.js';

// The hook runners are imported when run: `slopguard check` should not load what only hooks need.

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The policy, registry and cache flags of the long-running and hook commands (no output format:
 * their output is a protocol). Shared by `hook`, `lsp` and `mcp`.
 */
export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .option('--fail-on <level>', 'treat packages at or above this as failing: block | warn (default block)')
    .option('--fail-closed', 'treat packages that could not be verified (and unreadable input) as blocked')
    .option('--allow <name>', 'allow a name (repeatable; pypi:name for PyPI)', collect)
    .option('--min-age-days <days>', 'warn about packages younger than this (default 30)')
    .option('--min-downloads <count>', 'warn about fewer weekly downloads than this (default 100)')
    .option('-c, --config <file>', 'config file (default: .slopguard.json or package.json "slopguard", searched up to the repository root)')
    .option('--trust-project', "apply the project's own config in full, loosening parts included (env SLOPGUARD_TRUST_PROJECT=1)")
    .option('--npm-registry <url>', 'npm registry (default: from npm config, else https://registry.npmjs.org)')
    .option('--npm-downloads-api <url>', 'npm downloads API (default https://api.npmjs.org)')
    .option('--pypi-url <url>', 'PyPI base URL (default https://pypi.org)')
    .option('--pypistats-api <url>', 'pypistats API (default https://pypistats.org)')
    .option('--cache-dir <dir>', 'where facts are cached (default: the user cache dir)')
    .option('--cache-url <url>', 'a shared cache behind the disk cache: redis://HOST:PORT[/DB] (Redis or Valkey)')
    .option('--no-cache', 'neither read nor write the cache')
    .option('--offline', 'use only cached facts; anything not cached is unverified')
    .option('--timeout <seconds>', 'network time budget per request (default 15)')
    .option('--concurrency <n>', 'parallel registry requests (default 16)')
    .option('--monitor', 'monitor mode: report and log every finding, refuse nothing (env SLOPGUARD_MODE=monitor)')
    .option('--audit-log <file>', 'append one JSON line per decision to this file (- for stderr; env SLOPGUARD_AUDIT_LOG)');
}

function addHookRunOptions(cmd: Command, unverifiedDefault: string): Command {
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

const TARGET_NAME: Record<HookTarget, string> = { claude: 'Claude Code PreToolUse hook', cursor: 'Cursor beforeShellExecution hook', git: 'git pre-commit hook' };

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
const COMMITTED_AT_PROJECT_SCOPE: Record<HookTarget, string | undefined> = { claude: '.claude/settings.json', cursor: '.cursor/hooks.json', git: undefined };

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
    .summary('agent and git hooks: Claude Code, Cursor, git pre-commit; install and uninstall them')
    .description('Check what coding agents and commits are about to add, where they add it.')
    .addHelpText(
      'after',
      `
Examples:
  slopguard hook install claude          wire into .claude/settings.json (this project)
  slopguard hook install claude --user   wire into ~/.claude/settings.json (every project)
  slopguard hook install cursor          wire into .cursor/hooks.json
  slopguard hook install git             run before every commit in this repository
  slopguard hook uninstall claude        take it out again, leaving your other settings`,
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
  ).action(async (flags: HookFlags) => ctx.setExit(await (await import('../../hook/git-pre-commit.js')).runGitPreCommit(flags, ctx.io)));

  const scopeOptions = (cmd: Command) =>
    cmd
      .option('--project', 'this project, committed with it (default): .claude/settings.json, .cursor/hooks.json, the repository\'s git hooks')
      .option('--local', 'Claude Code only: this project, not committed (.claude/settings.local.json)')
      .option('--user', 'every project of this user: ~/.claude/settings.json, ~/.cursor/hooks.json');

  scopeOptions(
    hook
      .command('install')
      .summary('wire a hook in: claude | cursor | git')
      .description('Wire slopguard into Claude Code (PreToolUse), Cursor (beforeShellExecution) or git (pre-commit).')
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
      .summary('take a hook out again: claude | cursor | git')
      .description('Take slopguard out of Claude Code\'s settings, Cursor\'s hooks file or the git pre-commit hook.')
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
