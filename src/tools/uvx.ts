/** uvx: runs a tool (`uv tool run`). */
import type { Arg } from '../extractors/text/command-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { uvx as uvToolRun } from './uv.js';

export function uvx(b: Builder, rest: readonly Arg[]): InstallCommand[] {
  return uvToolRun(b, rest, 'tool run');
}
