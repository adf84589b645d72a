/**
 * pip-sync (pip-tools): makes the environment match requirement files exactly, installing what
 * they list. Its positionals are the files (`requirements.txt` when none is given); `-n` /
 * `--dry-run` only shows what would change. Options from `pip-sync --help` (pip-tools 7).
 */
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Arg } from './args.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable, scanArgs } from './flags.js';

const PIP_SYNC_FLAGS = flagTable({
  index: '-i --index-url',
  'extra-index': '--extra-index-url',
  plain: '-f --find-links --trusted-host --python-executable --cert --client-cert --pip-args --config',
});

/** pip-tools' DEFAULT_REQUIREMENTS_FILE: what a bare `pip-sync` installs. */
const DEFAULT_FILE = 'requirements.txt';

function readPipSync(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const s = scanArgs(args, PIP_SYNC_FLAGS);
  if (s.booleans.has('-n') || s.booleans.has('--dry-run')) return b.sub('', false).done();
  b.sub('', true);
  // The files are positionals here; read as `-r` values, a `$VAR` file is an unverified note as with pip.
  b.values([...s.values, ...s.positionals.map((arg) => ({ flag: '', role: 'requirements' as const, arg }))]);
  if (s.positionals.length === 0) b.cmd.requirementFiles.push(DEFAULT_FILE);
  return b.done();
}

export const pipSync = defineTool({
  id: 'pip-sync',
  ecosystem: 'pypi',
  programs: ['pip-sync'],
  installs: [''],
  read: (b, args) => readPipSync(b, args),
  // What it installs is always a requirements file (named or the default), never the project's manifest.
  projectFiles: { lockfiles: [], manifests: [] },
  wrapping: { wrapped: ['pip-sync'], routed: ['pip-sync'] },
  examples: ['pip-sync requirements.txt', 'pip-sync', 'pip-sync -i https://pypi.example.test/simple requirements.txt dev-requirements.txt'],
});
