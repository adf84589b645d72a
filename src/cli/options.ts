import type { Command } from 'commander';
import type { CheckOptions } from '../core/check.js';
import { loadSettings, type LoadSettingsOptions, type Settings, type SettingFlags } from '../policy/settings.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { configNotice } from '../reporters/messages.js';
import { addFlags } from './flags.js';
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

/** Add the shared flags of a command that prints a report: the whole flag table (cli/flags.ts). */
export function addCommonOptions(cmd: Command): Command {
  return addFlags(cmd, ['report', 'policy']);
}

/**
 * The policy, registry and cache flags of the long-running and hook commands (no output format:
 * their output is a protocol). Shared by `hook`, `lsp`, `mcp` and `serve`.
 */
export function addPolicyOptions(cmd: Command): Command {
  return addFlags(cmd, ['policy']);
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
