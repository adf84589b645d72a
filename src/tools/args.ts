/**
 * One word of a command as the install grammar reads it: its value, whether the shell computes
 * it, and where each part of it is in the text or argv it came from (so a package name in
 * `pip install "requests>=2"` is located at its own column). The text engine
 * (src/extractors/text/) makes them from shell words or an argv; the grammars in this folder read
 * them. Kept free of heavy imports: the tool table, loaded by every CLI start, depends on it.
 */
import type { Origin } from '../core/types.js';
import type { ShellWord } from '../extractors/text/shell-words.js';
import type { Locate } from '../extractors/text/text-origin.js';

/** One argument: its value and how to locate a part of it. */
export interface Arg {
  value: string;
  dynamic: boolean;
  /** The argument as written, when it differs from `value` (shown for unreadable arguments). */
  raw?: string;
  /** The origin of `length` characters at `index` in `value`. */
  at(index: number, length: number, context?: string): Origin;
}

/** `o` with its context (`npm install`) set, when there is one. */
export function withContext(o: Origin, context?: string): Origin {
  if (context !== undefined) o.context = context;
  return o;
}

/** An argument read from a shell word of `text`. */
export function argOfWord(w: ShellWord, text: string, locate: Locate): Arg {
  return {
    value: w.value,
    dynamic: w.dynamic,
    raw: text.slice(w.start, w.end),
    at(index, length, context) {
      if (!w.quoted) return locate(w.start + index, length, context);
      // Quoted: find the part in the source text; else point at the whole word.
      const part = w.value.slice(index, index + length);
      const found = part ? text.slice(w.start, w.end).indexOf(part) : -1;
      return found === -1 ? locate(w.start, w.end - w.start, context) : locate(w.start + found, length, context);
    },
  };
}

/** The part of `arg` from `from` on: the value in `--flag=value` and `-rfile`. */
export function subArg(arg: Arg, from: number): Arg {
  const sub: Arg = { value: arg.value.slice(from), dynamic: arg.dynamic, at: (i, n, c) => arg.at(from + i, n, c) };
  if (arg.raw !== undefined) sub.raw = arg.raw;
  return sub;
}

/** How one command is read. */
export interface ReadContext {
  file: string;
  /** Level of `invalid-name` notes: `error` for argv (the user typed it), `warning` in text. */
  level: 'error' | 'warning';
  depth: number;
  /**
   * For `xargs`: the literal words standard input gives it (`echo a b | xargs npm i`). Without
   * them, arguments from standard input are unverified.
   */
  stdinWords?: readonly Arg[];
}
