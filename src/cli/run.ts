import { Command, CommanderError } from 'commander';
import { isUserError } from '../core/errors.js';
import { EXIT } from '../core/types.js';
import { COMMANDS } from './commands/index.js';
import { escapeForTerminal } from '../reporters/escape.js';
import type { Io } from './io.js';
import { WRAPPED_PROGRAMS } from '../tools/index.js';

/** What each command registration gets: the injected world and a way to set the exit code. */
export interface CommandContext {
  io: Io;
  setExit(code: number): void;
}

/**
 * Package managers `slopguard <tool> ...` wraps (see src/wrap/), from the tool table (src/tools/):
 * each definition's `wrapping.wrapped`, and the Python launchers (wrapped, not routed by shell-init).
 */
export const WRAPPED_TOOLS: ReadonlySet<string> = new Set(WRAPPED_PROGRAMS);

const VERSION = '0.1.0';

/** Commander's output through the injected streams; its errors get the same `slopguard:` prefix as ours. */
function output(ctx: CommandContext) {
  return {
    writeOut: (s: string) => void ctx.io.stdout.write(s),
    writeErr: (s: string) => void ctx.io.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) => write(`slopguard: ${s.replace(/^error: /, '')}`),
  };
}

async function buildProgram(ctx: CommandContext, argv: readonly string[]): Promise<Command> {
  const program = new Command('slopguard')
    .description('Stops hallucinated, squatted and typo\'d npm and PyPI package names before they are installed.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput(output(ctx))
    .addHelpText(
      'after',
      `
Wrap a package manager (checks what it is about to install, then runs it):
  slopguard npm install express        slopguard pip install requests
  slopguard python -m pip install -r requirements.txt

Examples:
  slopguard check lodsah pypi:reqests       one-off check
  slopguard scan .                           every manifest and lockfile under a folder
  git diff | slopguard diff                  only the dependencies a diff adds
  slopguard text answer.md                   install commands and imports in an agent's answer
  slopguard ci --base origin/main            in CI: only what a branch adds (--format sarif|github|markdown)
  eval "$(slopguard shell-init bash)"        route plain npm/pip/... through slopguard
  slopguard hook install claude              check what Claude Code is about to install

Run 'slopguard <command> --help' for a command's options.`,
    );
  const registers = await Promise.all(commandsFor(argv).map(([, load]) => load()));
  for (const register of registers) register(program, ctx);
  // Commander calls exitOverride on subcommands too only when set before they exist; set it on each.
  for (const sub of program.commands) sub.exitOverride().configureOutput(output(ctx));
  return program;
}

/**
 * Which commands to load for these arguments: only the one being run; none for `--version` and
 * other program options; all for help (and for an unknown name, so commander can suggest one).
 */
function commandsFor(argv: readonly string[]): typeof COMMANDS {
  const first = argv[0];
  if (first === undefined || first === 'help' || first === '-h' || first === '--help') return COMMANDS;
  if (first.startsWith('-')) return [];
  const wanted = COMMANDS.filter(([name]) => name === first);
  return wanted.length ? wanted : COMMANDS;
}

/**
 * The CLI. Returns the exit code and never calls process.exit, so tests run it in-process:
 * 0 nothing at or above --fail-on; 1 something is; 2 usage, config or unreadable input;
 * 3 some packages could not be verified and nothing was blocked.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exit: number = EXIT.OK;
  io = { ...io, argv: io.argv ?? argv };
  const ctx: CommandContext = { io, setExit: (c) => void (exit = c) };
  try {
    if (argv[0] && WRAPPED_TOOLS.has(argv[0])) {
      const { runWrapper } = await import('../wrap/index.js');
      return await runWrapper(argv, io);
    }
    await (await buildProgram(ctx, argv)).parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; everything else commander rejects is usage.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (isUserError(e)) {
      io.stderr.write(`slopguard: ${escapeForTerminal(e.message).replace(/\\u\{a\}/g, '\nslopguard: ')}\n`);
      return EXIT.USAGE;
    }
    // A bug must never look like "ok": report it and exit as "could not verify".
    const err = e as Error;
    io.stderr.write(`slopguard: internal error: ${escapeForTerminal(err?.message ?? String(e))}\n`);
    if (io.env.SLOPGUARD_DEBUG) io.stderr.write(`${err?.stack ?? ''}\n`);
    return EXIT.UNVERIFIED;
  }
}
