/** Bun: `add`, `install`, `update`, `x`, `create`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable } from './flags.js';
import { create, execLike, installNamed, subcommandOf } from './readers.js';

export const BUN_FLAGS = flagTable({
  plain: '-c --config --cache-dir --omit --filter -F --backend --linker --concurrent-scripts --network-concurrency --ca --cafile',
  registry: '--registry',
  cwd: '--cwd',
});
export const BUNX_FLAGS = flagTable({ package: '-p --package' }, BUN_FLAGS);

function readBun(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, BUN_FLAGS);
  if (sub === undefined) return b.sub('', false).done();
  if (sub === 'add' || sub === 'a') return installNamed(b, 'add', rest, BUN_FLAGS, pre);
  if (sub === 'install' || sub === 'i') return installNamed(b, 'install', rest, BUN_FLAGS, pre);
  if (sub === 'update') return installNamed(b, 'update', rest, BUN_FLAGS, pre);
  if (sub === 'x') return execLike(b, 'exec', rest, BUNX_FLAGS, pre);
  if (sub === 'create' || sub === 'c') return create(b, rest, BUN_FLAGS, pre);
  return b.sub(sub, false).done();
}

export const bun = defineTool({
  id: 'bun',
  ecosystem: 'npm',
  programs: ['bun'],
  installs: ['add', 'install', 'update', 'exec', 'create'],
  read: (b, args) => readBun(b, args),
  projectFiles: { lockfiles: ['bun.lock', 'bun.lockb'], manifests: ['package.json'] },
  discoversProject: true,
  lockfileOnly: { flags: ['--frozen-lockfile'] },
  wrapping: { wrapped: ['bun'], routed: ['bun'] },
  examples: ['bun add lodash', 'bun install', 'bun update lodash', 'bun x cowsay', 'bun create vite'],
});
