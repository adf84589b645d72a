import type { Command } from 'commander';
import { readInput } from '../read-input.js';
import { addCommonOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import { emitReport } from '../output.js';
import type { CommandContext } from '../run.js';

export function registerText(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('text')
    .summary("check install commands and imports in an agent's answer or any text")
    .description(
      "Read an agent's answer, Markdown, a shell script, a Dockerfile or source code, and check the packages its " +
        'install commands (npm, yarn, pnpm, bun, npx, pip, uv, poetry, pipx), imports and requires name.',
    )
    .argument('[file]', 'the text to read; - or nothing for standard input')
    .addHelpText(
      'after',
      `
Examples:
  slopguard text answer.md
  pbpaste | slopguard text
  slopguard text Dockerfile --format json`,
    );
  addCommonOptions(cmd).action(async (file: string | undefined, flags: CommonFlags) => {
    const { io } = ctx;
    const settings = settingsFor(flags, io);
    const doc = await readInput(file, io);
    const [{ check }, { checkText }, { repositoryRoot }] = await Promise.all([import('../../core/check.js'), import('../../install/check-text.js'), import('../../sources/first-party.js')]);
    const report = await checkText(doc, io.cwd, checkOptionsFor(settings, io, flags), check, repositoryRoot(io.cwd));
    ctx.setExit(await emitReport(report, flags, settings, io, 'text'));
  });
}
