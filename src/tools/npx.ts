/** npx: runs a package (`npm exec`). */
import type { Arg } from '../extractors/text/command-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { NPM_EXEC_FLAGS } from './npm.js';
import { execLike } from './readers.js';

export function npx(b: Builder, rest: readonly Arg[]): InstallCommand[] {
  return execLike(b, 'exec', rest, NPM_EXEC_FLAGS);
}
