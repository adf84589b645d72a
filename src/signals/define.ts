import type { Ecosystem, FindingCode, Policy, SeveritySetting, SignalContext, SignalOf } from '../core/types.js';

/** What a finding code means and what to do about it: SARIF rules, docs, help. */
export interface RuleText {
  /** PascalCase rule name (SARIF `name`). */
  name: string;
  short: string;
  help: string;
}

/** What a signal's wording is given: the package, and the signal with its typed evidence. */
export interface WordingInput<C extends FindingCode> {
  name: string;
  ecosystem: Ecosystem;
  signal: SignalOf<C>;
}

/**
 * Everything slopguard knows about one finding code, in the signal's own file: the question
 * (`evaluate`, a pure function of the context), its default severity (policy/defaults.ts reads
 * it; config and flags override it), its sentence and its rule text. Adding a signal is its file,
 * its line in signals/index.ts and its code and evidence in the public contract (core/types.ts:
 * FINDING_CODES and EvidenceByCode); the compiler refuses a definition whose evidence does not
 * match its code, and a test refuses a code without a definition.
 */
export interface SignalDefinition<C extends FindingCode> {
  readonly code: C;
  readonly severity: SeveritySetting;
  /** The findings of this code for one package; `[]` when the question has nothing to say. */
  readonly evaluate: (ctx: SignalContext) => SignalOf<C>[];
  /** One sentence a person or an agent can act on. */
  readonly wording: (input: WordingInput<C>) => string;
  readonly rule: RuleText;
  /**
   * The weekly-download counts at which this signal's answer can change, under a policy. The
   * fetch plan (registry/fetch-plan.ts) takes a name's count from the bundled list only far above
   * all of them, so a signal that compares against a new count must name it here.
   */
  readonly downloadThresholds?: (policy: Policy) => readonly number[];
}

/** Any signal definition (the registry's element type). */
export type AnySignalDefinition = { [C in FindingCode]: SignalDefinition<C> }[FindingCode];

/** Declare a signal (an identity function that lets the compiler tie evidence to the code). */
export function defineSignal<C extends FindingCode>(definition: SignalDefinition<C>): SignalDefinition<C> {
  return definition;
}
