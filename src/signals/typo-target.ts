import type { PackageFacts, Resolver, Signal, SignalContext, SignalOf } from '../core/types.js';
import { severityOf } from '../policy/verdict.js';
import { ageInDays } from './age.js';

/**
 * Identity evidence for a look-alike: is it kept by someone who keeps the package it resembles?
 * Then it is a sibling (`foo-lite` by `foo`'s author), not a squat, and policy lets it warn at most
 * (src/policy/verdict.ts). What counts, and why (see ../shared/research/registry-reference.md):
 *
 * npm: the candidate's publisher (`_npmUser` of its latest version), which the registry writes
 * from the publishing token, so a squatter cannot claim another account's name; it must also be
 * among the candidate's own maintainers (with trusted publishing the publisher can be a CI
 * identity shared by unrelated packages, which no maintainer list holds) and among the target's,
 * which only the target's owners set. The candidate's maintainer list alone proves nothing: `npm
 * owner add` needs no consent from the account added.
 *
 * PyPI: a role holder or organization the two projects share (`ownership`): a role is held only
 * once the invited account accepts it, and only an organization's owners add projects to it.
 *
 * A repository URL is never compared: anyone can copy it.
 */
export function sharedOwner(candidate: PackageFacts, target: PackageFacts): string | undefined {
  if (candidate.ecosystem !== target.ecosystem || candidate.status !== 'found' || target.status !== 'found') return undefined;
  // A private registry's accounts are not the public one's: the same name there is another person.
  if (candidate.privateRegistry || target.privateRegistry || candidate.registry !== target.registry) return undefined;
  if (candidate.ecosystem === 'pypi') return candidate.maintainers?.find((m) => target.maintainers?.includes(m));
  const publisher = candidate.publisher;
  if (!publisher || !candidate.maintainers?.includes(publisher)) return undefined;
  return target.maintainers?.includes(publisher) ? publisher : undefined;
}

/**
 * Whether the candidate was first published before its target: then it cannot imitate it (nobody
 * squats a name that does not exist yet). Both dates are the registries' own (npm `time.created`,
 * PyPI's earliest upload); a missing one proves nothing.
 */
export function olderThan(candidate: PackageFacts, target: PackageFacts): boolean {
  if (candidate.status !== 'found' || target.status !== 'found' || candidate.ecosystem !== target.ecosystem) return false;
  const c = candidate.created ? Date.parse(candidate.created) : NaN;
  const t = target.created ? Date.parse(target.created) : NaN;
  return c < t;
}

/** How long the target's document may take: past it, the block stands (missing evidence). */
export const TARGET_LOOKUP_MS = 5_000;

/**
 * Reads the target of a typo signal that would block and adds what it proves: `sharedOwner` (see
 * sharedOwner) and `olderThanTarget` (the candidate was first
 * published before the target). One registry request per such look-alike (rare: most names
 * resemble nothing, and most look-alikes that do only warn). A target that cannot be read adds
 * nothing: missing evidence never clears a name.
 */
export async function addTargetEvidence(signals: readonly Signal[], ctx: SignalContext, resolver: Pick<Resolver, 'resolve'>, timeoutMs = TARGET_LOOKUP_MS): Promise<void> {
  const { facts } = ctx;
  if (facts.status !== 'found' || facts.privateRegistry) return;
  const s = signals.find((x): x is SignalOf<'typo'> => x.code === 'typo' && x.similarTo !== undefined);
  if (!s || severityOf(s, ctx) !== 'block') return;
  // A scope family's target is a guess at a name the list does not hold: nothing to look up.
  if (typeof s.evidence.familyScope === 'string') return;
  // Ask only where the target could change the verdict: a publisher to compare, or a look-alike
  // old enough to predate a popular target (a young one does not: popular names are older).
  const age = ageInDays(facts.created, ctx.now);
  const identity = (facts.ecosystem === 'pypi' || !!facts.publisher) && !!facts.maintainers?.length;
  if (!identity && !(age !== undefined && age >= ctx.policy.thresholds.typoYoungDays)) return;
  let target: PackageFacts | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    // The evidence can only soften a block: not worth more of a hook's budget than this.
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    target = await Promise.race([resolver.resolve(ctx.ref.ecosystem, s.similarTo!, { metadata: true, downloads: false }), late]);
  } catch {
    return;
  } finally {
    clearTimeout(timer);
  }
  if (!target) return;
  const owner = sharedOwner(facts, target);
  if (owner) s.evidence.sharedOwner = owner;
  if (olderThan(facts, target) && s.evidence.olderThanTarget === undefined) {
    s.evidence.olderThanTarget = 'created';
    s.evidence.targetCreated = target.created!;
  }
}
