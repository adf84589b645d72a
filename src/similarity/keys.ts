/**
 * The keys of the popular-name index. The data builder stores, for every popular name, the hashes
 * of the keys below; a lookup hashes the same kinds of keys for the candidate and reads back the
 * ids stored under them. Both sides call the functions in this file, so they cannot drift apart.
 * A hash match is only a hint: the engine always confirms on the real strings.
 */
import type { Ecosystem } from '../core/types.js';
import { type NameForms, formsOf, skeleton, withoutVersion } from './forms.js';

/** Key families, mixed into the hash so equal strings of different families do not meet. */
export const FAMILY = {
  /** The exact canonical name: popularity() and exists(). */
  name: 1,
  /** The key and each of its one-character deletions (symmetric deletion neighbourhood). */
  edit: 2,
  /** The words sorted: `parser-json` meets `json-parser`. */
  words: 3,
  /** The key without a noise prefix or suffix: `dotenv` meets `python-dotenv`. */
  core: 4,
  /** The key without trailing version digits: `boto` meets `boto3`. */
  version: 5,
  /** npm: the bare name of a scoped package: `storage-blob` meets `@azure/storage-blob`. */
  bare: 6,
  /** npm: scope and name run together: `types-node` meets `@types/node`. */
  joined: 7,
  /** npm: a scope's key and its deletions, stored once per scope: `@typpes/x` meets `@types/x`. */
  scope: 8,
  /** The key, its deletions and its two-character deletions, for the most popular long names only. */
  edit2: 9,
} as const;
export type Family = (typeof FAMILY)[keyof typeof FAMILY];

/** Keys shorter than this get no deletion neighbourhood: at 1-2 characters every edit is another real name. */
export const MIN_EDIT_KEY = 3;

// Keys hash as a polynomial over their UTF-16 units (h = h * B + c, mod 2^32), so the hash of a key
// with one or two characters deleted can be derived from prefix and suffix values in constant time
// (see KeyHasher): a two-edit lookup probes ~L^2/2 deletions and must not rehash each from scratch.
// The family is mixed in at the end, then a murmur3 finaliser spreads the bits the directory uses.
const B = 0x01000193;
const SEED = 0x811c9dc5 | 0;
const MAX_KEY = 256;
/** Room for a key's hash, its deletions and its two-character deletions. */
export const MAX_HASHES = 1 + MAX_KEY + (MAX_KEY * (MAX_KEY - 1)) / 2;
const POW = new Int32Array(MAX_KEY + 1);
POW[0] = 1;
for (let i = 1; i <= MAX_KEY; i++) POW[i] = Math.imul(POW[i - 1]!, B);

/** The final hash of a raw polynomial value in a family. */
export function finishHash(family: Family, raw: number): number {
  let h = (raw + Math.imul(family, 0x9e3779b9)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of `s` in `family`, with the characters at `skip` and `skip2` left out (deletions). */
export function hashKey(family: Family, s: string, skip = -1, skip2 = -1): number {
  let h = SEED;
  for (let i = 0; i < s.length; i++) {
    if (i === skip || i === skip2) continue;
    h = (Math.imul(h, B) + s.charCodeAt(i)) | 0;
  }
  return finishHash(family, h);
}

/**
 * Two-edit keys are filtered in blocks: every key of one length, first and last character shares a
 * block of a few cache lines (see build.ts), and most of a candidate's deletions keep its first and
 * last character, so a two-edit lookup's ~90 filter reads touch about a dozen lines instead of ~90
 * random lines of a megabyte (those reads were most of a lookup's time). This is the block slot.
 */
export const GROUP_BITS = 14;

/** The filter block slot of a key of length `len` starting with char code `first`, ending with `last`. */
export function groupOf(len: number, first: number, last: number): number {
  let h = (Math.imul(len, 0x9e3779b1) ^ Math.imul(first + 1, 0x85ebca6b) ^ Math.imul(last + 7, 0xc2b2ae35)) | 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> (32 - GROUP_BITS);
}

/** The block slot of `s` with the characters at `skip` and `skip2` left out (as hashKey deletes them). */
export function groupOfKey(s: string, skip = -1, skip2 = -1): number {
  let len = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    if (i === skip || i === skip2) continue;
    if (first < 0) first = s.charCodeAt(i);
    last = s.charCodeAt(i);
    len++;
  }
  return groupOf(len, first, last);
}

/**
 * Raw hashes of a key and of its one- and two-character deletions, each in constant time from
 * prefix states and suffix values. Equal to what hashKey computes character by character.
 */
export class KeyHasher {
  length = 0;
  private readonly prefix = new Int32Array(MAX_KEY + 1);
  private readonly suffix = new Int32Array(MAX_KEY + 2);
  private readonly codes = new Int32Array(MAX_KEY);

  constructor(key = '') {
    this.reset(key);
  }

  /** Hash another key (the arrays are reused: one hasher serves many lookups). */
  reset(key: string): this {
    const n = Math.min(key.length, MAX_KEY - 2);
    this.length = n;
    this.prefix[0] = SEED;
    for (let i = 0; i < n; i++) {
      this.codes[i] = key.charCodeAt(i);
      this.prefix[i + 1] = (Math.imul(this.prefix[i]!, B) + this.codes[i]!) | 0;
    }
    // suffix[i] = sum over k >= i of code[k] * B^(n-1-k)
    this.suffix[n] = 0;
    for (let i = n - 1; i >= 0; i--) this.suffix[i] = (Math.imul(this.codes[i]!, POW[n - 1 - i]!) + this.suffix[i + 1]!) | 0;
    return this;
  }

  /** The whole key. */
  full(): number {
    return this.prefix[this.length]!;
  }

  /** The key without the character at `i`. */
  without(i: number): number {
    return (Math.imul(this.prefix[i]!, POW[this.length - 1 - i]!) + this.suffix[i + 1]!) | 0;
  }

  /**
   * Final hashes in `family` of the key (when `withKey`), its one-character deletions (skipping
   * the repeats of equal neighbours) and, when `two`, its two-character deletions, written into
   * `out` (reused across lookups); returns how many. One tight loop, no call per hash.
   */
  hashes(family: Family, out: Uint32Array, two: boolean, groups?: Uint32Array): number {
    // Raw values first (no calls in the loops), then one finishing pass.
    const n = this.length;
    const prefix = this.prefix;
    const suffix = this.suffix;
    const codes = this.codes;
    let c = 0;
    out[c++] = prefix[n]!;
    if (n >= MIN_EDIT_KEY) {
      for (let i = 0; i < n; i++) if (i === 0 || codes[i] !== codes[i - 1]) out[c++] = (Math.imul(prefix[i]!, POW[n - 1 - i]!) + suffix[i + 1]!) | 0;
      if (two) {
        for (let i = 0; i < n; i++) {
          let q = prefix[i]!;
          for (let j = i + 1; j < n; j++) {
            out[c++] = (Math.imul(q, POW[n - 1 - j]!) + suffix[j + 1]!) | 0;
            q = (Math.imul(q, B) + codes[j]!) | 0;
          }
        }
      }
    }
    const salt = Math.imul(family, 0x9e3779b9);
    for (let k = 0; k < c; k++) {
      let h = (out[k]! + salt) | 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      out[k] = h;
    }
    if (groups) this.groups(groups, two);
    return c;
  }

  /**
   * The filter block slot (groupOf) of each hash `hashes` writes, in the same order: a deletion keeps
   * the key's first and last character unless it deletes them.
   */
  private groups(out: Uint32Array, two: boolean): void {
    const n = this.length;
    const codes = this.codes;
    let c = 0;
    if (n === 0) {
      out[c++] = groupOf(0, -1, -1);
      return;
    }
    const f0 = codes[0]!;
    const l0 = codes[n - 1]!;
    out[c++] = groupOf(n, f0, l0);
    if (n < MIN_EDIT_KEY) return;
    for (let i = 0; i < n; i++) {
      if (i > 0 && codes[i] === codes[i - 1]) continue;
      out[c++] = groupOf(n - 1, i === 0 ? codes[1]! : f0, i === n - 1 ? codes[n - 2]! : l0);
    }
    if (!two) return;
    const inner = groupOf(n - 2, f0, l0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (i > 0 && j < n - 1) out[c++] = inner;
        else {
          const first = i > 0 ? f0 : j === 1 ? codes[2]! : codes[1]!;
          const last = j < n - 1 ? l0 : i === n - 2 ? codes[n - 3]! : codes[n - 2]!;
          out[c++] = groupOf(n - 2, first, last);
        }
      }
    }
  }

  /** Every two-character deletion (i < j), with its raw hash. */
  forEachWithoutTwo(fn: (raw: number, i: number, j: number) => void): void {
    const n = this.length;
    for (let i = 0; i < n; i++) {
      let q = this.prefix[i]!;
      for (let j = i + 1; j < n; j++) {
        fn((Math.imul(q, POW[n - 1 - j]!) + this.suffix[j + 1]!) | 0, i, j);
        q = (Math.imul(q, B) + this.codes[j]!) | 0;
      }
    }
  }
}


// Words that add nothing to what a package is: a language or runtime tag, or filler. A name that is
// a popular name plus one of these is what people (and models) write when they half-remember it.
const NOISE_PREFIXES = new Set(['node', 'nodejs', 'js', 'npm', 'py', 'python', 'python3', 'py3', 'pypi', 'lib']);
const NOISE_SUFFIXES = new Set(['js', 'node', 'nodejs', 'npm', 'lib', 'library', 'utils', 'util', 'py', 'python', 'python3', 'py3', 'pkg', 'package', 'module']);
// Affixes that say the same thing: `python-x` and `pyx` and `x-py` all tag x as Python.
const AFFIX_GROUP: Record<string, string> = {
  py: 'py', python: 'py', python3: 'py', py3: 'py', pypi: 'py',
  js: 'js', node: 'js', nodejs: 'js', npm: 'js',
  lib: 'lib', library: 'lib', utils: 'util', util: 'util',
};

/** The group an affix belongs to (`python` and `py` are one), for comparing two names' affixes. */
export function affixGroup(affix: string): string {
  return AFFIX_GROUP[affix] ?? affix;
}
// The same tags written without a separator (`pyyaml`, `chartjs`); stripped only when a long enough word remains.
// Longest first: the first match wins.
const GLUED_PREFIXES = ['python', 'node', 'lib', 'py'];
const GLUED_SUFFIXES = ['js', 'py', 'lib'];
// A glued affix (`pyyaml`, `chartjs`) may be part of an ordinary word, so its core must keep three
// characters; a separated affix is unambiguous, so its core may be as short as `d3` in `d3-js`.
const MIN_GLUED_CORE = 3;
const MIN_CORE = 2;
const MIN_GLUED_WORD = 3;

/** A name with a noise affix removed. */
export interface Core {
  /** The remaining words. */
  tokens: string[];
  /** The affix removed, as written (`js`, `python`, ...). */
  affix: string;
  /** Where it was: before or after the core. */
  at: 'prefix' | 'suffix';
}

/** Every way of removing one noise prefix or suffix from a name's words (including both at once). */
export function coresOf(tokens: readonly string[]): Core[] {
  const out: Core[] = [];
  const n = tokens.length;
  const first = tokens[0];
  const last = tokens[n - 1];
  if (first === undefined || last === undefined) return out;
  const keep = (t: string[], affix: string, at: Core['at'], min: number) => {
    if (t.join('').length >= min) out.push({ tokens: t, affix, at });
  };
  if (n >= 2 && NOISE_PREFIXES.has(first)) keep(tokens.slice(1), first, 'prefix', MIN_CORE);
  if (n >= 2 && NOISE_SUFFIXES.has(last)) keep(tokens.slice(0, -1), last, 'suffix', MIN_CORE);
  if (n >= 3 && NOISE_PREFIXES.has(first) && NOISE_SUFFIXES.has(last)) keep(tokens.slice(1, -1), `${first}+${last}`, 'prefix', MIN_CORE);
  // The word left by a glued affix must itself be a word (`cjs` is not `c` + `js`).
  // Only the longest glued affix that matches (`python...` is not `py` + `thon...`), and none on a
  // word that is itself a noise word.
  const p = NOISE_PREFIXES.has(first) ? undefined : GLUED_PREFIXES.find((a) => first.startsWith(a));
  if (p && first.length >= p.length + MIN_GLUED_WORD) keep([first.slice(p.length), ...tokens.slice(1)], p, 'prefix', MIN_GLUED_CORE);
  const s = NOISE_SUFFIXES.has(last) ? undefined : GLUED_SUFFIXES.find((a) => last.endsWith(a));
  if (s && last.length >= s.length + MIN_GLUED_WORD) keep([...tokens.slice(0, -1), last.slice(0, -s.length)], s, 'suffix', MIN_GLUED_CORE);
  return out;
}

/** Words squatters bolt onto a popular name to make a plausible new one. Only these make a combosquat. */
export const LURE_WORDS = new Set([
  'dev', 'devel', 'pro', 'plus', 'fix', 'fixed', 'patch', 'patched', 'secure', 'security', 'safe', 'official',
  'latest', 'new', 'update', 'updated', 'updater', 'beta', 'alpha', 'lite', 'free', 'next', 'fast', 'faster',
  'better', 'best', 'extra', 'full', 'premium', 'stable', 'release', 'real', 'original', 'legacy', 'modern',
  'win', 'windows', 'linux', 'mac', 'macos', 'x64', 'x86', 'install', 'installer', 'setup', 'helper', 'helpers', 'toolkit',
]);

/** The key of some words: run together, look-alikes folded. */
export function wordsKey(tokens: readonly string[]): string {
  return skeleton(tokens.join(''));
}

/** The word-order key: each word folded, sorted. Only meaningful for two or more words. */
export function sortedWordsKey(tokens: readonly string[]): string {
  return tokens.map(skeleton).sort().join('-');
}

/** A key to store for a popular name: its family, string and, for deletions, the index skipped. */
export interface StoredKey {
  family: Family;
  key: string;
  skip: number;
  skip2?: number;
}

/** What the builder needs to know about a popular name to decide which keys it gets. */
export interface TargetRole {
  /** Whether it is a target of the spelling transformations (edit, words, core, version). */
  spelling: boolean;
  /** Whether it is also a target of two-edit typos (popular and long names only). */
  twoEdits: boolean;
  /** npm scoped names: whether their bare name and joined forms are targets. */
  scoped: boolean;
}

/** Keys shorter than this get no two-edit neighbourhood: two edits turn a short name into anything. */
export const MIN_EDIT2_KEY = 7;
/**
 * Keys longer than this get none either: a two-edit neighbourhood grows with the square of the
 * length (a 30-character key has 435 two-character deletions), and squatters imitate short names.
 */
export const MAX_EDIT2_KEY = 20;

/** Every key stored for one name (hashes are taken by the builder). Scope keys are added per scope, see `scopeKeys`. */
export function storedKeys(ecosystem: Ecosystem, name: string, role: TargetRole): StoredKey[] {
  const f = formsOf(ecosystem, name);
  const keys: StoredKey[] = [{ family: FAMILY.name, key: f.canonical, skip: -1 }];
  if (f.scope !== undefined) {
    if (!role.scoped || f.key.length === 0) return keys;
    const scopeKey = skeleton(f.scope.replace(/[-_.]+/g, ''));
    keys.push({ family: FAMILY.bare, key: f.key, skip: -1 });
    keys.push({ family: FAMILY.joined, key: scopeKey + f.key, skip: -1 });
    keys.push({ family: FAMILY.joined, key: f.key + scopeKey, skip: -1 });
    return keys;
  }
  if (!role.spelling) return keys;
  keys.push(...editKeys(FAMILY.edit, f.key));
  if (f.tokens.length >= 2) keys.push({ family: FAMILY.words, key: sortedWordsKey(f.tokens), skip: -1 });
  for (const c of coresOf(f.tokens)) keys.push({ family: FAMILY.core, key: wordsKey(c.tokens), skip: -1 });
  const unversioned = withoutVersion(f.tokens);
  if (unversioned) keys.push({ family: FAMILY.version, key: wordsKey(unversioned), skip: -1 });
  const twoEdits = (k: string) => role.twoEdits && k.length >= MIN_EDIT2_KEY && k.length <= MAX_EDIT2_KEY;
  if (twoEdits(f.key)) keys.push(...edit2Keys(f.key));
  // A popular versioned name is also misspelt without its digits (`name4` typed as `nmae`).
  if (unversioned && twoEdits(wordsKey(unversioned))) keys.push(...edit2Keys(wordsKey(unversioned)));
  return keys;
}

/**
 * A key, its deletions and its two-character deletions, all in the edit2 family. Why both sides
 * delete: two keys are within two edits (insertions, deletions, substitutions, adjacent swaps) only
 * if deleting at most two characters from each makes them equal; an insertion costs the candidate
 * one deletion, an omission costs the stored key one, a substitution or swap costs each side one.
 * So a lookup probes the candidate's own deletions of up to two characters against these.
 */
export function edit2Keys(key: string): StoredKey[] {
  const keys = editKeys(FAMILY.edit2, key);
  for (let i = 0; i < key.length; i++) {
    for (let j = i + 1; j < key.length; j++) keys.push({ family: FAMILY.edit2, key, skip: i, skip2: j });
  }
  return keys;
}

/** A key and its one-character deletions (only the key itself when it is too short to edit). */
export function editKeys(family: Family, key: string): StoredKey[] {
  const keys: StoredKey[] = [{ family, key, skip: -1 }];
  if (key.length < MIN_EDIT_KEY) return keys;
  for (let i = 0; i < key.length; i++) {
    // Deleting either of two equal neighbours gives the same string: store it once.
    if (i > 0 && key[i] === key[i - 1]) continue;
    keys.push({ family, key, skip: i });
  }
  return keys;
}

/** The scope key of an npm scope (without `@`). */
export function scopeKey(scope: string): string {
  return skeleton(scope.toLowerCase().replace(/[-_.]+/g, ''));
}

/** The hash of a name's exact key, for popularity() and exists(). */
export function nameHash(f: Pick<NameForms, 'canonical'>): number {
  return hashKey(FAMILY.name, f.canonical);
}
