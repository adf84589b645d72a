/** The notes a grammar writes about a command (kept apart from the builder so the tool table stays light). */
import type { Ecosystem, ExtractNote, Origin } from '../core/types.js';

/** A note at `origin`; `name` and `ecosystem` when it is about one package. */
export function note(level: ExtractNote['level'], code: ExtractNote['code'], message: string, origin: Origin, name?: string, ecosystem?: Ecosystem): ExtractNote {
  const n: ExtractNote = { level, code, message, origin };
  if (name !== undefined) n.name = name;
  if (ecosystem !== undefined) n.ecosystem = ecosystem;
  return n;
}

/** Keeps echoed arguments short (a hostile line can be megabytes). */
export function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
