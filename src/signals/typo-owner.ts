import type { PackageFacts, Resolver, Signal, SignalContext } from '../core/types.js';
import { severityOf } from '../policy/verdict.js';

/**
 * Identity evidence for a look-alike: is it published by someone who maintains the package it
 * resembles? Then it is a sibling (`foo-lite` by `foo`'s author), not a squat, and policy lets it
 * warn at most (src/policy/verdict.ts).
 *
 * What counts, and why (see ../shared/research/registry-reference.md):
 * - the candidate's publisher (`_npmUser` of its latest version) is written by the registry from
 *   the publishing token, so a squatter cannot claim another account's name;
 * - that account must also be among the candidate's own maintainers: with trusted publishing the
 *   publisher can be a CI identity shared by unrelated packages, which no maintainer list holds;
 * - and among the target's maintainers, which only the target's owners set.
 * The candidate's own maintainer list alone proves nothing (`npm owner add` needs no consent from
 * the account added), nor does a repository URL (anyone can copy it), so neither is compared.
 * PyPI's JSON API names no publisher per release; nothing is claimed there.
 */
export function sharedOwner(candidate: PackageFacts, target: PackageFacts): string | undefined {
  if (candidate.ecosystem !== 'npm' || target.ecosystem !== 'npm' || candidate.status !== 'found' || target.status !== 'found') return undefined;
  // A private registry's accounts are not npm's: the same name there is a different person.
  if (candidate.privateRegistry || target.privateRegistry || candidate.registry !== target.registry) return undefined;
  const publisher = candidate.publisher;
  if (!publisher || !candidate.maintainers?.includes(publisher)) return undefined;
  return target.maintainers?.includes(publisher) ? publisher : undefined;
}

/**
 * Adds `evidence.sharedOwner` to a typo signal that would block, when the target's packument shows
 * the candidate's publisher among its maintainers. One registry request per such look-alike (rare:
 * most names resemble nothing). A target that cannot be read adds nothing: missing evidence never
 * clears a name. Only npm is asked (see sharedOwner).
 */
export async function addOwnerEvidence(signals: readonly Signal[], ctx: SignalContext, resolver: Pick<Resolver, 'resolve'>): Promise<void> {
  const { facts } = ctx;
  if (ctx.ref.ecosystem !== 'npm' || !facts.publisher || !facts.maintainers?.length) return;
  const s = signals.find((x) => x.code === 'typo' && x.similarTo !== undefined);
  if (!s || severityOf(s, ctx) !== 'block') return;
  // A scope family's target is a guess at a name the list does not hold: nothing to look up.
  if (typeof s.evidence.familyScope === 'string') return;
  let target: PackageFacts;
  try {
    target = await resolver.resolve('npm', s.similarTo!, { metadata: true, downloads: false });
  } catch {
    return;
  }
  const owner = sharedOwner(facts, target);
  if (owner) s.evidence.sharedOwner = owner;
}
