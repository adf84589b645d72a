import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../../src/core/check.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import type { Ecosystem, FactNeeds, PackageFacts, Policy, Resolver } from '../../src/core/types.js';
import { tablePopular } from '../helpers/fake-resolver.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const OLD = new Date(NOW.getTime() - 4000 * 86_400_000).toISOString();

/** A resolver that records what check() asked of it; every name exists, downloads only when asked. */
function recordingResolver(downloads: Record<string, number> = {}) {
  const asked: Array<{ key: string; needs: FactNeeds | undefined }> = [];
  const prefetched: string[][] = [];
  const resolver: Resolver = {
    async resolve(ecosystem: Ecosystem, name: string, needs?: FactNeeds) {
      asked.push({ key: `${ecosystem}:${name}`, needs });
      const f: PackageFacts = { ecosystem, name, status: 'found', registry: 'https://registry.test/', created: OLD, repository: 'https://x.test/r', fetchedAt: NOW.toISOString() };
      if (needs?.downloads !== false && downloads[name] !== undefined) Object.assign(f, { weeklyDownloads: downloads[name], downloadsSource: 'npm-downloads-api' });
      return f;
    },
    async prefetchDownloads(_e: Ecosystem, names: string[]) {
      prefetched.push([...names]);
    },
    stats: () => ({ requests: {}, cacheHits: 0, cacheMisses: 0, revalidated: 0 }),
    close: async () => {},
  };
  return { resolver, asked, prefetched };
}

const popular = tablePopular({ huge: 50_000_000, '@big/pkg': 2_000_000, modest: 20_000 });

describe('check(): downloads the bundled list settles are not asked for', () => {
  it('skips the downloads request for names far above every threshold, and reports the list figure', async () => {
    const { resolver, asked, prefetched } = recordingResolver({ modest: 20_000, unknown: 50 });
    const report = await check(['huge', '@big/pkg', 'modest', 'unknown'], { resolver, popular, now: () => NOW });
    const needs = Object.fromEntries(asked.map((a) => [a.key, a.needs?.downloads]));
    assert.deepEqual(needs, { 'npm:huge': false, 'npm:@big/pkg': false, 'npm:modest': true, 'npm:unknown': true });
    // Only the unsettled names go to the bulk downloads prefetch.
    assert.deepEqual(prefetched, [['modest', 'unknown']]);
    const huge = report.packages.find((p) => p.name === 'huge')!;
    assert.equal(huge.facts?.weeklyDownloads, 50_000_000);
    assert.equal(huge.facts?.downloadsSource, 'popular-list');
    // Metadata is still fetched for every name: existence and deprecation cannot come from a list.
    assert.ok(asked.every((a) => a.needs?.metadata === true));
  });

  it('asks the API when a threshold is raised so high that the list no longer settles it', async () => {
    const policy: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, minWeeklyDownloads: 10_000_000 } };
    const { resolver, asked } = recordingResolver({ huge: 5 });
    const report = await check(['huge'], { resolver, popular, now: () => NOW, policy });
    assert.equal(asked[0]!.needs?.downloads, true);
    // The live figure decides: the package is reported as low on downloads.
    assert.ok(report.packages[0]!.findings.some((f) => f.code === 'low-downloads'));
  });

  it('asks the API when the bundled data is stale', async () => {
    const later = new Date(NOW.getTime() + 200 * 86_400_000);
    const { resolver, asked } = recordingResolver();
    await check(['huge'], { resolver, popular, now: () => later });
    assert.equal(asked[0]!.needs?.downloads, true);
  });

  it('never gives a private-registry name the public list figure', async () => {
    const { asked } = recordingResolver();
    const resolver: Resolver = {
      ...recordingResolver().resolver,
      async resolve(ecosystem, name, needs) {
        asked.push({ key: name, needs });
        return { ecosystem, name, status: 'found', registry: 'https://corp.test/', privateRegistry: true, created: OLD, fetchedAt: NOW.toISOString() };
      },
    };
    const report = await check(['@big/pkg'], { resolver, popular, now: () => NOW });
    assert.equal(report.packages[0]!.facts?.weeklyDownloads, undefined);
  });
});
