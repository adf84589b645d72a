/**
 * slopguard as a library. `check()` is the one entry point every door (CLI, wrappers, hooks,
 * LSP, MCP) is a thin adapter over.
 */
export { check, type CheckOptions } from './core/check.js';
export { optionsFromEnvironment, type EnvironmentOptions } from './environment.js';
export { parseSpecs } from './core/specs.js';
export { run } from './cli/run.js';
export type { Io } from './cli/io.js';
export { loadSettings, type Settings } from './policy/settings.js';
export { DEFAULT_POLICY } from './policy/defaults.js';
export { exitCodeFor } from './policy/verdict.js';
export { reasonLine, suggestionFor } from './reporters/messages.js';
export * from './core/types.js';
export * from './core/errors.js';
