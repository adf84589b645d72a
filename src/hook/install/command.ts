/**
 * The command line a hook config runs. Agents and git run hooks through a shell, so the
 * command must work from any folder: `slopguard` when it is on PATH (a global install),
 * otherwise this very installation by absolute path (`node /abs/bin/slopguard.js`), so a
 * project-local or npx install still works. `--command` overrides both.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
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

/**
 * How to invoke slopguard from a hook: the `--command` override, `slopguard` on PATH, or
 * `<node> <this bin>` quoted for a POSIX shell.
 */
export function slopguardInvocation(env: Record<string, string | undefined>, override?: string): string {
  if (override !== undefined && override.trim() !== '') return override.trim();
  if (onPath('slopguard', env)) return 'slopguard';
  return `${shellWord(process.execPath)} ${shellWord(ownBinPath())}`;
}

/** Whether a configured hook command is slopguard's hook `sub` (e.g. `hook claude`), whatever the invocation prefix. */
export function isOurHookCommand(command: unknown, sub: string): boolean {
  if (typeof command !== 'string') return false;
  const words = sub.split(' ').join('\\s+');
  return new RegExp(`slopguard(?:\\.js)?['"]?\\s+hook\\s+${words}(?:\\s|$)`).test(command);
}
