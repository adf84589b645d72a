import { dirname } from 'node:path';
import type { AllowEntry, ConfigSource, Ecosystem, EvidenceValue, FindingCode, PackageResult, Signal } from '../core/types.js';

/**
 * All English about findings lives here. Signals return codes and evidence; this turns them into
 * sentences. The Record type makes a new code impossible to ship without its wording.
 */

export const REGISTRY_NAME: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI' };

type Ev = Record<string, EvidenceValue>;
type Wording = (name: string, eco: Ecosystem, ev: Ev, s: Signal) => string;

const KIND_WORDS: Record<string, string> = {
  'omitted-char': 'a character left out',
  'repeated-char': 'a character doubled',
  'swapped-chars': 'two characters swapped',
  'substituted-char': 'one character changed',
  'keyboard-neighbour': 'a neighbouring key',
  lookalike: 'look-alike characters',
  separator: 'different separators',
  'word-order': 'words reordered',
  affix: 'a prefix or suffix added',
  'scope-confusion': 'the scope dropped or changed',
  'version-suffix': 'a version number added',
  combosquat: 'a word added to a popular name',
  normalisation: 'the same name once normalised',
  'edit-distance': 'a near-identical spelling',
};

const day = (v: EvidenceValue) => (typeof v === 'string' ? v.slice(0, 10) : '');
// Thousands separators by hand for integers: the first toLocaleString() call loads ICU's locale
// data (~50 ms, measured), more than the rest of a warm 1,000-package report's wording.
/** A count with thousands separators (`1,234,567`), without loading ICU for integers. */
export const formatCount = (v: number): string => (Number.isSafeInteger(v) ? String(v).replace(/\B(?=(\d{3})+$)/g, ',') : v.toLocaleString('en-US'));
const num = (v: EvidenceValue) => (typeof v !== 'number' ? '?' : formatCount(v));
const plural = (n: EvidenceValue, one: string, many: string) => (n === 1 ? one : many);

const WORDING: Record<FindingCode, Wording> = {
  'not-found': (name, eco, ev) =>
    ev.offlineList
      ? `\`${name}\` does not exist on ${REGISTRY_NAME[eco]} (per the bundled list of every project name, ${ev.offlineList}; the registry itself could not be reached)`
      : eco === 'npm' && name.startsWith('@')
      ? `\`${name}\` does not exist on npm (or it is private and no token for ${name.split('/')[0]} was configured)`
      : `\`${name}\` does not exist on ${REGISTRY_NAME[eco]}`,
  unpublished: (name, _e, ev) =>
    `\`${name}\` was unpublished from npm${ev.unpublishedAt ? ` on ${day(ev.unpublishedAt)}` : ''}; anyone may register the name again`,
  'security-holder': (name) => `\`${name}\` was taken down by npm for malicious code; only a security placeholder is left`,
  typo: (name, eco, ev, s) => {
    // A scope family's package with the scope dropped: the scoped name is inferred, not listed.
    if (typeof ev.familyScope === 'string' && typeof ev.familyVia === 'string') {
      return `\`${name}\` looks like a package of the npm scope \`@${ev.familyScope}\` published without its scope (\`${ev.familyWord}\` is that scope's word: \`${ev.familyVia}\`, and no other popular package uses it); did you mean \`${s.similarTo}\`?`;
    }
    if (typeof ev.familyScope === 'string') {
      return `\`${name}\` looks like a package of the npm scope \`@${ev.familyScope}\` published without its scope (${num(ev.familyMembers)} popular packages there are named \`${ev.familyWord}-…\`); did you mean \`${s.similarTo}\`?`;
    }
    const how = KIND_WORDS[s.kind ?? ''] ?? 'a similar spelling';
    // PyPI publishes no download counts in our data, only ranks: say the rank, not an estimate.
    const gap =
      typeof ev.targetRank === 'number'
        ? ` (#${num(ev.targetRank)} by downloads on PyPI)`
        : typeof ev.targetDownloads === 'number'
          ? ` (${num(ev.targetDownloads)} weekly downloads${typeof ev.candidateDownloads === 'number' ? ` vs ${num(ev.candidateDownloads)}` : ''})`
          : '';
    const owner =
      typeof ev.sharedOwner === 'string'
        ? eco === 'npm'
          ? ` (published by ${ev.sharedOwner}, who also maintains \`${s.similarTo}\`)`
          : ev.sharedOwner.startsWith('org:')
            ? ` (both belong to the PyPI organization ${ev.sharedOwner.slice(4)})`
            : ` (${ev.sharedOwner} maintains both)`
        : ev.olderThanTarget === 'moniker-rule'
          ? ` (it is the older name: npm refuses a name that differs from an existing one only in punctuation)`
          : ev.olderThanTarget === 'created'
            ? ` (it is the older name: first published before \`${s.similarTo}\`${typeof ev.targetCreated === 'string' ? `, which dates from ${day(ev.targetCreated)}` : ''})`
            : '';
    return `\`${name}\` looks like the popular ${REGISTRY_NAME[eco]} package \`${s.similarTo}\`${gap}: ${how}${owner}; did you mean \`${s.similarTo}\`?`;
  },
  'other-ecosystem': (name, eco, ev, s) => {
    const other = ev.otherEcosystem === 'npm' || ev.otherEcosystem === 'pypi' ? ev.otherEcosystem : eco === 'npm' ? 'pypi' : 'npm';
    return `\`${name}\` is not a ${REGISTRY_NAME[eco]} package, but \`${s.similarTo ?? name}\` exists on ${REGISTRY_NAME[other]}: wrong package manager?`;
  },
  'too-new': (name, _e, ev) =>
    `\`${name}\` was first published ${num(ev.ageDays)} ${plural(ev.ageDays, 'day', 'days')} ago (${day(ev.created)}); younger than ${num(ev.minAgeDays)} days`,
  'low-downloads': (name, _e, ev) =>
    `\`${name}\` had only ${num(ev.weeklyDownloads)} ${plural(ev.weeklyDownloads, 'download', 'downloads')} last week (fewer than ${num(ev.minWeeklyDownloads)})`,
  deprecated: (name, _e, ev) =>
    ev.status ? `\`${name}\` is marked ${ev.status} on PyPI` : `\`${name}\` is deprecated${ev.reason ? `: "${ev.reason}"` : ''}`,
  'install-script': (name, _e, ev) =>
    `\`${name}\` runs code at install time (${ev.scripts}) and is young or little used`,
  'no-repository': (name) => `\`${name}\` names no source repository`,
  unverified: (name, eco, ev) =>
    `\`${name}\` could not be checked on ${REGISTRY_NAME[eco]}${ev.error ? `: ${ev.error}` : ''}`,
  allowlisted: (name, _e, ev) => `\`${name}\` is allowlisted${ev.reason ? `: ${ev.reason}` : ''}`,
  yanked: (name, _e, ev) => `the latest release of \`${name}\`${ev.version ? ` (${ev.version})` : ''} is yanked`,
  'suspicious-name': (_n, _e, ev) => `the name contains invisible or non-ASCII characters (${ev.codepoints})`,
};

/** The sentence for one signal. */
export function messageFor(signal: Signal, ecosystem: Ecosystem, name: string): string {
  return WORDING[signal.code](name, ecosystem, signal.evidence, signal);
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

/** What a finding code means and what to do about it: SARIF rules, docs, help. */
export interface RuleText {
  /** PascalCase rule name (SARIF `name`). */
  name: string;
  short: string;
  help: string;
}

/** Every finding code has a rule; the Record type makes a new code impossible to ship without one. */
export const RULE_TEXT: Record<FindingCode, RuleText> = {
  'not-found': {
    name: 'PackageNotFound',
    short: 'The package does not exist on the registry',
    help: 'The name is not on the registry: a hallucinated or mistyped name. Anyone can register it and ship code to whoever installs it next. Fix the name (see the suggestion) or remove the dependency.',
  },
  unpublished: {
    name: 'PackageUnpublished',
    short: 'The package was unpublished',
    help: 'Every version was removed from npm, so the name is free to be registered again by someone else. Replace the dependency.',
  },
  'security-holder': {
    name: 'SecurityHolder',
    short: 'The package was taken down for malicious code',
    help: 'npm replaced the package with a security placeholder after removing malware. Remove the dependency and check machines that installed it.',
  },
  'too-new': {
    name: 'PackageTooNew',
    short: 'The package was published very recently',
    help: 'Squats and malicious look-alikes are usually days old. Make sure this is the package you meant before depending on it.',
  },
  'low-downloads': {
    name: 'LowDownloads',
    short: 'Hardly anyone downloads the package',
    help: 'Very few weekly downloads: either a niche package or a name nobody meant to use. Check that it is the package you meant.',
  },
  typo: {
    name: 'TypoOfPopularPackage',
    short: 'The name imitates a popular package',
    help: 'The name is a near-miss of a much more popular package (a typo, a look-alike character, a changed separator or an added word). Use the popular name unless you really mean this one.',
  },
  'other-ecosystem': {
    name: 'WrongEcosystem',
    short: 'The name exists only on the other registry',
    help: 'The package is published on the other registry (npm vs PyPI): probably the wrong package manager. Anyone can register the name here.',
  },
  deprecated: {
    name: 'PackageDeprecated',
    short: 'The package is deprecated',
    help: 'The maintainers deprecated the package (or PyPI marks it archived or deprecated). Look for its replacement.',
  },
  'install-script': {
    name: 'InstallScript',
    short: 'A young or little-used package runs code at install time',
    help: 'Install scripts run with your permissions before you use the package. On a young or unpopular package that is how most npm malware starts. Review the script first.',
  },
  'no-repository': {
    name: 'NoRepository',
    short: 'The package names no source repository',
    help: 'No repository link to review the source. Context, not a reason to stop.',
  },
  unverified: {
    name: 'Unverified',
    short: 'The registry could not be asked',
    help: 'The registry could not be reached or answered with an error, so the name was not checked. Run again; with --fail-closed this blocks.',
  },
  allowlisted: {
    name: 'Allowlisted',
    short: 'The package is allowlisted',
    help: 'An allowlist entry in the configuration lets this name through without judging it.',
  },
  yanked: {
    name: 'Yanked',
    short: 'The latest release is yanked',
    help: 'Every file of the latest release was yanked on PyPI, usually because it was broken or malicious. Pin a good release or replace the package.',
  },
  'suspicious-name': {
    name: 'SuspiciousName',
    short: 'The name contains invisible or non-ASCII characters',
    help: 'Invisible or non-ASCII characters make a name look like another one. Retype the name by hand.',
  },
};

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
    const d = `${days} day${days === 1 ? '' : 's'}`;
    return version
      ? `slopguard refused ${SERVE_TEXT.subject(ecosystem, name)} ${version}: it was published less than ${d} ago (--min-release-age ${days})`
      : `slopguard refused ${SERVE_TEXT.subject(ecosystem, name)}: every version was published less than ${d} ago (--min-release-age ${days})`;
  },
  invalidName: (message: string) => `slopguard refused the request: ${message}`,
  upstreamDown: (ecosystem: Ecosystem, name: string, why: string) => `slopguard could not get ${SERVE_TEXT.subject(ecosystem, name)} from the upstream registry: ${why}`,
  notServed: (what: string) => `slopguard serve: ${what}`,
  unverifiedHeader: (result: PackageResult) => `unverified ${reasonLine(result)}`,
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
