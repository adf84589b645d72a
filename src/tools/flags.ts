/**
 * Flag tables and the scanner that reads a package manager's arguments with one: a flag that
 * takes a value always eats it, in `--flag value`, `--flag=value` and `-fvalue` form; unknown
 * flags are booleans, so a flag slopguard does not know never swallows a package name.
 */
import { subArg, type Arg } from './args.js';

/** What the value of a value-taking flag is. */
export type Role = 'plain' | 'package' | 'requirements' | 'index' | 'extra-index' | 'registry' | 'cwd' | 'editable' | 'command' | 'group';
export type FlagTable = ReadonlyMap<string, Role>;

export function flagTable(def: Partial<Record<Role, string>>, ...bases: FlagTable[]): FlagTable {
  const m = new Map<string, Role>();
  for (const b of bases) for (const [k, v] of b) m.set(k, v);
  for (const [role, list] of Object.entries(def) as Array<[Role, string]>) for (const f of list.split(/\s+/)) if (f) m.set(f, role);
  return m;
}

export interface FlagValue {
  flag: string;
  role: Role;
  arg: Arg;
}

export interface Scanned {
  positionals: Arg[];
  values: FlagValue[];
  booleans: Set<string>;
  /** What follows the last positional read when scanning stopped early (a program's arguments). */
  rest: Arg[];
}

/**
 * Reads flags and positionals. Unknown flags are booleans (they never eat the next word);
 * `--` makes the rest positional. With `stopAfter`, scanning stops after that many positionals
 * and the remaining words are `rest`.
 */
export function scanArgs(args: readonly Arg[], table: FlagTable, stopAfter = Number.POSITIVE_INFINITY): Scanned {
  const out: Scanned = { positionals: [], values: [], booleans: new Set(), rest: [] };
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    if (out.positionals.length >= stopAfter) {
      out.rest = args.slice(i);
      break;
    }
    const arg = args[i] as Arg;
    const v = arg.value;
    if (onlyPositionals || v === '-' || !v.startsWith('-') || arg.dynamic) {
      out.positionals.push(arg);
      continue;
    }
    if (v === '--') {
      onlyPositionals = true;
      continue;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq === -1 ? v : v.slice(0, eq);
      const role = table.get(name);
      if (role === undefined) out.booleans.add(name);
      else if (eq !== -1) out.values.push({ flag: name, role, arg: subArg(arg, eq + 1) });
      else if (i + 1 < args.length) out.values.push({ flag: name, role, arg: args[++i] as Arg });
      continue;
    }
    // A cluster of short flags: `-gD`, `-rreq.txt`, `-p pkg`.
    for (let k = 1; k < v.length; k++) {
      const name = `-${v[k]}`;
      const role = table.get(name);
      if (role === undefined) {
        out.booleans.add(name);
        continue;
      }
      if (k + 1 < v.length) out.values.push({ flag: name, role, arg: subArg(arg, v[k + 1] === '=' ? k + 2 : k + 1) });
      else if (i + 1 < args.length) out.values.push({ flag: name, role, arg: args[++i] as Arg });
      break;
    }
  }
  return out;
}
