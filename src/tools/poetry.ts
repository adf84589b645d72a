/** Poetry: `add`, `install`/`sync`, `update`, `self add`, `run`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool, type ToolReading } from './define.js';
import { flagTable, scanArgs } from './flags.js';
import { installNamed, runNested, subcommandOf } from './readers.js';

export const POETRY_FLAGS = flagTable({ plain: '-G --group -E --extras --optional --python --platform --markers --source -P --project', cwd: '-C --directory' });

function readPoetry(b: Builder, args: readonly Arg[], r: ToolReading): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, POETRY_FLAGS);
  if (sub === 'add') return installNamed(b, 'add', rest, POETRY_FLAGS, pre, 'at-version');
  if (sub === 'install' || sub === 'sync') {
    b.sub(sub, true).values(pre.values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'update') return installNamed(b, 'update', rest, POETRY_FLAGS, pre, 'at-version');
  if (sub === 'self') {
    const inner = subcommandOf(rest, POETRY_FLAGS);
    if (inner.sub === 'add') return installNamed(b, 'self add', inner.rest, POETRY_FLAGS, pre, 'at-version');
    return b.sub(`self ${inner.sub ?? ''}`.trim(), false).done();
  }
  if (sub === 'run') return runNested(scanArgs(rest, POETRY_FLAGS, 0), r);
  return b.sub(sub ?? '', false).done();
}

export const poetry = defineTool({
  id: 'poetry',
  ecosystem: 'pypi',
  programs: ['poetry'],
  pythonModules: ['poetry'],
  installs: ['add', 'install', 'sync', 'update', 'self add'],
  read: (b, args, r) => readPoetry(b, args, r),
  projectFiles: { lockfiles: ['poetry.lock'], manifests: ['pyproject.toml'] },
  discoversProject: true,
  wrapping: { wrapped: ['poetry'], routed: ['poetry'] },
  examples: ['poetry add requests', 'poetry install', 'poetry sync', 'poetry update requests', 'poetry self add poetry-plugin-export', 'python -m poetry add requests'],
});
