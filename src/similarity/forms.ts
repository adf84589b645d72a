/**
 * The spellings the engine compares names in. Every key the data builder stores and every key a
 * lookup probes is derived here, so the two sides cannot drift apart.
 */
import { normalizePypiName } from '../core/names.js';
import type { Ecosystem } from '../core/types.js';
import { foldConfusables } from './confusables.js';

/** A name split into the parts the transformations work on. */
export interface NameForms {
  /** The name as the registry would store it: npm lower-cased, PyPI PEP 503-normalised. */
  canonical: string;
  /** npm scope without `@` (`types` for `@types/node`), if any. */
  scope?: string;
  /** The name without its scope. */
  bare: string;
  /** Words of the bare name, split at `-`, `_`, `.`. */
  tokens: string[];
  /** The comparison key: separators dropped, look-alikes folded (see `key`). */
  key: string;
}

const SEPARATORS = /[-_.]+/;

/** Lower case and, for PyPI, PEP 503. npm keeps its legacy mixed-case names distinct, so callers keep the raw name too. */
export function canonicalName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'pypi' ? normalizePypiName(name) : name.toLowerCase();
}

/** Words of a name part, split at separators. */
export function tokensOf(part: string): string[] {
  return part.split(SEPARATORS).filter((t) => t.length > 0);
}

/**
 * The visual skeleton of a separator-free, lower-case ASCII string: the digits that read as letters
 * (`0`->`o`, `1`->`l`) fold. Both sides of a comparison go through this. Only one-for-one folds
 * belong here: folding `rn` to `m` would shift every later character and break one-edit matching
 * (`modren` would no longer be one swap from `modern`); those are tried as variants instead.
 */
export function skeleton(s: string): string {
  let out = s;
  if (out.includes('0')) out = out.replaceAll('0', 'o');
  if (out.includes('1')) out = out.replaceAll('1', 'l');
  if (out.includes('|')) out = out.replaceAll('|', 'l');
  return out;
}

/** Multi-character look-alikes, tried both ways as whole-key variants by the engine. */
export const MULTI_CHAR_LOOKALIKES: ReadonlyArray<[string, string]> = [
  ['rn', 'm'],
  ['vv', 'w'],
  ['cl', 'd'],
];

/** Every key obtained by swapping one multi-character look-alike (`modern` -> `modem`, `rnodern`). */
export function lookalikeVariants(key: string): string[] {
  const out: string[] = [];
  for (const [a, b] of MULTI_CHAR_LOOKALIKES) {
    for (const [from, to] of [[a, b], [b, a]] as const) {
      for (let i = key.indexOf(from); i >= 0; i = key.indexOf(from, i + 1)) out.push(key.slice(0, i) + to + key.slice(i + from.length));
    }
  }
  return out;
}

/** Separators dropped and look-alikes folded: names equal here differ only in ways people overlook. */
export function keyOf(part: string): string {
  return skeleton(tokensOf(foldConfusables(part.toLowerCase())).join(''));
}

/** Split a name into its forms. Never throws; an empty or odd name gives empty parts. */
export function formsOf(ecosystem: Ecosystem, name: string): NameForms {
  const canonical = canonicalName(ecosystem, name.trim());
  let scope: string | undefined;
  let bare = canonical;
  if (ecosystem === 'npm' && canonical.startsWith('@')) {
    const slash = canonical.indexOf('/');
    if (slash > 1) {
      scope = canonical.slice(1, slash);
      bare = canonical.slice(slash + 1);
    }
  }
  const tokens = tokensOf(foldConfusables(bare));
  const forms: NameForms = { canonical, bare, tokens, key: skeleton(tokens.join('')) };
  if (scope !== undefined) forms.scope = scope;
  return forms;
}

/** Trailing version digits (`lodash4`, `requests-2`, `vue-v3`): the words without them, or undefined. */
export function withoutVersion(tokens: readonly string[]): string[] | undefined {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return undefined;
  // A whole trailing word of digits, optionally `v`-prefixed: `-2`, `-v3`.
  if (tokens.length > 1 && /^v?\d{1,4}$/.test(last)) return tokens.slice(0, -1);
  // Digits glued to the last word (`lodash4`, `boto3`); the word keeps at least 3 characters and ends in a letter.
  let i = last.length;
  while (i > 0 && last.charCodeAt(i - 1) >= 48 && last.charCodeAt(i - 1) <= 57) i--;
  const digits = last.length - i;
  const word = last.slice(0, i);
  if (digits === 0 || digits > 4 || word.length < 3 || !/[a-z]$/.test(word)) return undefined;
  return [...tokens.slice(0, -1), word];
}
