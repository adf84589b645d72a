import { dirname } from 'node:path';
import type { AgeDrift, AgeSettingProblem, NativeAgeSetting } from '../core/age-gates.js';
import type { AllowEntry, ConfigSource, Ecosystem, EvidenceValue, PackageResult, Signal } from '../core/types.js';
import { SIGNAL_BY_CODE, ruleTexts } from '../signals/index.js';
import { REGISTRY_NAME } from './wording.js';

/**
 * English about findings: each signal's own sentence lives in its definition (src/signals/); this
 * module applies it and holds the wording that is not one signal's (reason lines, notices, the
 * guard's texts). Signals return codes and evidence; nothing else in the pipeline writes English.
 */

export { formatCount, REGISTRY_NAME } from './wording.js';
export type { RuleText } from '../signals/define.js';

/** The sentence for one signal: its definition's wording (src/signals/<code>.ts). */
export function messageFor(signal: Signal, ecosystem: Ecosystem, name: string): string {
  const definition = SIGNAL_BY_CODE.get(signal.code);
  if (!definition) throw new Error(`no signal definition for finding code ${signal.code}`);
  // The map pairs each code with its own definition, so the signal's evidence is the one its wording reads.
  return (definition.wording as (input: { name: string; ecosystem: Ecosystem; signal: Signal }) => string)({ name, ecosystem, signal });
}

/**
 * One line a person or an agent can act on, e.g. "`lodsah` does not exist on npm; did you mean
 * `lodash`?". Used by hooks, wrappers and editor diagnostics.
 */
export function reasonLine(result: PackageResult): string {
  const serious = result.findings.filter((f) => f.severity === 'block' || f.severity === 'unknown' || f.severity === 'warn');
  const shown = serious.length > 0 ? serious : result.findings;
  if (shown.length === 0) return `\`${result.name}\` looks fine`;
  const typo = shown.find((f) => f.code === 'typo' && f.similarTo);
  const first = shown[0]!;
  if (typo && first.code !== 'typo') return `${first.message}; did you mean \`${typo.similarTo}\`?`;
  // Messages contain semicolons themselves; separate reasons as sentences.
  return sentences(shown.map((f) => f.message));
}

/**
 * Join clauses as sentences: a full stop only after a clause that does not already end in one
 * (a message ending "did you mean `lodash`?" must not become "?.").
 */
export function sentences(parts: readonly string[]): string {
  return parts.map((p, i) => (i < parts.length - 1 && !/[.?!]$/.test(p) ? `${p}.` : p)).join(' ');
}

/** The notice for an allowlist entry past its `until` day, the same in every format. */
export function expiredAllowMessage(e: AllowEntry & { ecosystem: Ecosystem }): string {
  return `allowlist entry for ${REGISTRY_NAME[e.ecosystem]} \`${e.name}\` expired on ${e.until}: it no longer applies`;
}

/** The name to suggest instead, when a finding names one. */
export function suggestionFor(result: PackageResult): string | undefined {
  return result.findings.find((f) => f.code === 'typo' && f.similarTo)?.similarTo;
}

/** Every code's rule text, from its signal definition (SARIF rules, docs, help). */
export const RULE_TEXT = ruleTexts();

/**
 * The one-line notice for a config source of which something was not applied: an untrusted
 * project config's loosening parts (with the command that trusts it), or what a locked system
 * policy kept a lower source from loosening.
 */
export function configNotice(source: ConfigSource, lockedBy: string | undefined): string | undefined {
  if (!source.ignored?.length) return undefined;
  const what = source.ignored.join('; ');
  if (!source.trusted) {
    const dir = dirname(source.path);
    return (
      `${source.path} is not trusted, so what would loosen the policy was not applied: ${what}. ` +
      `If you reviewed it: slopguard trust ${dir} (or --trust-project in CI on the default branch)`
    );
  }
  const from = source.kind === 'flags' ? 'the command line' : source.kind === 'environment' ? 'the environment' : source.path;
  // Not the lock: a key this kind of source may not set (a repository naming the audit log).
  if (!lockedBy) return `${from}: not applied: ${what}`;
  const policy = lockedBy ? `the system policy ${lockedBy}` : 'the system policy';
  return `${policy} is locked, so what ${from} would loosen was not applied: ${what}`;
}

/**
 * The registry guard's sentences (`slopguard serve`): what a client prints when the guard does not
 * serve a package. Built around {@link reasonLine}, so a refusal says what `check` would.
 */
export const SERVE_TEXT = {
  subject: (ecosystem: Ecosystem, name: string) => `${REGISTRY_NAME[ecosystem]} package \`${name}\``,
  blocked: (result: PackageResult) => `slopguard refused ${SERVE_TEXT.subject(result.ecosystem, result.name)}: ${reasonLine(result)}`,
  unverified: (result: PackageResult) => `slopguard could not verify ${SERVE_TEXT.subject(result.ecosystem, result.name)} (${reasonLine(result)}); refused because of --fail-closed`,
  tooYoung: (ecosystem: Ecosystem, name: string, days: number, version?: string) => {
    // A gate taken from a native setting may be a fraction of a day (pnpm minutes, bun seconds).
    const d = ageWords(days);
    const gate = Number.isInteger(days) ? `--min-release-age ${days}` : `minimum release age ${d}`;
    return version
      ? `slopguard refused ${SERVE_TEXT.subject(ecosystem, name)} ${version}: it was published less than ${d} ago (${gate})`
      : `slopguard refused ${SERVE_TEXT.subject(ecosystem, name)}: every version was published less than ${d} ago (${gate})`;
  },
  invalidName: (message: string) => `slopguard refused the request: ${message}`,
  upstreamDown: (ecosystem: Ecosystem, name: string, why: string) => `slopguard could not get ${SERVE_TEXT.subject(ecosystem, name)} from the upstream registry: ${why}`,
  notServed: (what: string) => `slopguard serve: ${what}`,
  unverifiedHeader: (result: PackageResult) => `unverified ${reasonLine(result)}`,
  /** The `x-slopguard` header's part for what the age gate took out of a document. */
  ageGated: (count: number, unit: 'version' | 'file', days: number) => `age-gate removed ${count} ${unit}${count === 1 ? '' : 's'} younger than ${ageWords(days)}`,
};

/** The Verdaccio filter plugin's log lines (src/verdaccio/filter.ts); refusals reuse SERVE_TEXT. */
export const VERDACCIO_TEXT = {
  couldNotJudge: (name: string, why: string) => `slopguard could not judge npm package \`${name}\`: ${why}`,
  invalidName: (name: string) => `slopguard refused \`${name}\`: not a valid npm package name`,
  served: (result: PackageResult) => `slopguard served ${SERVE_TEXT.subject(result.ecosystem, result.name)}: ${SERVE_TEXT.unverifiedHeader(result)}`,
  hidYoung: (name: string, count: number, days: number) => `slopguard hid ${count} version${count === 1 ? '' : 's'} of npm package \`${name}\` published less than ${days} day${days === 1 ? '' : 's'} ago`,
};

/** Opens the summary line of every report made in monitor mode (findings reported, nothing refused). */
export const MONITOR_MODE_LABEL = 'MONITOR MODE, nothing refused:';

/** The summary line's prefix for a report (empty unless monitor mode). */
export function modePrefix(report: { mode?: 'monitor' }): string {
  return report.mode === 'monitor' ? `${MONITOR_MODE_LABEL} ` : '';
}

/** A minimum age in words: `7 days`, `1 day`, `12 hours`, `30 minutes`. */
export function ageWords(days: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const round = (n: number) => Math.round(n * 100) / 100;
  if (days >= 1 || days === 0) return plural(round(days), 'day');
  const hours = days * 24;
  if (hours >= 1) return plural(round(hours), 'hour');
  return plural(round(hours * 60), 'minute');
}

/**
 * The package managers' own age settings (Report.ageGates, `serve`'s default gate): what each
 * says, where, and the drift between them.
 */
export const AGE_TEXT = {
  /** `7 days`, or `nothing after 2025-03-16 (630 days ago)` for an absolute cutoff. */
  gate: (s: NativeAgeSetting, now: Date) =>
    s.days !== undefined ? ageWords(s.days) : `nothing uploaded after ${s.before!.slice(0, 10)} (${ageWords(Math.max(0, Math.floor((now.getTime() - Date.parse(s.before!)) / 86_400_000)))} ago)`,
  /** Where a setting is: `min-release-age=7 in .npmrc:3`, or the environment variable. */
  where: (s: Pick<NativeAgeSetting, 'key' | 'value' | 'file' | 'line' | 'scope'>) =>
    s.scope === 'environment' ? `${s.key}=${s.value}` : `${s.key} ${s.value} in ${s.file}${s.line ? `:${s.line}` : ''}`,
  /** One setting: `npm waits 7 days (min-release-age 7 in .npmrc:3)`. */
  setting: (s: NativeAgeSetting, now: Date) => `${s.tool} ${s.days !== undefined ? `waits ${AGE_TEXT.gate(s, now)}` : `installs ${AGE_TEXT.gate(s, now)}`} (${AGE_TEXT.where(s)}${s.effective ? '' : ', overridden'})`,
  heading: 'age gates of the package managers:',
  drift: (d: AgeDrift, settings: readonly NativeAgeSetting[], now: Date) => {
    const eff = settings.filter((s) => s.effective && s.ecosystem === d.ecosystem);
    const list = eff.map((s, i) => `${s.tool} ${i === 0 && d.kind === 'missing' ? 'waits ' : ''}${AGE_TEXT.gate(s, now)}`).join(', ');
    return d.kind === 'different'
      ? `age-gate drift for ${REGISTRY_NAME[d.ecosystem]} packages: ${list}; each client applies only its own`
      : `age-gate drift for ${REGISTRY_NAME[d.ecosystem]} packages: ${d.tools.join(', ')} ${d.tools.length === 1 ? 'is' : 'are'} used here with no age gate set, while ${list}`;
  },
  problem: (p: AgeSettingProblem) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.tool} ${p.key}: ${p.message}`,
  /** `serve`: the default gate taken from a native setting. */
  serveDefault: (s: NativeAgeSetting) => `slopguard serve: age gate ${ageWords(s.days!)}, the strictest native setting found: ${s.tool} ${AGE_TEXT.where(s)} (--min-release-age overrides it)`,
  /** `serve`: the gate from config `minReleaseAgeDays`. */
  serveConfig: (days: number, source: string) => `slopguard serve: age gate ${ageWords(days)}, from minReleaseAgeDays in ${source} (--min-release-age overrides it)`,
  /** `serve`: a flag or variable below the locked system config's gate. */
  serveFloor: (asked: number, floor: number, source: string) => `slopguard serve: age gate ${ageWords(floor)}, not ${ageWords(asked)}: the locked system config ${source} sets minReleaseAgeDays ${floor}`,
  /** `serve`: an absolute cutoff found but not used as a gate. */
  serveAbsolute: (s: NativeAgeSetting) => `slopguard serve: ${s.tool} ${AGE_TEXT.where(s)} is a fixed date, not an age; ${s.tool} applies it itself and the guard does not`,
  /** `serve`: a native setting that could not be read; the guard will not guess its gate. */
  serveProblem: (problems: readonly AgeSettingProblem[]) =>
    `cannot choose the default age gate: ${problems.map((p) => AGE_TEXT.problem(p)).join('; ')}. Fix the setting, or pass --min-release-age DAYS (0: off)`,
};

/** `shell-init --server`: the guard named did not answer its health check. */
export const SHELL_INIT_TEXT = {
  unreachable: (url: string, why: string) => `the slopguard guard at ${url} did not answer /healthz (${why}); the variables point at it anyway, so installs fail until it runs`,
};
