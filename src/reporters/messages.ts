import type { Ecosystem, EvidenceValue, FindingCode, PackageResult, Signal } from '../core/types.js';

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
const num = (v: EvidenceValue) =>
  typeof v !== 'number' ? '?' : Number.isSafeInteger(v) ? String(v).replace(/\B(?=(\d{3})+$)/g, ',') : v.toLocaleString('en-US');
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
    const how = KIND_WORDS[s.kind ?? ''] ?? 'a similar spelling';
    const gap =
      typeof ev.targetDownloads === 'number'
        ? ` (${num(ev.targetDownloads)} weekly downloads${typeof ev.candidateDownloads === 'number' ? ` vs ${num(ev.candidateDownloads)}` : ''})`
        : '';
    return `\`${name}\` looks like the popular ${REGISTRY_NAME[eco]} package \`${s.similarTo}\`${gap}: ${how}; did you mean \`${s.similarTo}\`?`;
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
 * One line a person or an agent can act on, e.g. "`lodahs` does not exist on npm; did you mean
 * `lodash`?". Used by hooks, wrappers and editor diagnostics.
 */
export function reasonLine(result: PackageResult): string {
  const serious = result.findings.filter((f) => f.severity === 'block' || f.severity === 'unknown' || f.severity === 'warn');
  const shown = serious.length > 0 ? serious : result.findings;
  if (shown.length === 0) return `\`${result.name}\` looks fine`;
  const typo = shown.find((f) => f.code === 'typo' && f.similarTo);
  const first = shown[0]!;
  if (typo && first.code !== 'typo') return `${first.message}; did you mean \`${typo.similarTo}\`?`;
  return shown.map((f) => f.message).join('; ');
}

/** The name to suggest instead, when a finding names one. */
export function suggestionFor(result: PackageResult): string | undefined {
  return result.findings.find((f) => f.code === 'typo' && f.similarTo)?.similarTo;
}
