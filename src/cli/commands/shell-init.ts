import { Argument, type Command } from 'commander';
import { SHELLS, shellInitScript, type Shell } from '../../wrap/shell-init.js';
import type { CommandContext } from '../run.js';

export function registerShellInit(program: Command, ctx: CommandContext): void {
  program
    .command('shell-init')
    .summary('print shell functions that send npm, pip, ... through slopguard')
    .description(
      'Print shell functions that route plain npm, npx, yarn, pnpm, bun, bunx, pip, pip3, uv, uvx, poetry and pipx ' +
        'through `slopguard <tool>`, so every install typed in that shell is checked first. Nothing is installed or ' +
        'changed: load the output in your shell start-up file.',
    )
    .addArgument(new Argument('<shell>', 'the shell to print for').choices([...SHELLS]))
    .addHelpText(
      'after',
      `
Enable (add the line to your shell's start-up file):
  bash        eval "$(slopguard shell-init bash)"                          ~/.bashrc
  zsh         eval "$(slopguard shell-init zsh)"                           ~/.zshrc
  fish        slopguard shell-init fish | source                           ~/.config/fish/config.fish
  PowerShell  slopguard shell-init powershell | Out-String | Invoke-Expression   $PROFILE

Bypass:
  command npm install x          once (bash, zsh, fish)
  SLOPGUARD_DISABLE=1 npm ...    once, or export it for the whole session
  slopguard_off                  remove the functions from this shell (PowerShell: Disable-Slopguard)

Disable for good: delete the line from the start-up file.`,
    )
    .action((shell: Shell) => {
      ctx.io.stdout.write(shellInitScript(shell));
    });
}
