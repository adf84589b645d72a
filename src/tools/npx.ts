/** npx: runs a package (`npm exec`). */
import type { Arg } from './args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { defineTool } from './define.js';
import { NPM_EXEC_FLAGS } from './npm.js';
import { execLike } from './readers.js';

function readNpx(b: Builder, rest: readonly Arg[]): InstallCommand[] {
  return execLike(b, 'exec', rest, NPM_EXEC_FLAGS);
}

/** npx: the first positional (or `-p`) is the package run; tools that only run named packages install no project. */
export const npx = defineTool({
  id: 'npx',
  ecosystem: 'npm',
  programs: ['npx'],
  corepack: ['npx'],
  installs: ['exec'],
  read: (b, args) => readNpx(b, args),
  projectFiles: { lockfiles: [], manifests: [] },
  wrapping: { wrapped: ['npx'], routed: ['npx'] },
  examples: ['npx cowsay', 'npx -p typescript tsc'],
});
