import type { PackageResult, Summary } from './types.js';

/** A report's summary line as data: how many packages, and how many of each verdict. */
export function summarize(packages: readonly Pick<PackageResult, 'verdict'>[]): Summary {
  const s: Summary = { checked: packages.length, ok: 0, warn: 0, block: 0, unknown: 0 };
  for (const p of packages) s[p.verdict]++;
  return s;
}
