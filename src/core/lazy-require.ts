/**
 * A CommonJS dependency (or a Node built-in) loaded on its first use instead of at start-up.
 *
 * Every slopguard process is a fresh Node start, so a parser that only one file format needs
 * (YAML for pnpm-lock, TOML for pyproject, yarn berry's reader) should not be loaded, compiled and
 * initialised by runs that never read that format: js-yaml alone cost ~15 ms of a warm 1,000-name
 * package-lock scan. Synchronous, because extractors are.
 */
import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= req(id) as T);
}
