/**
 * What a shell command an agent wants to run would install, planned by the shared install
 * planner (the same one the wrappers and `slopguard text` use): packages named on install
 * commands (each judged against the registry or index given on its own command), heredocs fed
 * to a shell, files written earlier in the same command, `cd`, requirement files of any name,
 * and the project files a bare install reads.
 */
import { planInstall, type ResolveTree } from '../install/plan-install.js';
import { userFiles } from '../install/user-files.js';
import { protectedFile, type ProtectedFile } from '../policy/protected-files.js';
import { displayPath } from './edit.js';
import type { HookSubject } from './runner.js';

/**
 * The packages a shell command would install (undefined when it installs nothing). `resolveTree`
 * is the runner's (install/tree-option.ts `treeResolver`, per the hook's choice): the transitive tree of `npm i x` / `pip install
 * y`, within the hook's budget; without it only what the command and its files name.
 */
export async function shellSubject(command: string, cwd: string, env: Record<string, string | undefined> = {}, resolveTree?: ResolveTree): Promise<HookSubject | undefined> {
  const plan = await planInstall(command, cwd, userFiles(cwd), resolveTree ? { resolveTree } : {});
  // A command that writes slopguard's own config, a package manager's or an agent's hook settings
  // (`echo 'allow…' > .slopguard.json`, `>> .npmrc`) is put to the user, as an edit of them is.
  const protectedEdits = plan.writes.flatMap((abs) => {
    const why = protectedFile(abs, cwd, env);
    return why ? [[displayPath(abs, cwd), why] as [string, ProtectedFile]] : [];
  });
  if (plan.installs.length === 0 && plan.notes.length === 0 && protectedEdits.length === 0) return undefined;
  const subject: HookSubject = { what: 'this command', refs: plan.groups.flatMap((g) => g.refs), notes: plan.notes, plan };
  if (protectedEdits.length) subject.protectedEdits = protectedEdits;
  return subject;
}
