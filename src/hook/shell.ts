/**
 * What a shell command an agent wants to run would install, read with the shared install-command
 * grammar (the same one the wrappers and `slopguard text` use): packages named on install
 * commands, plus the contents of requirement files a `pip install -r` names. A registry or index
 * given on the command itself is where those names are looked up, as the wrappers do.
 */
import type { ExtractNote, PackageRef } from '../core/types.js';
import { findInstallCommands } from '../extractors/text/install-command.js';
import { extractFiles } from '../sources/files.js';
import type { HookSubject } from './runner.js';

/** Shell commands are short; a megabyte is already far beyond any real one. */
const MAX_COMMAND = 1024 * 1024;

/** The packages a shell command would install (undefined when it installs nothing). */
export async function shellSubject(command: string, cwd: string): Promise<HookSubject | undefined> {
  if (command.length > MAX_COMMAND) return undefined;
  const commands = findInstallCommands(command, { file: '<command>' });
  if (commands.length === 0) return undefined;
  const subject: HookSubject = { what: 'this command', refs: [], notes: [] };
  const refs: PackageRef[] = subject.refs;
  const notes: ExtractNote[] = subject.notes;
  const files: string[] = [];
  for (const c of commands) {
    refs.push(...c.refs);
    notes.push(...c.notes);
    files.push(...c.requirementFiles);
    if (c.registry) subject.registryOverrides = { ...subject.registryOverrides, npmRegistry: c.registry };
    if (c.indexUrl) subject.env = { ...subject.env, PIP_INDEX_URL: c.indexUrl };
  }
  if (files.length) {
    // `pip install -r requirements.txt`: the file is what gets installed.
    const extracted = await extractFiles([...new Set(files)], { cwd, readAs: 'requirements' });
    refs.push(...extracted.refs);
    notes.push(...extracted.notes);
  }
  return subject;
}
