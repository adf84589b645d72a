/** Deno: `add`/`install` and `run`/`x` of `npm:` (and `jsr:`) specifiers. */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { flagTable, scanArgs } from './flags.js';
import { subcommandOf } from './readers.js';

export const DENO_FLAGS = flagTable({ plain: '-c --config --import-map --lock --cert --location --seed --v8-flags -n --name --root' });

/** Deno fetches npm packages only through `npm:` specifiers; other specifiers are not npm's. */
function readDeno(b: Builder, args: readonly Arg[]): InstallCommand[] {
  const { sub, rest } = subcommandOf(args, DENO_FLAGS);
  if (sub === 'add' || sub === 'install' || sub === 'i') {
    b.sub(sub === 'i' ? 'install' : sub, true);
    const s = scanArgs(rest, DENO_FLAGS);
    for (const p of s.positionals) if (p.value.startsWith('npm:') || p.value.startsWith('jsr:') || p.dynamic) b.spec(p);
    if (s.positionals.length === 0) b.cmd.installsFromManifest = true;
    return b.done();
  }
  if (sub === 'run' || sub === 'x') {
    b.sub(sub, false);
    const s = scanArgs(rest, DENO_FLAGS, 1);
    const target = s.positionals[0];
    if (target?.value.startsWith('npm:')) {
      b.spec(target);
      b.cmd.isInstall = true;
    }
    return b.done();
  }
  return b.sub(sub ?? '', false).done();
}

export const deno = defineTool({
  id: 'deno',
  ecosystem: 'npm',
  programs: ['deno'],
  installs: ['add', 'install', 'run', 'x'],
  read: (b, args) => readDeno(b, args),
  projectFiles: { lockfiles: [], manifests: ['package.json'] },
  discoversProject: true,
  lockfileOnly: { flags: ['--frozen'] },
  wrapping: {
    wrapped: [],
    routed: [],
    why: 'deno is mostly run for code (`deno run main.ts`), and only its `npm:` specifiers are npm packages: it is read in text and by the hooks, not wrapped.',
  },
  examples: ['deno add npm:lodash', 'deno install', 'deno run npm:cowsay', 'deno x npm:cowsay'],
});
