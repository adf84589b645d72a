/**
 * The package managers slopguard knows, one registration line each. Every list of tools
 * elsewhere is derived from this table: the grammar's dispatch (`toolForProgram`,
 * `toolForModule`), `InstallTool`, the project files a bare install reads, the commands
 * `slopguard <tool>` wraps and `shell-init` routes, the programs `corepack` runs, the prose
 * detector's program pattern and the hook fast path's stems. Adding a package manager is one
 * file in this folder (a `defineTool({...})`) plus one line here; test/tools/registry.test.ts
 * holds each definition to its grammar and to every list.
 *
 * Light on purpose: every CLI start loads it (run.ts asks whether `argv[0]` is a wrapped tool),
 * so the tool files import only the flag scanner and the shared argument shapes, never the
 * name readers (the builder that uses them is made by install-command.ts).
 */
import type { ToolDefinition } from './define.js';
import { bun } from './bun.js';
import { bunx } from './bunx.js';
import { conda } from './conda.js';
import { deno } from './deno.js';
import { npm } from './npm.js';
import { npx } from './npx.js';
import { pdm } from './pdm.js';
import { pip } from './pip.js';
import { pipSync } from './pip-sync.js';
import { pipenv } from './pipenv.js';
import { pipx } from './pipx.js';
import { pnpm } from './pnpm.js';
import { poetry } from './poetry.js';
import { PYTHON_LAUNCHER } from './python.js';
import { uv } from './uv.js';
import { uvx } from './uvx.js';
import { yarn } from './yarn.js';

/** Every package manager, in the order lists derived from it are shown (`shell-init`'s functions). */
export const TOOLS = [npm, npx, yarn, pnpm, bun, bunx, deno, pip, uv, uvx, poetry, pipx, pipenv, pdm, conda, pipSync] as const;

/** A registered package manager. */
export type Tool = (typeof TOOLS)[number];
/** The tools the grammar knows, as `InstallCommand.tool` names them (`conda` also stands for mamba and micromamba). */
export type InstallTool = Tool['id'];

/** `pip3`, `pip3.12`, `python2.7`: the version a versioned program name may end with. */
const VERSION_SUFFIX = /[23](?:\.\d+)?$/;

function index(names: (t: ToolDefinition) => readonly string[] | undefined): { exact: Map<string, Tool>; versioned: Map<string, Tool> } {
  const exact = new Map<string, Tool>();
  const versioned = new Map<string, Tool>();
  for (const t of TOOLS) {
    for (const n of names(t) ?? []) {
      exact.set(n, t);
      if (t.versioned) versioned.set(n, t);
    }
  }
  return { exact, versioned };
}

function lookup(table: ReturnType<typeof index>, word: string): Tool | undefined {
  return table.exact.get(word) ?? table.versioned.get(word.replace(VERSION_SUFFIX, ''));
}

const BY_PROGRAM = index((t) => t.programs);
const BY_MODULE = index((t) => t.pythonModules);
const BY_ID = new Map<string, Tool>(TOOLS.map((t) => [t.id, t]));

/** The tool a program word runs (`pip3.12` -> pip, `pnpx` -> pnpm), given as {@link programName} gives it. */
export function toolForProgram(program: string): Tool | undefined {
  return lookup(BY_PROGRAM, program);
}

/** The tool `python -m <module>` runs. */
export function toolForModule(module: string): Tool | undefined {
  return lookup(BY_MODULE, module);
}

/** The definition behind an `InstallCommand.tool`. */
export function toolById(id: InstallTool): Tool {
  return BY_ID.get(id) as Tool;
}

const LAUNCHER_VERSIONED: ReadonlySet<string> = new Set(PYTHON_LAUNCHER.versioned);
const LAUNCHERS: ReadonlySet<string> = new Set(PYTHON_LAUNCHER.programs);

/** `python`, `python3.12`, `py`, `pypy3`: a launcher that may run a tool as a module. */
export function isPythonLauncher(program: string): boolean {
  return LAUNCHERS.has(program) || LAUNCHER_VERSIONED.has(program.replace(VERSION_SUFFIX, ''));
}

/** The words `slopguard <word> …` wraps: each tool's, then the Python launchers'. */
export const WRAPPED_PROGRAMS: readonly string[] = [...TOOLS.flatMap((t) => t.wrapping.wrapped), ...PYTHON_LAUNCHER.wrapping.wrapped];

/** The words `slopguard shell-init` defines shell functions for (see each definition's `wrapping.why`). */
export const ROUTED_PROGRAMS: readonly string[] = [...TOOLS.flatMap((t) => t.wrapping.routed), ...PYTHON_LAUNCHER.wrapping.routed];

/** The words `corepack <word> …` runs as a package manager. */
export const COREPACK_PROGRAMS: ReadonlySet<string> = new Set(TOOLS.flatMap((t) => t.corepack ?? []));

/** Every program word the grammar reads, launchers included (versioned ones without their suffix). */
const ALL_PROGRAMS: readonly string[] = [...TOOLS.flatMap((t) => t.programs), ...PYTHON_LAUNCHER.programs];

/**
 * Every program word the grammar reads (and every module `python -m` runs) contains one of these:
 * the program names, less those that contain a shorter one (`pnpm` holds `npm`, `pip3` and
 * `pipx` hold `pip`, `python` holds `py`). The hook fast path (src/hook/fast-path.ts) answers a
 * command none of whose text contains one without loading the grammar.
 */
export const PACKAGE_COMMAND_STEMS: readonly string[] = (() => {
  const words = [...new Set([...ALL_PROGRAMS, ...TOOLS.flatMap((t) => t.pythonModules ?? [])])];
  return words.filter((w) => !words.some((other) => other !== w && w.includes(other)));
})();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A regular-expression source matching any program word the grammar reads (and `corepack`,
 * which runs them): a plain alternation of literal names, each versioned one with its optional
 * `2`/`3` and `.minor`, so matching stays linear. script-files.ts builds the prose detector
 * (`TOOL_START`) from it.
 */
export const PROGRAM_PATTERN: string = [
  ...TOOLS.flatMap((t) => t.programs.map((p) => (t.versioned ? `${escapeRegExp(p)}[23]?(?:\\.\\d+)?` : escapeRegExp(p)))),
  ...PYTHON_LAUNCHER.programs.map((p) => ((PYTHON_LAUNCHER.versioned as readonly string[]).includes(p) ? `${escapeRegExp(p)}[23]?(?:\\.\\d+)?` : escapeRegExp(p))),
  ...(COREPACK_PROGRAMS.size ? ['corepack'] : []),
].join('|');
