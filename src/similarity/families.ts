/**
 * npm scope families: a first word that most popular packages carrying it share with one scope
 * (`@azure/arm-*`: about 180 popular packages, next to one unscoped `arm-*`). An unscoped name that
 * starts with such a word and has no audience of its own is most likely that scope's package with
 * the scope dropped, the way dependency-confusion campaigns publish them (`arm-foo` for
 * `@azure/arm-foo`), even when the scoped package is too new or too small for our list.
 *
 * No stored keys: each word is answered by searching the list's names (one or two byte searches
 * over ~4.5 MB, a few milliseconds) and remembered. Only the typo signal asks, and only for a name it
 * would otherwise let pass, so look-alike lookups never pay for it.
 */
import type { PopularData } from './popular-data.js';

/** The scope a family word belongs to, and how many popular packages of that scope carry it. */
export interface ScopeFamily {
  scope: string;
  members: number;
  /**
   * Set when the word is not a family word but a service word of one (see serviceOf): the family
   * member that names it (`@corp/arm-widgetry` for `widgetry`).
   */
  via?: string;
}

/** A service word this short (`sql`, `web`) is an ordinary word, whoever uses it most. */
const MIN_SERVICE_WORD = 5;
/** Bytes that end a word inside a stored name: `/` after a scope, and npm's separators. */
const BREAK_BYTES = new Set([0x2f, 0x2d, 0x5f, 0x2e]);

/**
 * A family needs this many popular members: fewer is a coincidence of naming. Measured on
 * ../shared/eval: 5 -> 4 found one more scope-confusion squat (a four-package family with no
 * unscoped name) and no new alarm in the npm bands or the long tail (bench/results.md).
 */
export const FAMILY_MIN_MEMBERS = 4;
/** Its scope must hold at least this many times as many of the word's packages as any other scope. */
const OVER_OTHER_SCOPES = 2;
/**
 * And this many times as many as there are unscoped popular names with the word: `react-*` is
 * everyone's word (thousands unscoped, next to hundreds in `@types`), `monaco-*` is shared (460 in
 * one scope, 49 unscoped), `arm-*` is Azure's (181 against 1). Measured on the npm list: at 30,
 * 14 listed unscoped names under 1,000 weekly downloads start with a family word.
 */
const OVER_UNSCOPED = 30;

/** Answers remembered per process before starting over. */
const MAX_CACHED = 10_000;

/** Family words of one npm list, answered on demand. */
export class ScopeFamilies {
  private readonly cache = new Map<string, ScopeFamily | undefined>();

  constructor(private readonly data: PopularData) {}

  /** The family of a first word (`arm`), if it has one. Words are compared as written, lower case. */
  of(word: string): ScopeFamily | undefined {
    if (word.length === 0 || this.data.ecosystem !== 'npm') return undefined;
    if (this.cache.has(word)) return this.cache.get(word);
    const f = this.find(word);
    // A long-running process (the language server) may ask about any number of words.
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(word, f);
    return f;
  }

  private readonly serviceCache = new Map<string, ScopeFamily | undefined>();

  /**
   * The family a service word belongs to, if any. A big family names one package per service after
   * its family word (`@corp/arm-widgetry`, `@corp/arm-skyline`); the scope's other packages
   * for that service carry the service word first (`@corp/widgetry-catalog`), and are often too new
   * or too small for the list. A service word that no popular name outside that scope uses, in any
   * position, is the scope's vocabulary: an unscoped name starting with it is most likely the
   * scope's package published without its scope, as dependency-confusion campaigns do. Answered
   * like of(): by searching the list's names for the word (stopping at the second scope that uses
   * it), and remembered.
   */
  serviceOf(word: string): ScopeFamily | undefined {
    if (word.length < MIN_SERVICE_WORD || /[^a-z]/.test(word) || this.data.ecosystem !== 'npm') return undefined;
    if (this.serviceCache.has(word)) return this.serviceCache.get(word);
    const f = this.findService(word);
    if (this.serviceCache.size >= MAX_CACHED) this.serviceCache.clear();
    this.serviceCache.set(word, f);
    return f;
  }

  private findService(word: string): ScopeFamily | undefined {
    const data = this.data;
    const names = data.namesBytes();
    const offsets = data.nameOffsets();
    const needle = Buffer.from(word, 'latin1');
    let found: ScopeFamily | undefined;
    // The one scope allowed to use the word ('' for unscoped names).
    let user: string | undefined;
    for (let p = names.indexOf(needle); p >= 0; p = names.indexOf(needle, p + 1)) {
      const id = data.idAt(p);
      const start = offsets[id]!;
      const end = offsets[id + 1]!;
      // Whole words only: `widgetry` in `arm-widgetry`, not in `widgetryx`.
      if ((p > start && !BREAK_BYTES.has(names[p - 1]!)) || (p + needle.length < end && !BREAK_BYTES.has(names[p + needle.length]!))) continue;
      const name = names.toString('latin1', start, end).toLowerCase();
      const slash = name.startsWith('@') ? name.indexOf('/') : -1;
      const scope = slash > 0 ? name.slice(1, slash) : '';
      if (user !== undefined && user !== scope) return undefined;
      user = scope;
      const words = (slash > 0 ? name.slice(slash + 1) : name).split(/[-_.]+/);
      if (!found && scope !== '' && words[1] === word && words.length >= 2) {
        const f = this.of(words[0]!);
        if (f && f.scope === scope) found = { scope, members: f.members, via: name };
      }
    }
    return found;
  }

  private find(word: string): ScopeFamily | undefined {
    const data = this.data;
    const names = data.namesBytes();
    // Scoped names whose bare name starts with `word-`: `/word-` right after the scope. Most
    // words have none, so count them before anything else.
    const scoped = Buffer.from(`/${word}-`, 'latin1');
    let total = 0;
    for (let p = names.indexOf(scoped); p >= 0; p = names.indexOf(scoped, p + 1)) total++;
    if (total < FAMILY_MIN_MEMBERS) return undefined;
    // Unscoped names that start with `word-` (the needle at the start of a name), against the
    // most any scope could hold: `react-*` stops here after a few dozen.
    const offsets = data.nameOffsets();
    const bare = Buffer.from(`${word}-`, 'latin1');
    let unscoped = 0;
    for (let p = names.indexOf(bare); p >= 0; p = names.indexOf(bare, p + 1)) {
      const id = data.idAt(p);
      if (offsets[id] === p && p + bare.length < offsets[id + 1]! && ++unscoped * OVER_UNSCOPED > total) return undefined;
    }
    // Which scope holds them. A `/` only occurs in scoped names and `@` only at their start, so
    // the nearest `@` before a match starts its name (names are stored back to back).
    const byScope = new Map<string, number>();
    for (let p = names.indexOf(scoped); p >= 0; p = names.indexOf(scoped, p + 1)) {
      const start = names.lastIndexOf(64, p);
      if (start < 0 || p - start < 2) continue;
      const scope = names.toString('latin1', start + 1, p);
      byScope.set(scope, (byScope.get(scope) ?? 0) + 1);
    }
    let best: ScopeFamily | undefined;
    let second = 0;
    for (const [scope, members] of byScope) {
      if (!best || members > best.members) {
        second = best?.members ?? 0;
        best = { scope, members };
      } else if (members > second) second = members;
    }
    if (!best || best.members < FAMILY_MIN_MEMBERS || best.members < OVER_OTHER_SCOPES * second) return undefined;
    if (unscoped * OVER_UNSCOPED > best.members) return undefined;
    return best;
  }
}
