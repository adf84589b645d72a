/**
 * One resolver for a long-running server's whole life (the language server and the MCP server),
 * or for a hook that must be able to cut its lookups off when its time budget runs out:
 * check() creates and closes a resolver per call, which would throw away the in-run promise
 * sharing and reopen connections on every keystroke. Kept open, repeated checks of the same
 * names are answered from memory, and the disk cache still applies across restarts.
 *
 * It is built exactly the way check() builds its own (registry settings from npm/pip config plus
 * the explicit overrides), so a server and a one-off `slopguard check` ask the same registries.
 */
import { homedir } from 'node:os';
import type { CheckOptions } from '../core/check.js';
import type { Resolver } from '../core/types.js';
import { DEFAULT_NETWORK } from '../policy/defaults.js';
import type { ResolverOptions } from '../registry/resolver.js';

/** Open a resolver from check() options (plus resolver-only settings such as `budgetMs`); the caller closes it. */
export async function openResolver(o: CheckOptions, extra: Partial<ResolverOptions> = {}): Promise<Resolver> {
  const { createResolver } = await import('../registry/resolver.js');
  const { loadRegistrySettings } = await import('../registry/npmrc.js');
  const registries =
    o.registries ??
    loadRegistrySettings({ env: o.env ?? process.env, cwd: o.cwd ?? process.cwd(), home: homedir(), overrides: o.registryOverrides ?? {} });
  const opts: Parameters<typeof createResolver>[0] = {
    registries,
    noCache: o.noCache ?? false,
    offline: o.offline ?? false,
    timeoutMs: o.timeoutMs ?? DEFAULT_NETWORK.timeoutMs,
    concurrency: o.concurrency ?? DEFAULT_NETWORK.concurrency,
    retries: DEFAULT_NETWORK.retries,
    ...extra,
  };
  if (o.cacheDir) opts.cacheDir = o.cacheDir;
  if (o.now) opts.now = o.now;
  if (o.warn) opts.warn = o.warn;
  return createResolver(opts);
}
