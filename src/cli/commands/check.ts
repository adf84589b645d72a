import { Command, Option } from 'commander';
import { check } from '../../core/check.js';
import { UsageError } from '../../core/errors.js';
import { parseSpecs } from '../../core/specs.js';
import type { Ecosystem } from '../../core/types.js';
import { withAgeGates } from '../age-gates.js';
import { readAll, type Io } from '../io.js';
import { addCommonOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import { emitReport } from '../output.js';
import type { CommandContext } from '../run.js';

interface CheckFlags extends CommonFlags {
  stdin?: boolean;
  ecosystem: Ecosystem;
}

/** Specs from stdin: one a line; blank lines and `#` comments skipped. */
async function stdinSpecs(io: Io): Promise<string[]> {
  return (await readAll(io.stdin)).split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, '').trim());
}

export function registerCheck(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('check')
    .summary('check package names given as arguments or on stdin')
    .description('Check package names against npm and PyPI: existence, age, downloads, look-alikes of popular packages.')
    .argument('[specs...]', 'name, name@range, npm:name, pypi:name, pypi:name==1.2')
    .option('--stdin', 'read specs from standard input, one a line')
    .addOption(new Option('-e, --ecosystem <ecosystem>', 'ecosystem of specs without a prefix').choices(['npm', 'pypi']).default('npm'))
    .addHelpText(
      'after',
      `
Examples:
  slopguard check express lodsah pypi:reqests
  slopguard check --ecosystem pypi requests numpy==2.1
  slopguard check --format json @types/node > report.json
  cat names.txt | slopguard check --stdin

Exit codes: 0 nothing at or above --fail-on; 1 something is; 2 bad usage, config or input;
3 some packages could not be verified (registry unreachable) and nothing was blocked.`,
    );
  addCommonOptions(cmd).action(async (specs: string[], flags: CheckFlags) => {
    const { io } = ctx;
    const settings = settingsFor(flags, io);
    const args = parseSpecs(specs, flags.ecosystem);
    const fromStdin = flags.stdin ? parseSpecs(await stdinSpecs(io), flags.ecosystem, '<stdin>') : { refs: [], errors: [] };
    const errors = [...args.errors, ...fromStdin.errors];
    if (errors.length) throw new UsageError(errors.join('\n'));
    const refs = [...args.refs, ...fromStdin.refs];
    if (refs.length === 0) throw new UsageError('nothing to check: name packages (slopguard check express pypi:requests) or use --stdin');
    const report = await withAgeGates(await check(refs, checkOptionsFor(settings, io, flags)), io, io.cwd);
    // The user typed these names: each gets its line, ok or not.
    ctx.setExit(await emitReport(report, flags, settings, io, 'check', true));
  });
}
