/**
 * The resolver's cache mode: which cache entries answer without asking the registry, how long a
 * new entry stays fresh, and what shapes of cached value are accepted at all.
 *
 *   online (default): fresh entries answer; stale ones are revalidated with their ETag
 *   offline (`--offline`): every entry answers however old; a miss is `unverified`
 */
import type { PackageFacts } from '../core/types.js';
import { DEFAULT_TTL, type CacheHit, type CacheTtl } from './cache.js';

/** The cache modes a resolver runs in (the CLI's `--offline` picks the second). */
export const CACHE_MODES = ['online', 'offline'] as const;
/** One of {@link CACHE_MODES}. */
export type CacheMode = (typeof CACHE_MODES)[number];

const FACT_STATUSES = new Set(['found', 'not-found', 'unpublished']);

/** The cached form of registry facts: never `unverified`, never downloads. */
export function isCachedFacts(v: unknown): v is PackageFacts {
  if (!v || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  return (f.ecosystem === 'npm' || f.ecosystem === 'pypi') && typeof f.name === 'string' && FACT_STATUSES.has(f.status as string) && typeof f.registry === 'string' && typeof f.fetchedAt === 'string';
}

/** Cached download counts: a number, or null for "the API has no data". */
export function isCachedDownloads(v: unknown): v is { weekly: number | null } {
  if (!v || typeof v !== 'object') return false;
  const w = (v as { weekly?: unknown }).weekly;
  return w === null || (typeof w === 'number' && Number.isFinite(w) && w >= 0);
}

/** One run's cache mode and lifetimes. */
export class CachePolicy {
  readonly mode: CacheMode;
  readonly ttl: CacheTtl;

  constructor(mode: CacheMode = 'online', ttl: Partial<CacheTtl> = {}) {
    this.mode = mode;
    this.ttl = { ...DEFAULT_TTL, ...ttl };
  }

  /** Whether the registry may be asked at all. */
  get offline(): boolean {
    return this.mode === 'offline';
  }

  /** Whether a cache entry answers without asking the network. */
  takes(hit: CacheHit<unknown> | undefined): boolean {
    if (!hit) return false;
    return this.mode === 'offline' || hit.fresh;
  }

  /** How long new facts stay fresh: a missing name may be published any minute. */
  ttlOf(f: PackageFacts): number {
    return f.status === 'not-found' ? this.ttl.notFoundMs : this.ttl.factsMs;
  }
}
