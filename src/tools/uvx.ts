/** uvx: runs a tool (`uv tool run`). */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { readUvx } from './uv.js';

function readUvxProgram(b: Builder, rest: readonly Arg[]): InstallCommand[] {
  return readUvx(b, rest, 'tool run');
}

/** uvx: `uv tool run`, a tool run from PyPI without installing it into a project. */
export const uvx = defineTool({
  id: 'uvx',
  ecosystem: 'pypi',
  programs: ['uvx'],
  installs: ['tool run'],
  read: (b, args) => readUvxProgram(b, args),
  projectFiles: { lockfiles: [], manifests: [] },
  wrapping: { wrapped: ['uvx'], routed: ['uvx'] },
  examples: ['uvx ruff', 'uvx --from httpie http'],
});
