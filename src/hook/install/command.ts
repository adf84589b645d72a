/**
 * The command line a hook config runs. Agents and git run hooks through a shell, so the
 * command must work from any folder: `slopguard` when it is on PATH (a global install);
 * `npx --no-install slopguard` when the project has it as a devDependency (npx then runs the
 * project's own copy and never downloads a package of that name); otherwise this very
 * installation by absolute path (`node /abs/bin/slopguard.js`). `--command` overrides all.
 *
 * A file meant to be committed (Claude's .claude/settings.json, Cursor's .cursor/hooks.json) gets
 * no machine path unless the user says so: it would break the hook for everyone else who checks
 * the project out, and tell them where this machine keeps its tools.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { packageRoot } from '../../core/package-root.js';

/** Quote one word for a POSIX shell (only when needed, so common commands stay readable). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function onPath(name: string, env: Record<string, string | undefined>): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** This installation's bin shim (<root>/bin/slopguard.js). */
export function ownBinPath(): string {
  return join(packageRoot(), 'bin', 'slopguard.js');
}

/** Where the hook command will be written, which decides whether a machine path may go in it. */
export interface InvocationTarget {
  /** The project root (for finding a devDependency install). */
  root: string;
  /** The file is meant to be committed and shared (project scope of Claude Code and Cursor). */
  committed: boolean;
  /** The user allowed a machine path in a committed file (`--allow-machine-path`). */
  allowMachinePath?: boolean;
  /** The file, as shown in the refusal. */
  file?: string;
}

/** The project installs slopguard itself (`npm install -D slopguard`): its own bin is there. */
function projectHasSlopguard(root: string): boolean {
  return existsSync(join(root, 'node_modules', '.bin', 'slopguard'));
}

/**
 * How to invoke slopguard from a hook: the `--command` override, `slopguard` on PATH, the
 * project's own devDependency, or `<node> <this bin>` quoted for a POSIX shell. Throws a
 * UsageError instead of writing a machine path into a committed file (see the module comment).
 */
export function slopguardInvocation(env: Record<string, string | undefined>, override?: string, target?: InvocationTarget): string {
  if (override !== undefined && override.trim() !== '') return override.trim();
  if (onPath('slopguard', env)) return 'slopguard';
  if (target && projectHasSlopguard(target.root)) return 'npx --no-install slopguard';
  const machinePath = `${shellWord(process.execPath)} ${shellWord(ownBinPath())}`;
  if (target?.committed && !target.allowMachinePath) {
    throw new UsageError(
      `slopguard is not on PATH and not a devDependency of this project, so the hook would run it by this machine's path ` +
        `(${machinePath}), which breaks for everyone else who uses ${target.file ?? 'the committed settings file'}. ` +
        'Install it for everyone (`npm install -D slopguard`) or on PATH (`npm install -g slopguard`, or `npm link` in a clone), ' +
        'wire it only for yourself (--local, --user), name the command (--command "..."), or pass --allow-machine-path.',
    );
  }
  return machinePath;
}

/** Whether a configured hook command is slopguard's hook `sub` (e.g. `hook claude`), whatever the invocation prefix. */
export function isOurHookCommand(command: unknown, sub: string): boolean {
  if (typeof command !== 'string') return false;
  const words = sub.split(' ').join('\\s+');
  return new RegExp(`slopguard(?:\\.js)?['"]?\\s+hook\\s+${words}(?:\\s|$)`).test(command);
}
