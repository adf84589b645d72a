import { Command, Option } from 'commander';
import type { CheckOptions } from '../core/check.js';
import { REPORT_FORMATS } from '../reporters/index.js';
import { loadSettings, type LoadSettingsOptions, type Settings, type SettingFlags } from '../policy/settings.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { configNotice } from '../reporters/messages.js';
import type { Io } from './io.js';

/** The flags every checking command shares (policy, registries, cache, output). */
export interface CommonFlags extends SettingFlags {
  format?: string;
  output?: string;
  color?: boolean;
  progress?: boolean;
  /** `--all`: list every package in text output, not only the problems. */
  all?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Add the shared flags to a command. Every command accepts every report format. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--all', 'text output: list every package, not only the problems')
    .option('--fail-on <level>', 'exit 1 when a package is at or above this: block | warn (default block)')
    .option('--fail-closed', 'treat packages that could not be verified as blocked')
    .option('--allow <name>', 'allow a name for this run (repeatable; pypi:name for PyPI)', collect)
    .option('--min-age-days <days>', 'warn about packages younger than this (default 30)')
    .option('--min-downloads <count>', 'warn about fewer weekly downloads than this (default 100)')
    .option('-c, --config <file>', 'config file (default: .slopguard.json or package.json "slopguard", searched up to the repository root)')
    .option('--trust-project', "apply the project's own config in full, loosening parts included (CI on the default branch; env SLOPGUARD_TRUST_PROJECT=1)")
    .option('--npm-registry <url>', 'npm registry (default: from npm config, else https://registry.npmjs.org)')
    .option('--npm-downloads-api <url>', 'npm downloads API (default https://api.npmjs.org)')
    .option('--pypi-url <url>', 'PyPI base URL for /pypi/<name>/json and /simple/ (default https://pypi.org)')
    .option('--pypistats-api <url>', 'pypistats API (default https://pypistats.org)')
    .option('--cache-dir <dir>', 'where facts are cached (default: the user cache dir)')
    .option('--cache-url <url>', 'a shared cache behind the disk cache: redis://HOST:PORT[/DB] (Redis or Valkey)')
    .option('--server <url>', 'judge through a central slopguard service (slopguard serve: POST /v1/check) instead of asking the registries from here')
    .option('--no-cache', 'neither read nor write the cache')
    .option('--offline', 'use only cached facts; anything not cached is unverified')
    .option('--timeout <seconds>', 'seconds one package lookup may take, retries included (default 15)')
    .option('--concurrency <n>', 'parallel registry requests (default 16)')
    .option('--monitor', 'monitor mode: report and log every finding, refuse nothing (exit 0; env SLOPGUARD_MODE=monitor)')
    .option('--audit-log <file>', 'append one JSON line per decision to this file (- for stderr; env SLOPGUARD_AUDIT_LOG)')
    .option('--no-color', 'no colours even on a terminal (NO_COLOR is honoured too)')
    .option('--no-progress', 'no progress line on stderr');
}

/** Merge the settings once for a command run, and say once on stderr what config was not applied. */
export function settingsFor(flags: CommonFlags, io: Io, opts: LoadSettingsOptions = {}, cwd = io.cwd): Settings {
  const settings = loadSettings(flags, io.env, cwd, opts);
  reportConfigNotices(settings, io);
  return settings;
}

/** One stderr line per config source of which something was not applied. */
export function reportConfigNotices(settings: Settings, io: Pick<Io, 'stderr'>): void {
  const sources = settings.config?.sources ?? [];
  const locked = sources.find((s) => s.locked)?.path;
  for (const source of sources) {
    const notice = configNotice(source, locked);
    if (notice) io.stderr.write(`slopguard: warning: ${escapeForTerminal(notice)}\n`);
  }
}

/** check() options from merged settings, with progress and warnings wired to stderr. */
export function checkOptionsFor(settings: Settings, io: Io, flags: CommonFlags): CheckOptions {
  const warned = new Set<string>();
  const opts: CheckOptions = {
    policy: settings.policy,
    registryOverrides: settings.registryOverrides,
    cacheDir: settings.cacheDir,
    noCache: settings.noCache,
    ...(settings.cacheUrl ? { cacheUrl: settings.cacheUrl } : {}),
    ...(settings.server ? { server: settings.server } : {}),
    offline: settings.offline,
    timeoutMs: settings.timeoutMs,
    concurrency: settings.concurrency,
    env: io.env,
    cwd: io.cwd,
    configSources: settings.config?.sources ?? [],
    warn: (m) => {
      if (warned.has(m)) return;
      warned.add(m);
      io.stderr.write(`slopguard: warning: ${m}\n`);
    },
  };
  if (io.now) opts.now = io.now;
  if (settings.trustedProjectFile) opts.trustedProjectFile = settings.trustedProjectFile;
  // A progress line only where a person watches (stderr is a TTY) and only for long runs.
  if (io.stderr.isTTY && flags.progress !== false) {
    opts.onProgress = (done, total) => {
      if (total < 20) return;
      io.stderr.write(done === total ? '\r\u001b[K' : `\rchecking packages: ${done}/${total}`);
    };
  }
  return opts;
}
