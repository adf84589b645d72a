import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { check } from '../../src/core/check.js';
import { ABBREVIATE_FROM } from '../../src/registry/fetch-plan.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import type { Ecosystem, FactNeeds, PackageFacts, Policy, Resolver } from '../../src/core/types.js';
import { tablePopular } from '../helpers/fake-resolver.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmPackage, startFixtureRegistry } from '../fixture-registry/server.js';

const made: string[] = [];
const tempDir = (label: string) => {
  const d = mkdtempSync(join(tmpdir(), `sg-${label}-`));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

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
    // Every name is still asked about (existence and deprecation cannot come from a list); in a
    // short run through the full document, whose creation date is worth showing.
    assert.ok(asked.every((a) => a.needs?.metadata === true));
  });

  it(`from ${ABBREVIATE_FROM} names on, asks for settled names' abbreviated document only`, async () => {
    const fillers = Array.from({ length: ABBREVIATE_FROM - 2 }, (_, i) => `filler-${i}`);
    const { resolver, asked } = recordingResolver();
    await check(['huge', 'modest', ...fillers], { resolver, popular, now: () => NOW });
    const metadata = Object.fromEntries(asked.map((a) => [a.key, a.needs?.metadata]));
    assert.equal(metadata['npm:huge'], false);
    assert.equal(metadata['npm:modest'], true, 'not settled: its age matters');
    assert.ok(fillers.every((f) => metadata[`npm:${f}`] === true));
    // One name fewer: every document in full.
    const short = recordingResolver();
    await check(['huge', 'modest', ...fillers.slice(1)], { resolver: short.resolver, popular, now: () => NOW });
    assert.ok(short.asked.every((a) => a.needs?.metadata === true));
  });

  it('asks the API when a threshold is raised so high that the list no longer settles it', async () => {
    const policy: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, minWeeklyDownloads: 10_000_000 } };
    const { resolver, asked } = recordingResolver({ huge: 5 });
    const report = await check(['huge'], { resolver, popular, now: () => NOW, policy });
    assert.equal(asked[0]!.needs?.downloads, true);
    // The live figure decides: the package is reported as low on downloads.
    assert.ok(report.packages[0]!.findings.some((f) => f.code === 'low-downloads'));
  });

  it('every signal names the counts it compares against: a raised typo adoption line is a raised bound too', async () => {
    // The bound was once a hand-kept list of thresholds that missed typoAdoptedWeekly; it is now
    // gathered from the signal definitions (downloadThresholds), so no threshold can be left out.
    const policy: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, typoAdoptedWeekly: 20_000_000 } };
    const { resolver, asked } = recordingResolver({ huge: 50_000_000 });
    await check(['huge'], { resolver, popular, now: () => NOW, policy });
    assert.equal(asked.find((a) => a.key === 'npm:huge')?.needs?.downloads, true);
    const { resolver: r2, asked: a2 } = recordingResolver({ huge: 50_000_000 });
    await check(['huge'], { resolver: r2, popular, now: () => NOW });
    assert.equal(a2.find((a) => a.key === 'npm:huge')?.needs?.downloads, false, 'with the defaults the list settles it');
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

describe('check(): settled names through the abbreviated packument (real resolver, fixture registry)', () => {
  // Four names the (injected) popular list settles, each with something only a packument can say,
  // and enough other settled names to make the run a long one.
  const fillers = Array.from({ length: ABBREVIATE_FROM - 4 }, (_, i) => `big-filler-${i}`);
  const settled = tablePopular({ 'big-plain': 9_000_000, 'big-native': 4_000_000, 'big-old': 3_000_000, 'big-pulled': 2_000_000, ...Object.fromEntries(fillers.map((f) => [f, 1_000_000])) });
  /** All of them through the real resolver against `reg`, with an empty cache. */
  const checkAll = (reg: { url: string }) =>
    check(['big-plain', 'big-native', 'big-old', 'big-pulled', ...fillers], {
      popular: settled,
      now: () => NOW,
      registryOverrides: { npmRegistry: `${reg.url}/`, npmDownloadsApi: reg.url },
      cacheDir: tempDir('abbrev-cache'),
      env: { HOME: tempDir('abbrev-home') },
      cwd: tempDir('abbrev-cwd'),
    });

  it('asks for the abbreviated document only, still sees deprecation, placeholders and scripts, and invents no findings from missing dates', async () => {
    const reg = await startFixtureRegistry({
      npm: [
        // No repository: the abbreviated document never has one, so no-repository must not fire.
        npmPackage({ name: 'big-plain', created: '2015-01-01' }),
        // Install scripts are normal for popular native packages: the missing date is not "young".
        npmPackage({ name: 'big-native', created: '2016-01-01', repository: 'https://example.test/native', scripts: { postinstall: 'node install.js' } }),
        npmPackage({ name: 'big-old', created: '2012-01-01', repository: 'https://example.test/old', deprecated: 'no longer maintained, use big-new' }),
        npmPackage({ name: 'big-pulled', created: '2014-01-01', securityHolder: true }),
        ...fillers.map((name) => npmPackage({ name, created: '2013-01-01', repository: 'https://example.test/filler' })),
      ],
    });
    try {
      const report = await checkAll(reg);
      for (const r of reg.requests) assert.match(String(r.headers.accept), /application\/vnd\.npm\.install-v1\+json/, r.path);
      assert.equal(reg.requests.length, ABBREVIATE_FROM, 'one abbreviated packument per name, and no downloads request');
      const special = report.packages.filter((p) => !p.name.startsWith('big-filler-'));
      const codes = Object.fromEntries(special.map((p) => [p.name, p.findings.map((f) => f.code).sort()]));
      assert.deepEqual(codes, { 'big-plain': [], 'big-native': [], 'big-old': ['deprecated'], 'big-pulled': ['security-holder'] });
      assert.deepEqual(Object.fromEntries(special.map((p) => [p.name, p.verdict])), { 'big-plain': 'ok', 'big-native': 'ok', 'big-old': 'warn', 'big-pulled': 'block' });
      assert.equal(report.packages[0]!.facts?.created, undefined, 'the abbreviated document has no creation time; none is made up');
    } finally {
      await reg.close();
    }
  });

  it('a tombstone behind the abbreviated document is still reported unpublished (the full document is asked for)', async () => {
    const reg = await startFixtureRegistry({
      npm: [npmPackage({ name: 'big-plain', created: '2015-01-01', unpublished: '2026-11-20' }), ...fillers.map((name) => npmPackage({ name, created: '2013-01-01' })), npmPackage({ name: 'big-native', created: '2016-01-01' }), npmPackage({ name: 'big-old', created: '2012-01-01' }), npmPackage({ name: 'big-pulled', created: '2014-01-01' })],
    });
    try {
      const report = await checkAll(reg);
      assert.deepEqual(report.packages[0]!.findings.map((f) => f.code), ['unpublished']);
      assert.equal(report.packages[0]!.verdict, 'block');
    } finally {
      await reg.close();
    }
  });
});
