import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { ExtractResult } from '../../core/types.js';
import { readInput } from '../read-input.js';
import { addCommonOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import { emitReport } from '../output.js';
import type { CommandContext } from '../run.js';
import type { Io } from '../io.js';

interface DiffFlags extends CommonFlags {
  git?: string;
  staged?: boolean;
}

/** The dependencies a diff adds, from a patch file, stdin, or git itself (with whole files on both sides). */
async function extractFromDiff(file: string | undefined, flags: DiffFlags, io: Io): Promise<ExtractResult> {
  const { extractDiff, diffWantsWholeFile } = await import('../../extractors/text/diff.js');
  if (flags.git !== undefined || flags.staged) {
    if (file !== undefined) throw new UsageError('give either a diff file or --git/--staged, not both');
    const { gitDiffWithContents } = await import('../../sources/git.js');
    const range = flags.staged ? ({ staged: true } as const) : flags.git!;
    const git = await gitDiffWithContents(range, io.cwd, diffWantsWholeFile);
    return extractDiff(git.diff, { readOld: git.readOld, readNew: git.readNew });
  }
  const doc = await readInput(file, io);
  return extractDiff(doc.text);
}

export function registerDiff(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('diff')
    .summary('check only the dependencies a diff adds')
    .description(
      'Read a unified diff (git diff, or a patch from an agent) and check only what it adds: new entries in manifests ' +
        'and lockfiles (old and new sides compared, so moved or re-indented lines are not new), added imports, and ' +
        'added install commands in scripts, Dockerfiles, CI YAML and Markdown.',
    )
    .argument('[file]', 'a patch file; - or nothing for standard input')
    .option('--git <range>', 'ask git for the diff: a revision (compared with the work tree), a..b or a...b')
    .option('--staged', 'the staged changes (what the next commit adds)')
    .addHelpText(
      'after',
      `
Examples:
  git diff | slopguard diff
  slopguard diff agent.patch
  slopguard diff --git origin/main...HEAD
  slopguard diff --staged --fail-on warn`,
    );
  addCommonOptions(cmd).action(async (file: string | undefined, flags: DiffFlags) => {
    const { io } = ctx;
    if (file !== undefined && (flags.git !== undefined || flags.staged)) throw new UsageError('give either a diff file or --git/--staged, not both');
    // A git change is judged with its base revision's policy, never with the one it brings along.
    let change: Awaited<ReturnType<typeof import('../change-settings.js').changeSettings>> | undefined;
    if (flags.git !== undefined || flags.staged) {
      const { changeSettings } = await import('../change-settings.js');
      change = await changeSettings(flags.staged ? { staged: true } : { range: flags.git! }, io.cwd);
    }
    const settings = settingsFor(flags, io, change?.load);
    // The project's own modules, aliases and workspace packages are never sent to a registry.
    const { dropFirstParty, repositoryRoot } = await import('../../sources/first-party.js');
    const extracted = await dropFirstParty(await extractFromDiff(file, flags, io), repositoryRoot(io.cwd));
    const { check } = await import('../../core/check.js');
    const report = await check(extracted.refs, { ...checkOptionsFor(settings, io, flags), notes: [...extracted.notes, ...(change?.notes ?? [])] });
    ctx.setExit(await emitReport(report, flags, settings, io, 'diff'));
  });
}
