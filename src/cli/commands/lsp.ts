import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { Report } from '../../core/types.js';
import { escapeForTerminal } from '../../reporters/escape.js';
import type { Io } from '../io.js';
import { addPolicyOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import type { CommandContext } from '../run.js';

/** Default quiet time after typing before a document is re-checked. */
const DEFAULT_DEBOUNCE_MS = 300;

/**
 * The streams a stdio protocol runs on: the process's own, or (for in-process callers whose
 * stdout is a plain writer) a Writable that forwards to it.
 */
export function protocolStreams(io: Io): { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } {
  const out = io.stdout as Partial<NodeJS.WritableStream>;
  const output =
    typeof out.on === 'function' && typeof out.once === 'function'
      ? (io.stdout as unknown as NodeJS.WritableStream)
      : new Writable({
          write(chunk: Buffer, _enc, cb) {
            io.stdout.write(chunk.toString('utf8'));
            cb();
          },
        });
  return { input: io.stdin, output };
}

/** Log lines for a stdio server: stderr only, since stdout is the protocol. */
export function stderrLog(io: Io): (message: string) => void {
  return (m) => void io.stderr.write(`slopguard: ${escapeForTerminal(m)}\n`);
}

interface LspFlags extends CommonFlags {
  stdio?: boolean;
  debounce?: string;
}

export function registerLsp(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('lsp')
    .summary('language server: diagnostics and quick fixes in package.json, requirements*.txt, pyproject.toml, Pipfile')
    .description(
      'A Language Server over stdio. Marks dependency names that do not exist, imitate a popular package, or are ' +
        'brand new or barely used, at the exact range of the name; offers "Replace with `lodash`" quick fixes; hover ' +
        'shows age and downloads. Facts are cached, so re-checks are instant and --offline works from the cache.',
    )
    .option('--stdio', 'talk LSP over stdin/stdout (the default and only transport; accepted for clients that pass it)')
    .option('--debounce <ms>', `quiet time after a change before re-checking (default ${DEFAULT_DEBOUNCE_MS}; initializationOptions.debounceMs too)`)
    .addHelpText(
      'after',
      `
Editors start it themselves; point yours at the command \`slopguard lsp\`:
  Neovim (nvim-lspconfig)  vim.lsp.config('slopguard', { cmd = { 'slopguard', 'lsp' },
                             filetypes = { 'json', 'requirements', 'toml' } })
  Helix (languages.toml)   [language-server.slopguard]
                           command = "slopguard"
                           args = ["lsp"]
See the README for VS Code and Zed.`,
    );
  addPolicyOptions(cmd).action(async (flags: LspFlags) => {
    const { io } = ctx;
    const debounceMs = flags.debounce === undefined ? DEFAULT_DEBOUNCE_MS : Number(flags.debounce);
    if (!Number.isInteger(debounceMs) || debounceMs < 0) throw new UsageError(`--debounce: expected a whole number of milliseconds, got ${JSON.stringify(flags.debounce)}`);
    const settings = settingsFor(flags, io);
    const checkOptions = checkOptionsFor(settings, io, { ...flags, progress: false });
    // Loaded when run: other commands should not pay for the language server library.
    const { startLanguageServer } = await import('../../lsp/server.js');
    const { auditReport } = await import('../../audit/report.js');
    const onReport = async (report: Report, path: string) => void (await auditReport(settings, 'lsp', report, io, { command: ['slopguard', 'lsp', path], cwd: dirname(path) }));
    const code = await startLanguageServer({ ...protocolStreams(io), checkOptions, debounceMs, log: stderrLog(io), version: program.version() ?? '0.0.0', ...(settings.auditLog ? { onReport } : {}) });
    ctx.setExit(code);
  });
}
