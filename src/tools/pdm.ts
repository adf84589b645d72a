/** PDM: `add`, `install`/`sync`, `update`, `run`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool, type ToolReading } from './define.js';
import { flagTable, scanArgs } from './flags.js';
import { installNamed, runNested, subcommandOf } from './readers.js';

export const PDM_FLAGS = flagTable({ plain: '-G --group -L --lockfile --venv --save-strategy --update-strategy', cwd: '-p --project', editable: '-e --editable' });

function readPdm(b: Builder, args: readonly Arg[], r: ToolReading): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PDM_FLAGS);
  if (sub === 'add') return installNamed(b, 'add', rest, PDM_FLAGS, pre);
  if (sub === 'install' || sub === 'sync') {
    b.sub(sub, true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update') return installNamed(b, 'update', rest, PDM_FLAGS, pre);
  if (sub === 'run') return runNested(scanArgs(rest, PDM_FLAGS, 0), r);
  return b.sub(sub ?? '', false).done();
}

export const pdm = defineTool({
  id: 'pdm',
  ecosystem: 'pypi',
  programs: ['pdm'],
  pythonModules: ['pdm'],
  installs: ['add', 'install', 'sync', 'update'],
  read: (b, args, r) => readPdm(b, args, r),
  projectFiles: { lockfiles: ['pdm.lock'], manifests: ['pyproject.toml'] },
  discoversProject: true,
  lockfileOnly: { flags: ['--frozen-lockfile'] },
  wrapping: { wrapped: ['pdm'], routed: ['pdm'] },

  examples: ['pdm add requests', 'pdm install', 'pdm sync', 'pdm update requests', 'python -m pdm add requests'],
});
