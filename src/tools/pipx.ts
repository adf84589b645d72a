/** pipx: `install`, `inject`, `run`. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable, scanArgs } from './flags.js';
import { subcommandOf } from './readers.js';

export const PIPX_FLAGS = flagTable({ plain: '--python --pip-args --suffix --backend', index: '-i --index-url', package: '--preinstall --spec' });

function readPipx(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { pre, sub, rest } = subcommandOf(args, PIPX_FLAGS);
  if (sub === 'install') {
    b.sub('install', true);
    const s = scanArgs(rest, PIPX_FLAGS);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals) b.spec(p);
    return b.done();
  }
  if (sub === 'inject') {
    // `pipx inject <venv> <package>…`: the first positional is an installed app's venv.
    b.sub('inject', true);
    const s = scanArgs(rest, PIPX_FLAGS);
    b.values([...pre.values, ...s.values]);
    for (const p of s.positionals.slice(1)) b.spec(p);
    return b.done();
  }
  if (sub === 'run') {
    b.sub('run', true);
    const s = scanArgs(rest, PIPX_FLAGS, 1);
    b.values([...pre.values, ...s.values.filter((v) => v.flag !== '--spec')]);
    const spec = s.values.find((v) => v.flag === '--spec');
    const app = s.positionals[0];
    if (spec) {
      b.spec(spec.arg);
      if (app) b.cmd.program = app.value;
    } else if (app) {
      const read = b.spec(app);
      b.cmd.program = read ?? app.value;
    }
    b.cmd.isInstall = b.cmd.refs.length > 0 || b.cmd.notes.length > 0;
    return b.done();
  }
  return b.sub(sub ?? '', false).done();
}

export const pipx = defineTool({
  id: 'pipx',
  ecosystem: 'pypi',
  programs: ['pipx'],
  pythonModules: ['pipx'],
  installs: ['install', 'inject', 'run'],
  read: (b, args) => readPipx(b, args),
  // `pipx install .` installs the folder's project, as pip does.
  projectFiles: { lockfiles: [], manifests: ['pyproject.toml', 'setup.cfg', 'setup.py'] },
  wrapping: { wrapped: ['pipx'], routed: ['pipx'] },
  examples: ['pipx install black', 'pipx inject black requests', 'pipx run black', 'python -m pipx install black'],
});
