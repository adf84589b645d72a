/** PDM: `add`, `install`/`sync`, `update`, `run`. */
import type { Arg, ReadContext } from '../extractors/text/command-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { flagTable, scanArgs } from './flags.js';
import { installNamed, runNested, subcommandOf } from './readers.js';

export const PDM_FLAGS = flagTable({ plain: '-G --group -L --lockfile --venv --save-strategy --update-strategy', cwd: '-p --project', editable: '-e --editable' });

export function pdm(b: Builder, args: readonly Arg[], ctx: ReadContext): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PDM_FLAGS);
  if (sub === 'add') return installNamed(b, 'add', rest, PDM_FLAGS, pre);
  if (sub === 'install' || sub === 'sync') {
    b.sub(sub, true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update') return installNamed(b, 'update', rest, PDM_FLAGS, pre);
  if (sub === 'run') return runNested(scanArgs(rest, PDM_FLAGS, 0), ctx);
  return b.sub(sub ?? '', false).done();
}
