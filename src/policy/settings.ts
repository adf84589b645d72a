import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { AllowEntry, Ecosystem, Policy } from '../core/types.js';
import { DEFAULT_NETWORK, DEFAULT_POLICY } from './defaults.js';
import { findConfigFile, readConfigFile, type ConfigFile } from './config-file.js';

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
  /** commander turns `--no-cache` into `cache: false`. */
  cache?: boolean;
  offline?: boolean;
  /** Seconds. */
  timeout?: string | number;
  concurrency?: string | number;
}

/** Everything a run needs to know, merged once: defaults < config file < env < flags. */
export interface Settings {
  policy: Policy;
  registryOverrides: RegistryOverrides;
  cacheDir: string;
  noCache: boolean;
  offline: boolean;
  timeoutMs: number;
  concurrency: number;
  /** The config file used, if any. */
  configFile?: string;
}

type Env = Record<string, string | undefined>;

/** The per-user cache directory, following each platform's convention. */
export function defaultCacheDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'slopguard', 'Cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'slopguard');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slopguard');
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

/** `name`, `npm:name`, `pypi:name` -> an allow entry for this run. */
function oneOffAllow(spec: string, reason: string): { ecosystem: Ecosystem; entry: AllowEntry } {
  const m = /^(npm|pypi):(.+)$/.exec(spec);
  return m ? { ecosystem: m[1] as Ecosystem, entry: { name: m[2]!, reason } } : { ecosystem: 'npm', entry: { name: spec, reason } };
}

function applyConfig(policy: Policy, config: ConfigFile): Policy {
  return {
    thresholds: { ...policy.thresholds, ...config.thresholds },
    severities: { ...policy.severities, ...config.severities },
    failOn: config.failOn ?? policy.failOn,
    failClosed: config.failClosed ?? policy.failClosed,
    allow: {
      npm: [...policy.allow.npm, ...(config.allow?.npm ?? [])],
      pypi: [...policy.allow.pypi, ...(config.allow?.pypi ?? [])],
    },
  };
}

/**
 * Merge defaults < config file < env < flags. Throws ConfigError (exit 2) naming the file or
 * variable and the field for anything invalid.
 */
export function loadSettings(flags: SettingFlags, env: Env, cwd: string): Settings {
  const explicit = flags.config ?? env.SLOPGUARD_CONFIG;
  const configPath = explicit !== undefined ? resolve(cwd, explicit) : findConfigFile(cwd);
  const loaded = configPath ? readConfigFile(configPath, cwd) : undefined;
  let policy = loaded ? applyConfig(DEFAULT_POLICY, loaded.config) : { ...DEFAULT_POLICY };
  let timeoutMs = loaded?.config.timeout !== undefined ? loaded.config.timeout * 1000 : DEFAULT_NETWORK.timeoutMs;

  // Environment.
  const E = 'environment';
  const thresholds = { ...policy.thresholds };
  if (env.SLOPGUARD_FAIL_ON) policy.failOn = failOnValue(env.SLOPGUARD_FAIL_ON, E, 'SLOPGUARD_FAIL_ON');
  if (env.SLOPGUARD_FAIL_CLOSED !== undefined) policy.failClosed = bool(env.SLOPGUARD_FAIL_CLOSED, E, 'SLOPGUARD_FAIL_CLOSED');
  if (env.SLOPGUARD_MIN_AGE_DAYS) thresholds.minAgeDays = wholeNumber(env.SLOPGUARD_MIN_AGE_DAYS, E, 'SLOPGUARD_MIN_AGE_DAYS');
  if (env.SLOPGUARD_MIN_WEEKLY_DOWNLOADS)
    thresholds.minWeeklyDownloads = wholeNumber(env.SLOPGUARD_MIN_WEEKLY_DOWNLOADS, E, 'SLOPGUARD_MIN_WEEKLY_DOWNLOADS');
  if (env.SLOPGUARD_TIMEOUT) timeoutMs = positiveSeconds(env.SLOPGUARD_TIMEOUT, E, 'SLOPGUARD_TIMEOUT') * 1000;
  const envAllow = (env.SLOPGUARD_ALLOW ?? '').split(/[\s,]+/).filter(Boolean).map((s) => oneOffAllow(s, 'allowed by SLOPGUARD_ALLOW'));

  // Flags.
  const F = 'command line';
  if (flags.failOn !== undefined) policy.failOn = failOnValue(flags.failOn, F, '--fail-on');
  if (flags.failClosed) policy.failClosed = true;
  if (flags.minAgeDays !== undefined) thresholds.minAgeDays = wholeNumber(flags.minAgeDays, F, '--min-age-days');
  if (flags.minDownloads !== undefined) thresholds.minWeeklyDownloads = wholeNumber(flags.minDownloads, F, '--min-downloads');
  if (flags.timeout !== undefined) timeoutMs = positiveSeconds(flags.timeout, F, '--timeout') * 1000;
  const flagAllow = (flags.allow ?? []).map((s) => oneOffAllow(s, 'allowed on the command line'));

  const oneOff = [...envAllow, ...flagAllow];
  policy = {
    ...policy,
    thresholds,
    allow: {
      // One-off allows come first so their reason is the one reported.
      npm: [...oneOff.filter((a) => a.ecosystem === 'npm').map((a) => a.entry), ...policy.allow.npm],
      pypi: [...oneOff.filter((a) => a.ecosystem === 'pypi').map((a) => a.entry), ...policy.allow.pypi],
    },
  };

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
  if (loaded?.config.privateIndex !== undefined) overrides.pypiIndexPrivate = loaded.config.privateIndex;

  const concurrency =
    flags.concurrency !== undefined ? wholeNumber(flags.concurrency, F, '--concurrency', 1) : DEFAULT_NETWORK.concurrency;

  const settings: Settings = {
    policy,
    registryOverrides: overrides,
    cacheDir: resolve(cwd, flags.cacheDir ?? (env.SLOPGUARD_CACHE_DIR || defaultCacheDir(env))),
    noCache: flags.cache === false || bool(env.SLOPGUARD_NO_CACHE ?? '', E, 'SLOPGUARD_NO_CACHE'),
    offline: flags.offline === true || bool(env.SLOPGUARD_OFFLINE ?? '', E, 'SLOPGUARD_OFFLINE'),
    timeoutMs,
    concurrency,
  };
  if (loaded) settings.configFile = loaded.path;
  return settings;
}
