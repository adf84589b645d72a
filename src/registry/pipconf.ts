/**
 * pip's configuration, read the way pip reads it (pip/_internal/configuration.py), to find the
 * index a `pip install` would use.
 *
 * Files, later overriding earlier: global (`$XDG_CONFIG_DIRS/pip/pip.conf`, `/etc/pip.conf`),
 * user (`~/.pip/pip.conf`, then `$XDG_CONFIG_HOME/pip/pip.conf`; skipped when `PIP_CONFIG_FILE`
 * names an existing file), site (`$VIRTUAL_ENV/pip.conf`), then `PIP_CONFIG_FILE`
 * (`/dev/null` turns all files off). Across files a `[install]` value beats a `[global]` one,
 * and `PIP_*` environment variables beat both.
 */
import { statSync } from 'node:fs';
import { readSettingsFile } from '../core/settings-file.js';
import { join } from 'node:path';

/** What pip would use for `pip install`. */
export interface PipConfig {
  indexUrl?: string;
  extraIndexUrls: string[];
  noIndex: boolean;
  /** Config files that were read, in order. */
  files: string[];
}

/** Inputs of {@link loadPipConfig}; everything that touches the machine is injectable. */
export interface PipConfigOptions {
  env: Record<string, string | undefined>;
  home: string;
  platform?: NodeJS.Platform;
  /** Global config files, in load order (default from XDG_CONFIG_DIRS and /etc). */
  globalConfigs?: string[];
}

/**
 * Parse INI text as Python's configparser (RawConfigParser) does: `key = value` or `key: value`,
 * `#`/`;` comment lines, indented continuation lines appended with a newline, option names
 * lower-cased. Hand-written because pip's multi-line `extra-index-url` relies on continuation
 * lines, which the `ini` package (npm's dialect) does not support.
 */
export function parseConfigParser(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') lastKey = undefined;
      continue;
    }
    if (/^\s/.test(raw) && section && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey) ?? ''}\n${trimmed}`.replace(/^\n/, ''));
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      const name = header[1]!.trim();
      section = sections.get(name) ?? new Map();
      sections.set(name, section);
      lastKey = undefined;
      continue;
    }
    const eq = trimmed.search(/[=:]/);
    if (eq <= 0 || !section) continue;
    lastKey = trimmed.slice(0, eq).trim().toLowerCase();
    section.set(lastKey, trimmed.slice(eq + 1).trim());
  }
  return sections;
}

/** pip's option-name normalisation: `index_url` and `--index-url` are `index-url`. */
function optionName(key: string): string {
  return key.replace(/^--/, '').replace(/_/g, '-');
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The config files pip reads, in load order. */
export function pipConfigFiles(o: PipConfigOptions): string[] {
  const { env, home } = o;
  const platform = o.platform ?? process.platform;
  const envFile = env.PIP_CONFIG_FILE;
  if (envFile === '/dev/null' || (platform === 'win32' && envFile?.toLowerCase() === 'nul')) return [];
  const files: string[] = [];
  if (o.globalConfigs) files.push(...o.globalConfigs);
  else if (platform === 'win32') files.push(join(env.ProgramData ?? 'C:\\ProgramData', 'pip', 'pip.ini'));
  else if (platform === 'darwin') files.push('/Library/Application Support/pip/pip.conf');
  else files.push(...(env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean).map((d) => join(d, 'pip', 'pip.conf')), '/etc/pip.conf');
  if (!(envFile && exists(envFile))) {
    if (platform === 'win32') {
      files.push(join(home, 'pip', 'pip.ini'), join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'pip', 'pip.ini'));
    } else {
      files.push(join(home, '.pip', 'pip.conf'));
      const mac = join(home, 'Library', 'Application Support', 'pip');
      files.push(platform === 'darwin' && exists(join(mac, 'pip.conf')) ? join(mac, 'pip.conf') : join(env.XDG_CONFIG_HOME || join(home, '.config'), 'pip', 'pip.conf'));
    }
  }
  if (env.VIRTUAL_ENV) files.push(join(env.VIRTUAL_ENV, platform === 'win32' ? 'pip.ini' : 'pip.conf'));
  if (envFile) files.push(envFile);
  return files;
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

/** Read pip's index settings for `pip install`. Unreadable files are skipped, as pip does. */
export function loadPipConfig(o: PipConfigOptions): PipConfig {
  const merged = new Map<string, string>(); // "section.option" -> value, later files win
  const read: string[] = [];
  for (const file of pipConfigFiles(o)) {
    // Unreadable files are skipped, as pip does; a FIFO or device is never read (it would block).
    const got = readSettingsFile(file);
    if (got.kind !== 'read') continue;
    const text = got.bytes.toString('utf8');
    read.push(file);
    for (const [section, opts] of parseConfigParser(text)) for (const [k, v] of opts) merged.set(`${section}.${optionName(k)}`, v);
  }
  const env = o.env;
  const envValue = (option: string): string | undefined => {
    const v = env[`PIP_${option.toUpperCase().replace(/-/g, '_')}`];
    return v === undefined || v === '' ? undefined : v;
  };
  const get = (option: string) => envValue(option) ?? merged.get(`install.${option}`) ?? merged.get(`global.${option}`);
  const out: PipConfig = { extraIndexUrls: [], noIndex: truthy(get('no-index')), files: read };
  const index = get('index-url')?.trim();
  if (index) out.indexUrl = index;
  const extra = get('extra-index-url');
  if (extra) out.extraIndexUrls = extra.split(/\s+/).filter(Boolean);
  return out;
}
