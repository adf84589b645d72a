/**
 * What "tighter" means, field by field: the one table the trust model uses to let an untrusted
 * project config (or anything below a locked system config) tighten the policy but never
 * loosen it. A field whose value is not tighter than the reference is not applied; it is
 * reported (as data: `field: value (looser than reference)`) so the user can see what was
 * ignored and trust the source if they mean it.
 */
import type { Ecosystem, FindingCode, Policy, SeveritySetting, Thresholds } from '../core/types.js';
import type { ConfigFile } from './config-file.js';

/** Which way a threshold moves to catch more. */
export type Tighter = 'higher' | 'lower';

/**
 * Per threshold, the direction that makes slopguard stricter:
 * - minAgeDays higher: more packages count as too new;
 * - minWeeklyDownloads higher: more count as little used;
 * - typoPopularityRatio lower: a smaller popularity gap already blocks a look-alike;
 * - typoYoungDays higher: look-alikes stay "young" (blocking) for longer;
 * - installScriptMaxAgeDays higher / installScriptMinWeeklyDownloads higher: install scripts
 *   are reported on more packages;
 * - typoAdoptedWeekly higher: a look-alike needs a larger audience before it only warns;
 * - typoEstablishedDays higher: a sibling-shaped look-alike must be older before it only warns.
 */
export const THRESHOLD_TIGHTER: Readonly<Record<keyof Thresholds, Tighter>> = {
  minAgeDays: 'higher',
  minWeeklyDownloads: 'higher',
  typoPopularityRatio: 'lower',
  typoYoungDays: 'higher',
  installScriptMaxAgeDays: 'higher',
  installScriptMinWeeklyDownloads: 'higher',
  typoAdoptedWeekly: 'higher',
  typoEstablishedDays: 'higher',
};

/** Severity rank: off < info < warn < block; a higher rank is tighter. */
export const SEVERITY_RANK: Readonly<Record<SeveritySetting, number>> = { off: 0, info: 1, warn: 2, block: 3 };

/** failOn rank: failing on `warn` is tighter than failing on `block` only. */
export const FAIL_ON_RANK: Readonly<Record<Policy['failOn'], number>> = { block: 0, warn: 1 };

/**
 * The policy keys this table can compare. Any other key (a network timeout, which holds a hook
 * when longer and turns lookups into "could not check" when shorter; a cache URL; whatever is
 * added next) is not policy: an untrusted project config cannot set it at all, and a trusted
 * source keeps it under a locked system policy. Unknown means untrusted, so a new setting is
 * safe before anyone thinks about it here.
 */
export const POLICY_KEYS = ['failOn', 'failClosed', 'thresholds', 'severities', 'allow', 'mode'] as const satisfies ReadonlyArray<keyof ConfigFile>;

/** The part of a layer that may be applied, and what was not, worded as `field: value (why)`. */
export interface Guarded {
  applied: ConfigFile;
  ignored: string[];
}

const show = (v: unknown) => JSON.stringify(v);

function thresholdTighter(field: keyof Thresholds, value: number, ref: number): boolean {
  return THRESHOLD_TIGHTER[field] === 'higher' ? value >= ref : value <= ref;
}

/**
 * Keep only what makes `layer` at least as strict as `ref` (equal values pass: they change
 * nothing). Everything else is listed in `ignored`. Keys outside {@link POLICY_KEYS} are kept
 * for a trusted source (`untrusted: false`, under a locked system policy) and ignored otherwise.
 */
export function tightenOnly(layer: ConfigFile, ref: Policy, untrusted = true): Guarded {
  const applied: ConfigFile = {};
  const ignored: string[] = [];
  if (layer.failOn !== undefined) {
    if (FAIL_ON_RANK[layer.failOn] >= FAIL_ON_RANK[ref.failOn]) applied.failOn = layer.failOn;
    else ignored.push(`failOn: ${show(layer.failOn)} (looser than ${show(ref.failOn)})`);
  }
  if (layer.failClosed !== undefined) {
    if (layer.failClosed || !ref.failClosed) applied.failClosed = layer.failClosed;
    else ignored.push('failClosed: false (looser than true)');
  }
  // Monitor mode refuses nothing: turning it on loosens, turning it off (enforce) tightens.
  if (layer.mode !== undefined) {
    if (layer.mode === 'enforce' || (ref.mode ?? 'enforce') === 'monitor') applied.mode = layer.mode;
    else ignored.push(`mode: ${show(layer.mode)} (looser than ${show(ref.mode ?? 'enforce')})`);
  }
  for (const [field, value] of Object.entries(layer.thresholds ?? {}) as Array<[keyof Thresholds, number]>) {
    if (value === undefined) continue;
    if (thresholdTighter(field, value, ref.thresholds[field])) (applied.thresholds ??= {})[field] = value;
    else ignored.push(`thresholds.${field}: ${value} (looser than ${ref.thresholds[field]})`);
  }
  for (const [code, value] of Object.entries(layer.severities ?? {}) as Array<[FindingCode, SeveritySetting]>) {
    if (value === undefined) continue;
    if (SEVERITY_RANK[value] >= SEVERITY_RANK[ref.severities[code]]) (applied.severities ??= {})[code] = value;
    else ignored.push(`severities.${code}: ${show(value)} (looser than ${show(ref.severities[code])})`);
  }
  for (const eco of ['npm', 'pypi'] as Ecosystem[]) {
    const entries = layer.allow?.[eco] ?? [];
    if (entries.length) ignored.push(`allow.${eco}: ${entries.map((e) => e.name).join(', ')}`);
  }
  for (const [key, value] of Object.entries(layer) as Array<[keyof ConfigFile, unknown]>) {
    if ((POLICY_KEYS as readonly string[]).includes(key) || key === 'locked' || value === undefined) continue;
    if (untrusted) ignored.push(`${key}: ${show(value)}`);
    else (applied as Record<string, unknown>)[key] = value;
  }
  return { applied, ignored };
}

/** Apply a (guarded) layer over a policy: later layers win, their allow entries come first. */
export function applyLayer(policy: Policy, layer: ConfigFile): Policy {
  return {
    thresholds: { ...policy.thresholds, ...layer.thresholds },
    severities: { ...policy.severities, ...layer.severities },
    failOn: layer.failOn ?? policy.failOn,
    failClosed: layer.failClosed ?? policy.failClosed,
    ...(layer.mode ?? policy.mode ? { mode: layer.mode ?? policy.mode } : {}),
    allow: {
      // Entries from a later (more specific) layer first, so their reason is the one reported.
      npm: [...(layer.allow?.npm ?? []), ...policy.allow.npm],
      pypi: [...(layer.allow?.pypi ?? []), ...policy.allow.pypi],
    },
  };
}
