/**
 * Settings of the agent and git hooks: the shared policy/registry settings (loaded for the
 * project the agent works in, which may not be slopguard's own cwd), plus the hook's time budget
 * and what to do when a package cannot be checked.
 *
 *   --budget <s>         SLOPGUARD_HOOK_BUDGET        default 10
 *   --on-unverified <a>  SLOPGUARD_HOOK_ON_UNVERIFIED ask | allow | deny (default: ask for agents,
 *                                                     allow with a warning for git)
 *   --fail-closed        SLOPGUARD_FAIL_CLOSED        unverified packages and unreadable input are denied
 *   --no-resolve-tree    SLOPGUARD_RESOLVE_TREE=0     judge typed names, files and lockfiles only, not the
 *                                                     tree `npm i x` / `pip install y` resolves to
 */
import type { CheckOptions } from '../core/check.js';
import { ConfigError } from '../core/errors.js';
import type { Io } from '../cli/io.js';
import { checkOptionsFor, reportConfigNotices } from '../cli/options.js';
import { loadSettings, type LoadSettingsOptions, type SettingFlags, type Settings } from '../policy/settings.js';
import { DEFAULT_HOOK_BUDGET_S } from './budget.js';
import { UNVERIFIED_ACTIONS, type UnverifiedAction } from './decision.js';

/** Flags every hook runner accepts. */
export interface HookFlags extends SettingFlags {
  budget?: string;
  onUnverified?: string;
  /** `--no-resolve-tree` gives false: judge what the command names, not the tree it would fetch. */
  resolveTree?: boolean;
}

/** Everything a hook run needs, merged once. */
export interface HookConfig {
  settings: Settings;
  checkOptions: CheckOptions;
  budgetMs: number;
  onUnverified: UnverifiedAction;
  failClosed: boolean;
}

const TRUE = /^(1|true|yes|on)$/i;

/**
 * Whether to fail closed, known before the config file is read: a broken config file must not
 * turn a fail-closed setup into fail-open.
 */
export function failClosedEarly(flags: HookFlags, env: Io['env']): boolean {
  return flags.failClosed === true || TRUE.test(env.SLOPGUARD_FAIL_CLOSED?.trim() ?? '');
}

/** The hook's time budget, from flags and environment only: known before any config file is read. */
export function budgetMs(flags: HookFlags, env: Io['env']): number {
  const [raw, where, field] = flags.budget !== undefined ? [flags.budget, 'command line', '--budget'] : [env.SLOPGUARD_HOOK_BUDGET, 'environment', 'SLOPGUARD_HOOK_BUDGET'];
  if (raw === undefined || raw.trim() === '') return DEFAULT_HOOK_BUDGET_S * 1000;
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(where, field, `expected a number of seconds > 0, got ${JSON.stringify(raw)}`);
  return Math.round(n * 1000);
}

function onUnverified(flags: HookFlags, env: Io['env'], fallback: UnverifiedAction): UnverifiedAction {
  const [raw, where, field] = flags.onUnverified !== undefined ? [flags.onUnverified, 'command line', '--on-unverified'] : [env.SLOPGUARD_HOOK_ON_UNVERIFIED, 'environment', 'SLOPGUARD_HOOK_ON_UNVERIFIED'];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if ((UNVERIFIED_ACTIONS as readonly string[]).includes(v)) return v as UnverifiedAction;
  throw new ConfigError(where, field, `expected ${UNVERIFIED_ACTIONS.join(', ')}, got ${JSON.stringify(raw)}`);
}

/** `--on-unverified` as far as it can be read without the config; never throws (a bad value gives the fallback). */
export function onUnverifiedEarly(flags: HookFlags, env: Io['env'], fallback: UnverifiedAction): UnverifiedAction {
  try {
    return onUnverified(flags, env, fallback);
  } catch {
    return fallback;
  }
}

/**
 * Merge the hook's settings for the project at `cwd`. Throws ConfigError for invalid settings
 * (the agent hooks turn that into "cannot check": ask, or deny when failing closed).
 */
export function hookConfig(flags: HookFlags, io: Io, cwd: string, fallback: UnverifiedAction, opts: LoadSettingsOptions = {}): HookConfig {
  const settings = loadSettings(flags, io.env, cwd, opts);
  reportConfigNotices(settings, io);
  const failClosed = settings.policy.failClosed;
  const checkOptions = { ...checkOptionsFor(settings, { ...io, cwd }, { progress: false }), cwd };
  return {
    settings,
    checkOptions,
    budgetMs: budgetMs(flags, io.env),
    onUnverified: failClosed ? 'deny' : onUnverified(flags, io.env, fallback),
    failClosed,
  };
}
