import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { SUPPORTED_FORMATS } from '../../extractors/index.js';
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
      () => `
Formats read (every format slopguard knows, from its format registry):
${SUPPORTED_FORMATS.map((f) => `  ${f}`).join('\n')}
Also MCP server configs (.mcp.json, claude_desktop_config.json, .cursor/mcp.json, .vscode/mcp.json,
.gemini/settings.json, .codex/config.toml) and agent instructions (AGENTS.md, CLAUDE.md, GEMINI.md,
SKILL.md, .cursorrules), listed above with the registry's names.

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
    // The age settings of the first folder scanned (a file's own folder), where its installs run.
    const { withAgeGates } = await import('../age-gates.js');
    const first = resolve(io.cwd, paths[0] ?? '.');
    const dir = statSync(first, { throwIfNoEntry: false })?.isDirectory() ? first : dirname(first);
    ctx.setExit(await emitReport(await withAgeGates(report, io, dir), flags, settings, io, 'scan'));
  });
}
