/** Pipenv: `install`, `sync`, `update`/`upgrade`, `run`. */
import type { Arg, ReadContext } from '../extractors/text/command-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { flagTable, scanArgs } from './flags.js';
import { installNamed, runNested, subcommandOf } from './readers.js';

export const PIPENV_FLAGS = flagTable({ plain: '--python --categories', index: '-i --index', 'extra-index': '--extra-index-url', requirements: '-r --requirements' });

export function pipenv(b: Builder, args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PIPENV_FLAGS);
  if (sub === 'install') return installNamed(b, 'install', rest, PIPENV_FLAGS, pre);
  if (sub === 'sync') {
    b.sub('sync', true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update' || sub === 'upgrade') return installNamed(b, sub, rest, PIPENV_FLAGS, pre);
  if (sub === 'run') return runNested(scanArgs(rest, PIPENV_FLAGS, 0), ctx);
  return b.sub(sub ?? '', false).done();
}
