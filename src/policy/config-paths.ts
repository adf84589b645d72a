/**
 * Where slopguard's trusted files live: the user's config, the system config and the user's
 * state (the trust store). Every path is derived from the environment the caller passes (the
 * injected `io.env`), never from the process's own HOME, so tests stay hermetic and a hook
 * sees the same files as the CLI.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** The home directory the environment names (HOME, USERPROFILE on Windows), else the OS's. */
export function homeOf(env: Env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/**
 * The user's config: `$XDG_CONFIG_HOME/slopguard/config.json` (default `~/.config/...`);
 * `%APPDATA%\slopguard\config.json` on Windows; `~/Library/Application Support/slopguard/config.json`
 * on macOS unless XDG_CONFIG_HOME is set.
 */
export function userConfigPath(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'slopguard', 'config.json');
  const home = homeOf(env);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'slopguard', 'config.json');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'slopguard', 'config.json');
  return join(home, '.config', 'slopguard', 'config.json');
}

/** The administrator's config: `SLOPGUARD_SYSTEM_CONFIG`, else `/etc/slopguard/config.json` (`%ProgramData%` on Windows). */
export function systemConfigPath(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (env.SLOPGUARD_SYSTEM_CONFIG) return env.SLOPGUARD_SYSTEM_CONFIG;
  if (platform === 'win32') return join(env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData', 'slopguard', 'config.json');
  return '/etc/slopguard/config.json';
}

/**
 * The per-user cache folder, each platform's convention: `$XDG_CACHE_HOME/slopguard` (default
 * `~/.cache/slopguard`), `~/Library/Caches/slopguard` on macOS, `%LOCALAPPDATA%\\slopguard\\Cache` on
 * Windows. `home` for callers that were handed one (the resolver's `home` option).
 */
export function userCacheDir(env: Env, platform: NodeJS.Platform = process.platform, home = homeOf(env)): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'slopguard', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'slopguard');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'slopguard');
}

/** The user's state folder: `$XDG_STATE_HOME/slopguard` (default `~/.local/state/slopguard`; `%LOCALAPPDATA%` on Windows). */
export function stateDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'slopguard');
  const home = homeOf(env);
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'slopguard', 'State');
  return join(home, '.local', 'state', 'slopguard');
}

/** The trust store: which project files the user trusts, by content hash. */
export function trustStorePath(env: Env, platform: NodeJS.Platform = process.platform): string {
  return join(stateDir(env, platform), 'trusted.json');
}
