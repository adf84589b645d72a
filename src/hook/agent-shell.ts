/**
 * The packages a shell call read from an agent's hook input would install: the shared
 * install-command reading of src/hook/shell.ts, for a command text or a direct argv, in the folder
 * the call runs in.
 */
import { resolve } from 'node:path';
import { shellWord } from './install/command.js';
import type { ResolveTree } from '../install/plan-install.js';
import type { HookSubject } from './runner.js';
import { shellSubject } from './shell.js';
import type { ShellCall } from './shell-call.js';

/** What a shell call would install (undefined when it installs nothing). */
export function shellCallSubject(call: ShellCall | undefined, cwd: string, env: Record<string, string | undefined> = {}, resolveTree?: ResolveTree): Promise<HookSubject | undefined> {
  if (!call) return Promise.resolve(undefined);
  // A direct argv is quoted back into one shell line, so the grammar reads each word as the program would get it.
  const command = call.command ?? (call.argv ?? []).map(shellWord).join(' ');
  return shellSubject(command, call.dir ? resolve(cwd, call.dir) : cwd, env, resolveTree);
}
