/**
 * Name shapes that honest packages share with popular ones as often as squats do: a package and
 * its own type definitions, word-order twins, platform builds and numbered series, `name2`
 * successors, `python-x` / `py-x` wrappers, and 3-4 letter names where one edit reaches dozens of
 * real packages. On these the name alone is weak evidence, so policy decides them by age and
 * downloads (src/policy/verdict.ts) instead of blocking on the spelling.
 */
import type { Ecosystem, TypoKind } from '../core/types.js';
import { canonicalName, tokensOf } from './forms.js';

/** The sibling shapes, as found in a typo finding's `evidence.shape`. */
export const SIBLING_SHAPES = ['word-order', 'numbered', 'successor', 'python-prefix', 'short-name'] as const;
/** One of `SIBLING_SHAPES`. */
export type SiblingShape = (typeof SIBLING_SHAPES)[number];

/** A name of at most this many letters is "short": one edit of it reaches many real packages. */
export const SHORT_NAME_MAX = 4;

/**
 * `@types/x` is the type definitions of `x` (scoped `@s/x` has `@types/s__x`); the pair is one
 * project, never a squat of each other, in either direction.
 */
export function isTypesPair(a: string, b: string): boolean {
  return typesTarget(a) === b.toLowerCase() || typesTarget(b) === a.toLowerCase();
}

/** The package `@types/<name>` describes, or undefined for any other name. */
function typesTarget(name: string): string | undefined {
  const m = /^@types\/(.+)$/i.exec(name);
  if (!m) return undefined;
  const bare = m[1]!.toLowerCase();
  const scoped = /^([^_]+)__(.+)$/.exec(bare);
  return scoped ? `@${scoped[1]}/${scoped[2]}` : bare;
}

/**
 * A word this popular as a package of its own (`preact`, `react`: about 1,400 one-word npm names
 * reach it) names a host, not a misspelling. Measured on ../shared/eval: the words real squats swap in are at most
 * ~150,000 a week (`colour` for `color`), and none swaps one such host for another.
 */
export const HOST_WORD_WEEKLY = 1_000_000;

/**
 * Two names that differ in one word only, where both words are themselves very popular packages
 * (`preact-side-effect` next to `react-side-effect`): the same idea for two hosts, named the way npm
 * and PyPI name most packages, not an imitation of one by the other.
 */
export function isHostPort(ecosystem: Ecosystem, candidate: string, target: string, weeklyOf: (name: string) => number | undefined): boolean {
  const ct = tokensOf(canonicalName(ecosystem, candidate).replace(/^@[^/]+\//, ''));
  const tt = tokensOf(canonicalName(ecosystem, target).replace(/^@[^/]+\//, ''));
  if (ct.length < 2 || ct.length !== tt.length) return false;
  const diff = ct.flatMap((w, i) => (w === tt[i] ? [] : [[w, tt[i]!] as const]));
  if (diff.length !== 1) return false;
  const [cw, tw] = diff[0]!;
  return (weeklyOf(cw) ?? 0) >= HOST_WORD_WEEKLY && (weeklyOf(tw) ?? 0) >= HOST_WORD_WEEKLY;
}

// Platform words: `…-linux-32` and `…-win32-x64` differ from their siblings only in these.
const PLATFORM_WORDS = new Set([
  'linux', 'darwin', 'macos', 'osx', 'win', 'win32', 'windows', 'freebsd', 'android', 'ios', 'musl', 'gnu', 'glibc',
  'x64', 'x86', 'ia32', 'arm', 'arm64', 'armv7', 'aarch64', 'amd64', 'i386', 'i686', 'ppc64', 'ppc64le', 's390x', 'riscv64', 'universal', 'wasm', 'wasm32',
]);

/** Tokens with the digits and platform words taken out (what a series or a platform build shares). */
function stem(tokens: readonly string[]): string {
  return tokens
    .filter((t) => !PLATFORM_WORDS.has(t))
    .map((t) => t.replace(/\d+/g, '#'))
    .join('-');
}

/**
 * The sibling shape of `candidate` next to its look-alike `target`, or undefined for an ordinary
 * misspelling. Checked on the names themselves, so it holds whatever kind the engine reported.
 */
export function siblingShape(ecosystem: Ecosystem, candidate: string, target: string, kind: TypoKind): SiblingShape | undefined {
  const c = canonicalName(ecosystem, candidate).replace(/^@[^/]+\//, '');
  const t = canonicalName(ecosystem, target).replace(/^@[^/]+\//, '');
  // The same bare name with and without a scope (`x` next to `@s/x`) is the classic
  // dependency-confusion shape, not a sibling's: no leniency for it.
  if (c === t) return undefined;
  const ct = tokensOf(c);
  const tt = tokensOf(t);
  if (kind === 'word-order' || (ct.length > 1 && ct.length === tt.length && [...ct].sort().join('-') === [...tt].sort().join('-'))) return 'word-order';
  // `name2` / `name-3` after `name`: a successor, or the predecessor of one.
  const trail = /^(.*?)[-_.]?\d+$/;
  const cBase = trail.exec(c)?.[1];
  const tBase = trail.exec(t)?.[1];
  if ((cBase && cBase === t) || (tBase && tBase === c)) return 'successor';
  if (stem(ct) === stem(tt) && c !== t && (/\d/.test(c + t) || ct.some((x) => PLATFORM_WORDS.has(x)) || tt.some((x) => PLATFORM_WORDS.has(x)))) return 'numbered';
  if (ecosystem === 'pypi') {
    const strip = (s: string) => s.replace(/^(python|py)-?/, '');
    if ((/^(python|py)-?/.test(c) || /^(python|py)-?/.test(t)) && strip(c) === strip(t)) return 'python-prefix';
  }
  if (c.replace(/[-_.]/g, '').length <= SHORT_NAME_MAX) return 'short-name';
  return undefined;
}
