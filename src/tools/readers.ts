/**
 * The argument shapes several package managers share: install named packages (or the manifest
 * when none are named), the subcommand after leading global flags, exec-like runners (npx,
 * `pnpm dlx`, bunx), `create` initializers, and `run` subcommands that run another command.
 */
import type { PypiArgStyle } from '../extractors/text/install-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Arg } from './args.js';
import type { Builder } from './builder.js';
import type { ToolReading } from './define.js';
import { scanArgs, type FlagTable, type Scanned } from './flags.js';

/** Installs named packages, or the manifest when none are named. */
export function installNamed(b: Builder, name: string, args: readonly Arg[], table: FlagTable, pre: Scanned | undefined, style: PypiArgStyle = 'pep508'): InstallCommand[] {
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
export function subcommandOf(args: readonly Arg[], table: FlagTable): { pre: Scanned; sub: string | undefined; rest: Arg[] } {
  const pre = scanArgs(args, table, 1);
  return { pre, sub: pre.positionals[0]?.value, rest: pre.rest };
}

/**
 * `npx`, `npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`: with `-p/--package`, those are the
 * packages and the first positional is a program name; without, the first positional is the
 * package and everything after it is the program's own arguments (never read as packages).
 */
export function execLike(b: Builder, name: string, args: readonly Arg[], table: FlagTable, pre?: Scanned, style: PypiArgStyle = 'pep508'): InstallCommand[] {
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
export function create(b: Builder, args: readonly Arg[], table: FlagTable, pre?: Scanned): InstallCommand[] {
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

/** `poetry run <cmd>`, `pipenv run`, `pdm run`, `uv run`: read the program as a command of its own. */
export function runNested(s: Scanned, r: ToolReading): InstallCommand[] {
  return r.nested([...s.positionals, ...s.rest]);
}
