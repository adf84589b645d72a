/**
 * The user's registry configuration, read the way npm and pip read it, as RegistrySettings.
 *
 * npm (@npmcli/config): layers, later winning: global npmrc (`$PREFIX/etc/npmrc`), user
 * (`~/.npmrc` or `userconfig`), project (`.npmrc` in the nearest directory with package.json or
 * node_modules, unless that is the user file), then `npm_config_*` environment variables
 * (case-insensitive; `_` becomes `-` except a leading one and except in `//host/:key` nerf-dart
 * keys). `${VAR}` is expanded in keys and values. npm-registry-fetch reads none of this itself.
 *
 * pip: see pipconf.ts. Explicit overrides (flags and SLOPGUARD_* variables, resolved by the
 * caller) beat both.
 */
import { statSync } from 'node:fs';
import { readSettingsFile } from '../core/settings-file.js';
import { dirname, join, resolve } from 'node:path';
import ini from 'ini';
import type { RegistrySettings } from '../core/types.js';
import { loadPipConfig } from './pipconf.js';

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org/';
export const DEFAULT_NPM_DOWNLOADS_API = 'https://api.npmjs.org';
export const DEFAULT_PYPI_URL = 'https://pypi.org';
export const DEFAULT_PYPISTATS_API = 'https://pypistats.org';

/** Explicit locations (flags / SLOPGUARD_* env); each usable alone. */
export interface RegistryOverrides {
  npmRegistry?: string;
  npmDownloadsApi?: string;
  pypiUrl?: string;
  pypistatsApi?: string;
  /** Config `privateIndex` (see RegistrySettings.pypiIndexPrivate). */
  pypiIndexPrivate?: boolean;
}

/** Inputs of {@link loadRegistrySettings}; everything that touches the machine is injectable. */
export interface LoadRegistrySettingsOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  overrides?: RegistryOverrides;
  /** The global npmrc (default: `globalconfig`, else `<prefix>/etc/npmrc`). */
  globalNpmrc?: string;
  /** pip's global config files (default: XDG_CONFIG_DIRS and /etc). */
  pipGlobalConfigs?: string[];
  platform?: NodeJS.Platform;
  /**
   * Whether the project `.npmrc` may be used in full. An untrusted one (the default) keeps its
   * plain settings, but its `${VAR}` expressions are not expanded: a cloned repository must not
   * pick an environment variable (a CI token) and a host to send it to.
   */
  trustedProjectFile?: (path: string, bytes: Buffer) => boolean;
  /** Told once when an untrusted project `.npmrc` asked for environment variables. */
  warn?: (message: string) => void;
}

// npm's env-replace.js: `${VAR}` (or `${VAR?}`, empty when unset), with backslash escapes.
const ENV_EXPR = /(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g;

/** Expand `${VAR}` as npm does: unset variables stay literal unless written `${VAR?}`. */
export function envReplace(text: string, env: Record<string, string | undefined>): string {
  return text.replace(ENV_EXPR, (orig: string, esc: string, name: string, modifier: string | undefined) => {
    const fallback = modifier === '?' ? '' : `\${${name}}`;
    const val = env[name] !== undefined ? env[name]! : fallback;
    if (esc.length % 2) return orig.slice((esc.length + 1) / 2);
    return esc.slice(esc.length / 2) + val;
  });
}

/** Flatten an ini value to the string form npm-registry-fetch expects. */
function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  // `key[] = a` lists (ca[]); npm joins list values the same way when it exports them.
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string').join('\n');
  return undefined;
}

/** Read one npmrc file into flat keys (empty when missing or unreadable, as npm treats it). */
export function readNpmrc(file: string, env: Record<string, string | undefined>): Record<string, string> {
  return readNpmrcWithTrust(file, env, () => true).conf;
}

/**
 * Read an npmrc; when `trusted` says no, keys or values with a `${VAR}` expression are left out
 * (and named in `withheld`) instead of expanded.
 */
function readNpmrcWithTrust(file: string, env: Record<string, string | undefined>, trusted: (path: string, bytes: Buffer) => boolean): { conf: Record<string, string>; withheld: string[] } {
  // Not readFileSync: a project's `.npmrc` made a FIFO would block the process for good.
  const got = readSettingsFile(file);
  if (got.kind !== 'read') return { conf: {}, withheld: [] };
  const bytes = got.bytes;
  const expand = trusted(file, bytes);
  const out: Record<string, string> = {};
  const withheld: string[] = [];
  for (const [k, v] of Object.entries(ini.parse(bytes.toString('utf8')) as Record<string, unknown>)) {
    const s = asString(v);
    if (s === undefined) continue;
    if (!expand && (ENV_EXPR_TEST.test(k) || ENV_EXPR_TEST.test(s) || RELOCATING_KEYS.has(k))) {
      withheld.push(k);
      continue;
    }
    out[envReplace(k, env)] = envReplace(s, env);
  }
  return { conf: out, withheld };
}

// Keys that make npm read another file as the user's or global config, whose `${VAR}` would then
// be expanded: an untrusted project must not name a file of its own as "the user's npmrc".
const RELOCATING_KEYS = new Set(['userconfig', 'globalconfig', 'prefix']);
// Any `${...}` npm would expand (escaped ones included: withholding too much is harmless).
const ENV_EXPR_TEST = /\$\{[^${}]+\}/;

/** `npm_config_*` variables as npm config keys. */
export function npmEnvConfig(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [envKey, value] of Object.entries(env)) {
    if (!/^npm_config_/i.test(envKey) || value === undefined || value === '') continue;
    let key = envKey.slice('npm_config_'.length);
    if (!key.startsWith('//')) key = key.replace(/(?!^)_/g, '-').toLowerCase();
    out[envReplace(key, env)] = envReplace(value, env);
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** npm's local prefix: the nearest directory with package.json or node_modules, else cwd. */
export function projectDir(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (isFile(join(dir, 'package.json')) || isDir(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** The merged npm configuration (flat keys), as npm would see it in `cwd`. */
export function loadNpmConfig(o: Pick<LoadRegistrySettingsOptions, 'env' | 'cwd' | 'home' | 'globalNpmrc' | 'platform' | 'trustedProjectFile' | 'warn'>): Record<string, string> {
  const envConf = npmEnvConfig(o.env);
  const userFile = resolve(o.home, envConf.userconfig ?? join(o.home, '.npmrc'));
  const projectFile = join(projectDir(o.cwd), '.npmrc');
  let project: Record<string, string> = {};
  if (projectFile !== userFile) {
    const read = readNpmrcWithTrust(projectFile, o.env, o.trustedProjectFile ?? (() => false));
    project = read.conf;
    if (read.withheld.length) {
      o.warn?.(
        `${projectFile} uses environment variables or moves npm's other config files (${read.withheld.join(', ')}); that is not applied and no such token is sent because the project is not trusted ` +
          `(slopguard trust ${dirname(projectFile)}, or --trust-project)`,
      );
    }
  }
  // The project file can move the user file; the user file can move the global one.
  const userPath = resolve(o.home, envConf.userconfig ?? project.userconfig ?? userFile);
  const user = readNpmrc(userPath, o.env);
  const pick = (k: string) => envConf[k] ?? project[k] ?? user[k];
  let globalFile = o.globalNpmrc ?? pick('globalconfig');
  if (!globalFile) {
    const platform = o.platform ?? process.platform;
    const prefix = pick('prefix') ?? o.env.PREFIX ?? (platform === 'win32' ? dirname(process.execPath) : dirname(dirname(process.execPath)));
    globalFile = join(prefix, 'etc', 'npmrc');
  }
  const global = readNpmrc(globalFile, o.env);
  return { ...global, ...user, ...project, ...envConf };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Keys passed on to npm-registry-fetch: auth and TLS per registry, TLS and proxy settings. */
function registryKeys(conf: Record<string, string>, env: Record<string, string | undefined>, home: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(conf)) if (k.startsWith('//')) out[k] = v;
  for (const k of ['strict-ssl', 'ca', 'proxy', 'https-proxy', 'noproxy']) if (conf[k] !== undefined && conf[k] !== '') out[k] = conf[k]!;
  if (!out.ca && conf.cafile) {
    // npm ignores a missing cafile too; one that is not a regular file is never read.
    const ca = readSettingsFile(resolve(home, conf.cafile));
    if (ca.kind === 'read') out.ca = ca.bytes.toString('utf8');
  }
  // npm's defaults for the proxy settings come from the usual variables.
  const fromEnv = (...names: string[]) => names.map((n) => env[n]).find((v) => v);
  const httpsProxy = fromEnv('HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy');
  const httpProxy = fromEnv('HTTP_PROXY', 'http_proxy');
  const noProxy = fromEnv('NO_PROXY', 'no_proxy');
  if (!out['https-proxy'] && httpsProxy) out['https-proxy'] = httpsProxy;
  if (!out.proxy && httpProxy) out.proxy = httpProxy;
  if (!out.noproxy && noProxy) out.noproxy = noProxy;
  return out;
}

/**
 * RegistrySettings from the user's npm and pip configuration, with explicit overrides on top.
 * Defaults: https://registry.npmjs.org/, https://api.npmjs.org, https://pypi.org, https://pypistats.org.
 */
export function loadRegistrySettings(o: LoadRegistrySettingsOptions): RegistrySettings {
  const conf = loadNpmConfig(o);
  const npmScopes: Record<string, string> = {};
  for (const [k, v] of Object.entries(conf)) {
    const m = /^(@[^:/]+):registry$/.exec(k);
    if (m && v) npmScopes[m[1]!] = withSlash(v);
  }
  const ov = o.overrides ?? {};
  const settings: RegistrySettings = {
    npmRegistry: withSlash(ov.npmRegistry ?? (conf.registry || DEFAULT_NPM_REGISTRY)),
    npmScopes,
    npmrc: registryKeys(conf, o.env, o.home),
    npmDownloadsApi: (ov.npmDownloadsApi ?? DEFAULT_NPM_DOWNLOADS_API).replace(/\/+$/, ''),
    pypiUrl: (ov.pypiUrl ?? DEFAULT_PYPI_URL).replace(/\/+$/, ''),
    pypistatsApi: (ov.pypistatsApi ?? DEFAULT_PYPISTATS_API).replace(/\/+$/, ''),
  };
  const pipOpts: Parameters<typeof loadPipConfig>[0] = { env: o.env, home: o.home };
  if (o.pipGlobalConfigs) pipOpts.globalConfigs = o.pipGlobalConfigs;
  if (o.platform) pipOpts.platform = o.platform;
  const pip = loadPipConfig(pipOpts);
  if (pip.indexUrl && !pip.noIndex) settings.pypiIndexUrl = withSlash(pip.indexUrl);
  if (pip.extraIndexUrls.length && !pip.noIndex) settings.pypiExtraIndexUrls = pip.extraIndexUrls.map(withSlash);
  if (ov.pypiIndexPrivate !== undefined) settings.pypiIndexPrivate = ov.pypiIndexPrivate;
  return settings;
}
