/**
 * What a shell command an agent wants to run would install, planned by the shared install
 * planner (the same one the wrappers and `slopguard text` use): packages named on install
 * commands (each judged against the registry or index given on its own command), heredocs fed
 * to a shell, files written earlier in the same command, `cd`, requirement files of any name,
 * and the project files a bare install reads.
 */
import { planInstall } from '../install/plan-install.js';
import { userFiles } from '../install/user-files.js';
import type { HookSubject } from './runner.js';

/** The packages a shell command would install (undefined when it installs nothing). */
export async function shellSubject(command: string, cwd: string): Promise<HookSubject | undefined> {
  const plan = await planInstall(command, cwd, userFiles(cwd));
  if (plan.installs.length === 0 && plan.notes.length === 0) return undefined;
  return { what: 'this command', refs: plan.groups.flatMap((g) => g.refs), notes: plan.notes, plan };
}
