/**
 * check() options as the command line builds them, for library callers: the same config files
 * (the system config, the user's, the project's own under the trust model), the same `SLOPGUARD_*`
 * variables, `.npmrc` and pip.conf, cache and network settings, through the same two functions the
 * CLI uses (`loadSettings`, `checkOptionsFor`). So `check(specs, optionsFromEnvironment())` gives
 * the Report `slopguard check --format json` prints for the same names in the same folder.
 *
 * `check(specs)` alone reads none of that on purpose: a library call is the caller's, and its policy
 * should not change because of a file or variable the caller never saw.
 */
import type { CheckOptions } from './core/check.js';
import type { Io } from './cli/io.js';
import { checkOptionsFor, settingsFor } from './cli/options.js';
import type { SettingFlags } from './policy/settings.js';

/** Where to read the environment from; each defaults to this process's. */
export interface EnvironmentOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** What the CLI's flags would set (`failOn`, `allow`, `offline`, registries, ...). */
  flags?: SettingFlags;
  /** Warnings about slopguard itself and config notices (default: dropped). */
  warn?: (message: string) => void;
  now?: () => Date;
}

/** The CLI's check() options for an environment. Throws ConfigError for invalid settings, as the CLI exits 2. */
export function optionsFromEnvironment(o: EnvironmentOptions = {}): CheckOptions {
  const warn = o.warn ?? (() => undefined);
  const io: Io = {
    env: o.env ?? process.env,
    cwd: o.cwd ?? process.cwd(),
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: (s: string) => void warn(s.replace(/^slopguard: (?:warning: )?/, '').trimEnd()), isTTY: false },
    stdin: process.stdin,
  };
  if (o.now) io.now = o.now;
  const flags = { ...o.flags, progress: false };
  return checkOptionsFor(settingsFor(flags, io), io, flags);
}
