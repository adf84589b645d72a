/**
 * The install-command grammar, shared by every door that sees a command line: the install
 * wrappers (`slopguard npm install x`, an argv), the agent hooks (a shell string an agent is
 * about to run) and the text extractors (commands in answers, scripts, Dockerfiles, CI files).
 *
 * One command in, one {@link InstallCommand} out: which tool, whether it fetches packages, the
 * package names it names (with line and column in text), the requirement files it reads, whether
 * it installs what a manifest or lockfile lists, and the registry or index it was pointed at.
 *
 * This module holds the contract and the entry points, and picks the grammar: prefixes (`sudo`,
 * `env`, `docker run`, `xargs`; command-prefixes.ts) are skipped, then the program word (or the
 * module of `python -m`) is looked up in the tool table. Each package manager's grammar, flag table
 * and project files are its own file in src/tools/; the shell engine that finds commands in text
 * is shell-words.ts and shell-effects.ts.
 */
import type { Ecosystem, ExtractNote, Origin, PackageRef } from '../../core/types.js';
import { withContext, type Arg, type ReadContext } from '../../tools/args.js';
import { Builder } from '../../tools/builder.js';
import { isPythonLauncher, toolForModule, toolForProgram, type InstallTool, type Tool } from '../../tools/index.js';
import { note } from '../../tools/notes.js';
import { pythonModuleOf } from '../../tools/python.js';
import { programName, skipPrefixes } from './command-prefixes.js';
import { shellSteps, type ShellStep } from './shell-effects.js';
import { textLocator, type Locate, type TextOrigin } from './text-origin.js';

export type { TextOrigin } from './text-origin.js';
export type { Arg, ReadContext } from '../../tools/args.js';
export { argOfWord } from '../../tools/args.js';
export type { InstallTool } from '../../tools/index.js';
export { PACKAGE_COMMAND_STEMS } from '../../tools/index.js';
export { innerShellCommand, programName, SHELLS, skipPrefixes } from './command-prefixes.js';
export { createPackageName } from '../../tools/readers.js';

// ---------------------------------------------------------------------------
// the contract
// ---------------------------------------------------------------------------

/** One command line, read. */
export interface InstallCommand {
  tool: InstallTool;
  /** The registry the tool fetches from (`pypi` for conda too, whose specs are not checked). */
  ecosystem: Ecosystem;
  /**
   * The subcommand as the tool names it, aliases resolved: `install` (also for `npm i`,
   * `npm isntall`), `ci`, `update`, `add`, `global add`, `exec` (npx, `npm exec`, bunx),
   * `dlx`, `create`, `pip install`, `pip sync`, `tool install`, `tool run` (uvx), `run`,
   * `inject`, `sync`; `''` when there is none (`yarn`).
   */
  subcommand: string;
  /** The command fetches packages (install, add, update with names, exec/dlx, create, ...). */
  isInstall: boolean;
  /**
   * The packages named on the command line, each with its origin (text: line and column of the
   * name; argv: `column` is the 1-based argument index). Git, URL, file and folder arguments are
   * refs with their `source`, and a `not-registry` note says they were not looked up.
   */
  refs: PackageRef[];
  /** Files named by `-r`/`--requirement`, `-c`/`--constraint` (and uv's equivalents), as written. */
  requirementFiles: string[];
  /**
   * The command installs what a manifest or lockfile lists: bare `npm install`, `npm ci`,
   * `yarn`, `pnpm install`, `pip install -e .`, `pip install .`, `uv sync`, `poetry install`, ...
   */
  installsFromManifest: boolean;
  /** `--registry` (npm family), when given. */
  registry?: string;
  /** `-i`/`--index-url`/`--index`/`--default-index` (Python family), when given. */
  indexUrl?: string;
  /** `--extra-index-url` values. */
  extraIndexUrls?: string[];
  /** The folder the tool was pointed at (`--prefix`, `-C`, `--dir`, `--cwd`, `--directory`, `--project`). */
  cwd?: string;
  /** `-g`/`--global` (npm family), `yarn global add`. */
  global?: boolean;
  /** For exec-like commands (npx, dlx, bunx, uvx, pipx run): the program run. */
  program?: string;
  /** Arguments that were not read: shell variables, invalid names, conda specs, ... */
  notes: ExtractNote[];
  /** Where the command starts (the tool's word). */
  origin: Origin;
  /** The command's words, wrappers (`sudo`, `env X=1`, `FOO=1`) removed. */
  argv: string[];
  /**
   * Typed as `slopguard <tool> …` (or `npx slopguard <tool> …`): the wrapper runs it, and its
   * install guard judges what the tool fetches unless `guard` is false (`--slopguard-no-guard`,
   * `SLOPGUARD_GUARD=0` in front of it). The doors that do not run it judge its typed names only.
   */
  wrapped?: { guard: boolean };
}

// ---------------------------------------------------------------------------
// public entry points
// ---------------------------------------------------------------------------

/**
 * Reads an already-split command line (a wrapper's argv): `['npm', 'install', 'x']`,
 * `['python', '-m', 'pip', 'install', '-r', 'req.txt']`. Leading `sudo`, `env X=1` and
 * `FOO=1` are skipped. Returns undefined when the program is not a package tool this grammar
 * knows; a known tool running something else (`npm run build`) gives `isInstall: false`.
 * Origins are `{ file, column: <1-based argument index> }`; names npm or PEP 508 refuse are
 * `error` notes (on a command line the user typed them).
 */
export function parseCommandLine(argv: readonly string[], origin: { file: string } = { file: '<args>' }): InstallCommand | undefined {
  const args: Arg[] = argv.map((value, i) => ({
    value,
    dynamic: false,
    at: (_index: number, _length: number, context?: string) => withContext({ file: origin.file, column: i + 1 }, context),
  }));
  const found = readCommand(args, { file: origin.file, level: 'error', depth: 0 });
  return found[0];
}

/**
 * Finds the install commands in shell text (a script, a `RUN` line, a hook's command string):
 * splits it on `&&`, `||`, `;`, `|`, `&`, newlines, `\` continuations, `$(…)` and backticks,
 * looks through `sudo`, `env`, `FOO=1`, `bash -c '…'`, and returns the commands that fetch
 * packages (`isInstall`), each ref located at its line and column in `origin.file`.
 */
export function findInstallCommands(text: string, origin: TextOrigin): InstallCommand[] {
  return installCommandsIn(text, 0, text.length, { file: origin.file, locate: textLocator(text, origin) });
}

/**
 * What the shell would do with `text`, step by step: install commands (with the text each reads
 * on standard input), `cd`, files written (see shell-effects.ts). The install planner replays it.
 */
export function findInstallSteps(text: string, origin: TextOrigin): ShellStep[] {
  return shellSteps(text, 0, text.length, { file: origin.file, locate: textLocator(text, origin) });
}

// ---------------------------------------------------------------------------
// the text-side engine (used by free-text, diff)
// ---------------------------------------------------------------------------

/** How the text engine reports positions and how lenient it is. */
export interface TextScan {
  file: string;
  locate: Locate;
  /** Newlines are blanks (YAML folded scalars). */
  newlinesAreBlanks?: boolean;
  /**
   * The text is a prose line that happens to be a command ("pip install requests to get it"):
   * package arguments stop at the first English word or sentence punctuation.
   */
  prose?: boolean;
  /** Also return commands that do not install (for callers that want every tool command). */
  includeNonInstall?: boolean;
}

/**
 * The install commands in `text[start, end)`; see {@link findInstallCommands}. What the shell
 * would do around them (heredocs fed to a shell, `xargs` fed by `echo`, `cd`, files written) is
 * read by {@link shellSteps}; this keeps only the commands.
 */
export function installCommandsIn(text: string, start: number, end: number, scan: TextScan, depth = 0): InstallCommand[] {
  const out: InstallCommand[] = [];
  for (const step of shellSteps(text, start, end, scan, depth)) {
    if (step.kind === 'install' && (step.command.isInstall || scan.includeNonInstall)) out.push(step.command);
  }
  return out;
}

/** Reads one command's words into install commands (usually one; none when not a package tool). */
export function readCommand(all: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const skipped = skipPrefixes(all);
  if (!skipped) return [];
  let args = all.slice(skipped.at);
  const fed = skipped.fromStdin && ctx.stdinWords !== undefined;
  if (fed) {
    // `echo a b | xargs npm i` runs `npm i a b`; with `-I {}`, the words take the place of `{}`.
    const words = ctx.stdinWords as readonly Arg[];
    const r = skipped.replace;
    args = r !== undefined && args.some((a) => a.value.includes(r)) ? args.flatMap((a) => (a.value === r ? [...words] : [a])) : [...args, ...words];
  }
  const head = args[0] as Arg;
  const rest = args.slice(1);
  const prog = programName(head.value);
  let out: InstallCommand[];
  const tool = toolForProgram(prog);
  if (prog === SLOPGUARD) return wrappedCommand(rest, all.slice(0, skipped.at), ctx);
  if (tool) out = readWith(tool, prog, head, rest, args, ctx);
  else if (isPythonLauncher(prog)) {
    // `python -m pip …`: the module's tool reads the words after it; the command starts at python.
    const run = pythonModuleOf(rest);
    const moduleTool = run && toolForModule(run.module);
    out = run && moduleTool ? readWith(moduleTool, run.module, head, run.tail, args, ctx) : [];
  } else return [];
  // `npx slopguard npm i x`, `pnpm dlx slopguard pip install y`: the runner fetches slopguard, which wraps the rest.
  const runner = out.length === 1 ? out[0] : undefined;
  if (runner && runner.isInstall && runner.program !== undefined && SLOPGUARD_PACKAGE.test(runner.program)) {
    const at = args.findIndex((a, i) => i > 0 && SLOPGUARD_PACKAGE.test(a.value));
    if (at > 0) {
      const inner = args.slice(at + 1);
      const nested = wrappedCommand(inner[0]?.value === '--' ? inner.slice(1) : inner, all.slice(0, skipped.at), ctx);
      if (nested.length) {
        runner.wrapped = { guard: nested.every((c) => c.wrapped?.guard) };
        out.push(...nested);
      }
    }
  }
  if (skipped.fromStdin && !fed) {
    for (const c of out) {
      if (!c.isInstall) continue;
      // The packages come on standard input: not a bare install of the project.
      c.installsFromManifest = false;
      const n = note('warning', 'skipped', `${c.tool} ${c.subcommand} takes its arguments from xargs (standard input), which slopguard cannot see; those were not checked.`, c.origin);
      n.unverified = true;
      c.notes.push(n);
    }
  }
  return out;
}

/** The wrapper's program word. */
const SLOPGUARD = 'slopguard';
/** The package a runner fetches to run the wrapper: `slopguard`, `slopguard@1.2.0`, `slopguard@latest`. */
const SLOPGUARD_PACKAGE = /^slopguard(?:@[\w.^~<>=*-]*)?$/;
/** `SLOPGUARD_GUARD=0` (and the other "off" words) in front of a wrapped command. */
const GUARD_OFF = /^SLOPGUARD_GUARD=(?:0|false|no|off)$/i;

/**
 * `slopguard <tool> <args…>`: the tool's command, read as the wrapper reads it, marked wrapped.
 * Its `--slopguard-*` options are slopguard's, not the tool's (wrap/argv.ts), so they are dropped
 * (`--slopguard-allow` takes a value) before the tool's grammar reads the words; a word after
 * `--` is the tool's. Anything but a package tool after `slopguard` (`slopguard check`) is not an
 * install.
 */
function wrappedCommand(words: readonly Arg[], prefix: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const kept: Arg[] = [];
  let guard = !prefix.some((a) => GUARD_OFF.test(a.value));
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as Arg;
    if (w.value === '--') {
      kept.push(...words.slice(i));
      break;
    }
    if (!w.value.startsWith('--slopguard-')) {
      kept.push(w);
      continue;
    }
    if (w.value === '--slopguard-no-guard') guard = false;
    if ((w.value === '--slopguard-allow' || w.value === '--slopguard-fail-on') && !w.value.includes('=')) i++;
  }
  const first = kept.length ? programName((kept[0] as Arg).value) : '';
  // Read at most four deep, as `poetry run` is: `npx slopguard npx slopguard …` must not recurse without end.
  if (ctx.depth >= 4 || (toolForProgram(first) === undefined && !isPythonLauncher(first))) return [];
  const out = readCommand(kept, { ...ctx, depth: ctx.depth + 1 });
  for (const c of out) c.wrapped = { guard };
  return out;
}

/** One command read by its tool's grammar: `args` is the whole command (the builder keeps it as `argv`), `rest` what the grammar reads. */
function readWith(tool: Tool, program: string, head: Arg, rest: readonly Arg[], args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const b = new Builder(tool.id, tool.ecosystem, head, args, ctx);
  return tool.read(b, rest, {
    program,
    // `poetry run <cmd>` and the like: the program is a command of its own, read at most four deep.
    nested: (argv) => (argv.length === 0 || ctx.depth >= 4 ? [] : readCommand(argv, { ...ctx, depth: ctx.depth + 1 })),
  });
}
