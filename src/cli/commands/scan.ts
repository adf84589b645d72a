import type { Command } from 'commander';
import { addCommonOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import { emitReport } from '../output.js';
import type { CommandContext } from '../run.js';

export function registerScan(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('scan')
    .summary('check every manifest and lockfile under the given paths')
    .description(
      'Find manifests and lockfiles (skipping node_modules, .git, virtualenvs and vendor folders; following workspaces), ' +
        'check every registry package once, and report each place it was found as file:line.',
    )
    .argument('[paths...]', 'files or folders (default: the current folder)')
    .addHelpText(
      'after',
      `
Formats read: package.json, package-lock.json, npm-shrinkwrap.json, yarn.lock (classic and berry),
pnpm-lock.yaml (v6, v9), bun.lock, requirements*.txt, pyproject.toml (PEP 621, PEP 735, Poetry),
poetry.lock, Pipfile, Pipfile.lock, uv.lock.

Examples:
  slopguard scan
  slopguard scan packages/api/package-lock.json requirements.txt
  slopguard scan --format json . > report.json`,
    );
  addCommonOptions(cmd).action(async (paths: string[], flags: CommonFlags) => {
    const { io } = ctx;
    const settings = settingsFor(flags, io);
    // Loaded on use: --help and other commands should not pay for every parser.
    const [{ check }, { extractFiles }] = await Promise.all([import('../../core/check.js'), import('../../sources/files.js')]);
    const [{ readLimits }] = await Promise.all([import('../../sources/read-limits.js')]);
    const extracted = await extractFiles(paths.length ? paths : ['.'], { cwd: io.cwd, limits: readLimits(io.env) });
    const report = await check(extracted.refs, { ...checkOptionsFor(settings, io, flags), notes: extracted.notes });
    ctx.setExit(await emitReport(report, flags, settings, io, 'scan'));
  });
}
