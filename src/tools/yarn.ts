/** Yarn (classic and berry): bare `yarn`, `add`, `up`, `global add`, `workspace <w> add`, `dlx`, `create`. */
import type { Arg } from '../extractors/text/command-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { flagTable, scanArgs } from './flags.js';
import { create, execLike, installNamed, subcommandOf } from './readers.js';

export const YARN_FLAGS = flagTable({
  plain: '--network-timeout --modules-folder --cache-folder --global-folder --link-folder --mutex --mode --network-concurrency --use-yarnrc --preferred-cache-folder',
  registry: '--registry',
  cwd: '--cwd',
});
export const YARN_DLX_FLAGS = flagTable({ package: '-p --package' }, YARN_FLAGS);

export function yarn(b: Builder, args: readonly Arg[], depth = 0): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, YARN_FLAGS);
  if (sub === undefined || sub === 'install') {
    b.sub(sub ?? '', true).values(pre.values);
    b.values(scanArgs(rest, YARN_FLAGS).values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'add') return installNamed(b, 'add', rest, YARN_FLAGS, pre);
  if (sub === 'up' || sub === 'upgrade') return installNamed(b, 'up', rest, YARN_FLAGS, pre);
  if (sub === 'global') {
    const inner = subcommandOf(rest, YARN_FLAGS);
    if (inner.sub !== 'add' && inner.sub !== 'upgrade') return b.sub(`global ${inner.sub ?? ''}`.trim(), false).done();
    b.cmd.global = true;
    return installNamed(b, `global ${inner.sub}`, inner.rest, YARN_FLAGS, pre);
  }
  if (sub === 'workspace' && depth === 0) {
    // `yarn workspace <name> add x`: <name> is a workspace of this repo, not a package.
    return yarn(b, rest.slice(1), depth + 1);
  }
  if (sub === 'dlx') return execLike(b, 'dlx', rest, YARN_DLX_FLAGS, pre);
  if (sub === 'create') return create(b, rest, YARN_FLAGS, pre);
  return b.sub(sub, false).done();
}
