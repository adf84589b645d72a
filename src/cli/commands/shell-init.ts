import { Argument, type Command } from 'commander';
import { SHELLS, shellInitScript, type Shell } from '../../wrap/shell-init.js';
import { escapeForTerminal } from '../../reporters/escape.js';
import { SHELL_INIT_TEXT } from '../../reporters/messages.js';
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
    .option('--server <url>', 'print variables that point npm, pnpm, yarn, bun, pip and uv at this running slopguard serve (its base URL, as for check --server) instead of functions')
    .option('--no-health-check', 'with --server: do not ask the guard\'s /healthz first')
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

Disable for good: delete the line from the start-up file.

Point the clients at a running guard instead (a team's slopguard serve):
  eval "$(slopguard shell-init bash --server http://127.0.0.1:4874)"
  sets npm_config_registry=http://127.0.0.1:4874/npm/, PIP_INDEX_URL=http://127.0.0.1:4874/pypi/simple/,
  UV_DEFAULT_INDEX, YARN_NPM_REGISTRY_SERVER, BUN_CONFIG_REGISTRY; slopguard_off unsets them.`,
    )
    .action(async (shell: Shell, flags: { server?: string; healthCheck: boolean }) => {
      const { io } = ctx;
      if (flags.server === undefined) {
        io.stdout.write(shellInitScript(shell));
        return;
      }
      const { guardBaseUrl, guardHealthProblem, shellInitServerScript } = await import('../../wrap/shell-init-server.js');
      const base = guardBaseUrl(flags.server);
      if (flags.healthCheck) {
        const problem = await guardHealthProblem(base);
        if (problem) io.stderr.write(`slopguard: warning: ${escapeForTerminal(SHELL_INIT_TEXT.unreachable(base.href, problem))}\n`);
      }
      io.stdout.write(shellInitServerScript(shell, base));
    });
}
