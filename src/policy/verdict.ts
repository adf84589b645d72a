import type { Finding, PackageResult, Policy, Report, Severity, Signal, SignalContext, SignalOf, Verdict } from '../core/types.js';
import { EXIT, type ExitCode } from '../core/types.js';
import { messageFor } from '../reporters/messages.js';
import { ageInDays } from '../signals/age.js';

/**
 * The severity policy gives a signal. Two codes are decided here rather than by a table entry:
 * `unverified` (unknown, or block under failClosed) and `typo` (see `typoSeverity`).
 */
export function severityOf(signal: Signal, ctx: SignalContext): Severity | 'unknown' | 'off' {
  const { policy, facts } = ctx;
  const setting = policy.severities[signal.code];
  if (setting === 'off') return 'off';
  if (signal.code === 'unverified') return policy.failClosed ? 'block' : 'unknown';
  if (signal.code === 'typo' && setting === 'block' && facts.status === 'found') return typoSeverity(signal, ctx);
  return setting;
}

/**
 * A look-alike of a popular package blocks unless evidence says it is an honest sibling; then it
 * is a "did you mean" warning. Evidence, in order:
 * - kept by an owner of the target (`evidence.sharedOwner`: npm, its publisher maintains the
 *   target; PyPI, a shared role holder or organization): warn, whatever its age. A repository URL
 *   is never evidence: squatters copy it.
 * - first published before its target (`evidence.olderThanTarget`: the two creation dates, or an npm
 *   punctuation twin published after npm's moniker rule, which refuses it while the target
 *   exists): it cannot imitate a name that did not exist yet: warn.
 * - young (under `typoYoungDays`) or of unknown age: block. Squats live days to weeks.
 * - no download count (the downloads API or pypistats did not answer): missing evidence, never
 *   "low". Its age is the evidence there is, and it is past the age squats reach: warn.
 * - a measured count of at least `typoAdoptedWeekly` a week (sustained adoption), or an audience
 *   within `typoPopularityRatio` of the target's: warn.
 * - near zero and far below the target: block, unless the name has a sibling shape (a series, a
 *   platform build, a word-order twin, `name2`, `python-x`, a 3-4 letter name: weak evidence to
 *   begin with) and is `typoEstablishedDays` or older: an abandoned sibling, not a squat.
 */
function typoSeverity(signal: SignalOf<'typo'>, ctx: SignalContext): Severity {
  const { policy, facts, now } = ctx;
  // Kept by an owner of the look-alike's target (src/signals/typo-target.ts): a sibling.
  if (typeof signal.evidence.sharedOwner === 'string') return 'warn';
  // Older than its target: by the two creation dates (src/signals/typo-target.ts), or a
  // punctuation twin npm let exist after its moniker rule (src/signals/typo.ts).
  if (typeof signal.evidence.olderThanTarget === 'string') return 'warn';
  const t = policy.thresholds;
  const age = ageInDays(facts.created, now);
  if (age === undefined || age < t.typoYoungDays) return 'block';
  const count = typeof signal.evidence.candidateDownloads === 'number' ? signal.evidence.candidateDownloads : undefined;
  if (count === undefined || count >= t.typoAdoptedWeekly) return 'warn';
  const ratio = typeof signal.evidence.ratio === 'number' ? signal.evidence.ratio : undefined;
  if (ratio === undefined || ratio < t.typoPopularityRatio) return 'warn';
  if (typeof signal.evidence.shape === 'string' && age >= t.typoEstablishedDays) return 'warn';
  return 'block';
}

const RANK: Record<Verdict, number> = { ok: 0, warn: 1, unknown: 2, block: 3 };

/** The verdict is the worst finding: block > unknown > warn > ok (info findings do not count). */
export function verdictOf(findings: readonly Finding[]): Verdict {
  let verdict: Verdict = 'ok';
  for (const f of findings) {
    const v: Verdict = f.severity === 'block' ? 'block' : f.severity === 'unknown' ? 'unknown' : f.severity === 'warn' ? 'warn' : 'ok';
    if (RANK[v] > RANK[verdict]) verdict = v;
  }
  return verdict;
}

/** Signals -> findings with severity and wording, dropping what policy turns off. */
export function judge(signals: readonly Signal[], ctx: SignalContext): Finding[] {
  const findings: Finding[] = [];
  for (const s of signals) {
    const severity = severityOf(s, ctx);
    if (severity === 'off') continue;
    const finding: Finding = { code: s.code, severity, message: messageFor(s, ctx.ref.ecosystem, ctx.ref.name) };
    if (s.similarTo !== undefined) finding.similarTo = s.similarTo;
    if (s.kind !== undefined) finding.kind = s.kind;
    if (Object.keys(s.evidence).length > 0) finding.evidence = s.evidence;
    findings.push(finding);
  }
  return findings;
}

/** Whether a verdict is at or above the policy's failOn threshold. */
export function fails(verdict: Verdict, policy: Pick<Policy, 'failOn'>): boolean {
  return verdict === 'block' || (policy.failOn === 'warn' && verdict === 'warn');
}

/** Notes behind which packages may hide that nobody checked (see `ExtractNote.unverified`). */
export function unverifiedNotes(report: Pick<Report, 'notes'>): Report['notes'] {
  return report.notes.filter((n) => n.unverified === true);
}

/**
 * Exit status (contract): 1 when any package fails (or, under failClosed, when something could
 * not be verified); else 2 when some input could not be read; else 3 when some package could
 * not be verified or some input hid packages nobody checked; else 0.
 */
export function exitCodeFor(report: Pick<Report, 'packages' | 'notes'>, policy: Pick<Policy, 'failOn'> & { failClosed?: boolean }): ExitCode {
  if (report.packages.some((p: PackageResult) => fails(p.verdict, policy))) return EXIT.FAIL;
  const hidden = unverifiedNotes(report).length > 0;
  if (hidden && policy.failClosed) return EXIT.FAIL;
  if (report.notes.some((n) => n.level === 'error')) return EXIT.USAGE;
  if (hidden || report.packages.some((p) => p.verdict === 'unknown')) return EXIT.UNVERIFIED;
  return EXIT.OK;
}
