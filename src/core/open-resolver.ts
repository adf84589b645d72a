/**
 * The resolver check() uses, built from check()'s options: registry settings from npm and pip
 * config plus the explicit overrides, the cache, and the network bounds. check() opens and
 * closes one per call; long-running doors (the language server, the MCP server) and hooks with a
 * time budget open one here and keep it, so in-run sharing and keep-alive connections last.
 */
import { homedir } from 'node:os';
import { DEFAULT_NETWORK } from '../policy/defaults.js';
import type { ResolverOptions } from '../registry/resolver.js';
import { getPopularIndex } from '../similarity/index.js';
import { resolveDataDir } from '../data/location.js';
import type { CheckOptions } from './check.js';
import type { Ecosystem, Resolver } from './types.js';

/** Open a resolver from check() options (plus resolver-only settings such as `budgetMs`); the caller closes it. */
export async function openResolver(o: CheckOptions, extra: Partial<ResolverOptions> = {}): Promise<Resolver> {
  // Imported lazily: commands that never reach the network should not pay for loading the clients.
  const { createResolver } = await import('../registry/resolver.js');
  let registries = o.registries;
  if (!registries) {
    const { loadRegistrySettings } = await import('../registry/npmrc.js');
    const load: Parameters<typeof loadRegistrySettings>[0] = {
      env: o.env ?? process.env,
      cwd: o.cwd ?? process.cwd(),
      home: o.env?.HOME || homedir(),
      overrides: o.registryOverrides ?? {},
    };
    if (o.trustedProjectFile) load.trustedProjectFile = o.trustedProjectFile;
    if (o.warn) load.warn = o.warn;
    registries = loadRegistrySettings(load);
  }
  const popularOf = o.popular ?? ((e: Ecosystem) => getPopularIndex(e, { dataDir: resolveDataDir(o.env ?? process.env) }));
  const opts: Parameters<typeof createResolver>[0] = {
    registries,
    noCache: o.noCache ?? false,
    cacheMode: o.offline ? 'offline' : 'online',
    // --timeout bounds a whole lookup, retries included, so no package can hold a run (or an
    // agent's hook) longer than that.
    timeoutMs: o.timeoutMs ?? DEFAULT_NETWORK.timeoutMs,
    budgetMs: o.timeoutMs ?? DEFAULT_NETWORK.timeoutMs,
    concurrency: o.concurrency ?? DEFAULT_NETWORK.concurrency,
    retries: DEFAULT_NETWORK.retries,
    env: o.env ?? process.env,
    // pypistats allows 30 requests a minute; past that, the bundled rank estimates PyPI downloads.
    popularity: (eco, name) => popularOf(eco).popularity(name),
    publicExists: (eco, name) => popularOf(eco).exists(name),
    ...extra,
  };
  if (o.cacheDir) opts.cacheDir = o.cacheDir;
  if (o.cacheUrl) opts.cacheUrl = o.cacheUrl;
  if (o.now) opts.now = o.now;
  if (o.warn) opts.warn = o.warn;
  return createResolver(opts);
}
