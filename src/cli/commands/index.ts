import type { Command } from 'commander';
import type { CommandContext } from '../run.js';

/** Adds one subcommand (its options, help and action) to the program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/**
 * Every subcommand: its name and how to load its registration, one line each (order = order in
 * --help). A command's module is imported only when that command runs (or for the full --help), so
 * `slopguard check x`, which an agent hook may run on every install, never loads the parsers,
 * wrappers, hooks and servers of the others, however many commands are added.
 */
export const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<RegisterCommand>]> = [
  ['check', async () => (await import('./check.js')).registerCheck],
  ['scan', async () => (await import('./scan.js')).registerScan],
  ['diff', async () => (await import('./diff.js')).registerDiff],
  ['text', async () => (await import('./text.js')).registerText],
  ['shell-init', async () => (await import('./shell-init.js')).registerShellInit],
  ['ci', async () => (await import('./ci.js')).registerCi],
  ['wrap', async () => (await import('./wrap.js')).registerWrap],
  ['hook', async () => (await import('./hook.js')).registerHook],
  ['lsp', async () => (await import('./lsp.js')).registerLsp],
  ['mcp', async () => (await import('./mcp.js')).registerMcp],
  ['data', async () => (await import('./data.js')).registerData],
  ['trust', async () => (await import('./trust.js')).registerTrust],
  ['serve', async () => (await import('./serve.js')).registerServe],
];
