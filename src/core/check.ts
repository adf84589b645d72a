import { DEFAULT_POLICY, DATA_STALE_DAYS } from '../policy/defaults.js';
import { expiredEntries, findAllowEntry } from '../policy/allowlist.js';
import { judge, verdictOf } from '../policy/verdict.js';
import { messageFor } from '../reporters/messages.js';
import { downloadThresholds, SIGNALS } from '../signals/index.js';
import { addTargetEvidence } from '../signals/typo-target.js';
import { FULL_NEEDS, planFetches } from '../registry/fetch-plan.js';
import { dataAgeDays, getPopularIndex } from '../similarity/index.js';
import { openResolver } from './open-resolver.js';
import { summarize } from './summary.js';
import { resolveDataDir } from '../data/location.js';
import { npmNameProblem, parseSpecs } from './specs.js';
import { PYPI_NAME, packageKey } from './names.js';
import type {
  ConfigSource,
  Ecosystem,
  ExtractNote,
  Finding,
  Origin,
  PackageFacts,
  PackageRef,
  PackageResult,
  Policy,
  PopularIndex,
  RegistrySettings,
  Report,
  Resolver,
  Signal,
  SignalContext,
} from './types.js';

/** Options for check(). Everything that touches the world can be injected. */
export interface CheckOptions {
  /** The merged policy (policy/settings.ts); defaults when absent. */
  policy?: Policy;
  /** A resolver to use; when absent one is created from the options below and closed afterwards. */
  resolver?: Resolver;
  /** Registry locations; when absent they are read from the user's npm and pip config. */
  registries?: RegistrySettings;
  /** Explicit registry overrides (flags / SLOPGUARD_* env), applied over npm/pip config. */
  registryOverrides?: Partial<Pick<RegistrySettings, 'npmRegistry' | 'npmDownloadsApi' | 'pypiUrl' | 'pypistatsApi' | 'pypiIndexPrivate'>>;
  cacheDir?: string;
  /** A shared cache behind the disk cache (`redis://HOST:PORT[/DB]`). */
  cacheUrl?: string;
  /**
   * A central slopguard service (`slopguard serve`) that judges instead of the registries being
   * asked from here: `POST <server>/v1/check` with the names (never file contents). What it does
   * not answer, or answers malformed, is unverified.
   */
  server?: string;
  noCache?: boolean;
  offline?: boolean;
  timeoutMs?: number;
  concurrency?: number;
  /** For reading .npmrc / pip.conf when `registries` is absent. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  now?: () => Date;
  /** Notes from sources and extractors, carried into the report. */
  notes?: ExtractNote[];
  /** The popular-name index; the bundled data by default. */
  popular?: (ecosystem: Ecosystem) => PopularIndex;
  /** Called after each package is judged. */
  onProgress?: (done: number, total: number) => void;
  /** Warnings about slopguard itself (stale data, unwritable cache). */
  warn?: (message: string) => void;
  /**
   * Whether a project file may be used in full: a project `.npmrc`'s `${VAR}` is expanded (and
   * the token sent) only when this says so. Absent: no project file is trusted.
   */
  trustedProjectFile?: (path: string, bytes: Buffer) => boolean;
  /** The config sources behind `policy`, carried into the report (Report.config). */
  configSources?: ConfigSource[];
}

/** One package to judge, with every place it was found. */
interface Group {
  ecosystem: Ecosystem;
  name: string;
  refs: PackageRef[];
}

function groupRefs(refs: readonly PackageRef[]): Group[] {
  const groups = new Map<string, Group>();
  for (const ref of refs) {
    const k = packageKey(ref.ecosystem, ref.name);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ecosystem: ref.ecosystem, name: ref.name, refs: [] }));
    g.refs.push(ref);
  }
  return [...groups.values()];
}

function originsOf(g: Group): Origin[] {
  const seen = new Set<string>();
  const out: Origin[] = [];
  for (const r of g.refs) {
    if (!r.origin) continue;
    const k = `${r.origin.file}:${r.origin.line ?? ''}:${r.origin.column ?? ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(r.origin);
    }
  }
  return out;
}

function specsOf(g: Group): string[] | undefined {
  const specs = [...new Set(g.refs.map((r) => r.spec).filter((s): s is string => !!s))];
  return specs.length ? specs : undefined;
}

function factsView(f: PackageFacts): PackageResult['facts'] {
  const view: NonNullable<PackageResult['facts']> = { status: f.status, registry: f.registry };
  if (f.created) view.created = f.created;
  if (f.latestVersion) view.latestVersion = f.latestVersion;
  if (f.latestPublish) view.latestPublish = f.latestPublish;
  if (f.weeklyDownloads !== undefined) view.weeklyDownloads = f.weeklyDownloads;
  if (f.downloadsSource) view.downloadsSource = f.downloadsSource;
  if (f.repository) view.repository = f.repository;
  return view;
}


/**
 * When PyPI cannot be reached, the bundled complete list of PyPI project names still settles
 * "does it exist": a name absent from it is reported not-found (with the list's date). A name
 * present stays unverified: existing is not the same as safe.
 */
function withOfflineFallback(facts: PackageFacts, popular: (e: Ecosystem) => PopularIndex): PackageFacts {
  // A private index serves names public PyPI never had: the public list says nothing about them.
  if (facts.status !== 'unverified' || facts.ecosystem !== 'pypi' || facts.privateRegistry || facts.extraIndexes) return facts;
  const index = popular('pypi');
  if (index.exists(facts.name) !== false) return facts;
  return { ...facts, status: 'not-found', offlineList: index.snapshotDate };
}

/** A name that must not reach a registry (it cannot be a real package, or it is a trick). */
function invalidName(ref: PackageRef): string | undefined {
  if (ref.ecosystem === 'npm') return npmNameProblem(ref.name);
  return PYPI_NAME.test(ref.name) ? undefined : 'not a valid PyPI project name (PEP 508)';
}

/**
 * The whole pipeline after extraction: resolve facts for each distinct package, run the signals,
 * apply the policy, and return a Report (JSON schema v1). Strings are read as command-line specs.
 * Never reports `ok` for a package nobody could check.
 */
export async function check(input: ReadonlyArray<PackageRef | string>, options: CheckOptions = {}): Promise<Report> {
  const now = (options.now ?? (() => new Date()))();
  const policy = options.policy ?? DEFAULT_POLICY;
  // The data the user's environment points at (a `slopguard data update` copy, or the bundled one).
  const data = { dataDir: resolveDataDir(options.env ?? process.env) };
  const popular = options.popular ?? ((eco: Ecosystem) => getPopularIndex(eco, data));
  const notes: ExtractNote[] = [...(options.notes ?? [])];
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
    options.warn?.(m);
  };

  const refs: PackageRef[] = [];
  const strings = input.filter((x): x is string => typeof x === 'string');
  if (strings.length) {
    const parsed = parseSpecs(strings, 'npm');
    refs.push(...parsed.refs);
    for (const e of parsed.errors) notes.push({ level: 'error', code: 'invalid-name', message: e, origin: { file: '<args>' } });
  }
  for (const x of input) if (typeof x !== 'string') refs.push(x);

  // Only registry refs are looked up; extractors already left a note for the others.
  const lookups: Group[] = [];
  const results = new Map<string, PackageResult>();
  for (const g of groupRefs(refs.filter((r) => (r.source ?? 'registry') === 'registry'))) {
    const problem = invalidName(g.refs[0]!);
    if (problem) {
      notes.push({ level: 'error', code: 'invalid-name', message: `\`${g.name}\`: ${problem}; not looked up`, origin: g.refs[0]!.origin ?? { file: '<input>' }, name: g.name, ecosystem: g.ecosystem });
      continue;
    }
    const allowed = findAllowEntry(policy, g.ecosystem, g.name, now);
    if (allowed && !allowed.expired) {
      const signal: Signal = { code: 'allowlisted', evidence: { reason: allowed.entry.reason, until: allowed.entry.until ?? null } };
      const finding: Finding = { code: 'allowlisted', severity: 'info', message: messageFor(signal, g.ecosystem, g.name), evidence: signal.evidence };
      const result: PackageResult = { ecosystem: g.ecosystem, name: g.name, verdict: 'ok', findings: [finding], origins: originsOf(g) };
      const specs = specsOf(g);
      if (specs) result.specs = specs;
      results.set(packageKey(g.ecosystem, g.name), result);
      continue;
    }
    lookups.push(g);
  }

  if (lookups.length && options.server) {
    // A central service judges (its cache and policy for every runner); origins and notes stay local.
    const { judgeRemotely } = await import('../registry/remote-judge.js');
    const answers = await judgeRemotely(lookups, { server: options.server, timeoutMs: options.timeoutMs ?? 15_000 }, policy.failClosed);
    for (const g of lookups) {
      const key = packageKey(g.ecosystem, g.name);
      const r = answers.get(key)!;
      const result: PackageResult = { ...r, origins: originsOf(g) };
      const specs = specsOf(g);
      if (specs) result.specs = specs;
      results.set(key, result);
    }
  } else if (lookups.length) {
    // What to ask for each name (registry/fetch-plan.ts): downloads the bundled list settles are
    // not asked for; on a real lockfile that is most names, and for scoped ones a request each.
    const plan = planFetches(lookups, { index: popular, thresholds: downloadThresholds(policy), now, key: packageKey });
    if (!options.popular && plan.preload) {
      for (const eco of new Set(lookups.map((g) => g.ecosystem))) {
        try {
          getPopularIndex(eco, { ...data, preload: true });
        } catch {
          // Missing or corrupt data is reported where a question needs it, as without preloading.
        }
      }
    }
    const resolver = options.resolver ?? (await openResolver({ ...options, warn }));
    try {
      const { settled } = plan;
      if (plan.npmDownloads.length > 1 && resolver.prefetchDownloads) await resolver.prefetchDownloads('npm', plan.npmDownloads);
      let done = 0;
      await Promise.all(
        lookups.map(async (g) => {
          const listed = settled.get(packageKey(g.ecosystem, g.name));
          let asked = await resolver.resolve(g.ecosystem, g.name, listed === undefined ? FULL_NEEDS : plan.settledNeeds);
          if (listed !== undefined && asked.status === 'found' && !asked.privateRegistry && asked.weeklyDownloads === undefined) {
            asked = { ...asked, weeklyDownloads: listed, downloadsSource: 'popular-list' };
          }
          const facts = withOfflineFallback(asked, popular);
          const ctx: SignalContext = { ref: g.refs[0]!, facts, popular, now, policy };
          const signals = SIGNALS.flatMap((s): Signal[] => s.evaluate(ctx));
          // A blocking look-alike is compared with its target: the same owner, or the older name.
          await addTargetEvidence(signals, ctx, resolver);
          const findings = judge(signals, ctx);
          const result: PackageResult = {
            ecosystem: g.ecosystem,
            name: g.name,
            verdict: verdictOf(findings),
            findings,
            origins: originsOf(g),
            facts: factsView(facts),
          };
          const specs = specsOf(g);
          if (specs) result.specs = specs;
          results.set(packageKey(g.ecosystem, g.name), result);
          options.onProgress?.(++done, lookups.length);
        }),
      );
    } finally {
      if (!options.resolver) await resolver.close();
    }
    if (!options.popular) {
      const age = dataAgeDays(now, data);
      if (age > DATA_STALE_DAYS) warn(`the popular-package data is ${age} days old; run \`npm run data:refresh\` or update slopguard (stale lists cause false typo alarms)`);
    }
  }

  // Report in the order names were first found.
  const packages = groupRefs(refs)
    .map((g) => results.get(packageKey(g.ecosystem, g.name)))
    .filter((r): r is PackageResult => r !== undefined);
  const report: Report = { schemaVersion: 1, summary: summarize(packages), packages, notes };
  const expired = expiredEntries(policy, now);
  if (expired.length) report.expiredAllowlist = expired;
  if (warnings.length) report.warnings = warnings;
  if (options.configSources?.length) report.config = { sources: options.configSources };
  return report;
}
