/** pnpm and pnpx: `add`, `install`, `update`, `dlx`, `create`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable } from './flags.js';
import { create, execLike, installNamed, subcommandOf } from './readers.js';

export const PNPM_FLAGS = flagTable({
  plain:
    '--filter -F --filter-prod --reporter --loglevel --store-dir --virtual-store-dir --modules-dir --lockfile-dir --node-linker ' +
    '--network-concurrency --child-concurrency --resolution-mode --workspace-concurrency --test-pattern --changed-files-ignore-pattern --allow-build --config-dir',
  registry: '--registry',
  cwd: '-C --dir',
});
export const PNPM_DLX_FLAGS = flagTable({ package: '--package' }, PNPM_FLAGS);

function readPnpm(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PNPM_FLAGS);
  if (sub === undefined) return b.sub('', false).done();
  if (sub === 'add') return installNamed(b, 'add', rest, PNPM_FLAGS, pre);
  if (sub === 'install' || sub === 'i') return installNamed(b, 'install', rest, PNPM_FLAGS, pre);
  if (sub === 'update' || sub === 'up' || sub === 'upgrade') return installNamed(b, 'update', rest, PNPM_FLAGS, pre);
  if (sub === 'dlx') return execLike(b, 'dlx', rest, PNPM_DLX_FLAGS, pre);
  if (sub === 'create') return create(b, rest, PNPM_FLAGS, pre);
  return b.sub(sub, false).done();
}

function readPnpx(b: Builder, rest: readonly Arg[]): InstallCommand[] {
  return execLike(b, 'dlx', rest, PNPM_DLX_FLAGS);
}

/** pnpm; `pnpx` is `pnpm dlx` and reads as pnpm. */
export const pnpm = defineTool({
  id: 'pnpm',
  ecosystem: 'npm',
  programs: ['pnpm', 'pnpx'],
  corepack: ['pnpm', 'pnpx'],
  installs: ['add', 'install', 'update', 'dlx', 'create'],
  read: (b, args, r) => (r.program === 'pnpx' ? readPnpx(b, args) : readPnpm(b, args)),
  projectFiles: { lockfiles: ['pnpm-lock.yaml'], manifests: ['package.json'] },
  discoversProject: true,
  lockfileOnly: { flags: ['--frozen-lockfile'] },
  wrapping: {
    wrapped: ['pnpm'],
    routed: ['pnpm'],
    why: '`pnpx` (deprecated by pnpm for `pnpm dlx`) is read in text and by the hooks, but not wrapped.',
  },
  examples: ['pnpm add lodash', 'pnpm install', 'pnpm update lodash', 'pnpm dlx cowsay', 'pnpm create vite', 'pnpx cowsay'],
});
