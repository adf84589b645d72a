/**
 * Names the single edit that turns a popular name's key into a candidate's key. The deletion
 * neighbourhood only says two keys may be one edit apart; this confirms it and says how.
 */
import type { TypoKind } from '../core/types.js';
import { keyboardNeighbours, visuallySimilar } from './keyboard.js';

/** The kinds a single edit can have. */
export type EditKind = Extract<
  TypoKind,
  'omitted-char' | 'repeated-char' | 'swapped-chars' | 'substituted-char' | 'keyboard-neighbour' | 'lookalike' | 'edit-distance'
>;

/**
 * How candidate `q` differs from target `t` by one edit (insertion, deletion, substitution or
 * adjacent transposition), or undefined when they are equal or further apart.
 */
export function singleEdit(q: string, t: string): EditKind | undefined {
  const lq = q.length;
  const lt = t.length;
  if (Math.abs(lq - lt) > 1 || q === t) return undefined;
  let p = 0;
  while (p < lq && p < lt && q.charCodeAt(p) === t.charCodeAt(p)) p++;
  // The common suffix may not overlap the common prefix.
  const maxS = Math.min(lq, lt) - p;
  let s = 0;
  while (s < maxS && q.charCodeAt(lq - 1 - s) === t.charCodeAt(lt - 1 - s)) s++;
  const dq = lq - p - s; // characters of q not shared
  const dt = lt - p - s;
  if (dq === 0 && dt === 1) return 'omitted-char';
  if (dq === 1 && dt === 0) {
    const c = q[p]!;
    if (q[p - 1] === c || q[p + 1] === c) return 'repeated-char';
    if ((p > 0 && keyboardNeighbours(c, q[p - 1]!)) || (p + 1 < lq && keyboardNeighbours(c, q[p + 1]!))) return 'keyboard-neighbour';
    return 'edit-distance';
  }
  if (dq === 1 && dt === 1) {
    const a = q[p]!;
    const b = t[p]!;
    if (visuallySimilar(a, b)) return 'lookalike';
    if (keyboardNeighbours(a, b)) return 'keyboard-neighbour';
    return 'substituted-char';
  }
  if (dq === 2 && dt === 2 && q[p] === t[p + 1] && q[p + 1] === t[p]) return 'swapped-chars';
  return undefined;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), or `max + 1` as
 * soon as it must exceed `max`. Used to confirm two-edit candidates the index suggested; plain
 * Levenshtein would count a swap as two edits and miss "one swap and one typo".
 */
export function osaDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  // Three rows reused across calls: the engine confirms many candidates per lookup.
  if (rowA.length < lb + 1) {
    rowA = new Int32Array(lb + 1);
    rowB = new Int32Array(lb + 1);
    rowC = new Int32Array(lb + 1);
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= lb; j++) {
    prev2[j] = 0;
    prev[j] = j;
    cur[j] = 0;
  }
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    const pa = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && pa === cb) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[lb]!, max + 1);
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
