/**
 * The resolver's in-run memo: one lookup per name and document, shared by concurrent callers. A
 * full answer also serves a later request for the abbreviated one (it says more), never the
 * other way round.
 */
import type { Ecosystem, PackageFacts } from '../core/types.js';

/** Promises of facts by ecosystem, name and document kind. */
export class FactsMemo {
  readonly #facts = new Map<string, Promise<PackageFacts>>();

  /** The memoized lookup, or the one `start` begins (and this keeps). */
  get(ecosystem: Ecosystem, name: string, full: boolean, start: () => Promise<PackageFacts>): Promise<PackageFacts> {
    const key = `${ecosystem}:${name}`;
    const fullKey = `${key}:full`;
    const existing = this.#facts.get(fullKey) ?? (full ? undefined : this.#facts.get(`${key}:abbreviated`));
    if (existing) return existing;
    const p = start();
    this.#facts.set(full ? fullKey : `${key}:abbreviated`, p);
    return p;
  }
}
