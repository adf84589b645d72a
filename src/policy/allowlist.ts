import type { AllowEntry, Ecosystem, Policy } from '../core/types.js';
import { normalizePypiName } from '../core/names.js';

/** An allowlist entry that still applies, or one whose `until` date has passed. */
export interface AllowMatch {
  entry: AllowEntry;
  expired: boolean;
}

/** `@corp/*`, `internal-*`: `*` matches any run of characters; everything else is literal. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

const key = (eco: Ecosystem, name: string) => (eco === 'pypi' ? normalizePypiName(name) : name);

/** True when an entry's `until` day is before today (the day itself still counts). */
export function isExpired(entry: AllowEntry, now: Date): boolean {
  return entry.until !== undefined && entry.until < now.toISOString().slice(0, 10);
}

/** The first entry naming this package; expired entries are returned (to be reported) but flagged. */
export function findAllowEntry(policy: Policy, ecosystem: Ecosystem, name: string, now: Date): AllowMatch | undefined {
  const wanted = key(ecosystem, name);
  let expiredMatch: AllowMatch | undefined;
  for (const entry of policy.allow[ecosystem]) {
    const pattern = key(ecosystem, entry.name);
    const hit = pattern.includes('*') ? globToRegExp(pattern).test(wanted) : pattern === wanted;
    if (!hit) continue;
    if (!isExpired(entry, now)) return { entry, expired: false };
    expiredMatch ??= { entry, expired: true };
  }
  return expiredMatch;
}

/** Every entry past its date, for the report. */
export function expiredEntries(policy: Policy, now: Date): Array<AllowEntry & { ecosystem: Ecosystem }> {
  return (['npm', 'pypi'] as const).flatMap((ecosystem) =>
    policy.allow[ecosystem].filter((e) => isExpired(e, now)).map((e) => ({ ...e, ecosystem })),
  );
}
