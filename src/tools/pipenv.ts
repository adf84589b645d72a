/** Pipenv: `install`, `sync`, `update`/`upgrade`, `run`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool, type ToolReading } from './define.js';
import { flagTable, scanArgs } from './flags.js';
import { installNamed, runNested, subcommandOf } from './readers.js';

export const PIPENV_FLAGS = flagTable({ plain: '--python --categories', index: '-i --index', 'extra-index': '--extra-index-url', requirements: '-r --requirements' });

function readPipenv(b: Builder, args: readonly Arg[], r: ToolReading): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PIPENV_FLAGS);
  if (sub === 'install') return installNamed(b, 'install', rest, PIPENV_FLAGS, pre);
  if (sub === 'sync') {
    b.sub('sync', true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update' || sub === 'upgrade') return installNamed(b, sub, rest, PIPENV_FLAGS, pre);
  if (sub === 'run') return runNested(scanArgs(rest, PIPENV_FLAGS, 0), r);
  return b.sub(sub ?? '', false).done();
}

export const pipenv = defineTool({
  id: 'pipenv',
  ecosystem: 'pypi',
  programs: ['pipenv'],
  pythonModules: ['pipenv'],
  installs: ['install', 'sync', 'update', 'upgrade'],
  read: (b, args, r) => readPipenv(b, args, r),
  projectFiles: { lockfiles: ['Pipfile.lock'], manifests: ['Pipfile'] },
  discoversProject: true,
  lockfileOnly: { subcommands: ['sync'], flags: ['--deploy'] },
  wrapping: { wrapped: ['pipenv'], routed: ['pipenv'] },

  examples: ['pipenv install requests', 'pipenv sync', 'pipenv update requests', 'pipenv upgrade requests', 'python -m pipenv install requests'],
});
