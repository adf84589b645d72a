/** bunx: runs a package (`bun x`). */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { BUNX_FLAGS } from './bun.js';
import { execLike } from './readers.js';

function readBunx(b: Builder, rest: readonly Arg[]): InstallCommand[] {
  return execLike(b, 'exec', rest, BUNX_FLAGS);
}

export const bunx = defineTool({
  id: 'bunx',
  ecosystem: 'npm',
  programs: ['bunx'],
  installs: ['exec'],
  read: (b, args) => readBunx(b, args),
  projectFiles: { lockfiles: [], manifests: [] },
  wrapping: { wrapped: ['bunx'], routed: ['bunx'] },
  examples: ['bunx cowsay'],
});
