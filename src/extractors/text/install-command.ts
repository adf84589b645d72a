/**
 * The install-command grammar, shared by every door that sees a command line: the install
 * wrappers (`slopguard npm install x`, an argv), the agent hooks (a shell string an agent is
 * about to run) and the text extractors (commands in answers, scripts, Dockerfiles, CI files).
 *
 * One command in, one {@link InstallCommand} out: which tool, whether it fetches packages, the
 * package names it names (with line and column in text), the requirement files it reads, whether
 * it installs what a manifest or lockfile lists, and the registry or index it was pointed at.
 * The flag tables follow each tool's own documentation (see the registry reference, section 7);
 * a flag that takes a value always eats it, in `--flag value`, `--flag=value` and `-fvalue` form.
 */
import type { Ecosystem, ExtractNote, Origin, PackageRef } from '../../core/types.js';
import { readArg, type ArgReading, type PypiArgStyle } from './install-args.js';
import type { ShellWord } from './shell-words.js';
import { shellSteps, type ShellStep } from './shell-effects.js';
import { textLocator, type Locate, type TextOrigin } from './text-origin.js';

export type { TextOrigin } from './text-origin.js';

// ---------------------------------------------------------------------------
// the contract
// ---------------------------------------------------------------------------

/** The tools the grammar knows. `conda` also stands for mamba and micromamba. */
export type InstallTool =
  | 'npm'
  | 'npx'
  | 'yarn'
  | 'pnpm'
  | 'bun'
  | 'bunx'
  | 'deno'
  | 'pip'
  | 'uv'
  | 'uvx'
  | 'poetry'
  | 'pipx'
  | 'pipenv'
  | 'pdm'
  | 'conda';

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

// ---------------------------------------------------------------------------
// arguments
// ---------------------------------------------------------------------------

/** One argument: its value and how to locate a part of it. */
export interface Arg {
  value: string;
  dynamic: boolean;
  /** The argument as written, when it differs from `value` (shown for unreadable arguments). */
  raw?: string;
  /** The origin of `length` characters at `index` in `value`. */
  at(index: number, length: number, context?: string): Origin;
}

function withContext(o: Origin, context?: string): Origin {
  if (context !== undefined) o.context = context;
  return o;
}

/** An argument read from a shell word of `text`. */
export function argOfWord(w: ShellWord, text: string, locate: Locate): Arg {
  return {
    value: w.value,
    dynamic: w.dynamic,
    raw: text.slice(w.start, w.end),
    at(index, length, context) {
      if (!w.quoted) return locate(w.start + index, length, context);
      // Quoted: find the part in the source text; else point at the whole word.
      const part = w.value.slice(index, index + length);
      const found = part ? text.slice(w.start, w.end).indexOf(part) : -1;
      return found === -1 ? locate(w.start, w.end - w.start, context) : locate(w.start + found, length, context);
    },
  };
}

function subArg(arg: Arg, from: number): Arg {
  const sub: Arg = { value: arg.value.slice(from), dynamic: arg.dynamic, at: (i, n, c) => arg.at(from + i, n, c) };
  if (arg.raw !== undefined) sub.raw = arg.raw;
  return sub;
}

// ---------------------------------------------------------------------------
// wrappers around the real command
// ---------------------------------------------------------------------------

/** How one command is read. */
export interface ReadContext {
  file: string;
  /** Level of `invalid-name` notes: `error` for argv (the user typed it), `warning` in text. */
  level: 'error' | 'warning';
  depth: number;
  /**
   * For `xargs`: the literal words standard input gives it (`echo a b | xargs npm i`). Without
   * them, arguments from standard input are unverified.
   */
  stdinWords?: readonly Arg[];
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const SHELL_KEYWORDS = new Set(['!', '{', '}', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'time', 'nohup', 'builtin', 'noglob', 'nocorrect', 'chronic']);
/** Prefix commands and the options of theirs that take a value. */
const PREFIX_VALUE_FLAGS: Record<string, ReadonlySet<string>> = {
  sudo: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '--user', '--group', '--host', '--prompt', '--chdir', '--role', '--type', '--other-user', '--command-timeout', '--close-from']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  exec: new Set(['-a']),
  command: new Set([]),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '-n', '-p', '--class', '--classdata']),
  stdbuf: new Set(['-i', '-o', '-e', '--input', '--output', '--error']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set(['-n', '-I', '-i', '-d', '-P', '-L', '-l', '-s', '-a', '-E', '-e', '--max-args', '--replace', '--delimiter', '--max-procs', '--max-lines', '--max-chars', '--arg-file', '--eof']),
};
/**
 * Container runners: `docker run [options] IMAGE COMMAND…` and `docker exec [options] CONTAINER
 * COMMAND…` run the command inside the container; an install there fetches the same packages (into
 * an image that then runs them). The options that take a value, from `docker run --help` /
 * `docker exec --help` (podman and nerdctl take the same).
 */
const CONTAINER_RUNNERS: ReadonlySet<string> = new Set(['docker', 'podman', 'nerdctl']);
const CONTAINER_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-a', '--attach', '--add-host', '--annotation', '--blkio-weight', '--cap-add', '--cap-drop', '--cgroup-parent', '--cgroupns', '--cidfile',
  '-c', '--cpu-shares', '--cpus', '--cpuset-cpus', '--cpuset-mems', '--device', '--dns', '--dns-option', '--dns-search', '--domainname',
  '--entrypoint', '-e', '--env', '--env-file', '--expose', '--gpus', '--group-add', '--health-cmd', '--health-interval', '--health-retries',
  '-h', '--hostname', '--ip', '--ip6', '--ipc', '--isolation', '-l', '--label', '--label-file', '--link', '--log-driver', '--log-opt',
  '--mac-address', '-m', '--memory', '--memory-swap', '--mount', '--name', '--network', '--net', '--network-alias', '--pid', '--platform',
  '-p', '--publish', '--pull', '--restart', '--runtime', '--security-opt', '--shm-size', '--stop-signal', '--stop-timeout', '--storage-opt',
  '--sysctl', '--tmpfs', '--ulimit', '-u', '--user', '--userns', '--uts', '-v', '--volume', '--volume-driver', '--volumes-from', '-w', '--workdir',
  '--detach-keys',
]);

/** Where the command starts in `docker run|exec … IMAGE COMMAND…` (args[i] is the runner), or undefined. */
function containerCommandAt(args: readonly Arg[], i: number): number | undefined {
  let k = i + 1;
  if ((args[k] as Arg | undefined)?.value === 'container') k++;
  const sub = (args[k] as Arg | undefined)?.value;
  if (sub !== 'run' && sub !== 'exec') return undefined;
  for (k++; k < args.length; k++) {
    const a = (args[k] as Arg).value;
    if (a === '--') {
      k++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (!a.includes('=') && CONTAINER_VALUE_FLAGS.has(a)) k++;
  }
  // args[k] is the image or container; the command follows it.
  return k + 1 < args.length ? k + 1 : undefined;
}

/** Shells: `bash -c '…'`, `bash <<EOF`, `sh -s` run what they are given. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh']);

/**
 * Skips `sudo`, `env`, `FOO=1`, `time`, `nohup`, `xargs`, `corepack` ... in front of the real
 * command. Returns the index of the command word, and whether its arguments come from stdin.
 */
export function skipPrefixes(args: readonly Arg[]): { at: number; fromStdin: boolean; replace?: string } | undefined {
  let i = 0;
  let fromStdin = false;
  let replace: string | undefined;
  while (i < args.length) {
    const v = (args[i] as Arg).value;
    if (ASSIGNMENT.test(v) || SHELL_KEYWORDS.has(v)) {
      i++;
      continue;
    }
    if (i === 0 && v === 'RUN') {
      // A Dockerfile `RUN` line pasted as shell: skip it and its `--mount=…`-style flags.
      i++;
      while (i < args.length && (args[i] as Arg).value.startsWith('--')) i++;
      continue;
    }
    const base = programName(v);
    if (base === 'command' && args[i + 1]?.value.startsWith('-') && /[vV]/.test(args[i + 1]?.value ?? '')) return undefined; // `command -v npm` looks up, never runs
    const valueFlags = PREFIX_VALUE_FLAGS[base];
    if (valueFlags) {
      i++;
      while (i < args.length) {
        const a = (args[i] as Arg).value;
        if (a === '--') {
          i++;
          break;
        }
        if (a.startsWith('-') && a.length > 1) {
          if (base === 'xargs' && (a === '-I' || a === '--replace')) replace = args[i + 1]?.value;
          else if (base === 'xargs' && /^-[Ii]./.test(a)) replace = a.slice(2);
          else if (base === 'xargs' && a === '-i') replace = '{}';
          i += valueFlags.has(a) && a !== '-i' ? 2 : 1;
          continue;
        }
        if (base === 'env' && ASSIGNMENT.test(a)) {
          i++;
          continue;
        }
        break;
      }
      if (base === 'timeout' && i < args.length) i++; // the duration
      if (base === 'xargs') fromStdin = true;
      continue;
    }
    if (base === 'corepack' && /^(?:npm|npx|yarn|pnpm|pnpx)$/.test(args[i + 1]?.value ?? '')) {
      i++;
      continue;
    }
    // `docker run … IMAGE cmd`: the command inside the container; any other docker command is the program itself.
    const inner = CONTAINER_RUNNERS.has(base) ? containerCommandAt(args, i) : undefined;
    if (inner !== undefined) {
      i = inner;
      continue;
    }
    const found: { at: number; fromStdin: boolean; replace?: string } = { at: i, fromStdin };
    if (replace !== undefined) found.replace = replace;
    return found;
  }
  return undefined;
}

/** `bash -c '…'` and friends: the index of the command-string argument. */
export function innerShellCommand(args: readonly Arg[]): { index: number } | undefined {
  const skipped = skipPrefixes(args);
  if (!skipped) return undefined;
  const { at } = skipped;
  if (!SHELLS.has(programName((args[at] as Arg).value))) return undefined;
  for (let i = at + 1; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (!v.startsWith('-')) return undefined;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(v)) return i + 1 < args.length ? { index: i + 1 } : undefined;
    // `-o pipefail`, and a group ending in o that takes the option name next (`-euo pipefail`).
    if (/^[-+][a-zA-Z]*[oO]$/.test(v)) i++;
  }
  return undefined;
}

/** `/usr/bin/python3.12.exe` -> `python3.12`. */
export function programName(word: string): string {
  const base = word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1);
  return base.replace(/\.(?:exe|cmd|bat|ps1)$/i, '').toLowerCase();
}

// ---------------------------------------------------------------------------
// flags
// ---------------------------------------------------------------------------

/** What the value of a value-taking flag is. */
type Role = 'plain' | 'package' | 'requirements' | 'index' | 'extra-index' | 'registry' | 'cwd' | 'editable' | 'command' | 'group';
type FlagTable = ReadonlyMap<string, Role>;

function flagTable(def: Partial<Record<Role, string>>, ...bases: FlagTable[]): FlagTable {
  const m = new Map<string, Role>();
  for (const b of bases) for (const [k, v] of b) m.set(k, v);
  for (const [role, list] of Object.entries(def) as Array<[Role, string]>) for (const f of list.split(/\s+/)) if (f) m.set(f, role);
  return m;
}

interface FlagValue {
  flag: string;
  role: Role;
  arg: Arg;
}

interface Scanned {
  positionals: Arg[];
  values: FlagValue[];
  booleans: Set<string>;
  /** What follows the last positional read when scanning stopped early (a program's arguments). */
  rest: Arg[];
}

/**
 * Reads flags and positionals. Unknown flags are booleans (they never eat the next word);
 * `--` makes the rest positional. With `stopAfter`, scanning stops after that many positionals
 * and the remaining words are `rest`.
 */
function scanArgs(args: readonly Arg[], table: FlagTable, stopAfter = Number.POSITIVE_INFINITY): Scanned {
  const out: Scanned = { positionals: [], values: [], booleans: new Set(), rest: [] };
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    if (out.positionals.length >= stopAfter) {
      out.rest = args.slice(i);
      break;
    }
    const arg = args[i] as Arg;
    const v = arg.value;
    if (onlyPositionals || v === '-' || !v.startsWith('-') || arg.dynamic) {
      out.positionals.push(arg);
      continue;
    }
    if (v === '--') {
      onlyPositionals = true;
      continue;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq === -1 ? v : v.slice(0, eq);
      const role = table.get(name);
      if (role === undefined) out.booleans.add(name);
      else if (eq !== -1) out.values.push({ flag: name, role, arg: subArg(arg, eq + 1) });
      else if (i + 1 < args.length) out.values.push({ flag: name, role, arg: args[++i] as Arg });
      continue;
    }
    // A cluster of short flags: `-gD`, `-rreq.txt`, `-p pkg`.
    for (let k = 1; k < v.length; k++) {
      const name = `-${v[k]}`;
      const role = table.get(name);
      if (role === undefined) {
        out.booleans.add(name);
        continue;
      }
      if (k + 1 < v.length) out.values.push({ flag: name, role, arg: subArg(arg, v[k + 1] === '=' ? k + 2 : k + 1) });
      else if (i + 1 < args.length) out.values.push({ flag: name, role, arg: args[++i] as Arg });
      break;
    }
  }
  return out;
}

// npm: gh:npm/cli workspaces/config/lib/definitions/definitions.js
const NPM_FLAGS = flagTable({
  plain:
    '--tag --omit --include --install-strategy -w --workspace --cache --userconfig --globalconfig --before --cpu --os --libc ' +
    '--loglevel --script-shell --otp --lockfile-version --save-prefix --fetch-retries --fetch-retry-factor --fetch-retry-mintimeout ' +
    '--fetch-retry-maxtimeout --fetch-timeout --ca --cafile --cert --key --proxy --https-proxy --noproxy --local-address ' +
    '--maxsockets --auth-type --scope --node-options --location --audit-level --depth --init-module --umask --editor --shell --replace-registry-host',
  registry: '--registry',
  cwd: '--prefix -C',
});
const NPM_EXEC_FLAGS = flagTable({ package: '--package -p', command: '--call -c' }, NPM_FLAGS);
const YARN_FLAGS = flagTable({
  plain: '--network-timeout --modules-folder --cache-folder --global-folder --link-folder --mutex --mode --network-concurrency --use-yarnrc --preferred-cache-folder',
  registry: '--registry',
  cwd: '--cwd',
});
const YARN_DLX_FLAGS = flagTable({ package: '-p --package' }, YARN_FLAGS);
const PNPM_FLAGS = flagTable({
  plain:
    '--filter -F --filter-prod --reporter --loglevel --store-dir --virtual-store-dir --modules-dir --lockfile-dir --node-linker ' +
    '--network-concurrency --child-concurrency --resolution-mode --workspace-concurrency --test-pattern --changed-files-ignore-pattern --allow-build --config-dir',
  registry: '--registry',
  cwd: '-C --dir',
});
const PNPM_DLX_FLAGS = flagTable({ package: '--package' }, PNPM_FLAGS);
const BUN_FLAGS = flagTable({
  plain: '-c --config --cache-dir --omit --filter -F --backend --linker --concurrent-scripts --network-concurrency --ca --cafile',
  registry: '--registry',
  cwd: '--cwd',
});
const BUNX_FLAGS = flagTable({ package: '-p --package' }, BUN_FLAGS);
const DENO_FLAGS = flagTable({ plain: '-c --config --import-map --lock --cert --location --seed --v8-flags -n --name --root' });
// pip: src/pip/_internal/cli/cmdoptions.py and commands/install.py
const PIP_FLAGS = flagTable({
  requirements: '-r --requirement -c --constraint',
  editable: '-e --editable',
  index: '-i --index-url',
  'extra-index': '--extra-index-url',
  group: '--group',
  plain:
    '-f --find-links --trusted-host -t --target --root --prefix --src --upgrade-strategy --platform --python-version --implementation ' +
    '--abi --no-binary --only-binary --report --log --log-file --proxy --retries --timeout --cert --client-cert --cache-dir ' +
    '--keyring-provider --python --progress-bar --root-user-action -C --config-settings --global-option --install-option ' +
    '--use-feature --use-deprecated --exists-action --uploaded-prior-to -d --dest -w --wheel-dir --build-constraint',
});
const UV_COMMON = flagTable({
  plain:
    '-p --python --config-file --cache-dir --index-strategy --keyring-provider --resolution --prerelease --exclude-newer --link-mode ' +
    '-C --config-setting --refresh-package --reinstall-package -P --upgrade-package --no-build-package --no-binary-package --color ' +
    '--python-platform --no-install-package --only-group --no-group --group --optional --extra --rev --tag --branch -m --marker ' +
    '--script --package --bounds --torch-backend -f --find-links --allow-insecure-host --python-version --target --prefix --override',
  index: '--index --default-index -i --index-url',
  'extra-index': '--extra-index-url',
  cwd: '--directory --project',
  requirements: '-r --requirements --requirement -c --constraints --constraint --with-requirements',
  editable: '--with-editable',
});
const UV_PIP_FLAGS = flagTable({ editable: '-e --editable' }, PIP_FLAGS, UV_COMMON);
const UV_TOOL_FLAGS = flagTable({ package: '--with --from' }, UV_COMMON);
const POETRY_FLAGS = flagTable({ plain: '-G --group -E --extras --optional --python --platform --markers --source -P --project', cwd: '-C --directory' });
const PIPX_FLAGS = flagTable({ plain: '--python --pip-args --suffix --backend', index: '-i --index-url', package: '--preinstall --spec' });
const PIPENV_FLAGS = flagTable({ plain: '--python --categories', index: '-i --index', 'extra-index': '--extra-index-url', requirements: '-r --requirements' });
const PDM_FLAGS = flagTable({ plain: '-G --group -L --lockfile --venv --save-strategy --update-strategy', cwd: '-p --project', editable: '-e --editable' });
const CONDA_FLAGS = flagTable({ plain: '-c --channel -n --name -p --prefix --file --repodata-fn --solver' });

// ---------------------------------------------------------------------------
// reading one command
// ---------------------------------------------------------------------------

const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'install-test', 'it']);
const NPM_CI = new Set(['ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean', 'install-ci-test', 'cit']);
const NPM_UPDATE = new Set(['update', 'up', 'upgrade', 'udpate']);
/**
 * Every program word {@link readCommand} reads (and every module `python -m` runs) contains one of
 * these, lower-cased: `pnp` stands for pnpm and pnpx, `bun` for bunx, `pip` for pip3, pipx and
 * pipenv, `uv` for uvx, `mamba` for micromamba, `py` for python, py and pypy. The hook fast path
 * (src/hook/fast-path.ts) answers a command none of whose text contains one without loading this
 * grammar; a tool added to readCommand must be covered here (test/hook/fast-path.test.ts checks).
 */
export const PACKAGE_COMMAND_STEMS = ['npm', 'npx', 'yarn', 'pnp', 'bun', 'deno', 'pip', 'uv', 'poetry', 'pdm', 'conda', 'mamba', 'py'] as const;

const PYTHON = /^(?:python(?:[23](?:\.\d+)?)?|py|pypy3?)$/;
const PIP = /^pip(?:[23](?:\.\d+)?)?$/;

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
  const b = (tool: InstallTool, ecosystem: Ecosystem) => new Builder(tool, ecosystem, head, args, ctx);
  let out: InstallCommand[];
  const prog = programName(head.value);
  if (prog === 'npm') out = npm(b('npm', 'npm'), rest);
  else if (prog === 'npx') out = execLike(b('npx', 'npm'), 'exec', rest, NPM_EXEC_FLAGS);
  else if (prog === 'yarn' || prog === 'yarnpkg') out = yarn(b('yarn', 'npm'), rest);
  else if (prog === 'pnpm') out = pnpm(b('pnpm', 'npm'), rest);
  else if (prog === 'pnpx') out = execLike(b('pnpm', 'npm'), 'dlx', rest, PNPM_DLX_FLAGS);
  else if (prog === 'bun') out = bun(b('bun', 'npm'), rest);
  else if (prog === 'bunx') out = execLike(b('bunx', 'npm'), 'exec', rest, BUNX_FLAGS);
  else if (prog === 'deno') out = deno(b('deno', 'npm'), rest);
  else if (PIP.test(prog)) out = pip(b('pip', 'pypi'), rest, PIP_FLAGS, '');
  else if (prog === 'uv') out = uv(b('uv', 'pypi'), rest, ctx);
  else if (prog === 'uvx') out = uvx(b('uvx', 'pypi'), rest, 'tool run');
  else if (prog === 'poetry') out = poetry(b('poetry', 'pypi'), rest, ctx);
  else if (prog === 'pipx') out = pipx(b('pipx', 'pypi'), rest);
  else if (prog === 'pipenv') out = pipenv(b('pipenv', 'pypi'), rest, ctx);
  else if (prog === 'pdm') out = pdm(b('pdm', 'pypi'), rest, ctx);
  else if (prog === 'conda' || prog === 'mamba' || prog === 'micromamba') out = conda(b('conda', 'pypi'), rest);
  else if (PYTHON.test(prog)) out = pythonModule(head, rest, args, ctx);
  else return [];
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

/** Collects one command's findings. */
class Builder {
  readonly cmd: InstallCommand;
  private readonly context: string;

  constructor(
    tool: InstallTool,
    readonly ecosystem: Ecosystem,
    head: Arg,
    args: readonly Arg[],
    private readonly ctx: ReadContext,
  ) {
    this.context = tool;
    this.cmd = {
      tool,
      ecosystem,
      subcommand: '',
      isInstall: false,
      refs: [],
      requirementFiles: [],
      installsFromManifest: false,
      notes: [],
      origin: head.at(0, head.value.length, tool),
      argv: args.map((a) => a.value),
    };
  }

  /** Names the subcommand (and the origin context `npm install`). */
  sub(name: string, isInstall: boolean): this {
    this.cmd.subcommand = name;
    this.cmd.isInstall = isInstall;
    this.cmd.origin.context = name ? `${this.context} ${name}` : this.context;
    return this;
  }

  /** Reads a package argument into a ref (or a note). Returns the name read, if any. */
  spec(arg: Arg, style: PypiArgStyle = 'pep508', rewrite?: (value: string) => string): string | undefined {
    const where = this.cmd.origin.context ?? this.context;
    if (arg.dynamic) {
      const n = note('warning', 'skipped', `"${clip(arg.raw ?? arg.value)}" is only known when the shell runs it (a variable or command substitution); it was not checked.`, arg.at(0, arg.value.length, where), undefined, this.ecosystem);
      n.unverified = true;
      this.cmd.notes.push(n);
      return undefined;
    }
    if (arg.value.trim() === '') return undefined; // an escaped blank, an empty quoted string
    const value = rewrite ? rewrite(arg.value) : arg.value;
    const read: ArgReading = readArg(this.ecosystem, value, style);
    if (read.kind === 'unsupported') {
      this.cmd.notes.push(note('info', 'unsupported', `${clip(read.what)}; it was not checked.`, arg.at(0, arg.value.length, where), undefined, this.ecosystem));
      return undefined;
    }
    if (read.kind === 'invalid') {
      const eco = this.ecosystem === 'npm' ? 'npm' : 'PyPI';
      this.cmd.notes.push(note(this.ctx.level, 'invalid-name', `"${clip(read.name)}" is not a valid ${eco} package name (${read.problem}); it is not looked up.`, arg.at(0, arg.value.length, where), read.name, this.ecosystem));
      return undefined;
    }
    const origin = rewrite || read.nameIndex === undefined ? arg.at(0, arg.value.length, where) : arg.at(read.nameIndex, read.name.length, where);
    const ref: PackageRef = { ecosystem: this.ecosystem, name: read.name, origin };
    if (read.spec) ref.spec = read.spec;
    if (read.alias !== undefined) ref.alias = read.alias;
    if (read.source !== 'registry') {
      ref.source = read.source;
      const from = read.sourceDetail ?? SOURCE_WORDS[read.source] ?? 'a source other than the registry';
      this.cmd.notes.push(note('info', 'not-registry', `${clip(read.name)} comes from ${from}${read.spec && read.spec !== read.name ? ` (${clip(read.spec)})` : ''}; it is not looked up in the registry.`, origin, read.name, this.ecosystem));
    }
    if (read.localProject) this.cmd.installsFromManifest = true;
    this.cmd.refs.push(ref);
    return read.name;
  }

  /** Applies flag values: registry, index, requirement files, folders, package flags. */
  values(values: readonly FlagValue[], style: PypiArgStyle = 'pep508'): void {
    for (const { role, arg } of values) {
      switch (role) {
        case 'registry':
          this.cmd.registry = arg.value;
          break;
        case 'index':
          this.cmd.indexUrl = arg.value;
          break;
        case 'extra-index':
          (this.cmd.extraIndexUrls ??= []).push(arg.value);
          break;
        case 'requirements':
          if (arg.dynamic) {
            // `-r <(…)`, `-r $FILE`: which file is only known when the shell runs.
            const n = note('warning', 'skipped', `the requirements file "${clip(arg.raw ?? arg.value)}" is only known when the shell runs it; the packages it lists were not checked.`, arg.at(0, arg.value.length, this.cmd.origin.context ?? this.context), undefined, this.ecosystem);
            n.unverified = true;
            this.cmd.notes.push(n);
          } else this.cmd.requirementFiles.push(arg.value);
          break;
        case 'cwd':
          this.cmd.cwd = arg.value;
          break;
        case 'package':
          this.spec(arg, style);
          break;
        case 'editable':
          this.spec(arg, style);
          break;
        case 'group':
          this.cmd.installsFromManifest = true;
          break;
        default:
          break;
      }
    }
  }

  booleans(flags: ReadonlySet<string>): void {
    if (this.ecosystem === 'npm' && (flags.has('-g') || flags.has('--global'))) this.cmd.global = true;
  }

  done(): InstallCommand[] {
    // Flags are read before positionals; report refs in the order they were written.
    this.cmd.refs.sort((a, b) => (a.origin?.line ?? 0) - (b.origin?.line ?? 0) || (a.origin?.column ?? 0) - (b.origin?.column ?? 0));
    return [this.cmd];
  }
}

const SOURCE_WORDS: Record<string, string> = {
  git: 'a git repository',
  file: 'a local archive',
  directory: 'a local folder',
  url: 'a URL',
  link: 'a linked folder',
  workspace: 'a workspace package',
  other: 'a source other than the public registry',
};

function note(level: ExtractNote['level'], code: ExtractNote['code'], message: string, origin: Origin, name?: string, ecosystem?: Ecosystem): ExtractNote {
  const n: ExtractNote = { level, code, message, origin };
  if (name !== undefined) n.name = name;
  if (ecosystem !== undefined) n.ecosystem = ecosystem;
  return n;
}

/** Keeps echoed arguments short (a hostile line can be megabytes). */
function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// ---------------------------------------------------------------------------
// npm family
// ---------------------------------------------------------------------------

/** Installs named packages, or the manifest when none are named. */
function installNamed(b: Builder, name: string, args: readonly Arg[], table: FlagTable, pre: Scanned | undefined, style: PypiArgStyle = 'pep508'): InstallCommand[] {
  b.sub(name, true);
  const s = scanArgs(args, table);
  if (pre) {
    b.values(pre.values, style);
    b.booleans(pre.booleans);
  }
  b.values(s.values, style);
  b.booleans(s.booleans);
  for (const p of s.positionals) b.spec(p, style);
  if (s.positionals.length === 0 && b.cmd.requirementFiles.length === 0 && b.cmd.refs.length === 0) b.cmd.installsFromManifest = true;
  return b.done();
}

/** Leading global flags, then the subcommand word. */
function subcommandOf(args: readonly Arg[], table: FlagTable): { pre: Scanned; sub: string | undefined; rest: Arg[] } {
  const pre = scanArgs(args, table, 1);
  return { pre, sub: pre.positionals[0]?.value, rest: pre.rest };
}

function npm(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, NPM_FLAGS);
  if (sub === undefined) return b.sub('', false).done();
  if (NPM_INSTALL.has(sub)) return installNamed(b, 'install', rest, NPM_FLAGS, pre);
  if (NPM_CI.has(sub)) {
    b.sub('ci', true).values(pre.values);
    b.values(scanArgs(rest, NPM_FLAGS).values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (NPM_UPDATE.has(sub)) return installNamed(b, 'update', rest, NPM_FLAGS, pre);
  if (sub === 'exec' || sub === 'x') return execLike(b, 'exec', rest, NPM_EXEC_FLAGS, pre);
  if (sub === 'create' || sub === 'init' || sub === 'innit') return create(b, rest, NPM_FLAGS, pre);
  return b.sub(sub, false).done();
}

/**
 * `npx`, `npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`: with `-p/--package`, those are the
 * packages and the first positional is a program name; without, the first positional is the
 * package and everything after it is the program's own arguments (never read as packages).
 */
function execLike(b: Builder, name: string, args: readonly Arg[], table: FlagTable, pre?: Scanned, style: PypiArgStyle = 'pep508'): InstallCommand[] {
  b.sub(name, true);
  const s = scanArgs(args, table, 1);
  const values = [...(pre?.values ?? []), ...s.values];
  b.values(values, style);
  b.booleans(s.booleans);
  const program = s.positionals[0];
  const hasPackages = values.some((v) => v.role === 'package');
  if (hasPackages) {
    if (program) b.cmd.program = program.value;
  } else if (program) {
    const read = b.spec(program, style);
    b.cmd.program = read ?? program.value;
  }
  b.cmd.isInstall = b.cmd.refs.length > 0 || b.cmd.notes.length > 0;
  return b.done();
}

/**
 * `npm init <initializer>` / `npm create`, `yarn create`, `pnpm create`, `bun create`: runs the
 * package `create-<initializer>` (`@scope` -> `@scope/create`, `@scope/x` -> `@scope/create-x`).
 */
function create(b: Builder, args: readonly Arg[], table: FlagTable, pre?: Scanned): InstallCommand[] {
  b.sub('create', true);
  const s = scanArgs(args, table, 1);
  b.values([...(pre?.values ?? []), ...s.values]);
  const initializer = s.positionals[0];
  if (!initializer || initializer.value.startsWith('.') || initializer.value.startsWith('/')) {
    b.cmd.isInstall = false;
    return b.done();
  }
  b.spec(initializer, 'pep508', createPackageName);
  b.cmd.program = b.cmd.refs[0]?.name;
  return b.done();
}

/** The package an npm initializer names. */
export function createPackageName(initializer: string): string {
  const at = initializer.indexOf('@', 1);
  const name = at === -1 ? initializer : initializer.slice(0, at);
  const version = at === -1 ? '' : initializer.slice(at);
  if (name.includes(':') || (name.includes('/') && !name.startsWith('@'))) return initializer; // git/URL/path: unchanged
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    return slash === -1 ? `${name}/create${version}` : `${name.slice(0, slash)}/create-${name.slice(slash + 1)}${version}`;
  }
  return `create-${name}${version}`;
}

function yarn(b: Builder, args: readonly Arg[], depth = 0): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, YARN_FLAGS);
  if (sub === undefined || sub === 'install') {
    b.sub(sub ?? '', true).values(pre.values);
    b.values(scanArgs(rest, YARN_FLAGS).values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'add') return installNamed(b, 'add', rest, YARN_FLAGS, pre);
  if (sub === 'up' || sub === 'upgrade') return installNamed(b, 'up', rest, YARN_FLAGS, pre);
  if (sub === 'global') {
    const inner = subcommandOf(rest, YARN_FLAGS);
    if (inner.sub !== 'add' && inner.sub !== 'upgrade') return b.sub(`global ${inner.sub ?? ''}`.trim(), false).done();
    b.cmd.global = true;
    return installNamed(b, `global ${inner.sub}`, inner.rest, YARN_FLAGS, pre);
  }
  if (sub === 'workspace' && depth === 0) {
    // `yarn workspace <name> add x`: <name> is a workspace of this repo, not a package.
    return yarn(b, rest.slice(1), depth + 1);
  }
  if (sub === 'dlx') return execLike(b, 'dlx', rest, YARN_DLX_FLAGS, pre);
  if (sub === 'create') return create(b, rest, YARN_FLAGS, pre);
  return b.sub(sub, false).done();
}

function pnpm(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PNPM_FLAGS);
  if (sub === undefined) return b.sub('', false).done();
  if (sub === 'add') return installNamed(b, 'add', rest, PNPM_FLAGS, pre);
  if (sub === 'install' || sub === 'i') return installNamed(b, 'install', rest, PNPM_FLAGS, pre);
  if (sub === 'update' || sub === 'up' || sub === 'upgrade') return installNamed(b, 'update', rest, PNPM_FLAGS, pre);
  if (sub === 'dlx') return execLike(b, 'dlx', rest, PNPM_DLX_FLAGS, pre);
  if (sub === 'create') return create(b, rest, PNPM_FLAGS, pre);
  return b.sub(sub, false).done();
}

function bun(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, BUN_FLAGS);
  if (sub === undefined) return b.sub('', false).done();
  if (sub === 'add' || sub === 'a') return installNamed(b, 'add', rest, BUN_FLAGS, pre);
  if (sub === 'install' || sub === 'i') return installNamed(b, 'install', rest, BUN_FLAGS, pre);
  if (sub === 'update') return installNamed(b, 'update', rest, BUN_FLAGS, pre);
  if (sub === 'x') return execLike(b, 'exec', rest, BUNX_FLAGS, pre);
  if (sub === 'create' || sub === 'c') return create(b, rest, BUN_FLAGS, pre);
  return b.sub(sub, false).done();
}

/** Deno fetches npm packages only through `npm:` specifiers; other specifiers are not npm's. */
function deno(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { sub, rest } = subcommandOf(args, DENO_FLAGS);
  if (sub === 'add' || sub === 'install' || sub === 'i') {
    b.sub(sub === 'i' ? 'install' : sub, true);
    const s = scanArgs(rest, DENO_FLAGS);
    for (const p of s.positionals) if (p.value.startsWith('npm:') || p.value.startsWith('jsr:') || p.dynamic) b.spec(p);
    if (s.positionals.length === 0) b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'run' || sub === 'x') {
    b.sub(sub, false);
    const s = scanArgs(rest, DENO_FLAGS, 1);
    const target = s.positionals[0];
    if (target?.value.startsWith('npm:')) {
      b.spec(target);
      b.cmd.isInstall = true;
    }
    return b.done();
  }
  return b.sub(sub ?? '', false).done();
}

// ---------------------------------------------------------------------------
// Python family
// ---------------------------------------------------------------------------

/** `python -m pip …`, `py -3.12 -m pip …`, `python3 -m uv …`. */
function pythonModule(head: Arg, rest: readonly Arg[], args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  for (let i = 0; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    let module: string | undefined;
    let after = i + 1;
    if (v === '-m') {
      module = rest[i + 1]?.value;
      after = i + 2;
    } else if (v.startsWith('-m')) module = v.slice(2);
    else if (v === '-c' || !v.startsWith('-')) return []; // a script or inline code, not a module
    else if (v === '-W' || v === '-X') {
      i++;
      continue;
    } else continue;
    if (module === undefined) return [];
    const tail = rest.slice(after);
    const b = (tool: InstallTool) => new Builder(tool, 'pypi', head, args, ctx);
    if (PIP.test(module)) return pip(b('pip'), tail, PIP_FLAGS, '');
    if (module === 'uv') return uv(b('uv'), tail, ctx);
    if (module === 'pipx') return pipx(b('pipx'), tail);
    if (module === 'poetry') return poetry(b('poetry'), tail, ctx);
    if (module === 'pdm') return pdm(b('pdm'), tail, ctx);
    if (module === 'pipenv') return pipenv(b('pipenv'), tail, ctx);
    return [];
  }
  return [];
}

/** pip (and `uv pip`): install, download, wheel. */
function pip(b: Builder, args: readonly Arg[], table: FlagTable, prefix: string): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, table);
  if (sub === 'install' || sub === 'download' || sub === 'wheel') {
    b.sub(`${prefix}${sub}`, true);
    const s = scanArgs(rest, table);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals) b.spec(p);
    return b.done();
  }
  if (sub === 'sync' && prefix) {
    // `uv pip sync requirements.txt`: the positionals are requirement files.
    b.sub(`${prefix}sync`, true);
    const s = scanArgs(rest, table);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals) b.cmd.requirementFiles.push(p.value);
    return b.done();
  }
  return b.sub(`${prefix}${sub ?? ''}`.trim(), false).done();
}

function uv(b: Builder, args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, UV_COMMON);
  if (sub === 'add') return installNamed(b, 'add', rest, UV_COMMON, pre);
  if (sub === 'pip') return pip(b, rest, UV_PIP_FLAGS, 'pip ');
  if (sub === 'sync') {
    b.sub('sync', true).values(pre.values);
    b.values(scanArgs(rest, UV_COMMON).values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'run') {
    // `uv run` syncs the project first, and fetches `--with` packages for the run.
    b.sub('run', true);
    const s = scanArgs(rest, UV_TOOL_FLAGS, 1);
    b.values([...pre.values, ...s.values]);
    // `--frozen` still syncs, from uv.lock as it stands (the planner then reads the lockfile only).
    b.cmd.installsFromManifest = !s.booleans.has('--no-project') && !s.booleans.has('--no-sync');
    const nested = b.cmd.refs.length === 0 ? runNested(s, ctx) : [];
    if (nested.length) return nested;
    if (s.positionals[0]) b.cmd.program = s.positionals[0].value;
    return b.done();
  }
  if (sub === 'tool') {
    const inner = subcommandOf(rest, UV_TOOL_FLAGS);
    if (inner.sub === 'run') return uvx(b, inner.rest, 'tool run', [...pre.values, ...inner.pre.values]);
    if (inner.sub === 'install') return installNamed(b, 'tool install', inner.rest, UV_TOOL_FLAGS, inner.pre, 'at-version');
    return b.sub(`tool ${inner.sub ?? ''}`.trim(), false).done();
  }
  return b.sub(sub ?? '', false).done();
}

/** `uvx [--from pkg] [--with pkg]… <command>[@version]`. */
function uvx(b: Builder, args: readonly Arg[], name: string, pre: FlagValue[] = []): InstallCommand[] {
  b.sub(name, true);
  const s = scanArgs(args, UV_TOOL_FLAGS, 1);
  const values = [...pre, ...s.values];
  b.values(values, 'at-version');
  const command = s.positionals[0];
  if (values.some((v) => v.flag === '--from')) {
    if (command) b.cmd.program = command.value;
  } else if (command) {
    const read = b.spec(command, 'at-version');
    b.cmd.program = read ?? command.value;
  }
  b.cmd.isInstall = b.cmd.refs.length > 0 || b.cmd.notes.length > 0;
  return b.done();
}

function poetry(b: Builder, args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, POETRY_FLAGS);
  if (sub === 'add') return installNamed(b, 'add', rest, POETRY_FLAGS, pre, 'at-version');
  if (sub === 'install' || sub === 'sync') {
    b.sub(sub, true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update') return installNamed(b, 'update', rest, POETRY_FLAGS, pre, 'at-version');
  if (sub === 'self') {
    const inner = subcommandOf(rest, POETRY_FLAGS);
    if (inner.sub === 'add') return installNamed(b, 'self add', inner.rest, POETRY_FLAGS, pre, 'at-version');
    return b.sub(`self ${inner.sub ?? ''}`.trim(), false).done();
  }
  if (sub === 'run') return runNested(scanArgs(rest, POETRY_FLAGS, 0), ctx);
  return b.sub(sub ?? '', false).done();
}

function pipx(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PIPX_FLAGS);
  if (sub === 'install') {
    b.sub('install', true);
    const s = scanArgs(rest, PIPX_FLAGS);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals) b.spec(p);
    return b.done();
  }
  if (sub === 'inject') {
    // `pipx inject <venv> <package>…`: the first positional is an installed app's venv.
    b.sub('inject', true);
    const s = scanArgs(rest, PIPX_FLAGS);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals.slice(1)) b.spec(p);
    return b.done();
  }
  if (sub === 'run') {
    b.sub('run', true);
    const s = scanArgs(rest, PIPX_FLAGS, 1);
    b.values([...pre.values, ...s.values.filter((v) => v.flag !== '--spec')]);
    const spec = s.values.find((v) => v.flag === '--spec');
    const app = s.positionals[0];
    if (spec) {
      b.spec(spec.arg);
      if (app) b.cmd.program = app.value;
    } else if (app) {
      const read = b.spec(app);
      b.cmd.program = read ?? app.value;
    }
    b.cmd.isInstall = b.cmd.refs.length > 0 || b.cmd.notes.length > 0;
    return b.done();
  }
  return b.sub(sub ?? '', false).done();
}

function pipenv(b: Builder, args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PIPENV_FLAGS);
  if (sub === 'install') return installNamed(b, 'install', rest, PIPENV_FLAGS, pre);
  if (sub === 'sync') {
    b.sub('sync', true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update' || sub === 'upgrade') return installNamed(b, sub, rest, PIPENV_FLAGS, pre);
  if (sub === 'run') return runNested(scanArgs(rest, PIPENV_FLAGS, 0), ctx);
  return b.sub(sub ?? '', false).done();
}

function pdm(b: Builder, args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PDM_FLAGS);
  if (sub === 'add') return installNamed(b, 'add', rest, PDM_FLAGS, pre);
  if (sub === 'install' || sub === 'sync') {
    b.sub(sub, true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update') return installNamed(b, 'update', rest, PDM_FLAGS, pre);
  if (sub === 'run') return runNested(scanArgs(rest, PDM_FLAGS, 0), ctx);
  return b.sub(sub ?? '', false).done();
}

/** conda's names live in conda channels, not on PyPI: said out loud, never checked against PyPI. */
function conda(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { sub, rest } = subcommandOf(args, CONDA_FLAGS);
  let name = sub ?? '';
  let tail = rest;
  if (sub === 'env') {
    const inner = subcommandOf(rest, CONDA_FLAGS);
    name = `env ${inner.sub ?? ''}`.trim();
    tail = inner.rest;
  }
  if (!['install', 'create', 'update', 'env create', 'env update'].includes(name)) return b.sub(name, false).done();
  b.sub(name, true);
  const s = scanArgs(tail, CONDA_FLAGS);
  const specs = s.positionals.map((p) => p.value);
  const what = specs.length ? `: ${clip(specs.join(' '))}` : '';
  const prog = b.cmd.argv[0] ? programName(b.cmd.argv[0]) : 'conda';
  const n = note('warning', 'unsupported', `${prog} ${name} installs from conda channels, which slopguard does not check${what}.`, b.cmd.origin);
  n.unverified = true;
  b.cmd.notes.push(n);
  return b.done();
}

/** `poetry run <cmd>`, `pipenv run`, `pdm run`, `uv run`: read the program as a command of its own. */
function runNested(s: Scanned, ctx: ReadContext): InstallCommand[] {
  const argv = [...s.positionals, ...s.rest];
  if (argv.length === 0 || ctx.depth >= 4) return [];
  return readCommand(argv, { ...ctx, depth: ctx.depth + 1 });
}
