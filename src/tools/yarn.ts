/** Yarn (classic and berry): bare `yarn`, `add`, `up`, `global add`, `workspace <w> add`, `dlx`, `create`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable, scanArgs } from './flags.js';
import { create, execLike, installNamed, subcommandOf } from './readers.js';

export const YARN_FLAGS = flagTable({
  plain: '--network-timeout --modules-folder --cache-folder --global-folder --link-folder --mutex --mode --network-concurrency --use-yarnrc --preferred-cache-folder',
  registry: '--registry',
  cwd: '--cwd',
});
export const YARN_DLX_FLAGS = flagTable({ package: '-p --package' }, YARN_FLAGS);

function readYarn(b: Builder, args: readonly Arg[], depth = 0): InstallCommand[] {
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
    return readYarn(b, rest.slice(1), depth + 1);
  }
  if (sub === 'dlx') return execLike(b, 'dlx', rest, YARN_DLX_FLAGS, pre);
  if (sub === 'create') return create(b, rest, YARN_FLAGS, pre);
  return b.sub(sub, false).done();
}

export const yarn = defineTool({
  id: 'yarn',
  ecosystem: 'npm',
  programs: ['yarn', 'yarnpkg'],
  corepack: ['yarn'],
  installs: ['', 'install', 'add', 'up', 'global add', 'global upgrade', 'dlx', 'create'],
  read: (b, args) => readYarn(b, args),
  projectFiles: { lockfiles: ['yarn.lock'], manifests: ['package.json'] },
  discoversProject: true,
  lockfileOnly: { flags: ['--frozen-lockfile', '--immutable'] },
  wrapping: {
    wrapped: ['yarn'],
    routed: ['yarn'],
    why: '`yarnpkg` is the Debian name of the same program; it is read in text but not wrapped, since a shell function for it would route the same tool twice.',
  },
  examples: ['yarn', 'yarn install --frozen-lockfile', 'yarn add lodash', 'yarn up lodash', 'yarn global add serve', 'yarn global upgrade serve', 'yarn dlx cowsay', 'yarn create vite', 'yarnpkg add lodash'],
});
