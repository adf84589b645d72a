/**
 * check() under a wall-clock budget. An agent waits for its hook; a slow registry must not stall
 * it. When the budget runs out, every package not yet judged is reported `unverified` (and the
 * user's --on-unverified choice applies), never `ok`.
 */
import { check, type CheckOptions } from '../core/check.js';
import { packageKey } from '../core/names.js';
import type { Finding, PackageRef, PackageResult, Report, Signal } from '../core/types.js';
import { DEFAULT_POLICY } from '../policy/defaults.js';
import { verdictOf } from '../policy/verdict.js';
import { messageFor } from '../reporters/messages.js';
import { openResolver } from '../core/open-resolver.js';

/** Default seconds a hook may spend checking before it answers without the registry. */
export const DEFAULT_HOOK_BUDGET_S = 10;

function outOfTime(refs: readonly PackageRef[], options: CheckOptions, budgetMs: number): Report {
  const policy = options.policy ?? DEFAULT_POLICY;
  const seen = new Map<string, PackageResult>();
  for (const ref of refs) {
    if ((ref.source ?? 'registry') !== 'registry') continue;
    const key = packageKey(ref.ecosystem, ref.name);
    const existing = seen.get(key);
    if (existing) {
      if (ref.origin) existing.origins.push(ref.origin);
      continue;
    }
    const signal: Signal = { code: 'unverified', evidence: { error: `no answer within the ${budgetMs / 1000} s time budget` } };
    const finding: Finding = {
      code: 'unverified',
      severity: policy.failClosed ? 'block' : 'unknown',
      message: messageFor(signal, ref.ecosystem, ref.name),
      evidence: signal.evidence,
    };
    seen.set(key, { ecosystem: ref.ecosystem, name: ref.name, verdict: verdictOf([finding]), findings: [finding], origins: ref.origin ? [ref.origin] : [] });
  }
  const packages = [...seen.values()];
  return {
    schemaVersion: 1,
    summary: { checked: packages.length, ok: 0, warn: 0, block: policy.failClosed ? packages.length : 0, unknown: policy.failClosed ? 0 : packages.length },
    packages,
    notes: [...(options.notes ?? [])],
  };
}

/**
 * Run check() with each network request bounded by the budget too, and answer with an
 * all-unverified report if the whole run takes longer than `budgetMs`.
 */
export async function checkWithinBudget(refs: readonly PackageRef[], options: CheckOptions, budgetMs: number): Promise<Report> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Report>((resolve) => {
    timer = setTimeout(() => resolve(outOfTime(refs, options, budgetMs)), budgetMs);
    timer.unref?.();
  });
  const timeoutMs = Math.min(options.timeoutMs ?? budgetMs, budgetMs);
  // Our own resolver, bounded by the budget, so that closing it when time is up aborts the
  // lookups still in flight: the agent waits for the hook process to exit, not just to answer.
  const resolver = options.resolver ?? (await openResolver({ ...options, timeoutMs }, { budgetMs }));
  try {
    return await Promise.race([check(refs, { ...options, timeoutMs, resolver }), expired]);
  } finally {
    clearTimeout(timer);
    if (!options.resolver) await resolver.close();
  }
}
