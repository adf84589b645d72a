/** pip (and `uv pip`, `python -m pip`): `install`, `download`, `wheel`; `uv pip sync`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable, scanArgs, type FlagTable } from './flags.js';
import { subcommandOf } from './readers.js';

// pip: src/pip/_internal/cli/cmdoptions.py and commands/install.py
export const PIP_FLAGS = flagTable({
  requirements: '-r --requirement -c --constraint',
  editable: '-e --editable',
  index: '-i --index-url',
  'extra-index': '--extra-index-url',
  group: '--group',
  plain:
    '-f --find-links --trusted-host -t --target --root --prefix --src --upgrade-strategy --platform --python-version --implementation ' +
    '--abi --no-binary --only-binary --report --log --log-file --proxy --retries --timeout --cert --client-cert --cache-dir ' +
    '--keyring-provider --python --progress-bar --root-user-action -C --config-settings --global-option --install-option ' +
    '--use-feature --use-deprecated --exists-action --uploaded-prior-to -d --dest -w --wheel-dir --build-constraint',
});

/** pip (and `uv pip`): install, download, wheel. */
export function readPip(b: Builder, args: readonly Arg[], table: FlagTable, prefix: string): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, table);
  if (sub === 'install' || sub === 'download' || sub === 'wheel') {
    b.sub(`${prefix}${sub}`, true);
    const s = scanArgs(rest, table);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals) b.spec(p);
    return b.done();
  }
  if (sub === 'sync' && prefix) {
    // `uv pip sync requirements.txt`: the positionals are requirement files.
    b.sub(`${prefix}sync`, true);
    const s = scanArgs(rest, table);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals) b.cmd.requirementFiles.push(p.value);
    return b.done();
  }
  return b.sub(`${prefix}${sub ?? ''}`.trim(), false).done();
}

export const pip = defineTool({
  id: 'pip',
  ecosystem: 'pypi',
  programs: ['pip'],
  versioned: true,
  pythonModules: ['pip'],
  installs: ['install', 'download', 'wheel'],
  read: (b, args) => readPip(b, args, PIP_FLAGS, ''),
  // pip installs a folder's project only when told to (`pip install .`); it never searches upwards.
  projectFiles: { lockfiles: [], manifests: ['pyproject.toml', 'setup.cfg', 'setup.py'] },
  wrapping: {
    wrapped: ['pip', 'pip3'],
    routed: ['pip', 'pip3'],
    why: 'Only `pip` and `pip3` are wrapped: those are the names on PATH; `pip3.12` and the like are read in text and by the hooks.',
  },
  examples: ['pip install requests', 'pip3 install -r requirements.txt', 'pip download requests', 'pip wheel requests', 'python -m pip install requests'],
});
