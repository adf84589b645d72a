/**
 * A hook call under a wall-clock budget. An agent waits for its hook, and gives up on it after
 * its own timeout (Claude Code cancels a command hook after its `timeout`, 30 s in the entry
 * `hook install` writes; the hooks reference gives 60 s as the default for entries without one);
 * a slow registry, a subject that takes long to plan or read, must not stall it or run into that
 * timeout, because the agent then goes ahead unchecked. The budget covers the whole call, the
 * subject (planning the command, reading the files it names) and check() alike. When it runs
 * out, every package not yet judged is reported `unverified`, and a subject not yet known is an
 * unverified note, so the user's --on-unverified choice applies (ask by default), never `ok` and
 * never silence.
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

/** The clock and timer a budget runs on; tests pass their own instead of waiting. */
export interface BudgetTimer {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** A promise that resolves once `ms` have passed, and a way to stop it early. */
  after(ms: number): { expired: Promise<void>; cancel(): void };
}

/** The process's own clock. */
export const REAL_TIMER: BudgetTimer = {
  now: () => performance.now(),
  after(ms) {
    let timer: NodeJS.Timeout | undefined;
    // Not unref'd: when nothing else is left to wait on (a subject stuck on a promise that will
    // never settle), this timer is what keeps the process alive long enough to answer.
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return { expired, cancel: () => clearTimeout(timer) };
  },
};

/** One hook call's budget: started once, shared by every step of the call. */
export interface Budget {
  /** Resolves when the budget has run out. */
  expired: Promise<void>;
  /** Whole milliseconds left (at least 1, so a step given what is left still gets a deadline; timers want integers). */
  left(): number;
  totalMs: number;
  cancel(): void;
}

/** Start a budget of `ms` on `timer`. */
export function startBudget(ms: number, timer: BudgetTimer = REAL_TIMER): Budget {
  const start = timer.now();
  const t = timer.after(ms);
  return { expired: t.expired, totalMs: ms, left: () => Math.max(1, Math.floor(ms - (timer.now() - start))), cancel: t.cancel };
}

/** What `step` gives, or `undefined` when the budget ran out first. */
export async function withinBudget<T>(step: Promise<T>, budget: Budget): Promise<{ value: T } | undefined> {
  return Promise.race([step.then((value) => ({ value })), budget.expired.then(() => undefined)]);
}

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
 * all-unverified report if the whole run takes longer than the budget: `budgetMs` from now, or
 * what is left of a call's {@link Budget}.
 */
export async function checkWithinBudget(refs: readonly PackageRef[], options: CheckOptions, budget: number | Budget): Promise<Report> {
  const own = typeof budget === 'number' ? startBudget(budget) : undefined;
  const b = own ?? (budget as Budget);
  const budgetMs = b.left();
  const timeoutMs = Math.min(options.timeoutMs ?? budgetMs, budgetMs);
  // Our own resolver, bounded by the budget, so that closing it when time is up aborts the
  // lookups still in flight: the agent waits for the hook process to exit, not just to answer.
  const resolver = options.resolver ?? (await openResolver({ ...options, timeoutMs }, { budgetMs }));
  try {
    const done = await withinBudget(check(refs, { ...options, timeoutMs, resolver }), b);
    return done ? done.value : outOfTime(refs, options, b.totalMs);
  } finally {
    own?.cancel();
    if (!options.resolver) await resolver.close();
  }
}
