import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { check } from '../../src/core/check.js';
import type { Ecosystem, PackageFacts, PopularIndex, SignalContext } from '../../src/core/types.js';
import { npmFacts } from '../../src/registry/npm.js';
import { pypiJsonFacts } from '../../src/registry/pypi.js';
import { addTargetEvidence, olderThan, sharedOwner } from '../../src/signals/typo-target.js';
import { typo } from '../../src/signals/typo.js';
import { judge, verdictOf } from '../../src/policy/verdict.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { getPopularIndex } from '../../src/similarity/index.js';
import { npmPackage, pypiProject, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { fixtureDataDir } from '../similarity/fixture-data.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const popular = (e: Ecosystem): PopularIndex => getPopularIndex(e, { dataDir: fixtureDataDir() });

const made: string[] = [];
const tempDir = (label: string) => {
  const d = mkdtempSync(join(tmpdir(), `sg-${label}-`));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const facts = (name: string, f: Partial<PackageFacts>): PackageFacts => ({ ecosystem: 'npm', name, status: 'found', registry: 'https://registry.test/', fetchedAt: NOW.toISOString(), ...f });

describe('sharedOwner: which publisher evidence makes a look-alike a sibling', () => {
  // [case, candidate facts, target facts, shared account or undefined]
  const table: Array<[string, Partial<PackageFacts>, Partial<PackageFacts>, string | undefined]> = [
    ['published by a maintainer of the target', { publisher: 'alice', maintainers: ['alice'] }, { maintainers: ['bob', 'alice'] }, 'alice'],
    ['a maintainer list naming the target\'s owner is not identity (npm owner add needs no consent)', { publisher: 'mallory', maintainers: ['mallory', 'alice'] }, { maintainers: ['alice'] }, undefined],
    ['a publisher that is no maintainer of its own package (a CI identity) proves nothing', { publisher: 'ci-bot', maintainers: ['alice'] }, { maintainers: ['ci-bot', 'alice'] }, undefined],
    ['the same publisher on both, but not a maintainer of the target', { publisher: 'ci-bot', maintainers: ['ci-bot'] }, { publisher: 'ci-bot', maintainers: ['carol'] }, undefined],
    ['the same repository URL, different accounts', { publisher: 'mallory', maintainers: ['mallory'], repository: 'https://github.test/alice/widget' }, { maintainers: ['alice'], repository: 'https://github.test/alice/widget' }, undefined],
    ['no publisher known (abbreviated document)', { maintainers: ['alice'] }, { maintainers: ['alice'] }, undefined],
    ['target could not be read', { publisher: 'alice', maintainers: ['alice'] }, { status: 'unverified' }, undefined],
    ['a private registry\'s accounts are not npm\'s', { publisher: 'alice', maintainers: ['alice'], privateRegistry: true }, { maintainers: ['alice'] }, undefined],
    ['answers from two registries are two namespaces', { publisher: 'alice', maintainers: ['alice'] }, { maintainers: ['alice'], registry: 'https://other.test/' }, undefined],
  ];
  for (const [label, c, t, want] of table) it(label, () => assert.equal(sharedOwner(facts('lodasj', c), facts('lodash', t)), want));

  // PyPI: [case, candidate's owners, target's owners, shared]. A role there is held only once accepted.
  const pypi: Array<[string, string[] | undefined, string[] | undefined, string | undefined]> = [
    ['a role holder of both projects', ['mallory', 'alice'], ['alice'], 'alice'],
    ['the same organization', ['carol', 'org:qzorg'], ['org:qzorg', 'dave'], 'org:qzorg'],
    ['no one in common', ['mallory'], ['alice'], undefined],
    ['the target names no owners', ['alice'], undefined, undefined],
  ];
  for (const [label, c, t, want] of pypi) {
    it(`PyPI: ${label}`, () => {
      const cf: PackageFacts = { ...facts('reqests', c ? { maintainers: c } : {}), ecosystem: 'pypi' };
      const tf: PackageFacts = { ...facts('requests', t ? { maintainers: t } : {}), ecosystem: 'pypi' };
      assert.equal(sharedOwner(cf, tf), want);
    });
  }
});

describe('npm facts: the publisher and maintainers come from the full packument only', () => {
  const ctx = { name: 'widget', registry: 'https://registry.test/', privateRegistry: false, fetchedAt: NOW.toISOString() };
  const doc = npmPackage({ name: 'widget', created: daysAgo(100), publisher: 'Alice', maintainers: ['Alice', 'bob', 'bob', 'e\u001bvil', ''] }).packument;

  it('the latest version\'s _npmUser and the top-level maintainers, lower case, deduplicated, hostile names dropped', () => {
    const f = npmFacts(doc, true, ctx)!;
    assert.equal(f.publisher, 'alice');
    assert.deepEqual(f.maintainers, ['alice', 'bob']);
  });

  it('the abbreviated document has neither (a server that sends it for a full request is read as what it is)', () => {
    const corgi = { name: 'widget', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': { name: 'widget', version: '1.0.0', _npmUser: { name: 'alice' } } }, maintainers: [{ name: 'alice' }] };
    const f = npmFacts(corgi, false, ctx)!;
    assert.equal(f.publisher, undefined);
    assert.equal(f.maintainers, undefined);
  });
});

describe('PyPI facts: the JSON API\'s ownership', () => {
  const ctx = { name: 'widget', registry: 'https://pypi.test/', privateRegistry: false, fetchedAt: NOW.toISOString() };
  it('role holders and the organization, lower case; hostile names dropped; none without the field', () => {
    const doc = pypiProject({ name: 'widget', created: daysAgo(100), ownership: { users: ['Alice', 'bob', 'e\u001bvil'], organization: 'QzOrg' } }).json as Record<string, unknown>;
    assert.deepEqual(pypiJsonFacts(doc, ctx).maintainers, ['alice', 'bob', 'org:qzorg']);
    const bare = pypiProject({ name: 'widget', created: daysAgo(100) }).json as Record<string, unknown>;
    assert.equal(pypiJsonFacts(bare, ctx).maintainers, undefined);
  });
});

describe('check(), PyPI: a blocking look-alike kept by one of its target\'s owners only warns', () => {
  const run = (reg: FixtureRegistry, name: string) =>
    check([{ ecosystem: 'pypi', name }], {
      popular,
      now: () => NOW,
      registryOverrides: { pypiUrl: reg.url, pypistatsApi: reg.url },
      cacheDir: tempDir('owner-pypi-cache'),
      env: { HOME: tempDir('owner-pypi-home') },
      cwd: tempDir('owner-pypi-cwd'),
    });
  const target = pypiProject({ name: 'requests', created: daysAgo(5000), ownership: { users: ['alice'], organization: 'qzorg' } });
  const table: Array<[string, { users: string[]; organization?: string } | undefined, string, string | undefined]> = [
    ['a maintainer of both', { users: ['alice'] }, 'warn', 'alice'],
    ['the same organization', { users: ['carol'], organization: 'qzorg' }, 'warn', 'org:qzorg'],
    ['no one in common', { users: ['mallory'] }, 'block', undefined],
  ];
  for (const [label, ownership, verdict, owner] of table) {
    it(label, async () => {
      const candidate = pypiProject({ name: 'reqests', created: daysAgo(10), ...(ownership ? { ownership } : {}) });
      await withFixtureRegistry({ pypi: [candidate, target] }, async (reg) => {
        const p = (await run(reg, 'reqests')).packages[0]!;
        const typo = p.findings.find((f) => f.code === 'typo');
        assert.equal(typo?.similarTo, 'requests');
        assert.equal(typo?.severity, verdict);
        assert.equal(typo?.evidence?.sharedOwner, owner);
        if (owner === 'alice') assert.match(typo!.message, /\(alice maintains both\)/);
        if (owner === 'org:qzorg') assert.match(typo!.message, /\(both belong to the PyPI organization qzorg\)/);
      });
    });
  }
});

describe('addTargetEvidence: a target that does not answer in time adds nothing', () => {
  it('gives up after its timeout (a registry that never answers), and the block stands', async () => {
    const ctx: SignalContext = {
      ref: { ecosystem: 'npm', name: 'lodasj' },
      facts: facts('lodasj', { created: daysAgo(10), publisher: 'bob', maintainers: ['bob'], weeklyDownloads: 3 }),
      popular,
      now: NOW,
      policy: DEFAULT_POLICY,
    };
    const signals = typo(ctx);
    assert.equal(signals[0]?.similarTo, 'lodash');
    let asked = 0;
    const never = { resolve: () => (asked++, new Promise<PackageFacts>(() => {})) };
    await addTargetEvidence(signals, ctx, never, 20);
    assert.equal(asked, 1);
    assert.equal(signals[0]!.evidence.sharedOwner, undefined);
    assert.equal(verdictOf(judge(signals, ctx)), 'block');
  });
});

describe('olderThan: first published before the target, by the registries\' own dates', () => {
  const table: Array<[string, Partial<PackageFacts>, Partial<PackageFacts>, boolean]> = [
    ['older', { created: '2014-01-01T00:00:00Z' }, { created: '2016-01-01T00:00:00Z' }, true],
    ['younger', { created: '2018-01-01T00:00:00Z' }, { created: '2016-01-01T00:00:00Z' }, false],
    ['same instant', { created: '2016-01-01T00:00:00Z' }, { created: '2016-01-01T00:00:00Z' }, false],
    ['candidate date unknown', {}, { created: '2016-01-01T00:00:00Z' }, false],
    ['target date unknown (abbreviated document)', { created: '2014-01-01T00:00:00Z' }, {}, false],
    ['target not found', { created: '2014-01-01T00:00:00Z' }, { status: 'not-found', created: '2016-01-01T00:00:00Z' }, false],
  ];
  for (const [label, c, t, want] of table) it(label, () => assert.equal(olderThan(facts('lodasj', c), facts('lodash', t)), want));
});

describe('check(): a blocking look-alike is compared with its target\'s owners on the registry', () => {
  const run = (reg: FixtureRegistry, names: string[]) =>
    check(names, {
      popular,
      now: () => NOW,
      registryOverrides: { npmRegistry: `${reg.url}/`, npmDownloadsApi: reg.url },
      cacheDir: tempDir('owner-cache'),
      env: { HOME: tempDir('owner-home') },
      cwd: tempDir('owner-cwd'),
    });
  const target = npmPackage({ name: 'lodash', created: daysAgo(4000), maintainers: ['alice', 'bob'], publisher: 'alice', weeklyDownloads: 50_000_000, repository: 'https://github.test/alice/lodash' });

  // [case, candidate fixture (young, no audience: a block on the name alone), verdict, sharedOwner]
  const table: Array<[string, Parameters<typeof npmPackage>[0], string, string | undefined]> = [
    ['published by the target\'s maintainer: a sibling, "did you mean" warn', { name: 'lodasj', created: daysAgo(10), publisher: 'bob', maintainers: ['bob'], weeklyDownloads: 3 }, 'warn', 'bob'],
    ['maintainers copied from the target, published by someone else: block', { name: 'lodasj', created: daysAgo(10), publisher: 'mallory', maintainers: ['mallory', 'alice', 'bob'], weeklyDownloads: 3 }, 'block', undefined],
    ['the target\'s repository URL claimed: still block', { name: 'lodasj', created: daysAgo(10), publisher: 'mallory', maintainers: ['mallory'], weeklyDownloads: 3, repository: 'https://github.test/alice/lodash' }, 'block', undefined],
  ];
  for (const [label, candidate, verdict, owner] of table) {
    it(label, async () => {
      await withFixtureRegistry({ npm: [npmPackage(candidate), target] }, async (reg) => {
        const report = await run(reg, ['lodasj']);
        const p = report.packages[0]!;
        const typo = p.findings.find((f) => f.code === 'typo');
        assert.equal(typo?.similarTo, 'lodash');
        assert.equal(typo?.severity, verdict);
        assert.equal(p.verdict, verdict);
        assert.equal(typo?.evidence?.sharedOwner, owner);
        if (owner) assert.match(typo!.message, /published by bob, who also maintains `lodash`/);
        // The target's document was asked for exactly once, to compare owners.
        assert.equal(reg.requests.filter((r) => r.path.split('?')[0] === '/lodash').length, 1);
      });
    });
  }

  it('a look-alike that only warns anyway is not looked up further (no extra request)', async () => {
    const old = npmPackage({ name: 'lodasj', created: daysAgo(2000), publisher: 'bob', maintainers: ['bob'], weeklyDownloads: 400 });
    await withFixtureRegistry({ npm: [old] }, async (reg) => {
      const report = await run(reg, ['lodasj']);
      assert.equal(report.packages[0]!.verdict, 'warn');
      assert.equal(reg.requests.some((r) => r.path.startsWith('/lodash')), false);
    });
  });

  it('a target the registry cannot answer adds nothing: the block stands', async () => {
    const young = npmPackage({ name: 'lodasj', created: daysAgo(10), publisher: 'bob', maintainers: ['bob'], weeklyDownloads: 3 });
    await withFixtureRegistry({ npm: [young], missing: { npm: ['lodash'] } }, async (reg) => {
      const report = await run(reg, ['lodasj']);
      assert.equal(report.packages[0]!.verdict, 'block');
      assert.equal(report.packages[0]!.findings.find((f) => f.code === 'typo')?.evidence?.sharedOwner, undefined);
      assert.ok(reg.requests.some((r) => r.path.split('?')[0] === '/lodash'), 'the target was asked for');
    });
  });

  it('a document without a publisher (abbreviated, or an old one) is not compared', async () => {
    const young = npmPackage({ name: 'lodasj', created: daysAgo(10), maintainers: ['alice'], weeklyDownloads: 3 });
    await withFixtureRegistry({ npm: [young] }, async (reg) => {
      const report = await run(reg, ['lodasj']);
      assert.equal(report.packages[0]!.verdict, 'block');
      assert.equal(reg.requests.some((r) => r.path.startsWith('/lodash')), false);
    });
  });

  it('an old unused look-alike first published before its target is the older name: warn, with the target\'s date', async () => {
    const older = npmPackage({ name: 'lodasj', created: daysAgo(5000), weeklyDownloads: 2 });
    await withFixtureRegistry({ npm: [older, target] }, async (reg) => {
      const p = (await run(reg, ['lodasj'])).packages[0]!;
      const typo = p.findings.find((f) => f.code === 'typo')!;
      assert.equal(p.verdict, 'warn');
      assert.equal(typo.evidence?.olderThanTarget, 'created');
      assert.equal(typo.evidence?.targetCreated, daysAgo(4000));
      assert.match(typo.message, /it is the older name: first published before `lodash`, which dates from \d{4}-\d{2}-\d{2}/);
    });
  });

  it('an old unused look-alike younger than its target still blocks (and the target was asked for)', async () => {
    const younger = npmPackage({ name: 'lodasj', created: daysAgo(1000), weeklyDownloads: 2 });
    await withFixtureRegistry({ npm: [younger, target] }, async (reg) => {
      const p = (await run(reg, ['lodasj'])).packages[0]!;
      assert.equal(p.verdict, 'block');
      assert.equal(p.findings.find((f) => f.code === 'typo')?.evidence?.olderThanTarget, undefined);
      assert.ok(reg.requests.some((r) => r.path.split('?')[0] === '/lodash'));
    });
  });

  it('a young look-alike without a publisher is not looked up further: a popular target is older than it', async () => {
    const young = npmPackage({ name: 'lodasj', created: daysAgo(10), weeklyDownloads: 2 });
    await withFixtureRegistry({ npm: [young] }, async (reg) => {
      assert.equal((await run(reg, ['lodasj'])).packages[0]!.verdict, 'block');
      assert.equal(reg.requests.some((r) => r.path.startsWith('/lodash')), false);
    });
  });

  it('a hostile account name is neither compared nor echoed', async () => {
    const hostile = npmPackage({ name: 'lodasj', created: daysAgo(10), publisher: 'bob\u001b[31m', maintainers: ['bob\u001b[31m'], weeklyDownloads: 3 });
    await withFixtureRegistry({ npm: [hostile] }, async (reg) => {
      const report = await run(reg, ['lodasj']);
      assert.equal(report.packages[0]!.verdict, 'block');
      assert.doesNotMatch(JSON.stringify(report), /\\u001b/);
    });
  });
});
