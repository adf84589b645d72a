import type { Command } from 'commander';
import type { CommandContext } from '../run.js';
import { registerCheck } from './check.js';
import { registerScan } from './scan.js';
import { registerText } from './text.js';
import { registerDiff } from './diff.js';
import { registerShellInit } from './shell-init.js';
import { registerCi } from './ci.js';
import { registerWrap } from './wrap.js';
import { registerHook } from './hook.js';
import { registerLsp } from './lsp.js';
import { registerMcp } from './mcp.js';

/** Every subcommand, one registration line each (order = order in --help). */
export const COMMANDS: ReadonlyArray<(program: Command, ctx: CommandContext) => void> = [
  registerCheck,
  registerScan,
  registerDiff,
  registerText,
  registerShellInit,
  registerCi,
  registerWrap,
  registerHook,
  registerLsp,
  registerMcp,
];
