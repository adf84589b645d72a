import type { FindingCode, Policy, SeveritySetting } from '../core/types.js';
import type { AnySignalDefinition, RuleText } from './define.js';
import { allowlisted } from './allowlisted.js';
import { deprecated } from './deprecated.js';
import { installScript } from './install-script.js';
import { lowDownloads } from './low-downloads.js';
import { noRepository } from './no-repository.js';
import { notFound } from './not-found.js';
import { otherEcosystem } from './other-ecosystem.js';
import { securityHolder } from './security-holder.js';
import { suspiciousName } from './suspicious-name.js';
import { tooNew } from './too-new.js';
import { typoSignal } from './typo.js';
import { unpublished } from './unpublished.js';
import { unverified } from './unverified.js';
import { yanked } from './yanked.js';

/**
 * Every signal, one question each, one line each. The order is the order findings are reported
 * in. A test checks that every finding code has exactly one definition here.
 */
export const SIGNALS: readonly AnySignalDefinition[] = [
  unverified,
  notFound,
  unpublished,
  securityHolder,
  typoSignal,
  otherEcosystem,
  suspiciousName,
  tooNew,
  lowDownloads,
  deprecated,
  yanked,
  installScript,
  noRepository,
  allowlisted,
];

/** A code's definition. */
export const SIGNAL_BY_CODE = new Map<FindingCode, AnySignalDefinition>(SIGNALS.map((s) => [s.code, s]));

/** Each code's default severity, as its definition states it (policy/defaults.ts). */
export function defaultSeverities(): Record<FindingCode, SeveritySetting> {
  return Object.fromEntries(SIGNALS.map((s) => [s.code, s.severity])) as Record<FindingCode, SeveritySetting>;
}

/** Each code's rule text (SARIF rules, docs). */
export function ruleTexts(): Record<FindingCode, RuleText> {
  return Object.fromEntries(SIGNALS.map((s) => [s.code, s.rule])) as Record<FindingCode, RuleText>;
}

/** Every weekly-download count some signal compares against under `policy` (for the fetch plan). */
export function downloadThresholds(policy: Policy): number[] {
  return SIGNALS.flatMap((s) => [...(s.downloadThresholds?.(policy) ?? [])]);
}
