/**
 * The plain types that flow between the pipeline stages:
 *
 *   sources -> extractors -> resolver (registry clients + cache) -> signals -> policy -> reporters
 *
 * No stage reaches into another's internals; each arrow below is one of these types.
 */
import type { AgeGatesReport } from './age-gates.js';

/** The two registries slopguard knows. */
export type Ecosystem = 'npm' | 'pypi';
export const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi'];

// ---------------------------------------------------------------------------
// sources -> extractors
// ---------------------------------------------------------------------------

/** A text the user pointed at, with the path findings will point back to. */
export interface SourceDocument {
  /** Path as the user should see it (relative to cwd where possible), or `<stdin>`, `<args>`. */
  path: string;
  text: string;
}

/** Where a name was found: `file:line:column` (1-based line and column). */
export interface Origin {
  file: string;
  line?: number;
  column?: number;
  /** Column just past the name (1-based, exclusive), for editor ranges. */
  endColumn?: number;
  /** What the place is, e.g. `devDependencies`, `npm install`, `import`. */
  context?: string;
}

/** How a dependency is fetched. Only `registry` refs are looked up. */
export type RefSource = 'registry' | 'git' | 'file' | 'directory' | 'url' | 'link' | 'workspace' | 'other';

/** A package name found by an extractor. */
export interface PackageRef {
  ecosystem: Ecosystem;
  /** The real registry name (aliases resolved: `npm:real@1` gives `real`), as written otherwise. */
  name: string;
  /** The version range, specifier or exact version as written, if any. */
  spec?: string;
  origin?: Origin;
  /** Defaults to `registry`. Anything else is reported as not-from-the-registry and not looked up. */
  source?: RefSource;
  /** For aliases: the name the project uses (`"sw": "npm:string-width@4"` gives alias `sw`). */
  alias?: string;
  /** For Python imports mapped to distributions: the import name that led here. */
  importName?: string;
}

/** Codes for the located notes extractors and sources leave for what they did not look up or read. */
export type NoteCode =
  | 'malformed' // the file could not be parsed (exit 2)
  | 'unreadable' // the file could not be read (exit 2)
  | 'unknown-format' // no extractor knows this file (exit 2 when named explicitly)
  | 'empty-lockfile' // a lockfile with zero packages: said out loud, never silently empty
  | 'not-registry' // git/file/url/link/workspace dependency, not looked up
  | 'invalid-name' // a name npm or PEP 508 rejects; never looked up (exit 2 on the command line)
  | 'binary-lockfile' // bun.lockb and similar
  | 'unsupported' // a construct we recognise but do not check (conda specs, ...)
  | 'ambiguous-import' // an import name that maps to several distributions
  | 'refused' // a file the trust boundary would not read (outside the repository, a device, over a cap)
  | 'policy-change' // a change under review edits slopguard's own policy (reported, never applied to it)
  | 'skipped'; // anything else deliberately not checked, with a reason in `message`

/** A located note: something not read, or deliberately not checked. Never silence. */
export interface ExtractNote {
  /** `error` notes make the command exit 2 after reporting everything else (a block still exits 1). */
  level: 'error' | 'warning' | 'info';
  code: NoteCode;
  /** Plain English, already worded (extractors know best what they could not read). */
  message: string;
  origin: Origin;
  /** The name concerned, when there is one. */
  name?: string;
  ecosystem?: Ecosystem;
  /**
   * Packages may hide behind this note that nobody checked (a refused include, an unreadable
   * requirements file in a hook, `$VAR` package arguments, an installer slopguard does not read).
   * The run is then unverified, never clean: exit 3 when nothing is blocked and no error note
   * exits 2 (exit 1 under failClosed), hooks answer per `--on-unverified`, wrappers under
   * fail-closed refuse to start the tool. See policy/verdict.ts `exitCodeFor` and hook/decision.ts.
   */
  unverified?: true;
  /**
   * The way forward for an unverified note a wrapped run gets past: the install as
   * `slopguard <tool> …`, whose install guard judges every package the tool fetches as it runs
   * (a hook that could not resolve the tree says so; under Claude Code's bypassPermissions the
   * denial names it).
   */
  wrapperCommand?: string;
}

/** What one extractor returns for one document. */
export interface ExtractResult {
  refs: PackageRef[];
  notes: ExtractNote[];
}

// ---------------------------------------------------------------------------
// resolver: facts (never verdicts)
// ---------------------------------------------------------------------------

/**
 * What a registry said about a name. A 404 is a fact (`not-found`); a timeout is an
 * `unverified` fact. Dates are ISO 8601 strings so facts survive the disk cache unchanged.
 */
export interface PackageFacts {
  ecosystem: Ecosystem;
  /** The name as asked (npm) or PEP 503-normalised (PyPI). */
  name: string;
  status: 'found' | 'not-found' | 'unpublished' | 'unverified';
  /** The registry base URL that answered (or was asked). */
  registry: string;
  /** True when the name is served by a private/custom registry (scoped registry, private index). */
  privateRegistry?: boolean;
  /** When the package was first published (npm `time.created`; PyPI earliest file upload). */
  created?: string;
  /** Most recent publish of a version still present. */
  latestPublish?: string;
  latestVersion?: string;
  versionCount?: number;
  /** Deprecation message when every version (npm) or the project (PyPI status) is deprecated. */
  deprecated?: string;
  /** npm replaced the package with `0.0.1-security` after removing malware. */
  securityHolder?: boolean;
  /** When a whole-package unpublish happened (npm tombstone). */
  unpublishedAt?: string;
  /** Install-time scripts in the latest version (`preinstall`, `install`, `postinstall`). */
  installScripts?: string[];
  /** Source repository URL, when the registry names one. */
  repository?: string;
  /**
   * npm, full packument: the account that published the latest version (`_npmUser.name`, set by
   * the registry from the publishing token, so a package cannot claim someone else's).
   */
  publisher?: string;
  /**
   * The accounts that keep the package, lower case. npm, full packument: `maintainers[].name`
   * (any owner can add any account). PyPI JSON API: the role holders of `ownership`, and its
   * organization as `org:<name>` (a role is held only once accepted).
   */
  maintainers?: string[];
  /** PyPI: every file of the latest release is yanked. */
  yanked?: boolean;
  /** PyPI project status (PEP 792): `archived`, `quarantined`, `deprecated`. */
  projectStatus?: string;
  description?: string;
  /**
   * Downloads in the last week. `undefined`: not asked or no data (unknown stays unknown);
   * a number: measured. Never 0 for "no data".
   */
  weeklyDownloads?: number;
  /** Where `weeklyDownloads` came from. */
  downloadsSource?: 'npm-downloads-api' | 'pypistats' | 'popular-list';
  /** PyPI rank among the 15,000 most downloaded projects, from data/. */
  popularRank?: number;
  /** For `unverified`: why (already redacted of credentials). */
  error?: string;
  /**
   * Set when `status` comes from the bundled complete name list (PyPI) because the registry could
   * not be reached: the list's snapshot date.
   */
  offlineList?: string;
  /**
   * PyPI, unverified: private extra indexes are configured, so a name public PyPI lacks may be
   * theirs; the bundled list of public names cannot call it missing.
   */
  extraIndexes?: true;
  /**
   * npm: read from the abbreviated packument, which has no creation or publish times and no
   * repository. Asked only for names the bundled popular list settles as long-established (see
   * core/check.ts), so signals read "no date" here as "old enough", not as "unknown".
   */
  abbreviated?: true;
  /** When these facts were fetched (ISO). */
  fetchedAt: string;
}

// ---------------------------------------------------------------------------
// similarity (popular-name index)
// ---------------------------------------------------------------------------

/** How a name imitates a popular one. */
export type TypoKind =
  | 'omitted-char'
  | 'repeated-char'
  | 'swapped-chars'
  | 'substituted-char'
  | 'keyboard-neighbour'
  | 'lookalike' // rn/m, 1/l, 0/o, vv/w, Unicode confusables
  | 'separator'
  | 'word-order'
  | 'affix' // js-, -js, node-, py-, python-, -lib, ...
  | 'scope-confusion' // @azure/x published as x, @scope typos, @types/x vs x
  | 'version-suffix'
  | 'combosquat'
  | 'normalisation' // PEP 503 forms
  | 'edit-distance';

/** The popular package a name looks like. */
export interface SimilarityMatch {
  /** The popular name imitated. */
  target: string;
  kind: TypoKind;
  /** 0..1; how sure the engine is that this is an imitation rather than a coincidence. */
  confidence: number;
  /** The target's weekly downloads (npm) or an estimate from its rank (PyPI), if known. */
  targetDownloads?: number;
}

/** What slopguard knows offline about one ecosystem's popular names. */
export interface PopularIndex {
  ecosystem: Ecosystem;
  /** Weekly downloads (npm: monthly / 4.3) or rank for a popular name; undefined if not listed. */
  popularity(name: string): { weeklyDownloads?: number; rank?: number } | undefined;
  /** The look-alike popular name, if the engine finds one. Never returns the name itself. */
  lookalike(name: string): SimilarityMatch | undefined;
  /**
   * Whether the registry has the name at all, from the complete offline list where one exists
   * (PyPI). `undefined` when the data cannot say (npm: the list holds only popular names).
   */
  exists(name: string): boolean | undefined;
  /** Date of the data snapshot (ISO day). */
  snapshotDate: string;
}

// ---------------------------------------------------------------------------
// signals -> policy
// ---------------------------------------------------------------------------

/** Stable, kebab-case finding codes. Add codes; never rename one. */
export const FINDING_CODES = [
  'not-found',
  'unpublished',
  'security-holder',
  'too-new',
  'low-downloads',
  'typo',
  'other-ecosystem',
  'deprecated',
  'install-script',
  'no-repository',
  'unverified',
  'allowlisted',
  'yanked',
  'suspicious-name',
] as const;

/** One of {@link FINDING_CODES}. */
export type FindingCode = (typeof FINDING_CODES)[number];

/** Evidence values a signal passes to the wording and to JSON. */
export type EvidenceValue = string | number | boolean | null | undefined;

/**
 * The evidence each finding code carries: `findings[].evidence` in JSON output (schema v1), and
 * what the signal's wording reads. Part of the public contract: fields are added, never renamed.
 * `null` means "the registry did not say"; an absent optional field means "does not apply".
 */
export interface EvidenceByCode {
  'not-found': { registry?: string; offlineList?: string | null };
  unpublished: { unpublishedAt: string | null };
  'security-holder': { version: string | null };
  'too-new': { ageDays: number; created: string | undefined; minAgeDays: number };
  'low-downloads': { weeklyDownloads: number; minWeeklyDownloads: number; source: string | null };
  typo: {
    /** The popular name imitated. */
    target: string;
    /** How it imitates (TypoKind). */
    kind: string;
    confidence: number;
    /** Weekly downloads of the target (PyPI: estimated from its rank). */
    targetDownloads: number | null;
    /** Weekly downloads of the candidate; null when unknown (never read as low). */
    candidateDownloads: number | null;
    /** targetDownloads / candidateDownloads, one decimal; null when either is unknown. */
    ratio: number | null;
    /** A sibling shape (similarity/siblings.ts): policy then weighs age and downloads. */
    shape?: string;
    /** A scope family's package published without its scope: the scope, first word, member count. */
    familyScope?: string;
    familyWord?: string;
    familyMembers?: number;
    /** A service word only one scope's family uses (the scoped package it was read from). */
    familyVia?: string;
    /** An account (npm publisher and maintainer; PyPI role holder, `org:<name>`) that keeps both packages. */
    sharedOwner?: string;
    /** The candidate is the older name: first published before its target, or npm's punctuation rule says so. */
    olderThanTarget?: 'created' | 'moniker-rule';
    /** The target's first publish, when `olderThanTarget` is `created`. */
    targetCreated?: string;
    /** PyPI: the target's download rank. */
    targetRank?: number;
    [more: string]: EvidenceValue;
  };
  'other-ecosystem': { otherEcosystem: Ecosystem; name: string };
  deprecated: { reason: string | null; status?: 'deprecated' | 'archived' };
  'install-script': { scripts: string; ageDays: number | null; weeklyDownloads: number | null };
  'no-repository': Record<string, never>;
  unverified: { error: string | null; registry?: string };
  allowlisted: { reason: string; until?: string | null };
  yanked: { version: string | null };
  'suspicious-name': { codepoints: string };
}

/**
 * What a signal returns for one code: the code and its evidence. No severity (policy decides)
 * and no English (the signal's wording, applied by reporters/messages.ts, decides).
 */
export interface SignalOf<C extends FindingCode> {
  code: C;
  /** Named arguments for the message and for JSON consumers. */
  evidence: EvidenceByCode[C];
  /** For `typo`: the popular name imitated. For `other-ecosystem`: the name in the other registry. */
  similarTo?: string;
  /** For `typo`: how it imitates (`TypoKind`). */
  kind?: string;
  /** Strength hint for policy (0..1): e.g. typo confidence. */
  strength?: number;
}

/** Any signal: a union over the codes, so `s.code === 'typo'` narrows `s.evidence`. */
export type Signal = { [C in FindingCode]: SignalOf<C> }[FindingCode];

/** Everything a signal may look at. Signals are pure functions of this. */
export interface SignalContext {
  ref: PackageRef;
  facts: PackageFacts;
  /** The popular-name index of the ref's ecosystem, loaded lazily. */
  popular: (ecosystem: Ecosystem) => PopularIndex;
  now: Date;
  policy: Policy;
}

/** A signal: one question, one file in src/signals/. */
export type SignalFn = (ctx: SignalContext) => Signal[];

/** How serious a finding is; `off` drops it. */
export type Severity = 'info' | 'warn' | 'block';
export type SeveritySetting = Severity | 'off';

/** A package's overall verdict. */
export type Verdict = 'ok' | 'warn' | 'block' | 'unknown';

/** A finding as reported: signal + severity + the message from reporters/messages.ts. */
export interface Finding {
  code: FindingCode;
  severity: Severity | 'unknown';
  message: string;
  similarTo?: string;
  kind?: string;
  evidence?: Record<string, EvidenceValue>;
}

// ---------------------------------------------------------------------------
// policy
// ---------------------------------------------------------------------------

/** One allowlist entry: a name or a scope glob (`@corp/*`), with the reason and an optional expiry. */
export interface AllowEntry {
  name: string;
  reason: string;
  /** ISO day; after it the entry no longer applies and is reported as expired. */
  until?: string;
}

/** Numbers the signals compare against. */
export interface Thresholds {
  /** Packages created fewer than this many days ago are `too-new`. */
  minAgeDays: number;
  /** Fewer weekly downloads than this is `low-downloads`. */
  minWeeklyDownloads: number;
  /**
   * A typo blocks when the target has at least this many times the candidate's downloads
   * (or the candidate is younger than `typoYoungDays`). Below it the typo only warns.
   */
  typoPopularityRatio: number;
  /** A look-alike younger than this (or of unknown age) keeps its block whatever else is known. */
  typoYoungDays: number;
  /**
   * Sustained adoption: a look-alike past `typoYoungDays` with at least this many measured weekly
   * downloads is at most a "did you mean" warning. Squats are taken down within days to weeks;
   * one that has kept an audience for months is very rarely one. (An unknown count is missing
   * evidence, never low: a look-alike past `typoYoungDays` whose count is unknown warns.)
   */
  typoAdoptedWeekly: number;
  /**
   * A look-alike with a sibling shape (a numbered series, a platform build, a word-order twin,
   * `name2`, `python-x`, a 3-4 letter name) at least this old only warns even with a near-zero
   * count: an abandoned sibling, not a squat. Other near-zero look-alikes keep blocking.
   */
  typoEstablishedDays: number;
  /** `install-script` is reported only for packages younger than this or with fewer downloads. */
  installScriptMaxAgeDays: number;
  installScriptMinWeeklyDownloads: number;
}

/** The whole policy: defaults < config file < env < flags, merged once in policy/. */
export interface Policy {
  thresholds: Thresholds;
  /** Severity per finding code; `off` disables the code. */
  severities: Record<FindingCode, SeveritySetting>;
  /** Exit 1 when a package's verdict is at or above this. */
  failOn: 'block' | 'warn';
  /** Treat `unverified` as a block. */
  failClosed: boolean;
  allow: Record<Ecosystem, AllowEntry[]>;
  /** `monitor`: judge and report everything, refuse nothing (a gradual rollout). Absent: `enforce`. */
  mode?: RunMode;
}

/** How a run acts on what it finds: `enforce` refuses, `monitor` only reports and logs. */
export const RUN_MODES = ['enforce', 'monitor'] as const;
/** One of {@link RUN_MODES}. */
export type RunMode = (typeof RUN_MODES)[number];

// ---------------------------------------------------------------------------
// report
// ---------------------------------------------------------------------------

/** The verdict for one package, with the facts behind it and every place it was found. */
export interface PackageResult {
  ecosystem: Ecosystem;
  name: string;
  verdict: Verdict;
  findings: Finding[];
  origins: Origin[];
  /** The specs it was asked with (deduplicated). */
  specs?: string[];
  /** A compact view of the facts (age, downloads) for people; absent when never looked up. */
  facts?: Pick<
    PackageFacts,
    'status' | 'created' | 'latestVersion' | 'latestPublish' | 'weeklyDownloads' | 'downloadsSource' | 'repository' | 'registry'
  >;
}

export interface Summary {
  checked: number;
  ok: number;
  warn: number;
  block: number;
  unknown: number;
}

/** What check() returns: JSON schema version 1. */
export interface Report {
  schemaVersion: 1;
  summary: Summary;
  packages: PackageResult[];
  /** Located notes from sources and extractors (not-from-registry, malformed files, ...). */
  notes: ExtractNote[];
  /** Allowlist entries past their `until` date. */
  expiredAllowlist?: Array<AllowEntry & { ecosystem: Ecosystem }>;
  /** Warnings about slopguard itself (stale data, unwritable cache). */
  warnings?: string[];
  /** Which config sources applied to this run and whether each was trusted (see policy/settings.ts). */
  config?: { sources: ConfigSource[] };
  /** Present only in monitor mode: findings are reported, nothing is refused (exit 0). */
  mode?: 'monitor';
  /** The package managers' own age settings found (check, scan), their drift and unreadable ones; absent when none. */
  ageGates?: AgeGatesReport;
}

/** Where a config source sits in the trust model. `environment` and `flags` are listed only when something of theirs was not applied. */
export type ConfigSourceKind = 'system' | 'user' | 'project' | 'explicit' | 'environment' | 'flags';

/** One config source of a run: trusted sources apply in full; an untrusted one only tightens. */
export interface ConfigSource {
  kind: ConfigSourceKind;
  /** Absolute path (or `SLOPGUARD_*` / `command line`). */
  path: string;
  trusted: boolean;
  /** The system config is locked: nothing below it may loosen it. */
  locked?: true;
  /** The project config was read at this git revision (a change's base), not from the work tree. */
  revision?: string;
  /** What was not applied, as `field: value (why)`. */
  ignored?: string[];
}

/** Exit codes (contract): 0 nothing at or above failOn; 1 something is; 2 usage/config/input; 3 unverified. */
export const EXIT = { OK: 0, FAIL: 1, USAGE: 2, UNVERIFIED: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// ---------------------------------------------------------------------------
// stage interfaces
// ---------------------------------------------------------------------------

/** An included file that was not read, and why (worded; never quotes the file). */
export interface IncludeProblem {
  /** `refused`: the trust boundary would not read it (a `refused` note, packages unverified); `unreadable`: missing or not text. */
  problem: 'refused' | 'unreadable';
  /** Completes "the included file …", e.g. `is outside the repository being checked`. */
  message: string;
}

/** Services an extractor may use (requirements `-r` includes read other files). */
export interface ExtractContext {
  /**
   * Read a file named from inside `fromPath` (relative to its directory). Returns a problem (or
   * undefined) when it was not read; the extractor then leaves a note at the including line.
   */
  readRelative?(fromPath: string, relPath: string): { path: string; text: string } | IncludeProblem | undefined;
}

/** One extractor per format, registered in src/extractors/index.ts. */
export interface Extractor {
  /** Stable id, e.g. `package-lock`, `yarn-lock`, `requirements`. */
  id: string;
  /** Human name of the format, e.g. `package-lock.json (v1-v3)`. */
  format: string;
  ecosystem: Ecosystem;
  /**
   * Formats that name packages of several registries (an MCP config starts `npx` and `uvx`
   * servers; agent instructions hold npm and pip commands): every registry its refs may name.
   * Default: `[ecosystem]`.
   */
  ecosystems?: readonly Ecosystem[];
  kind: 'manifest' | 'lockfile';
  /** Whether this extractor reads the file at `path` (decided by its base name). */
  matches(path: string): boolean;
  /** Never throws for bad input: a malformed document gives a `malformed` error note. */
  extract(doc: SourceDocument, ctx?: ExtractContext): ExtractResult;
}

/** Which facts a caller needs; the resolver skips requests whose answers nobody will read. */
export interface FactNeeds {
  /** Creation date, deprecation, scripts: the full packument on npm. */
  metadata: boolean;
  downloads: boolean;
}

/** The resolver: registry clients behind a cache. A 404 is a fact; a timeout is `unverified`. */
export interface Resolver {
  resolve(ecosystem: Ecosystem, name: string, needs?: FactNeeds): Promise<PackageFacts>;
  /** Prefetch downloads for many names at once (npm bulk API); optional optimisation. */
  prefetchDownloads?(ecosystem: Ecosystem, names: string[]): Promise<void>;
  /** Counters for benchmarks and tests: requests sent per endpoint kind, cache hits. */
  stats(): ResolverStats;
  /** Close keep-alive connections. */
  close(): Promise<void>;
}

export interface ResolverStats {
  requests: Record<string, number>;
  cacheHits: number;
  cacheMisses: number;
  revalidated: number;
}

/** Where the registries are, as the user configured them (see policy/registry-config). */
export interface RegistrySettings {
  /** Default npm registry, with trailing slash. */
  npmRegistry: string;
  /** `@scope` -> registry URL, from `.npmrc` `@scope:registry=`. */
  npmScopes: Record<string, string>;
  /** Flat npmrc keys (auth: `//host/:_authToken`, ...) handed to npm-registry-fetch as they are. */
  npmrc: Record<string, string>;
  npmDownloadsApi: string;
  /** Base of PyPI's JSON API (`<url>/pypi/<name>/json`) and default simple API (`<url>/simple/`). */
  pypiUrl: string;
  /** A private simple index from `PIP_INDEX_URL` / pip.conf, when the user has one. */
  pypiIndexUrl?: string;
  /**
   * Config `privateIndex`: true, the index-url only has private packages; false, it mirrors public
   * PyPI (names public PyPI has are judged as public). Unset: asked of the index once.
   */
  pypiIndexPrivate?: boolean;
  /**
   * `extra-index-url`s from `PIP_EXTRA_INDEX_URL` / pip.conf (with trailing slash): pip also
   * installs from these, so a name the main index does not have is looked for there before it
   * is called missing.
   */
  pypiExtraIndexUrls?: string[];
  pypistatsApi: string;
}
