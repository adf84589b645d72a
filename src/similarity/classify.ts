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
