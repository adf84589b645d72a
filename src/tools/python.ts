/**
 * Python launchers: `python -m pip …`, `py -3.12 -m pip …`, `python3 -m uv …` run the package
 * manager whose definition lists that module (`pythonModules`). A launcher is not a package
 * manager: what it runs is read by that tool's grammar, reported as that tool.
 */
import type { Arg } from './args.js';
import type { Wrapping } from './define.js';

/** The launcher programs, and how the wrapper takes them. */
export const PYTHON_LAUNCHER = {
  programs: ['python', 'py', 'pypy', 'pypy3'],
  /** Also `python2`, `python3`, `python3.12`. */
  versioned: ['python'],
  wrapping: {
    wrapped: ['python', 'python3'],
    routed: [],
    // The one place wrapped and routed differ, on purpose: a `python` shell function would put a
    // Node start in front of every script run, to catch the rare `python -m pip`; wrapping it
    // explicitly (`slopguard python -m pip install …`) costs nothing when it is not used.
    why: 'a `python` shell function would catch every script run; use `slopguard python -m pip …`',
  } satisfies Wrapping,
} as const;

/** The module `python [options] -m <module> …` runs and the words after it; undefined for a script or `-c`. */
export function pythonModuleOf(rest: readonly Arg[]): { module: string; tail: Arg[] } | undefined {
  for (let i = 0; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    let module: string | undefined;
    let after = i + 1;
    if (v === '-m') {
      module = rest[i + 1]?.value;
      after = i + 2;
    } else if (v.startsWith('-m')) module = v.slice(2);
    else if (v === '-c' || !v.startsWith('-')) return undefined; // a script or inline code, not a module
    else if (v === '-W' || v === '-X') {
      i++;
      continue;
    } else continue;
    if (module === undefined) return undefined;
    return { module, tail: rest.slice(after) };
  }
  return undefined;
}
