/** uv: `add`, `sync`, `run`, `pip …`, `tool install|run` (and uvx). */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool, type ToolReading } from './define.js';
import { flagTable, scanArgs, type FlagValue } from './flags.js';
import { PIP_FLAGS, readPip } from './pip.js';
import { installNamed, runNested, subcommandOf } from './readers.js';

export const UV_COMMON = flagTable({
  plain:
    '-p --python --config-file --cache-dir --index-strategy --keyring-provider --resolution --prerelease --exclude-newer --link-mode ' +
    '-C --config-setting --refresh-package --reinstall-package -P --upgrade-package --no-build-package --no-binary-package --color ' +
    '--python-platform --no-install-package --only-group --no-group --group --optional --extra --rev --tag --branch -m --marker ' +
    '--script --package --bounds --torch-backend -f --find-links --allow-insecure-host --python-version --target --prefix --override',
  index: '--index --default-index -i --index-url',
  'extra-index': '--extra-index-url',
  cwd: '--directory --project',
  requirements: '-r --requirements --requirement -c --constraints --constraint --with-requirements',
  editable: '--with-editable',
});
export const UV_PIP_FLAGS = flagTable({ editable: '-e --editable' }, PIP_FLAGS, UV_COMMON);
export const UV_TOOL_FLAGS = flagTable({ package: '--with --from' }, UV_COMMON);

function readUv(b: Builder, args: readonly Arg[], r: ToolReading): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, UV_COMMON);
  if (sub === 'add') return installNamed(b, 'add', rest, UV_COMMON, pre);
  if (sub === 'pip') return readPip(b, rest, UV_PIP_FLAGS, 'pip ');
  if (sub === 'sync') {
    b.sub('sync', true).values(pre.values);
    b.values(scanArgs(rest, UV_COMMON).values);
    b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'run') {
    // `uv run` syncs the project first, and fetches `--with` packages for the run.
    b.sub('run', true);
    const s = scanArgs(rest, UV_TOOL_FLAGS, 1);
    b.values([...pre.values, ...s.values]);
    // `--frozen` still syncs, from uv.lock as it stands (the planner then reads the lockfile only).
    b.cmd.installsFromManifest = !s.booleans.has('--no-project') && !s.booleans.has('--no-sync');
    const nested = b.cmd.refs.length === 0 ? runNested(s, r) : [];
    if (nested.length) return nested;
    if (s.positionals[0]) b.cmd.program = s.positionals[0].value;
    return b.done();
  }
  if (sub === 'tool') {
    const inner = subcommandOf(rest, UV_TOOL_FLAGS);
    if (inner.sub === 'run') return readUvx(b, inner.rest, 'tool run', [...pre.values, ...inner.pre.values]);
    if (inner.sub === 'install') return installNamed(b, 'tool install', inner.rest, UV_TOOL_FLAGS, inner.pre, 'at-version');
    return b.sub(`tool ${inner.sub ?? ''}`.trim(), false).done();
  }
  return b.sub(sub ?? '', false).done();
}

/** `uvx [--from pkg] [--with pkg]… <command>[@version]`. */
export function readUvx(b: Builder, args: readonly Arg[], name: string, pre: FlagValue[] = []): InstallCommand[] {
  b.sub(name, true);
  const s = scanArgs(args, UV_TOOL_FLAGS, 1);
  const values = [...pre, ...s.values];
  b.values(values, 'at-version');
  const command = s.positionals[0];
  if (values.some((v) => v.flag === '--from')) {
    if (command) b.cmd.program = command.value;
  } else if (command) {
    const read = b.spec(command, 'at-version');
    b.cmd.program = read ?? command.value;
  }
  b.cmd.isInstall = b.cmd.refs.length > 0 || b.cmd.notes.length > 0;
  return b.done();
}

export const uv = defineTool({
  id: 'uv',
  ecosystem: 'pypi',
  programs: ['uv'],
  pythonModules: ['uv'],
  installs: ['add', 'sync', 'run', 'pip install', 'pip download', 'pip wheel', 'pip sync', 'tool install', 'tool run'],
  read: (b, args, r) => readUv(b, args, r),
  projectFiles: { lockfiles: ['uv.lock'], manifests: ['pyproject.toml'] },
  discoversProject: true,
  lockfileOnly: { flags: ['--frozen', '--locked'] },
  wrapping: { wrapped: ['uv'], routed: ['uv'] },
  examples: [
    'uv add requests',
    'uv sync --locked',
    'uv run pytest',
    'uv pip install requests',
    'uv pip download requests',
    'uv pip wheel requests',
    'uv pip sync requirements.txt',
    'uv tool install ruff',
    'uv tool run ruff',
    'python -m uv pip install requests',
  ],
});
