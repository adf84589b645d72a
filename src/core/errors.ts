/**
 * Typed errors. Each maps to exit code 2 (usage, config or unreadable input) in the CLI;
 * anything else that escapes is a bug and is reported as such.
 */

/** Bad command-line usage: an unknown flag, a bad spec, a missing argument. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An invalid configuration: names the file and the field (and every further bad field, one per line). */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
    readonly more: ReadonlyArray<{ field: string; problem: string }> = [],
  ) {
    super([{ field, problem }, ...more].map((p) => `${file}: ${p.field}: ${p.problem}`).join('\n'));
  }
}

/** Input that cannot be read or parsed, located at file:line:column when known. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}${line && column ? `:${column}` : ''}: ${message}`);
  }
}

/** True for the errors that mean "exit 2", not "bug". */
export function isUserError(e: unknown): e is UsageError | ConfigError | InputError {
  return e instanceof UsageError || e instanceof ConfigError || e instanceof InputError;
}
