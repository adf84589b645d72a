import type { PackageFacts, SignalContext, SignalOf, SimilarityMatch } from '../core/types.js';
import { isPublicNpmRegistry } from '../registry/public-npm.js';
import { day, num, REGISTRY_NAME } from '../reporters/wording.js';
import { defineSignal } from './define.js';
import { ageInDays } from './age.js';
import { FAMILY_CONFIDENCE, type FamilyMatch, hasScopeFamilies, hasWrapped } from '../similarity/index.js';
import { isHostPort, isTypesPair, siblingShape } from '../similarity/siblings.js';
import { ESTABLISHED_WEEKLY, popularEnough, WEAK_CONFIDENCE, WEAK_MATCH_MAX_WEEKLY } from '../similarity/popularity.js';

/**
 * Does the name imitate a popular package? The engine (src/similarity) finds the look-alike; this
 * signal applies the popularity-gap rule: a candidate with an audience of its own, or one within
 * an order of magnitude of the name it resembles, is a peer (`preact`/`react`), not a squat, and
 * stays silent. Unknown candidate downloads never exempt: a name that does not exist, or could not
 * be checked, is still reported, because its shape alone is the evidence. The ratio in the evidence
 * lets policy weigh the gap against `typoPopularityRatio`. Evidence: target, kind, confidence,
 * targetDownloads (PyPI: estimated from targetRank), candidateDownloads (null when unknown), ratio,
 * shape (a sibling shape, see similarity/siblings.ts: policy then weighs age and downloads).
 */
/** Resemblances of a name's structure (its words, affixes, scope) rather than its letters. */
const STRUCTURAL_KINDS = new Set(['affix', 'combosquat', 'word-order', 'scope-confusion', 'version-suffix']);

/**
 * Since its moniker rules (December 2017) npm refuses to create an unscoped name that equals an
 * existing one once dots, dashes and underscores are removed. So a punctuation twin of the target
 * (`foo-bar` next to `foobar`) that the public registry serves and that was first published after
 * the rule was created when its target did not exist yet: it is the older name, not an imitation
 * of it (`evidence.olderThanTarget: 'moniker-rule'`). Policy lets it warn at most. Before the rule,
 * either could be the copy.
 */
const MONIKER_RULE_SINCE = Date.parse('2018-01-01T00:00:00Z');

function olderPunctuationTwin(candidate: string, target: string, facts: PackageFacts): boolean {
  if (facts.status !== 'found' || candidate.startsWith('@') || target.startsWith('@') || !isPublicNpmRegistry(facts.registry)) return false;
  const created = facts.created ? Date.parse(facts.created) : NaN;
  if (!(created >= MONIKER_RULE_SINCE)) return false;
  const bare = (s: string) => s.toLowerCase().replace(/[-._]/g, '');
  return candidate.toLowerCase() !== target.toLowerCase() && bare(candidate) === bare(target);
}

export const typo = ({ ref, facts, popular, now, policy }: SignalContext): SignalOf<'typo'>[] => {
  // A name a private registry serves is not judged against the public lists.
  if (facts.privateRegistry) return [];
  // One source for both sides of the ratio: PyPI targets' counts are estimated from the bundled
  // list's ranks, so a ranked candidate is weighed by the same estimate, not by pypistats (whose
  // rate limits would otherwise make the verdict depend on timing). npm's list is a snapshot of the
  // same downloads API the registry count comes from.
  const ranked = ref.ecosystem === 'pypi' && facts.status === 'found' ? popular('pypi').popularity(ref.name)?.weeklyDownloads : undefined;
  const fromFacts = facts.status === 'found' ? (ranked ?? facts.weeklyDownloads) : undefined;
  // Established by the registry's own count: no need to open the index at all.
  if (fromFacts !== undefined && fromFacts >= ESTABLISHED_WEEKLY) return [];
  const index = popular(ref.ecosystem);
  // A name that does not exist (or no longer does) has no audience, whatever an old list says.
  const listed = facts.status === 'found' || facts.status === 'unverified';
  const candidateDownloads = listed ? (fromFacts ?? index.popularity(ref.name)?.weeklyDownloads ?? null) : null;
  if (candidateDownloads !== null && candidateDownloads >= ESTABLISHED_WEEKLY) return [];
  const lookalike = index.lookalike(ref.name);
  // npm: a name with no resemblance of its own may still be a scope family's package published
  // without its scope (`arm-foo` for `@azure/arm-*`). Weak evidence, so only asked where it could
  // matter: a published name without an audience (see WEAK_MATCH_MAX_WEEKLY) that is young or of
  // unknown age. Dependency-confusion packages are new; an old package without a resemblance of
  // its own is what most small dependencies of a lockfile are, and asking about each cost a scan
  // of the list per first word (~12% of a warm 1,000-package check).
  const age = ageInDays(facts.created, now);
  const family: FamilyMatch | undefined =
    ref.ecosystem === 'npm' && facts.status === 'found' && (!lookalike || lookalike.confidence < FAMILY_CONFIDENCE) &&
    (candidateDownloads === null || candidateDownloads < WEAK_MATCH_MAX_WEEKLY) && (age === undefined || age < policy.thresholds.typoYoungDays) &&
    hasScopeFamilies(index)
      ? index.scopeFamily(ref.name)
      : undefined;
  // PyPI: a popular name wrapped in words of its own (`<popular>-<anything>`) is how most PyPI
  // squats are named, and how many honest small projects are too. The name alone says little, so
  // it is asked only for a published name with no evidence against a squat: young (or of unknown
  // age) and without an audience. Old or adopted projects named this way are never asked about.
  const unadopted = (age === undefined || age < policy.thresholds.typoYoungDays) && (candidateDownloads === null || candidateDownloads < policy.thresholds.minWeeklyDownloads);
  const wrapped =
    !family && !lookalike && ref.ecosystem === 'pypi' && facts.status === 'found' && unadopted && hasWrapped(index) ? index.wrapped(ref.name) : undefined;
  const match: SimilarityMatch | undefined = family ?? lookalike ?? wrapped;
  if (!match) return [];
  // A package and its own type definitions are one project.
  if (isTypesPair(ref.name, match.target)) return [];
  // The same package for another host (one word swapped for another very popular package's name).
  if (isHostPort(ref.ecosystem, ref.name, match.target, (w) => index.popularity(w)?.weeklyDownloads)) return [];
  // A name that does not exist is blocked by not-found already, and one nobody could check is
  // unknown: a "did you mean" built from its words rather than its letters (`gone-pkg` -> `tone`:
  // affix dropped, then a letter changed) is then only noise, unless the resemblance is strong.
  // Letter-level near-misses (`numpyy`) stay.
  if (facts.status !== 'found' && match.confidence < WEAK_CONFIDENCE && STRUCTURAL_KINDS.has(match.kind)) return [];
  const targetDownloads = match.targetDownloads ?? null;
  if (popularEnough(candidateDownloads, targetDownloads, match.confidence)) return [];
  const signal: SignalOf<'typo'> = {
    code: 'typo',
    similarTo: match.target,
    kind: match.kind,
    strength: match.confidence,
    evidence: {
      target: match.target,
      kind: match.kind,
      confidence: match.confidence,
      targetDownloads,
      candidateDownloads,
      // One decimal is plenty for comparing against a threshold and keeps the JSON readable.
      ratio: targetDownloads !== null && candidateDownloads !== null ? Math.round((10 * targetDownloads) / Math.max(candidateDownloads, 1)) / 10 : null,
    },
  };
  if (ref.ecosystem === 'npm' && olderPunctuationTwin(ref.name, match.target, facts)) signal.evidence.olderThanTarget = 'moniker-rule';
  const shape = siblingShape(ref.ecosystem, ref.name, match.target, match.kind);
  if (shape) signal.evidence.shape = shape;
  if (family) {
    // The scoped name is a guess the list may not hold: say which family it comes from.
    signal.evidence.familyScope = family.family.scope;
    signal.evidence.familyWord = family.family.word;
    signal.evidence.familyMembers = family.family.members;
    if (family.family.via !== undefined) signal.evidence.familyVia = family.family.via;
  }
  // PyPI counts are estimated from the download rank: give the rank too, so wording can say so.
  const rank = ref.ecosystem === 'pypi' ? index.popularity(match.target)?.rank : undefined;
  if (rank !== undefined) signal.evidence.targetRank = rank;
  return [signal];
};

/** How each kind of resemblance reads in a sentence. */
const KIND_WORDS: Record<string, string> = {
  'omitted-char': 'a character left out',
  'repeated-char': 'a character doubled',
  'swapped-chars': 'two characters swapped',
  'substituted-char': 'one character changed',
  'keyboard-neighbour': 'a neighbouring key',
  lookalike: 'look-alike characters',
  separator: 'different separators',
  'word-order': 'words reordered',
  affix: 'a prefix or suffix added',
  'scope-confusion': 'the scope dropped or changed',
  'version-suffix': 'a version number added',
  combosquat: 'a word added to a popular name',
  normalisation: 'the same name once normalised',
  'edit-distance': 'a near-identical spelling',
};

/** The typo signal: `typo` above asks the question; this is its severity, sentence and rule. */
export const typoSignal = defineSignal({
  code: 'typo',
  // Policy downgrades a typo to `warn` when evidence clears the package (age with sustained
  // downloads, a small popularity gap, a sibling shape), see policy/verdict.ts.
  severity: 'block',
  evaluate: typo,
  wording: ({ name, ecosystem, signal: s }) => {
    const ev = s.evidence;
    // A scope family's package with the scope dropped: the scoped name is inferred, not listed.
    if (typeof ev.familyScope === 'string' && typeof ev.familyVia === 'string') {
      return `\`${name}\` looks like a package of the npm scope \`@${ev.familyScope}\` published without its scope (\`${ev.familyWord}\` is that scope's word: \`${ev.familyVia}\`, and no other popular package uses it); did you mean \`${s.similarTo}\`?`;
    }
    if (typeof ev.familyScope === 'string') {
      return `\`${name}\` looks like a package of the npm scope \`@${ev.familyScope}\` published without its scope (${num(ev.familyMembers)} popular packages there are named \`${ev.familyWord}-…\`); did you mean \`${s.similarTo}\`?`;
    }
    const how = KIND_WORDS[s.kind ?? ''] ?? 'a similar spelling';
    // PyPI publishes no download counts in our data, only ranks: say the rank, not an estimate.
    const gap =
      typeof ev.targetRank === 'number'
        ? ` (#${num(ev.targetRank)} by downloads on PyPI)`
        : typeof ev.targetDownloads === 'number'
          ? ` (${num(ev.targetDownloads)} weekly downloads${typeof ev.candidateDownloads === 'number' ? ` vs ${num(ev.candidateDownloads)}` : ''})`
          : '';
    // Evidence that cleared a block (policy/verdict.ts): say it, so the warning explains itself.
    const owner =
      typeof ev.sharedOwner === 'string'
        ? ecosystem === 'npm'
          ? ` (published by ${ev.sharedOwner}, who also maintains \`${s.similarTo}\`)`
          : ev.sharedOwner.startsWith('org:')
            ? ` (both belong to the PyPI organization ${ev.sharedOwner.slice(4)})`
            : ` (${ev.sharedOwner} maintains both)`
        : ev.olderThanTarget === 'moniker-rule'
          ? ` (it is the older name: npm refuses a name that differs from an existing one only in punctuation)`
          : ev.olderThanTarget === 'created'
            ? ` (it is the older name: first published before \`${s.similarTo}\`${typeof ev.targetCreated === 'string' ? `, which dates from ${day(ev.targetCreated)}` : ''})`
            : '';
    return `\`${name}\` looks like the popular ${REGISTRY_NAME[ecosystem]} package \`${s.similarTo}\`${gap}: ${how}${owner}; did you mean \`${s.similarTo}\`?`;
  },
  // Established (no question at all), the weak-match ceiling, adoption (policy/verdict.ts) and
  // the unadopted line of the PyPI wrapped-name rule; the peer ratio only matters below the first.
  downloadThresholds: (policy) => [ESTABLISHED_WEEKLY, WEAK_MATCH_MAX_WEEKLY, policy.thresholds.typoAdoptedWeekly, policy.thresholds.minWeeklyDownloads],
  rule: {
    name: 'TypoOfPopularPackage',
    short: 'The name imitates a popular package',
    help: 'The name is a near-miss of a much more popular package (a typo, a look-alike character, a changed separator or an added word). Use the popular name unless you really mean this one.',
  },
});
