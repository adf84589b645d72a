import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { RUN_MODES, type AllowEntry, type ConfigSource, type Ecosystem, type Policy, type RunMode, type Thresholds } from '../core/types.js';
import { DEFAULT_NETWORK, DEFAULT_POLICY } from './defaults.js';
import { findConfigFile, readConfigFile, type ConfigFile, type LoadedConfig } from './config-file.js';
import { homeOf, systemConfigPath, userCacheDir, trustStorePath, userConfigPath } from './config-paths.js';
import { applyLayer, tightenOnly, type Guarded } from './tightness.js';
import { isTrusted, readTrustStore, sha256, trustedContent, type TrustStore } from './trust-store.js';
import { cacheUrlProblem } from '../registry/cache-url.js';

/** Registry locations given explicitly (flags or SLOPGUARD_* env); the rest comes from npm/pip config. */
export interface RegistryOverrides {
  npmRegistry?: string;
  npmDownloadsApi?: string;
  pypiUrl?: string;
  pypistatsApi?: string;
  /** Config `privateIndex` only (no flag): whether pip's index-url is private or a public mirror. */
  pypiIndexPrivate?: boolean;
}

/** Options that can come from flags. Every field optional: absent means "not given". */
export interface SettingFlags extends RegistryOverrides {
  config?: string;
  failOn?: string;
  failClosed?: boolean;
  /** Names allowed for this run only (`name` or `pypi:name`). */
  allow?: string[];
  minAgeDays?: string | number;
  minDownloads?: string | number;
  cacheDir?: string;
  cacheUrl?: string;
  /** `--server URL`: a central slopguard service judges (see registry/remote-judge.ts). */
  server?: string;
  /** commander turns `--no-cache` into `cache: false`. */
  cache?: boolean;
  offline?: boolean;
  /** Seconds. */
  timeout?: string | number;
  concurrency?: string | number;
  /** `--trust-project`: apply the project's own config in full (CI on the default branch). */
  trustProject?: boolean;
  /** `--monitor`: report and log everything, refuse nothing. */
  monitor?: boolean;
  /** `--audit-log <file|->`: append one JSON line per decision. */
  auditLog?: string;
}

/** Where audit records go, and who chose it (see src/audit/). */
export interface AuditLogSetting {
  /** An absolute file path, or `stderr` (`-` is normalised to it). */
  target: string;
  /** Rotation size in bytes. */
  maxBytes: number;
  /** The source that chose it: a config path, `SLOPGUARD_AUDIT_LOG` or `--audit-log`. */
  source: string;
  /** Chosen by a locked system config: nothing else may move it. */
  locked?: true;
}

/** Default rotation size of the audit log. */
export const DEFAULT_AUDIT_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** Everything a run needs to know, merged once (see loadSettings for the sources and their trust). */
export interface Settings {
  policy: Policy;
  registryOverrides: RegistryOverrides;
  cacheDir: string;
  /** A shared cache (Redis/Valkey) behind the disk cache: flag, SLOPGUARD_CACHE_URL or config `cacheUrl`. */
  cacheUrl?: string;
  /** A central slopguard service that judges instead: `--server` or SLOPGUARD_SERVER (never a project's config). */
  server?: string;
  noCache: boolean;
  offline: boolean;
  timeoutMs: number;
  concurrency: number;
  /** The project (or --config) file used, if any. */
  configFile?: string;
  /** Which config sources applied, whether each was trusted, and what was not applied (Report.config). */
  config?: { sources: ConfigSource[] };
  /** Where audit records go; absent: no audit log (the default). */
  auditLog?: AuditLogSetting;
  /** Whether a project file may be used in full (a project `.npmrc`'s `${VAR}`), see npmrc.ts. */
  trustedProjectFile?: (path: string, bytes: Buffer) => boolean;
  /** Config `minReleaseAgeDays` (serve's age gate) and the file it came from. */
  minReleaseAge?: AgeGateSetting;
  /** A locked system config's `minReleaseAgeDays`: no flag or variable lowers the gate below it. */
  minReleaseAgeFloor?: AgeGateSetting;
}

/** An age gate in days and the config file that set it. */
export interface AgeGateSetting {
  days: number;
  source: string;
}

type Env = Record<string, string | undefined>;

/** The per-user cache directory, following each platform's convention (policy/config-paths.ts). */
export function defaultCacheDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  return userCacheDir(env, platform);
}

function wholeNumber(value: string | number, where: string, field: string, min = 0): number {
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < min) {
    throw new ConfigError(where, field, `expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function positiveSeconds(value: string | number, where: string, field: string): number {
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(where, field, `expected a number of seconds > 0, got ${JSON.stringify(value)}`);
  return n;
}

function failOnValue(value: string, where: string, field: string): 'block' | 'warn' {
  if (value === 'block' || value === 'warn') return value;
  throw new ConfigError(where, field, `expected "block" or "warn", got ${JSON.stringify(value)}`);
}

function bool(value: string, where: string, field: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(where, field, `expected true or false, got ${JSON.stringify(value)}`);
}

function url(value: string, where: string, field: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    return value;
  } catch {
    throw new ConfigError(where, field, `expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
}

/** One-off allows as a config layer's `allow`. */
function allowOf(list: Array<{ ecosystem: Ecosystem; entry: AllowEntry }>): NonNullable<ConfigFile['allow']> {
  return { npm: list.filter((a) => a.ecosystem === 'npm').map((a) => a.entry), pypi: list.filter((a) => a.ecosystem === 'pypi').map((a) => a.entry) };
}

/**
 * The cache directory. A relative SLOPGUARD_CACHE_DIR would land inside whatever repository the
 * run is in (a cache shipped there, say): refused. A relative --cache-dir was typed by the user
 * and is resolved against the working directory.
 */
function cacheDirOf(flags: SettingFlags, env: Env, cwd: string): string {
  if (flags.cacheDir !== undefined) return resolve(cwd, flags.cacheDir);
  const fromEnv = env.SLOPGUARD_CACHE_DIR;
  if (fromEnv && !isAbsolute(fromEnv)) {
    throw new ConfigError('environment', 'SLOPGUARD_CACHE_DIR', `expected an absolute path, got ${JSON.stringify(fromEnv)} (a relative one would point into the project being checked)`);
  }
  return fromEnv || defaultCacheDir(env);
}

function modeValue(value: string, where: string, field: string): RunMode {
  const v = value.trim().toLowerCase();
  if ((RUN_MODES as readonly string[]).includes(v)) return v as RunMode;
  throw new ConfigError(where, field, `expected ${RUN_MODES.join(' or ')}, got ${JSON.stringify(value)}`);
}

/** `-` and `stderr` mean standard error; a path is resolved against `base`. */
function auditTarget(value: string, base: string): string {
  return value === '-' || value === 'stderr' ? 'stderr' : resolve(base, value);
}

function cacheUrlOf(value: string | undefined, where: string, field: string): string | undefined {
  if (value === undefined) return undefined;
  const problem = cacheUrlProblem(value);
  if (problem) throw new ConfigError(where, field, problem);
  return value;
}

/** `name`, `npm:name`, `pypi:name` -> an allow entry for this run. */
function oneOffAllow(spec: string, reason: string): { ecosystem: Ecosystem; entry: AllowEntry } {
  const m = /^(npm|pypi):(.+)$/.exec(spec);
  return m ? { ecosystem: m[1] as Ecosystem, entry: { name: m[2]!, reason } } : { ecosystem: 'npm', entry: { name: spec, reason } };
}

/** A project config read somewhere other than the disk: the base revision's, trusted there. */
export interface ProjectConfigOverride {
  /** Absolute path the file has in the work tree. */
  path: string;
  config: ConfigFile;
  /** The revision it was read at (`origin/main`, `HEAD`). */
  revision: string;
  /**
   * SHA-256 of its trusted content. Given when the base is the local HEAD (pre-commit, `diff
   * --staged`): anyone with the working copy, an agent included, can commit to it, so it is
   * trusted only when the user trusted that content (`slopguard trust`) or `--trust-project`.
   */
  requireTrust?: { hash: string };
}

/** How loadSettings finds the project config. */
export interface LoadSettingsOptions {
  /**
   * The project config to use instead of searching the disk: the base revision's (trusted), or
   * `null` when the base had none. Absent: searched from cwd.
   */
  project?: ProjectConfigOverride | null;
  platform?: NodeJS.Platform;
}

function readOptional(path: string, cwd: string, opts: { allowLocked?: boolean } = {}): LoadedConfig | undefined {
  if (!existsSync(path)) return undefined;
  return readConfigFile(path, cwd, opts);
}

/**
 * Merge every config source once. Trusted: flags, `SLOPGUARD_*` env, the user's config, the
 * system config, and a project config the user trusted (`slopguard trust`, `--trust-project`,
 * `SLOPGUARD_TRUST_PROJECT=1`) or that comes from a change's base revision. Precedence, later
 * winning: defaults < system < project < user < env < flags. An untrusted project config only
 * tightens; a locked system config is a floor nothing after it may loosen. Throws ConfigError
 * (exit 2) naming the file or variable and every bad field.
 */
export function loadSettings(flags: SettingFlags, env: Env, cwd: string, opts: LoadSettingsOptions = {}): Settings {
  const home = homeOf(env);
  const sources: ConfigSource[] = [];
  const trustProject = flags.trustProject === true || bool(env.SLOPGUARD_TRUST_PROJECT ?? '', 'environment', 'SLOPGUARD_TRUST_PROJECT');
  let policy: Policy = { ...DEFAULT_POLICY };
  let timeoutS: number | undefined;
  let configCacheUrl: { value: string; path: string } | undefined;
  let configPrivateIndex: boolean | undefined;
  let floor: Policy | undefined;
  let configAudit: AuditLogSetting | undefined;
  let auditMaxBytes: number | undefined;
  let configAge: AgeGateSetting | undefined;
  let ageFloor: AgeGateSetting | undefined;
  const layer = (source: ConfigSource, whole: ConfigFile, untrusted: boolean) => {
    const ref = floor ?? policy;
    const { minReleaseAgeDays: ageDays, ...config } = whole;
    const guarded: Guarded = untrusted || floor ? tightenOnly(config, ref, untrusted) : { applied: config, ignored: [] };
    // An age gate only ever refuses more: an untrusted project may raise it, never lower it, and
    // nothing lowers a locked system config's.
    if (ageDays !== undefined) {
      const least = Math.max(untrusted ? (configAge?.days ?? 0) : 0, ageFloor?.days ?? 0);
      if (ageDays < least) guarded.ignored.push(`minReleaseAgeDays: ${ageDays} (looser than ${least})`);
      else configAge = { days: ageDays, source: source.path };
    }
    policy = applyLayer(policy, guarded.applied);
    if (guarded.applied.timeout !== undefined) timeoutS = guarded.applied.timeout;
    // Only a trusted layer may name a shared cache (tightenOnly drops it from an untrusted one): a
    // repository pointing it at its own Redis would learn every name checked, and could serve facts.
    if (guarded.applied.cacheUrl !== undefined) configCacheUrl = { value: guarded.applied.cacheUrl, path: source.path };
    // `privateIndex: true` turns typo checks off for the index's names: only a trusted layer may say it.
    if (guarded.applied.privateIndex !== undefined) configPrivateIndex = guarded.applied.privateIndex;
    // The audit trail is the user's or the organisation's evidence: a repository's config (even a
    // trusted one) does not choose where it goes, and a locked system config's choice is final.
    for (const key of ['auditLog', 'auditLogMaxBytes'] as const) {
      const value = guarded.applied[key];
      if (value === undefined) continue;
      const why = source.kind === 'project' ? 'a repository does not choose where the audit trail goes' : configAudit?.locked && source.kind !== 'system' ? 'the locked system config chose the audit log' : undefined;
      if (why) guarded.ignored.push(`${key}: ${JSON.stringify(value)} (${why})`);
      else if (key === 'auditLogMaxBytes') auditMaxBytes = value as number;
      else configAudit = { target: auditTarget(value as string, dirname(source.path)), maxBytes: 0, source: source.path, ...(source.kind === 'system' && config.locked ? { locked: true as const } : {}) };
    }
    if (guarded.ignored.length) source.ignored = [...(source.ignored ?? []), ...guarded.ignored];
  };

  const systemPath = systemConfigPath(env, opts.platform);
  const system = readOptional(systemPath, cwd, { allowLocked: true });
  if (system) {
    const source: ConfigSource = { kind: 'system', path: system.path, trusted: true };
    if (system.config.locked) source.locked = true;
    sources.push(source);
    layer(source, system.config, false);
    // The floor is the whole effective system policy, defaults included: "locked" means what the
    // administrator sees is the least anyone gets.
    if (system.config.locked) floor = policy;
    if (system.config.locked && configAge) ageFloor = configAge;
  }

  const explicit = flags.config ?? env.SLOPGUARD_CONFIG;
  let projectFile: string | undefined;
  if (explicit !== undefined) {
    // A file the user named on the command line or in their environment is theirs: trusted.
    const loaded = readConfigFile(resolve(cwd, explicit), cwd);
    projectFile = loaded.path;
    const source: ConfigSource = { kind: 'explicit', path: loaded.path, trusted: true };
    sources.push(source);
    layer(source, loaded.config, false);
  } else if (opts.project) {
    const need = opts.project.requireTrust;
    const trusted = !need || trustProject || isTrusted(readTrustStore(trustStorePath(env, opts.platform)), opts.project.path, need.hash);
    const source: ConfigSource = { kind: 'project', path: opts.project.path, trusted, revision: opts.project.revision };
    sources.push(source);
    layer(source, opts.project.config, !trusted);
  } else if (opts.project === undefined) {
    const found = findConfigFile(cwd, home);
    if (found) {
      const loaded = readConfigFile(found, cwd);
      projectFile = loaded.path;
      const trusted = trustProject || isTrusted(readTrustStore(trustStorePath(env, opts.platform)), loaded.path, loaded.hash);
      const source: ConfigSource = { kind: 'project', path: loaded.path, trusted };
      sources.push(source);
      layer(source, loaded.config, !trusted);
    }
  }

  const user = readOptional(userConfigPath(env, opts.platform), cwd);
  if (user) {
    const source: ConfigSource = { kind: 'user', path: user.path, trusted: true };
    sources.push(source);
    layer(source, user.config, false);
  }

  // Environment, then flags: each a layer of its own, so a locked floor guards them the same way.
  const E = 'environment';
  const envLayer: ConfigFile = {};
  const envThresholds: Partial<Thresholds> = {};
  if (env.SLOPGUARD_FAIL_ON) envLayer.failOn = failOnValue(env.SLOPGUARD_FAIL_ON, E, 'SLOPGUARD_FAIL_ON');
  if (env.SLOPGUARD_FAIL_CLOSED !== undefined) envLayer.failClosed = bool(env.SLOPGUARD_FAIL_CLOSED, E, 'SLOPGUARD_FAIL_CLOSED');
  if (env.SLOPGUARD_MIN_AGE_DAYS) envThresholds.minAgeDays = wholeNumber(env.SLOPGUARD_MIN_AGE_DAYS, E, 'SLOPGUARD_MIN_AGE_DAYS');
  if (env.SLOPGUARD_MIN_WEEKLY_DOWNLOADS) envThresholds.minWeeklyDownloads = wholeNumber(env.SLOPGUARD_MIN_WEEKLY_DOWNLOADS, E, 'SLOPGUARD_MIN_WEEKLY_DOWNLOADS');
  if (Object.keys(envThresholds).length) envLayer.thresholds = envThresholds;
  if (env.SLOPGUARD_MODE) envLayer.mode = modeValue(env.SLOPGUARD_MODE, E, 'SLOPGUARD_MODE');
  if (env.SLOPGUARD_TIMEOUT) envLayer.timeout = positiveSeconds(env.SLOPGUARD_TIMEOUT, E, 'SLOPGUARD_TIMEOUT');
  const envAllow = (env.SLOPGUARD_ALLOW ?? '').split(/[\s,]+/).filter(Boolean).map((s) => oneOffAllow(s, 'allowed by SLOPGUARD_ALLOW'));
  if (envAllow.length) envLayer.allow = allowOf(envAllow);
  if (Object.keys(envLayer).length) {
    const source: ConfigSource = { kind: 'environment', path: 'SLOPGUARD_*', trusted: true };
    layer(source, envLayer, false);
    if (source.ignored) sources.push(source);
  }

  const F = 'command line';
  const flagLayer: ConfigFile = {};
  const flagThresholds: Partial<Thresholds> = {};
  if (flags.failOn !== undefined) flagLayer.failOn = failOnValue(flags.failOn, F, '--fail-on');
  if (flags.failClosed) flagLayer.failClosed = true;
  if (flags.minAgeDays !== undefined) flagThresholds.minAgeDays = wholeNumber(flags.minAgeDays, F, '--min-age-days');
  if (flags.minDownloads !== undefined) flagThresholds.minWeeklyDownloads = wholeNumber(flags.minDownloads, F, '--min-downloads');
  if (Object.keys(flagThresholds).length) flagLayer.thresholds = flagThresholds;
  if (flags.monitor) flagLayer.mode = 'monitor';
  if (flags.timeout !== undefined) flagLayer.timeout = positiveSeconds(flags.timeout, F, '--timeout');
  const flagAllow = (flags.allow ?? []).map((s) => oneOffAllow(s, 'allowed on the command line'));
  if (flagAllow.length) flagLayer.allow = allowOf(flagAllow);
  if (Object.keys(flagLayer).length) {
    const source: ConfigSource = { kind: 'flags', path: 'command line', trusted: true };
    layer(source, flagLayer, false);
    if (source.ignored) sources.push(source);
  }
  const timeoutMs = timeoutS !== undefined ? timeoutS * 1000 : DEFAULT_NETWORK.timeoutMs;

  const overrides: RegistryOverrides = {};
  const pick = (flag: string | undefined, envName: string, field: string): string | undefined => {
    if (flag !== undefined) return url(flag, F, field);
    const v = env[envName];
    return v ? url(v, E, envName) : undefined;
  };
  const npmRegistry = pick(flags.npmRegistry, 'SLOPGUARD_NPM_REGISTRY', '--npm-registry');
  const npmDownloadsApi = pick(flags.npmDownloadsApi, 'SLOPGUARD_NPM_DOWNLOADS_API', '--npm-downloads-api');
  const pypiUrl = pick(flags.pypiUrl, 'SLOPGUARD_PYPI_URL', '--pypi-url');
  const pypistatsApi = pick(flags.pypistatsApi, 'SLOPGUARD_PYPISTATS_API', '--pypistats-api');
  if (npmRegistry) overrides.npmRegistry = npmRegistry;
  if (npmDownloadsApi) overrides.npmDownloadsApi = npmDownloadsApi;
  if (pypiUrl) overrides.pypiUrl = pypiUrl;
  if (pypistatsApi) overrides.pypistatsApi = pypistatsApi;
  if (configPrivateIndex !== undefined) overrides.pypiIndexPrivate = configPrivateIndex;

  const concurrency =
    flags.concurrency !== undefined ? wholeNumber(flags.concurrency, F, '--concurrency', 1) : DEFAULT_NETWORK.concurrency;

  const settings: Settings = {
    policy,
    registryOverrides: overrides,
    cacheDir: cacheDirOf(flags, env, cwd),
    noCache: flags.cache === false || bool(env.SLOPGUARD_NO_CACHE ?? '', E, 'SLOPGUARD_NO_CACHE'),
    offline: flags.offline === true || bool(env.SLOPGUARD_OFFLINE ?? '', E, 'SLOPGUARD_OFFLINE'),
    timeoutMs,
    concurrency,
  };
  const cacheUrl = cacheUrlOf(flags.cacheUrl, F, '--cache-url') ?? cacheUrlOf(env.SLOPGUARD_CACHE_URL || undefined, E, 'SLOPGUARD_CACHE_URL') ?? cacheUrlOf(configCacheUrl?.value, configCacheUrl?.path ?? '', 'cacheUrl');
  if (cacheUrl) settings.cacheUrl = cacheUrl;
  // Only the user's own flag or environment: a repository must not send every name to a host it picks.
  const server = pick(flags.server, 'SLOPGUARD_SERVER', '--server');
  if (server) settings.server = server;
  const auditLog = auditLogOf(flags, env, cwd, configAudit, sources);
  if (auditLog) settings.auditLog = { ...auditLog, maxBytes: auditMaxBytes ?? DEFAULT_AUDIT_LOG_MAX_BYTES };
  if (projectFile) settings.configFile = projectFile;
  settings.config = { sources };
  settings.trustedProjectFile = projectFileTrust(env, trustProject, opts.platform);
  if (configAge) settings.minReleaseAge = configAge;
  if (ageFloor) settings.minReleaseAgeFloor = ageFloor;
  return settings;
}

/**
 * The audit log: `--audit-log`, else SLOPGUARD_AUDIT_LOG (absolute, `-` or `stderr`: a relative
 * one would land in whatever repository is being checked), else the config's. A locked system
 * config's choice wins over both; what it overrides is listed as not applied.
 */
function auditLogOf(flags: SettingFlags, env: Env, cwd: string, config: AuditLogSetting | undefined, sources: ConfigSource[]): Omit<AuditLogSetting, 'maxBytes'> | undefined {
  const fromEnv = env.SLOPGUARD_AUDIT_LOG || undefined;
  if (fromEnv && fromEnv !== '-' && fromEnv !== 'stderr' && !isAbsolute(fromEnv)) {
    throw new ConfigError('environment', 'SLOPGUARD_AUDIT_LOG', `expected an absolute path, - or stderr, got ${JSON.stringify(fromEnv)} (a relative one would point into the project being checked)`);
  }
  if (config?.locked) {
    const refused = (kind: 'flags' | 'environment', path: string, field: string, value: string) => {
      const ignored = `${field}: ${JSON.stringify(value)} (the locked system config chose the audit log)`;
      const source = sources.find((s) => s.kind === kind);
      if (source) source.ignored = [...(source.ignored ?? []), ignored];
      else sources.push({ kind, path, trusted: true, ignored: [ignored] });
    };
    if (flags.auditLog !== undefined) refused('flags', 'command line', '--audit-log', flags.auditLog);
    if (fromEnv) refused('environment', 'SLOPGUARD_*', 'SLOPGUARD_AUDIT_LOG', fromEnv);
    return config;
  }
  if (flags.auditLog !== undefined) return { target: auditTarget(flags.auditLog, cwd), source: '--audit-log' };
  if (fromEnv) return { target: auditTarget(fromEnv, cwd), source: 'SLOPGUARD_AUDIT_LOG' };
  return config;
}

/**
 * Whether a project file (a project `.npmrc`) may be used with everything it asks for:
 * `--trust-project`, or the user trusted its current content with `slopguard trust`.
 */
function projectFileTrust(env: Env, trustProject: boolean, platform?: NodeJS.Platform): (path: string, bytes: Buffer) => boolean {
  if (trustProject) return () => true;
  let store: TrustStore | undefined;
  return (path, bytes) => {
    try {
      store ??= readTrustStore(trustStorePath(env, platform));
    } catch {
      return false; // an unreadable store trusts nothing
    }
    return isTrusted(store, path, sha256(trustedContent(path, bytes)));
  };
}

/**
 * The system config's path when it locks the policy, else undefined (also when it cannot be
 * read: loadSettings reports that). For doors that can be switched off by the environment
 * (`SLOPGUARD_DISABLE` in the wrappers): a locked policy means they may not be.
 */
export function lockedSystemPolicy(env: Env, cwd: string, platform?: NodeJS.Platform): string | undefined {
  try {
    const system = readOptional(systemConfigPath(env, platform), cwd, { allowLocked: true });
    return system?.config.locked ? system.path : undefined;
  } catch {
    return undefined;
  }
}
