import type { Ecosystem, PackageFacts, PopularIndex, Resolver, SimilarityMatch } from '../../src/core/types.js';

/**
 * A resolver answering from a table, for tests of check() that are about judging, not fetching.
 * A name missing from the table is a test bug: it throws, so a forgotten fixture cannot pass silently.
 */
export function tableResolver(table: Record<string, Partial<PackageFacts>>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolve(ecosystem: Ecosystem, name: string) {
      const key = `${ecosystem}:${name}`;
      asked.push(key);
      const row = table[key];
      if (!row) throw new Error(`tableResolver: no facts for ${key}`);
      return { ecosystem, name, status: 'found', registry: 'https://registry.test/', fetchedAt: '2026-11-26T00:00:00Z', ...row } as PackageFacts;
    },
    stats: () => ({ requests: {}, cacheHits: 0, cacheMisses: 0, revalidated: 0 }),
    close: async () => {},
  };
}

/** A popular-name index from a small table: popular names with weekly downloads and known look-alikes. */
export function tablePopular(popular: Record<string, number>, lookalikes: Record<string, SimilarityMatch> = {}): (e: Ecosystem) => PopularIndex {
  return (ecosystem) => ({
    ecosystem,
    snapshotDate: '2026-11-25',
    popularity: (name) => (popular[name] !== undefined ? { weeklyDownloads: popular[name] } : undefined),
    lookalike: (name) => lookalikes[name],
    exists: (name) => (popular[name] !== undefined ? true : undefined),
  });
}
