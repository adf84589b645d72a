import { UsageError } from '../core/errors.js';

/**
 * slopguard's own options inside a wrapped command line. They all start with `--slopguard-` so
 * they can never collide with a package manager's flags, and they are removed before the tool
 * runs. Anything after a bare `--` belongs to the tool (or the program it starts) and is left alone.
 */
export interface WrapperFlags {
  /** `--slopguard-allow <name>` (repeatable): let this name through once, loudly. */
  allow: string[];
  /** `--slopguard-fail-on block|warn`. */
  failOn?: string;
  /** `--slopguard-fail-closed`: a package nobody could check blocks. */
  failClosed?: boolean;
  /** `--slopguard-yes`: do not ask about warnings on a terminal; proceed (blocks still stop). */
  yes?: boolean;
  /** `--slopguard-no-guard`: run the install without the registry guard (pre-check only; wrap/guard.ts). */
  noGuard?: boolean;
}

/** The tool's argv with slopguard's flags removed, and those flags. */
export interface SplitArgv {
  /** The tool as typed (`npm`, `python3`, ...). */
  tool: string;
  /** The tool's own arguments, byte for byte as given, minus `--slopguard-*`. */
  args: string[];
  flags: WrapperFlags;
}

const VALUE_FLAGS = new Set(['--slopguard-allow', '--slopguard-fail-on']);
const BOOLEAN_FLAGS = new Set(['--slopguard-fail-closed', '--slopguard-yes', '--slopguard-no-guard']);

/** Split `slopguard <tool> <args...>` into the tool's argv and slopguard's own flags. */
export function splitWrapperArgv(argv: readonly string[]): SplitArgv {
  const [tool, ...rest] = argv;
  if (!tool) throw new UsageError('no package manager given');
  const args: string[] = [];
  const flags: WrapperFlags = { allow: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--') {
      args.push(...rest.slice(i));
      break;
    }
    if (!arg.startsWith('--slopguard-')) {
      args.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq !== -1) throw new UsageError(`${name} takes no value`);
      if (name === '--slopguard-fail-closed') flags.failClosed = true;
      else if (name === '--slopguard-no-guard') flags.noGuard = true;
      else flags.yes = true;
      continue;
    }
    if (!VALUE_FLAGS.has(name)) {
      throw new UsageError(`unknown slopguard option ${name} (known: --slopguard-allow <name>, --slopguard-fail-on block|warn, --slopguard-fail-closed, --slopguard-yes, --slopguard-no-guard)`);
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else value = rest[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    if (name === '--slopguard-allow') flags.allow.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
    else flags.failOn = value;
  }
  return { tool, args, flags };
}
