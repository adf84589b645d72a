/** conda, mamba, micromamba: installs from conda channels, which slopguard does not check. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool, type ToolReading } from './define.js';
import { clip, note } from './notes.js';
import { flagTable, scanArgs } from './flags.js';
import { subcommandOf } from './readers.js';

export const CONDA_FLAGS = flagTable({ plain: '-c --channel -n --name -p --prefix --file --repodata-fn --solver' });

/** conda's names live in conda channels, not on PyPI: said out loud, never checked against PyPI. */
function readConda(b: Builder, args: readonly Arg[], r: ToolReading): InstallCommand[] {
  const { sub, rest } = subcommandOf(args, CONDA_FLAGS);
  let name = sub ?? '';
  let tail = rest;
  if (sub === 'env') {
    const inner = subcommandOf(rest, CONDA_FLAGS);
    name = `env ${inner.sub ?? ''}`.trim();
    tail = inner.rest;
  }
  if (!['install', 'create', 'update', 'env create', 'env update'].includes(name)) return b.sub(name, false).done();
  b.sub(name, true);
  const s = scanArgs(tail, CONDA_FLAGS);
  const specs = s.positionals.map((p) => p.value);
  const what = specs.length ? `: ${clip(specs.join(' '))}` : '';
  const n = note('warning', 'unsupported', `${r.program} ${name} installs from conda channels, which slopguard does not check${what}.`, b.cmd.origin);
  n.unverified = true;
  b.cmd.notes.push(n);
  return b.done();
}

export const conda = defineTool({
  id: 'conda',
  ecosystem: 'pypi',
  programs: ['conda', 'mamba', 'micromamba'],
  installs: ['install', 'create', 'update', 'env create', 'env update'],
  unread: 'conda installs from conda channels, not from PyPI; its specs are never looked up on PyPI, and each install is an unverified note.',
  read: (b, args, r) => readConda(b, args, r),
  projectFiles: { lockfiles: [], manifests: [] },
  wrapping: {
    wrapped: [],
    routed: [],
    why: 'not wrapped: slopguard does not check conda channels, so a wrapper could only say so and add a Node start to every run.',
  },
  examples: ['conda install numpy', 'conda create -n env numpy', 'conda update numpy', 'conda env create -f environment.yml', 'conda env update', 'mamba install numpy', 'micromamba install numpy'],
});
