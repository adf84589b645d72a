/** bunx: runs a package (`bun x`). */
import type { Arg } from '../extractors/text/command-args.js';
import type { InstallCommand } from '../extractors/text/install-command.js';
import type { Builder } from './builder.js';
import { BUNX_FLAGS } from './bun.js';
import { execLike } from './readers.js';

export function bunx(b: Builder, rest: readonly Arg[]): InstallCommand[] {
  return execLike(b, 'exec', rest, BUNX_FLAGS);
}
