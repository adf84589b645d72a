/** Shared set-up for the registry tests: settings and resolvers pointed at a fixture registry. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistrySettings, Resolver } from '../../src/core/types.js';
import { createResolver, type ResolverOptions } from '../../src/registry/resolver.js';
import type { FixtureRegistry } from '../fixture-registry/server.js';

/** RegistrySettings with all four APIs on one fixture registry. */
export function settingsFor(reg: FixtureRegistry, extra: Partial<RegistrySettings> = {}): RegistrySettings {
  return {
    npmRegistry: `${reg.url}/`,
    npmScopes: {},
    npmrc: {},
    npmDownloadsApi: reg.url,
    pypiUrl: reg.url,
    pypistatsApi: reg.url,
    ...extra,
  };
}

/**
 * Network settings for tests: one quick retry, a timeout long enough that a loaded CI machine
 * never hits it by accident. Tests of hangs and drips shorten it with {@link SHORT_TIMEOUT}.
 */
export const FAST: Partial<ResolverOptions> = { timeoutMs: 3_000, retries: 1, retryBaseDelayMs: 5, budgetMs: 8_000, maxRetryAfterMs: 1_000 };

/**
 * For faults where the clock is what must stop the lookup (hangs, slow drips). Not shorter: on a
 * loaded machine a 300 ms timeout could fire before the request even reached the registry, and
 * the test would pass without meeting its fault (the fixture registry now fails such a test: the
 * fixture was never requested).
 */
export const SHORT_TIMEOUT: Partial<ResolverOptions> = { timeoutMs: 1_000, budgetMs: 2_500 };

let testHome: string | undefined;

/**
 * A HOME of this test process's own (made on first use, removed at exit): the cache key lives in
 * its state dir, never in the developer's.
 */
export function testHomeDir(): string {
  if (!testHome) {
    const home = mkdtempSync(join(tmpdir(), 'slopguard-home-'));
    testHome = home;
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
  }
  return testHome;
}

/** A resolver on `reg`, uncached unless `cacheDir` is given. */
export function resolverFor(reg: FixtureRegistry, opts: Partial<ResolverOptions> = {}, extra: Partial<RegistrySettings> = {}): Resolver {
  const home = opts.cacheDir !== undefined && !opts.env ? { env: { HOME: testHomeDir() }, home: testHomeDir() } : {};
  return createResolver({ registries: settingsFor(reg, extra), noCache: opts.cacheDir === undefined, ...FAST, ...home, ...opts });
}

/** A fresh temporary directory and its remover. */
export function tempDir(prefix = 'slopguard-registry-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolve one name with a fresh resolver, then close it; returns the facts and the stats. */
export async function resolveOnce(
  reg: FixtureRegistry,
  ecosystem: 'npm' | 'pypi',
  name: string,
  needs = { metadata: true, downloads: false },
  opts: Partial<ResolverOptions> = {},
  extra: Partial<RegistrySettings> = {},
) {
  const r = resolverFor(reg, opts, extra);
  try {
    const facts = await r.resolve(ecosystem, name, needs);
    return { facts, stats: r.stats() };
  } finally {
    await r.close();
  }
}
