/**
 * Which characters a finger slips between (QWERTY) and which a reader mistakes for each other.
 * QWERTY only: it is what most developers type on, and other layouts would mostly add noise.
 */

// Row strings and their horizontal stagger in key widths, as on a physical keyboard.
const ROWS: ReadonlyArray<[string, number]> = [
  ['1234567890-', 0],
  ['qwertyuiop', 0.5],
  ['asdfghjkl', 0.75],
  ['zxcvbnm', 1.25],
];

const POSITION = new Map<string, { row: number; x: number }>();
ROWS.forEach(([keys, offset], row) => [...keys].forEach((k, i) => POSITION.set(k, { row, x: i + offset })));

/** True when `a` and `b` are different keys that touch on a QWERTY keyboard. */
export function keyboardNeighbours(a: string, b: string): boolean {
  const p = POSITION.get(a);
  const q = POSITION.get(b);
  if (!p || !q || a === b) return false;
  const dy = Math.abs(p.row - q.row);
  const dx = Math.abs(p.x - q.x);
  return (dy === 0 && dx === 1) || (dy === 1 && dx <= 0.75);
}

// Single characters a reader confuses at a glance, including the digits used as letters.
// (The multi-character look-alikes `rn`/`m`, `vv`/`w` and `0`/`o`, `1`/`l` fold in forms.skeleton.)
const VISUAL_PAIRS = ['il', 'ij', 'uv', 'vy', 'ce', 'gq', 'bd', 'pq', 'oa', 'nh', 's5', 'e3', 'a4', 'b8', 'g9', 'z2', 't7', 'b6', 'lt'];
const VISUAL = new Set(VISUAL_PAIRS.flatMap((p) => [p, p[1]! + p[0]!]));

/** True when `a` and `b` are single characters that look alike. */
export function visuallySimilar(a: string, b: string): boolean {
  return VISUAL.has(a + b);
}
