/** conda, mamba, micromamba: installs from conda channels, which slopguard does not check. */
import type { Arg } from '../extractors/text/command-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { clip, note } from './builder.js';
import { programName } from '../extractors/text/command-prefixes.js';
import { flagTable, scanArgs } from './flags.js';
import { subcommandOf } from './readers.js';

export const CONDA_FLAGS = flagTable({ plain: '-c --channel -n --name -p --prefix --file --repodata-fn --solver' });

/** conda's names live in conda channels, not on PyPI: said out loud, never checked against PyPI. */
export function conda(b: Builder, args: readonly Arg[]): InstallCommand[] {
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
  const prog = b.cmd.argv[0] ? programName(b.cmd.argv[0]) : 'conda';
  const n = note('warning', 'unsupported', `${prog} ${name} installs from conda channels, which slopguard does not check${what}.`, b.cmd.origin);
  n.unverified = true;
  b.cmd.notes.push(n);
  return b.done();
}
