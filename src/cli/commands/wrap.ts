import type { Command } from 'commander';
import { runWrapper } from '../../wrap/index.js';
import { ROUTED_TOOLS } from '../../wrap/shell-init.js';
import type { CommandContext } from '../run.js';

/**
 * `slopguard wrap <tool> [args...]`: the documented name of the install wrapper, mostly for its
 * --help. The usual form is `slopguard <tool> [args...]`, which run() sends to the wrapper before
 * option parsing; here the tool's arguments are taken from the raw argv after `wrap`, so they are
 * passed on byte for byte, never reordered or read as slopguard options.
 */
export function registerWrap(program: Command, ctx: CommandContext): void {
  program
    .command('wrap')
    .summary('check what a package-manager command installs, then run it (slopguard npm install x)')
    .description(
      'Check the packages an install command would fetch, then run the real package manager with the same arguments, ' +
        'or refuse. Usually typed without "wrap": slopguard npm install x. Supported: npm, npx, yarn, pnpm, bun, bunx, ' +
        'pip, pip3, python -m pip, uv, uvx, poetry, pipx. Commands that install nothing run at once, unchecked.',
    )
    .argument('<tool>', 'the package manager')
    .argument('[args...]', "the package manager's own arguments")
    .allowUnknownOption()
    .addHelpText(
      'after',
      `
Outcomes:
  blocked        reason and suggestion printed, exit 1, the package manager never starts
  warned         on a terminal: asked (default no); otherwise printed, and the install goes on
  not verified   printed loudly, the install goes on; blocked with --slopguard-fail-closed
  ok             the package manager runs; its exit code is slopguard's (128+n if killed by signal n)

Options inside the wrapped command (removed before the tool runs; nothing after "--" is touched):
  --slopguard-allow <name>   let this name through once (repeatable; env SLOPGUARD_ALLOW)
  --slopguard-fail-on warn   warnings stop the install too (env SLOPGUARD_FAIL_ON)
  --slopguard-fail-closed    packages that could not be checked stop it (env SLOPGUARD_FAIL_CLOSED=1)
  --slopguard-yes            do not ask about warnings
Environment: SLOPGUARD_DISABLE=1 runs tools unchecked; SLOPGUARD_SHIM_DIRS lists folders of your own
shims to skip when looking for the real tool.

Examples:
  slopguard npm install express
  slopguard pip install -r requirements.txt
  slopguard python -m pip install requests --index-url https://pypi.example/simple/
  slopguard npm ci
  slopguard npm install my-internal-tool --slopguard-allow my-internal-tool

Prefer "slopguard <tool> ..." to "slopguard wrap <tool> ...": only the first form hands --help and
--version to the tool instead of reading them as slopguard's.

Route plain "npm" and "pip" through slopguard: eval "$(slopguard shell-init bash)"
(${ROUTED_TOOLS.join(', ')}).`,
    )
    .action(async function (this: Command) {
      // commander keeps the argv it parsed on the program; its type does not declare it.
      const raw = (this.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? [];
      const at = raw.indexOf('wrap');
      ctx.setExit(await runWrapper(raw.slice(at + 1), ctx.io));
    });
}
