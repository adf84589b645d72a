/**
 * The look-alike engine: given a name, which popular name does it imitate, how, and how surely.
 * Every transformation is a key lookup in the prebuilt index (never a scan of the list); the
 * strings found are then compared for real, and the transformation named.
 */
import type { SimilarityMatch, TypoKind } from '../core/types.js';
import { singleEdit } from './classify.js';
import { type NameForms, formsOf, withoutVersion } from './forms.js';
import { FAMILY, LURE_WORDS, MIN_EDIT_KEY, coresOf, scopeKey, sortedWordsKey, wordsKey } from './keys.js';
import type { PopularData } from './popular-data.js';
import { PEER_RATIO } from './popularity.js';

/** How sure each kind of imitation is on its own, before the length of the name is weighed. */
const BASE: Record<TypoKind, number> = {
  lookalike: 0.95,
  separator: 0.9,
  'swapped-chars': 0.9,
  'scope-confusion': 0.85,
  'repeated-char': 0.85,
  'omitted-char': 0.85,
  'keyboard-neighbour': 0.85,
  normalisation: 0.85,
  'word-order': 0.8,
  affix: 0.75,
  'version-suffix': 0.75,
  'substituted-char': 0.7,
  'edit-distance': 0.7,
  combosquat: 0.6,
};

/** Matches below this confidence are coincidences more often than imitations: not reported. */
export const MIN_CONFIDENCE = 0.5;
/** A combosquat is only called when the name it wraps is at least this popular (weekly downloads). */
export const COMBOSQUAT_MIN_WEEKLY = 100_000;
/** Longest name looked at; npm allows 214 characters, PyPI has no limit but nothing popular is longer. */
const MAX_NAME = 214;
/** A second transformation on top of a first (affix plus a typo) is weaker evidence. */
const COMPOUND = 0.8;

/** Short names sit one edit away from many honest names: the shorter the key, the weaker a one-edit match. */
function editLengthFactor(len: number): number {
  if (len <= 3) return 0.5;
  if (len === 4) return 0.65;
  if (len === 5) return 0.8;
  if (len <= 7) return 0.9;
  return 1;
}

interface Hit {
  id: number;
  kind: TypoKind;
  confidence: number;
}

/** Finds the popular name a candidate imitates, in one ecosystem's data. */
export class Engine {
  constructor(private readonly data: PopularData) {}

  /** The best look-alike of `name`, or undefined. Never returns the name itself. */
  lookalike(name: string): SimilarityMatch | undefined {
    if (name.length === 0 || name.length > MAX_NAME) return undefined;
    const q = formsOf(this.data.ecosystem, name);
    if (q.key.length === 0) return undefined;
    const self = this.data.ecosystem === 'pypi' ? q.canonical : name;
    const hits = new Map<number, Hit>();
    const add = (id: number, kind: TypoKind, confidence: number) => {
      if (confidence < MIN_CONFIDENCE || this.data.name(id) === self) return;
      const prev = hits.get(id);
      if (!prev || prev.confidence < confidence) hits.set(id, { id, kind, confidence });
    };
    if (q.scope !== undefined) this.scopeTypos(q, add);
    else this.unscoped(name, q, add);
    return this.best(hits);
  }

  private unscoped(raw: string, q: NameForms, add: (id: number, kind: TypoKind, c: number) => void): void {
    const data = this.data;
    // One edit, separators, look-alikes: the symmetric deletion neighbourhood of the key.
    this.editNeighbours(q.key, (id, t) => {
      const kind = t.key === q.key ? sameKeyKind(raw, q, data.name(id), t) : singleEdit(q.key, t.key);
      if (!kind) return;
      const factor = t.key === q.key ? (t.key.length <= 2 ? 0.6 : 1) : editLengthFactor(t.key.length);
      add(id, kind, BASE[kind] * factor);
    });
    // Word order.
    if (q.tokens.length >= 2) {
      const k = sortedWordsKey(q.tokens);
      data.probe(FAMILY.words, k, (id) => {
        const t = data.forms(id);
        if (t.key !== q.key && t.tokens.length >= 2 && sortedWordsKey(t.tokens) === k) add(id, 'word-order', BASE['word-order']);
      });
    }
    // Trailing version digits, on either side: `lodash4` for `lodash`, `boto` for `boto3`, `boto4` for `boto3`.
    const unversioned = withoutVersion(q.tokens);
    if (unversioned) {
      const k = wordsKey(unversioned);
      this.exact(k, (id) => add(id, 'version-suffix', BASE['version-suffix'] * editLengthFactor(k.length + 1)));
      data.probe(FAMILY.version, k, (id) => {
        const tv = withoutVersion(data.forms(id).tokens);
        if (tv && wordsKey(tv) === k) add(id, 'version-suffix', BASE['version-suffix'] * editLengthFactor(k.length + 1));
      });
    }
    data.probe(FAMILY.version, q.key, (id) => {
      const tv = withoutVersion(data.forms(id).tokens);
      if (tv && wordsKey(tv) === q.key) add(id, 'version-suffix', BASE['version-suffix'] * editLengthFactor(q.key.length + 1));
    });
    // Noise prefixes and suffixes: the candidate's core is a popular name (or one edit from one),
    // or the candidate is the core of a popular name that carries the affix.
    for (const c of coresOf(q.tokens)) {
      const k = wordsKey(c.tokens);
      this.editNeighbours(k, (id, t) => {
        if (t.key === k) add(id, 'affix', BASE.affix);
        else if (singleEdit(k, t.key)) add(id, 'affix', BASE.affix * COMPOUND * editLengthFactor(t.key.length));
      });
      this.coreOf(k, (id) => add(id, 'affix', BASE.affix * COMPOUND));
    }
    this.coreOf(q.key, (id) => add(id, 'affix', BASE.affix));
    // Scope confusion: the bare name of a popular scoped package, or its scope and name run together.
    if (data.ecosystem === 'npm') this.scopeDropped(q, add);
    // Combosquat: a popular name plus one lure word.
    if (q.tokens.length >= 2) {
      const first = q.tokens[0]!;
      const last = q.tokens[q.tokens.length - 1]!;
      const rests = [LURE_WORDS.has(first) ? q.tokens.slice(1) : undefined, LURE_WORDS.has(last) ? q.tokens.slice(0, -1) : undefined];
      for (const rest of rests) {
        if (!rest) continue;
        this.exact(wordsKey(rest), (id) => {
          if ((data.weekly(id) ?? 0) >= COMBOSQUAT_MIN_WEEKLY) add(id, 'combosquat', BASE.combosquat);
        });
      }
    }
  }

  /** Unscoped names that drop or flatten the scope of a popular scoped package. */
  private scopeDropped(q: NameForms, add: (id: number, kind: TypoKind, c: number) => void): void {
    const data = this.data;
    const bare: number[] = [];
    data.probe(FAMILY.bare, q.key, (id) => {
      if (data.forms(id).key === q.key) bare.push(id);
    });
    if (bare.length > 0) {
      // A distinctive bare name (several words, long) points at one package; `utils` points at none.
      let c = q.tokens.length >= 2 && q.key.length >= 8 ? 0.85 : q.key.length >= 6 ? 0.7 : 0.5;
      if (bare.length >= 3) c *= 0.8;
      for (const id of bare) add(id, 'scope-confusion', c);
    }
    data.probe(FAMILY.joined, q.key, (id) => {
      const t = data.forms(id);
      const s = scopeKey(t.scope ?? '');
      if (q.key === s + t.key || q.key === t.key + s) add(id, 'scope-confusion', BASE['scope-confusion'] * 0.95);
    });
  }

  /** Scoped names whose scope is one edit or a look-alike from a popular scope holding the same bare name. */
  private scopeTypos(q: NameForms, add: (id: number, kind: TypoKind, c: number) => void): void {
    const data = this.data;
    const qs = scopeKey(q.scope!);
    if (qs.length === 0) return;
    const candidates = new Map<string, number>();
    const visit = (rep: number) => {
      const scope = data.forms(rep).scope;
      if (scope === undefined || scope === q.scope || candidates.has(scope)) return;
      const sk = scopeKey(scope);
      if (sk === qs || singleEdit(qs, sk)) candidates.set(scope, sk.length);
    };
    data.probe(FAMILY.scope, qs, visit);
    for (let i = 0; i < qs.length; i++) if (i === 0 || qs[i] !== qs[i - 1]) data.probe(FAMILY.scope, qs, visit, i);
    // The candidate's own scope's popularity, to keep two established scopes from being confused.
    const ownRep = this.scopeRep(q.scope!);
    for (const [scope, len] of candidates) {
      const id = data.find(`@${scope}/${q.bare}`);
      if (id < 0) continue;
      const w = data.weekly(id) ?? 0;
      if (ownRep >= 0 && (data.weekly(ownRep) ?? 0) * PEER_RATIO >= w) continue;
      add(id, 'scope-confusion', BASE['scope-confusion'] * (len <= 3 ? 0.75 : 1.05));
    }
  }

  /** The most popular package of a scope, or -1 when the scope holds no popular package. */
  private scopeRep(scope: string): number {
    let rep = -1;
    this.data.probe(FAMILY.scope, scopeKey(scope), (id) => {
      if (rep < 0 && this.data.forms(id).scope === scope) rep = id;
    });
    return rep;
  }

  /** Ids whose key is within one edit of `key`, with their forms. */
  private editNeighbours(key: string, fn: (id: number, t: NameForms) => void): void {
    const data = this.data;
    const seen = new Set<number>();
    const visit = (id: number) => {
      if (seen.has(id)) return;
      seen.add(id);
      const t = data.forms(id);
      if (t.scope === undefined) fn(id, t);
    };
    data.probe(FAMILY.edit, key, visit);
    if (key.length < MIN_EDIT_KEY) return;
    for (let i = 0; i < key.length; i++) if (i === 0 || key[i] !== key[i - 1]) data.probe(FAMILY.edit, key, visit, i);
  }

  /** Ids whose key is exactly `key`. */
  private exact(key: string, fn: (id: number) => void): void {
    this.data.probe(FAMILY.edit, key, (id) => {
      const t = this.data.forms(id);
      if (t.scope === undefined && t.key === key) fn(id);
    });
  }

  /** Ids of popular names that are `key` plus a noise affix. */
  private coreOf(key: string, fn: (id: number) => void): void {
    this.data.probe(FAMILY.core, key, (id) => {
      if (coresOf(this.data.forms(id).tokens).some((c) => wordsKey(c.tokens) === key)) fn(id);
    });
  }

  /**
   * The most convincing hit: confidence first, then the target's audience (squatters imitate the
   * most popular of several look-alikes), on a log scale so one order of magnitude is worth 0.05.
   */
  private best(hits: Map<number, Hit>): SimilarityMatch | undefined {
    let best: Hit | undefined;
    let bestScore = -Infinity;
    for (const h of hits.values()) {
      const score = h.confidence + 0.05 * Math.log10((this.data.weekly(h.id) ?? 0) + 1);
      if (score > bestScore || (score === bestScore && best && h.id < best.id)) {
        best = h;
        bestScore = score;
      }
    }
    if (!best) return undefined;
    const match: SimilarityMatch = { target: this.data.name(best.id), kind: best.kind, confidence: Math.min(1, Math.round(best.confidence * 100) / 100) };
    const w = this.data.weekly(best.id);
    if (w !== undefined) match.targetDownloads = w;
    return match;
  }
}

/** The kind of imitation between two names with the same key: case, separators, or look-alike characters. */
function sameKeyKind(raw: string, q: NameForms, targetRaw: string, t: NameForms): TypoKind | undefined {
  if (q.canonical === t.canonical) return raw === targetRaw ? undefined : 'normalisation';
  const sepFree = (s: string) => s.replace(/[-_.]+/g, '');
  if (sepFree(q.canonical) === sepFree(t.canonical)) return 'separator';
  return 'lookalike';
}
