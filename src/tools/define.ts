/**
 * What slopguard knows about one package manager, in one object: the program words that run it,
 * its registry, the subcommands that install, its grammar (flag tables and argument reader, in
 * the same file), the project files a bare install reads, and how the wrapper and `shell-init`
 * take it. src/tools/index.ts registers every definition in `TOOLS`; every list elsewhere (the
 * grammar's dispatch, `InstallTool`, the wrapped and routed commands, the prose detector, the
 * hook fast path's stems, the project files) is derived from that table, so adding a package
 * manager is one file here plus one line there.
 */
import type { Ecosystem } from '../core/types.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Arg } from './args.js';
import type { Builder } from './builder.js';

/** The files a tool installs from, in a folder: lockfiles (most precise first), then manifests. */
export interface ProjectFiles {
  lockfiles: readonly string[];
  manifests: readonly string[];
}

/** What a grammar is given besides its arguments. */
export interface ToolReading {
  /**
   * The program word, lower-cased, without folder or `.exe`: `pnpx`, `micromamba`, `pip3.12`;
   * the module for `python -m pip`.
   */
  program: string;
  /** Reads `argv` as a command of its own (`poetry run pip install x`), depth-bounded. */
  nested(argv: readonly Arg[]): InstallCommand[];
}

/**
 * How `slopguard <word> …` (the wrapper) and `slopguard shell-init` (shell functions that send
 * plain `npm` through the wrapper) take the tool. A routed word must be wrapped; `why` says why
 * a program is not wrapped or a wrapped word is not routed (test/tools/registry.test.ts asks).
 */
export interface Wrapping {
  /** Words `slopguard <word> …` checks and then runs as the real program of that name. */
  wrapped: readonly string[];
  /** Of those, the words `shell-init` defines a shell function for. */
  routed: readonly string[];
  why?: string;
}

/** How a tool is told to install its lockfile and nothing else (the manifest is then not read). */
export interface LockfileOnly {
  /** Subcommands that install the lockfile only (`npm ci`, `pipenv sync`). */
  subcommands?: readonly string[];
  /** Flags that make an install take the lockfile exactly and fail when it is stale. */
  flags?: readonly string[];
}

/** One package manager. `Id` is the name `InstallCommand.tool` carries. */
export interface ToolDefinition<Id extends string = string> {
  id: Id;
  /** The registry its package names are looked up in (`pypi` for conda, whose specs are not checked). */
  ecosystem: Ecosystem;
  /** Program words, lower-case (`yarn`, `yarnpkg`); matched after the folder and `.exe` are dropped. */
  programs: readonly string[];
  /** Python-style versioned programs run it too: `pip2`, `pip3`, `pip3.12`. */
  versioned?: true;
  /** Modules `python -m <module>` runs it as (with the same version rule when `versioned`). */
  pythonModules?: readonly string[];
  /** Programs `corepack <program> …` runs (Corepack ships only some package managers). */
  corepack?: readonly string[];
  /** The subcommands that fetch packages, as `InstallCommand.subcommand` names them (`''` for bare `yarn`). */
  installs: readonly string[];
  /**
   * Set when the tool installs from somewhere slopguard does not check (conda channels): its
   * installs are read only to say, as an unverified note, that they were not checked.
   */
  unread?: string;
  /** The grammar: one command's arguments (after the program word) into install commands. */
  read(b: Builder, args: readonly Arg[], r: ToolReading): InstallCommand[];
  /** What a bare install reads, in the folder it runs for. */
  projectFiles: ProjectFiles;
  /** It looks for its project in parent folders when the current one has none (npm, uv, poetry). */
  discoversProject?: true;
  lockfileOnly?: LockfileOnly;
  wrapping: Wrapping;
  /**
   * Command lines that install, one at least per subcommand in `installs`, per program and per
   * Python module: documentation the registry test holds to the grammar and the prose detector.
   */
  examples: readonly string[];
}

/** Declares one package manager; keeps its `id` literal so `InstallTool` is derived from the table. */
export function defineTool<const Id extends string>(definition: ToolDefinition<Id>): ToolDefinition<Id> {
  return definition;
}
