/**
 * The look-alike engine: given a name, which popular name does it imitate, how, and how surely.
 * Every transformation is a key lookup in the prebuilt index (never a scan of the list); the
 * strings found are then compared for real and the transformation named.
 */
import type { SimilarityMatch, TypoKind } from '../core/types.js';
import { osaDistance, singleEdit } from './classify.js';
import { type ScopeFamily, ScopeFamilies } from './families.js';
import { type NameForms, formsOf, lookalikeVariants, skeleton, tokensOf, withoutVersion } from './forms.js';
import { type Core, FAMILY, type Family, KeyHasher, LURE_WORDS, MAX_EDIT2_KEY, MAX_HASHES, MIN_EDIT2_KEY, affixGroup, coresOf, scopeKey, sortedWordsKey, wordsKey } from './keys.js';
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
  affix: 0.85,
  'word-order': 0.8,
  'version-suffix': 0.75,
  'substituted-char': 0.7,
  'edit-distance': 0.7,
  combosquat: 0.6,
};
/** Two edits apart: only for long, popular names, and weaker than any one-edit match. */
const TWO_EDITS = 0.65;

/** Matches below this confidence are coincidences more often than imitations: not reported. */
export const MIN_CONFIDENCE = 0.5;
/** A combosquat is only called when the popular name it wraps has at least this many weekly downloads. */
export const COMBOSQUAT_MIN_WEEKLY = 100_000;
/** Longest name looked at; npm allows 214 characters, PyPI has no limit but nothing popular is longer. */
const MAX_NAME = 214;
/** A second transformation on top of a first (an affix plus a typo) is weaker evidence. */
const COMPOUND = 0.8;
/**
 * The same for a lure word plus a second change. Milder than COMPOUND, whose product with the
 * combosquat base (0.48) fell under MIN_CONFIDENCE, so those branches never reported anything.
 */
const COMBO_COMPOUND = 0.9;
/** A popular name that this many popular names extend by a word (`pytest-x`) is a plugin host. */
const PLUGIN_HOST = 50;
/** wrapped(): names of more words are descriptions, not disguises. */
const MAX_WRAP_WORDS = 5;
/**
 * wrapped(): a one-word popular name is asked about only in names of at most this many words.
 * Measured on every 50th unranked PyPI project (an upper bound of the young ones asked): 221 ->
 * 196 blocked, with every wrapped squat of ../shared/eval still found (bench/results.md).
 */
const MAX_WRAP_WORDS_ONE = 3;
/** wrapped(): a wrapped popular name this short (`six`, `attrs`' `at`) is a word, not a lure. */
const MIN_WRAPPED_KEY = 4;

/** Short names sit one edit away from many honest names: the shorter the key, the weaker a one-edit match. */
function editLengthFactor(len: number): number {
  if (len <= 3) return 0.5;
  if (len === 4) return 0.75;
  if (len === 5) return 0.8;
  if (len <= 7) return 0.9;
  return 1;
}

/** The same for two-edit matches, which start at MIN_EDIT2_KEY characters. */
function twoEditLengthFactor(len: number): number {
  if (len <= 7) return 0.85;
  if (len === 8) return 0.92;
  return 1;
}

/**
 * A scope family match is a guess at a scoped name the list may not hold (too new or too small):
 * weak on its own, so reported only for names without an audience (see WEAK_CONFIDENCE).
 */
export const FAMILY_CONFIDENCE = 0.6;

/** A match found through a scope family: the target is `@scope/<name>`, which the list need not hold. */
export interface FamilyMatch extends SimilarityMatch {
  family: ScopeFamily & {
    /** The family's word, as the candidate spells it. */
    word: string;
  };
}

interface Hit {
  id: number;
  kind: TypoKind;
  confidence: number;
  /** Confidence plus the audience bonus, see best(). */
  score: number;
}

type Add = (id: number, kind: TypoKind, confidence: number) => void;

/** Finds the popular name a candidate imitates, in one ecosystem's data. */
export class Engine {
  // Ids already visited by the current neighbourhood walk: a stamp per id instead of a Set per walk.
  private readonly seen: Int32Array;
  private stamp = 0;
  // Reused hashers: one for the candidate's key, one for the other keys a lookup walks.
  private readonly queryHasher = new KeyHasher();
  private readonly scratchHasher = new KeyHasher();
  private readonly hashBuf = new Uint32Array(MAX_HASHES);
  // Filter block slots of the hashes in hashBuf (see groupOf in keys.ts).
  private readonly groupBuf = new Uint32Array(MAX_HASHES);

  // Scope families of the npm list, answered on demand (see families.ts).
  private families?: ScopeFamilies;

  constructor(private readonly data: PopularData) {
    this.seen = new Int32Array(data.count);
  }

  /** A fresh stamp for one neighbourhood walk. */
  private walk(): number {
    if (++this.stamp === 0x7fffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** The best look-alike of `name`, or undefined. Never returns the name itself. */
  lookalike(name: string): SimilarityMatch | undefined {
    if (name.length === 0 || name.length > MAX_NAME) return undefined;
    const q = formsOf(this.data.ecosystem, name);
    if (q.key.length === 0 || q.key.length > MAX_NAME) return undefined;
    const self = this.data.ecosystem === 'pypi' ? q.canonical : name;
    const hits = new Map<number, Hit>();
    const top = { score: -Infinity };
    const add: Add = (id, kind, confidence) => {
      if (confidence < MIN_CONFIDENCE) return;
      // Only a name with the candidate's own key can be the candidate itself.
      if (this.data.forms(id).key === q.key && this.data.name(id) === self) return;
      const prev = hits.get(id);
      if (prev && prev.confidence >= confidence) return;
      const score = confidence + 0.05 * Math.log10((this.data.weekly(id) ?? 0) + 1);
      hits.set(id, { id, kind, confidence, score });
      if (score > top.score) top.score = score;
    };
    if (q.scope !== undefined) this.scopeTypos(q, add);
    else this.unscoped(name, q, add, top);
    return this.best(hits, self);
  }

  /**
   * npm: the scoped package an unscoped name would be with its scope family's scope (`arm-foo` ->
   * `@azure/arm-foo`, see families.ts), or undefined. Separate from lookalike(): it is weaker
   * evidence than any resemblance of the name itself, and the typo signal asks only for names it
   * would otherwise let pass.
   */
  scopeFamily(name: string): FamilyMatch | undefined {
    if (this.data.ecosystem !== 'npm' || name.length === 0 || name.length > MAX_NAME) return undefined;
    const q = formsOf('npm', name);
    if (q.scope !== undefined || q.tokens.length < 2 || !/^[a-z0-9]/.test(q.canonical)) return undefined;
    // The first word as written (`arm` of `arm-foo`, `arm.foo`, `arm_foo`).
    const word = q.canonical.slice(0, q.canonical.search(/[-_.]/));
    const families = (this.families ??= new ScopeFamilies(this.data));
    const f = families.of(word);
    if (f) return { target: `@${f.scope}/${q.canonical}`, kind: 'scope-confusion', confidence: FAMILY_CONFIDENCE, family: { ...f, word } };
    // A service word of a family (`widgetry` of `@corp/arm-widgetry`), as written or with the first
    // two words run together (`sky-line` for `skyline`), followed by words of its own.
    const joined = q.tokens.length >= 3 ? q.tokens[0]! + q.tokens[1]! : undefined;
    const s = families.serviceOf(q.tokens[0]!) ?? (joined !== undefined ? families.serviceOf(joined) : undefined);
    if (!s) return undefined;
    const spelt = families.serviceOf(q.tokens[0]!) ? q.tokens[0]! : `${q.tokens[0]}-${q.tokens[1]}`;
    return { target: `@${s.scope}/${q.canonical}`, kind: 'scope-confusion', confidence: FAMILY_CONFIDENCE, family: { ...s, word: spelt } };
  }

  /**
   * PyPI: the most popular name (COMBOSQUAT_MIN_WEEKLY or more) a multi-word name wraps in words of
   * its own, lure or not (`<popular>-<anything>`, `<anything>-<popular>`), or undefined. Weaker than
   * any lookalike(): honest small projects are named this way too, so the typo signal asks only
   * for a published name without evidence of its own (young or of unknown age, no audience). A
   * plugin of a host (a first word or words that many popular names extend: `pytest-`, `django-`,
   * `mypy-boto3-`) is never one.
   */
  wrapped(name: string): SimilarityMatch | undefined {
    if (this.data.ecosystem !== 'pypi' || name.length === 0 || name.length > MAX_NAME) return undefined;
    const q = formsOf('pypi', name);
    const n = q.tokens.length;
    if (n < 2 || n > MAX_WRAP_WORDS) return undefined;
    for (let i = 1; i < n; i++) if (this.extensions(wordsKey(q.tokens.slice(0, i))) >= PLUGIN_HOST) return undefined;
    let best = -1;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j <= n; j++) {
        if (j - i === n) continue;
        // A one-word popular name (`torch`, `redis`) is an ordinary word of honest names: it reads
        // as that name dressed up only at the start or end of a short name. A name of several
        // words (`google-cloud-storage`) is specific wherever it sits.
        if (j - i === 1 && (n > MAX_WRAP_WORDS_ONE || (i > 0 && j < n))) continue;
        const k = wordsKey(q.tokens.slice(i, j));
        if (k.length < MIN_WRAPPED_KEY) continue;
        const id = this.topId(k);
        if (id >= 0 && (best < 0 || id < best)) best = id;
      }
    }
    if (best < 0) return undefined;
    const match: SimilarityMatch = { target: this.data.name(best), kind: 'combosquat', confidence: BASE.combosquat * COMPOUND };
    const w = this.data.weekly(best);
    if (w !== undefined) match.targetDownloads = w;
    return match;
  }

  private unscoped(raw: string, q: NameForms, add: Add, top: { score: number }): void {
    const data = this.data;
    // One edit, separators, one-for-one look-alikes: the symmetric deletion neighbourhood of the key.
    const qv = withoutVersion(q.tokens);
    const hq = this.queryHasher.reset(q.key);
    this.editNeighbours(FAMILY.edit, q.key, (id, t) => {
      let kind = t.key === q.key ? sameKeyKind(raw, q, data.name(id), t) : singleEdit(q.key, t.key);
      if (!kind) return;
      // Only the trailing version digits differ (`boto4` for `boto3`): that is the better description.
      const tv = qv && withoutVersion(t.tokens);
      if (qv && tv && wordsKey(qv) === wordsKey(tv)) kind = 'version-suffix';
      const factor = t.key === q.key ? (t.key.length <= 2 ? 0.6 : 1) : editLengthFactor(t.key.length);
      add(id, kind, BASE[kind] * factor);
    }, false, hq);
    // Multi-character look-alikes (`rn`/`m`, `vv`/`w`, `cl`/`d`).
    for (const v of lookalikeVariants(q.key)) this.exact(v, (id) => add(id, 'lookalike', BASE.lookalike * (v.length <= 2 ? 0.6 : 1)));
    // Two edits, against the most popular long names only; skipped when a one-edit hit already
    // outscores anything a two-edit hit could (see best()), which is most real typos.
    if (q.key.length >= MIN_EDIT2_KEY - 2 && q.key.length <= MAX_EDIT2_KEY + 2 && top.score < TWO_EDITS + 0.05 * Math.log10(this.data.maxWeekly + 1)) this.twoEdits(q.key, hq, add);
    // Word order.
    if (q.tokens.length >= 2) {
      const k = sortedWordsKey(q.tokens);
      data.probe(FAMILY.words, k, (id) => {
        const t = data.forms(id);
        if (t.key !== q.key && t.tokens.length >= 2 && sortedWordsKey(t.tokens) === k) add(id, 'word-order', BASE['word-order']);
      });
    }
    // Trailing version digits, on either side: `lodash4` for `lodash`, `boto` for `boto3`, `boto4` for `boto3`.
    const unversioned = qv;
    if (unversioned) {
      const k = wordsKey(unversioned);
      this.exact(k, (id) => add(id, 'version-suffix', BASE['version-suffix'] * editLengthFactor(k.length + 1)));
      this.versioned(k, add);
    }
    this.versioned(q.key, add);
    // Noise prefixes and suffixes: the candidate's core is a popular name (or one edit from one),
    // or the candidate is the core of a popular name that carries the affix.
    for (const c of coresOf(q.tokens)) this.core(c, add);
    // Dropping a noise word from a popular name often gives an honest name of its own (`push` next to
    // `push.js`), so this direction is weaker than adding one.
    this.coreOf(q.key, () => BASE.affix * COMPOUND * (q.key.length <= 4 ? 0.8 : 1), add);
    // Scope confusion: the bare name of a popular scoped package, or its scope and name run together.
    if (data.ecosystem === 'npm') {
      this.scopeDropped(q, 1, add);
      if (unversioned) this.scopeDropped(formsOf('npm', unversioned.join('-')), COMPOUND, add);
    }
    // Combosquats are the weakest kind: skipped when a hit already outscores any they could make.
    if (q.tokens.length >= 2 && top.score < BASE.combosquat + 0.05 * Math.log10(data.maxWeekly + 1)) this.combosquat(q, add);
  }

  /** Ids within two edits of `key` among the names stored with a two-edit neighbourhood. */
  private twoEdits(key: string, h: KeyHasher, add: Add): void {
    const within = (k: string) => k !== key && k.length >= MIN_EDIT2_KEY && k.length <= MAX_EDIT2_KEY && osaDistance(key, k, 2) <= 2;
    // The candidate's own two-character deletions only meet keys at least as long as it is less
    // two; below MIN_EDIT2_KEY there are none to meet (see edit2Keys in keys.ts).
    const two = key.length >= MIN_EDIT2_KEY && key.length <= MAX_EDIT2_KEY + 2;
    this.walkHashes(FAMILY.edit2, h.hashes(FAMILY.edit2, this.hashBuf, two, this.groupBuf), (id, t) => {
      if (t.scope !== undefined || t.key === key) return;
      // Versioned names are also stored by their unversioned key (`beautifulsoup4` as `beautifulsoup`).
      let k = t.key;
      if (!within(k)) {
        const tv = withoutVersion(t.tokens);
        if (!tv || !within((k = wordsKey(tv)))) return;
      }
      add(id, 'edit-distance', TWO_EDITS * twoEditLengthFactor(k.length));
    });
  }

  /** Each id stored under the first `count` hashes in hashBuf (block slots in groupBuf), once, with its forms. */
  private walkHashes(family: Family, count: number, fn: (id: number, t: NameForms) => void): void {
    const stamp = this.walk();
    this.data.probeAll(family, this.hashBuf, this.groupBuf, count, (id) => {
      if (this.seen[id] === stamp) return;
      this.seen[id] = stamp;
      fn(id, this.data.forms(id));
    });
  }

  /** Popular names with trailing version digits whose unversioned key is exactly `key` (`boto` for `boto3`). */
  private versioned(key: string, add: Add): void {
    const data = this.data;
    data.probe(FAMILY.version, key, (id) => {
      const t = data.forms(id);
      const tv = withoutVersion(t.tokens);
      if (t.scope === undefined && tv && wordsKey(tv) === key) add(id, 'version-suffix', BASE['version-suffix'] * editLengthFactor(key.length + 1));
    });
  }

  /** A candidate with a noise affix removed: its core against popular names and their cores. */
  private core(c: Core, add: Add): void {
    const k = wordsKey(c.tokens);
    this.editNeighbours(FAMILY.edit, k, (id, t) => {
      if (t.key === k) add(id, 'affix', BASE.affix);
      else if (singleEdit(k, t.key)) add(id, 'affix', BASE.affix * COMPOUND * editLengthFactor(t.key.length));
    });
    // Both carry an affix of the same group: moved (`python-x` vs `x-python`) or respelt (`python-x` vs `pyx`).
    this.coreOf(
      k,
      (tc) => {
        if (affixGroup(tc.affix) !== affixGroup(c.affix)) return BASE.affix * COMPOUND;
        return tc.at === c.at ? BASE.affix * 0.95 : BASE['word-order'];
      },
      add,
      (tc) => (affixGroup(tc.affix) === affixGroup(c.affix) && tc.at !== c.at ? 'word-order' : 'affix'),
    );
  }

  /** Ids of popular names that are `key` plus a noise affix, with a confidence per matching core. */
  private coreOf(key: string, confidence: (tc: Core) => number, add: Add, kind: (tc: Core) => TypoKind = () => 'affix'): void {
    this.data.probe(FAMILY.core, key, (id) => {
      for (const tc of coresOf(this.data.forms(id).tokens)) if (wordsKey(tc.tokens) === key) add(id, kind(tc), confidence(tc));
    });
  }

  /** Unscoped names that drop or flatten the scope of a popular scoped package. */
  private scopeDropped(q: NameForms, factor: number, add: Add): void {
    const data = this.data;
    const bare: number[] = [];
    data.probe(FAMILY.bare, q.key, (id) => {
      if (data.forms(id).key === q.key) bare.push(id);
    });
    if (bare.length > 0) {
      // A distinctive bare name (several words, long) points at one package; `utils` points at none.
      let c = q.tokens.length >= 2 && q.key.length >= 8 ? 0.85 : q.key.length >= 6 ? 0.7 : 0.5;
      if (bare.length >= 3) c *= 0.8;
      for (const id of bare) add(id, 'scope-confusion', c * factor);
    }
    data.probe(FAMILY.joined, q.key, (id) => {
      const t = data.forms(id);
      const s = scopeKey(t.scope ?? '');
      if (q.key === s + t.key || q.key === t.key + s) add(id, 'scope-confusion', BASE['scope-confusion'] * 0.95 * factor);
    });
  }

  /** Scoped names whose scope is one edit or a look-alike from a popular scope holding the same bare name. */
  private scopeTypos(q: NameForms, add: Add): void {
    const data = this.data;
    const qs = scopeKey(q.scope!);
    if (qs.length === 0) return;
    const candidates = new Map<string, number>();
    this.editNeighbours(FAMILY.scope, qs, (rep, t) => {
      const scope = t.scope;
      if (scope === undefined || scope === q.scope || candidates.has(scope)) return;
      const sk = scopeKey(scope);
      if (sk === qs || singleEdit(qs, sk)) candidates.set(scope, sk.length);
    }, true);
    if (candidates.size === 0) return;
    // A package in an established scope is published by that scope's owner: not a squat of a peer scope.
    const ownRep = this.scopeRep(q.scope!);
    for (const [scope, len] of candidates) {
      const id = data.find(`@${scope}/${q.bare}`);
      if (id < 0) continue;
      const w = data.weekly(id) ?? 0;
      if (ownRep >= 0 && (data.weekly(ownRep) ?? 0) * PEER_RATIO >= w) continue;
      add(id, 'scope-confusion', BASE['scope-confusion'] * (len <= 3 ? 0.75 : 1.05));
    }
  }

  /**
   * Combosquats: a popular name plus a lure word (`x-secure`, `official-x`, `2024-x`), and on PyPI
   * two popular names glued together (see pairs()).
   */
  private combosquat(q: NameForms, add: Add): void {
    const data = this.data;
    const popularEnough = (id: number) => (data.weekly(id) ?? 0) >= COMBOSQUAT_MIN_WEEKLY;
    const n = q.tokens.length;
    const rests = [isLure(q.tokens[0]!) ? q.tokens.slice(1) : undefined, isLure(q.tokens[n - 1]!) ? q.tokens.slice(0, -1) : undefined];
    // A lure word plus a typo or version digits is still one popular name dressed up, but less
    // surely than the bare name plus a lure. A lure plus a noise word's core (`safe-types` for
    // `js-types`) is not: measured, it only found honest names.
    const second = BASE.combosquat * COMBO_COMPOUND;
    for (const rest of rests) {
      if (!rest) continue;
      const k = wordsKey(rest);
      this.editNeighbours(FAMILY.edit, k, (id, t) => {
        if (!popularEnough(id)) return;
        if (t.key === k) add(id, 'combosquat', BASE.combosquat);
        else if (k.length >= MIN_EDIT2_KEY && singleEdit(k, t.key)) add(id, 'combosquat', second);
      });
      const rv = withoutVersion(rest);
      if (rv) {
        const id = this.topId(wordsKey(rv));
        if (id >= 0) add(id, 'combosquat', second);
      }
    }
    if (data.ecosystem === 'pypi') this.pairs(q, add);
  }

  /**
   * PyPI: two popular names glued together (`<numpy>-<flask>`), named after the first. Honest
   * plugins are named that way after a plugin host (`pytest-x`, `django-x`), so a first name that
   * many popular names extend is not one. npm is left out: composing popular names is how npm
   * names most packages (`react-redux`, `babel-jest`); measured there, the rule gained one squat
   * and raised false alarms on the less popular names (bench/eval.ts).
   */
  private pairs(q: NameForms, add: Add): void {
    const n = q.tokens.length;
    // The key of the first i words, grown a word at a time (skeleton() folds character by
    // character, so the key of words run together is their keys run together).
    let lk = '';
    for (let i = 1; i < n; i++) {
      lk += skeleton(q.tokens[i - 1]!);
      const left = this.topId(lk);
      if (left < 0 || this.topId(wordsKey(q.tokens.slice(i))) < 0) continue;
      if (this.extensions(lk) >= PLUGIN_HOST) continue;
      add(left, 'combosquat', BASE.combosquat);
    }
  }

  /**
   * The most popular unscoped name with COMBOSQUAT_MIN_WEEKLY weekly downloads whose key is `key`
   * or, failing that, `key` plus version digits (`beautifulsoup4` for `beautifulsoup`); else -1.
   */
  private topId(key: string): number {
    // npm asks only for a lure word plus version digits (rare): two hash probes, rather than
    // decoding its ~10,000 most popular names into a map a one-off check would never reuse.
    if (this.data.ecosystem === 'npm') {
      let best = -1;
      const take = (id: number) => {
        if ((best < 0 || id < best) && (this.data.weekly(id) ?? 0) >= COMBOSQUAT_MIN_WEEKLY) best = id;
      };
      this.exact(key, take);
      if (best < 0) this.versioned(key, take);
      return best;
    }
    const top = (this.topKeys ??= this.buildTopKeys());
    return top.exact.get(key) ?? top.versioned.get(key) ?? -1;
  }

  // Keys of the names popular enough to be combosquatted, built on first use (see topId()).
  private topKeys?: { exact: Map<string, number>; versioned: Map<string, number> };

  /**
   * A map lookup instead of two hash probes per word (PyPI asks for every word pair): the list is
   * sorted by audience, so the names above COMBOSQUAT_MIN_WEEKLY are its first ~1,500 ids.
   */
  private buildTopKeys(): { exact: Map<string, number>; versioned: Map<string, number> } {
    const exact = new Map<string, number>();
    const versioned = new Map<string, number>();
    for (let id = 0; id < this.data.count && (this.data.weekly(id) ?? 0) >= COMBOSQUAT_MIN_WEEKLY; id++) {
      const t = this.data.forms(id);
      if (t.scope !== undefined) continue;
      if (!exact.has(t.key)) exact.set(t.key, id);
      const tv = withoutVersion(t.tokens);
      if (tv && !versioned.has(wordsKey(tv))) versioned.set(wordsKey(tv), id);
    }
    return { exact, versioned };
  }

  // Word-prefix counts of the unscoped popular names, built on first use (see extensions()).
  private prefixCounts?: Map<string, number>;

  /** How many popular names extend `key` by whole words (`django-redis`, `django-celery` for `django`). */
  private extensions(key: string): number {
    if (!this.prefixCounts) {
      // Once per process, over the PyPI list (15,000 names: a few milliseconds).
      const counts = new Map<string, number>();
      const { all, offsets } = this.data.allNames();
      for (let id = 0; id < this.data.count; id++) {
        if (all.charCodeAt(offsets[id]!) === 64) continue;
        const tokens = tokensOf(all.slice(offsets[id]!, offsets[id + 1]!).toLowerCase());
        for (let i = 1; i < tokens.length; i++) {
          const k = wordsKey(tokens.slice(0, i));
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
      this.prefixCounts = counts;
    }
    return this.prefixCounts.get(key) ?? 0;
  }

  /** The most popular package of a scope, or -1 when the scope holds no popular package. */
  private scopeRep(scope: string): number {
    let rep = -1;
    this.data.probe(FAMILY.scope, scopeKey(scope), (id) => {
      if (rep < 0 && this.data.forms(id).scope === scope) rep = id;
    });
    return rep;
  }

  /** Ids whose key in `family` is within one edit of `key`, with their forms (unscoped only, unless `scoped`). */
  private editNeighbours(
    family: typeof FAMILY.edit | typeof FAMILY.scope,
    key: string,
    fn: (id: number, t: NameForms) => void,
    scoped = false,
    hasher?: KeyHasher,
  ): void {
    const h = hasher ?? this.scratchHasher.reset(key);
    this.walkHashes(family, h.hashes(family, this.hashBuf, false, this.groupBuf), (id, t) => {
      if (scoped === (t.scope !== undefined)) fn(id, t);
    });
  }

  /** Ids of unscoped popular names whose key is exactly `key`. */
  private exact(key: string, fn: (id: number) => void): void {
    this.data.probe(FAMILY.edit, key, (id) => {
      const t = this.data.forms(id);
      if (t.scope === undefined && t.key === key) fn(id);
    });
  }

  /**
   * The most convincing hit: confidence first, then the target's audience (squatters imitate the
   * most popular of several look-alikes), on a log scale so one order of magnitude is worth 0.05.
   * A target with a far more popular versioned successor (`name` -> `name4`) gives way to it.
   */
  private best(hits: Map<number, Hit>, self: string): SimilarityMatch | undefined {
    let best: Hit | undefined;
    let bestScore = -Infinity;
    for (const h of hits.values()) {
      const score = h.score;
      if (score > bestScore || (score === bestScore && best && h.id < best.id)) {
        best = h;
        bestScore = score;
      }
    }
    if (!best) return undefined;
    const successor = this.successor(best.id);
    const id = successor >= 0 && this.data.name(successor) !== self ? successor : best.id;
    const match: SimilarityMatch = { target: this.data.name(id), kind: best.kind, confidence: Math.min(1, Math.round(best.confidence * 100) / 100) };
    const w = this.data.weekly(id);
    if (w !== undefined) match.targetDownloads = w;
    return match;
  }

  /** A versioned name (`x2`, `x-3`) far more popular than `id`'s name `x`, or -1. */
  private successor(id: number): number {
    const t = this.data.forms(id);
    const w = this.data.weekly(id) ?? 0;
    let best = -1;
    this.data.probe(FAMILY.version, t.key, (sid) => {
      const s = this.data.forms(sid);
      const sv = withoutVersion(s.tokens);
      if (sid === id || s.scope !== undefined || !sv || wordsKey(sv) !== t.key) return;
      if ((this.data.weekly(sid) ?? 0) >= w * PEER_RATIO && (best < 0 || sid < best)) best = sid;
    });
    return best;
  }
}

/** A word squatters add to a popular name: a lure (`secure`, `official`) or a number (`2024-x`). */
function isLure(token: string): boolean {
  return LURE_WORDS.has(token) || /^[0-9]+$/.test(token);
}

/** The kind of imitation between two names with the same key: case, separators, or look-alike characters. */
function sameKeyKind(raw: string, q: NameForms, targetRaw: string, t: NameForms): TypoKind | undefined {
  if (q.canonical === t.canonical) return raw === targetRaw ? undefined : 'normalisation';
  const sepFree = (s: string) => s.replace(/[-_.]+/g, '');
  if (sepFree(q.canonical) === sepFree(t.canonical)) return 'separator';
  return 'lookalike';
}
