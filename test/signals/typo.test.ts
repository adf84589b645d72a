import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ecosystem, PackageFacts, PopularIndex, SignalContext } from '../../src/core/types.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { getPopularIndex } from '../../src/similarity/index.js';
import { typo } from '../../src/signals/typo.js';
import { messageFor } from '../../src/reporters/messages.js';
import { fixtureDataDir } from '../similarity/fixture-data.js';

const popular = (e: Ecosystem): PopularIndex => getPopularIndex(e, { dataDir: fixtureDataDir() });

function run(name: string, facts: Partial<PackageFacts> = {}, ecosystem: Ecosystem = 'npm', pop = popular) {
  const ctx: SignalContext = {
    ref: { ecosystem, name },
    facts: { ecosystem, name, status: 'found', registry: 'https://registry.test/', fetchedAt: '2026-11-26T00:00:00Z', ...facts },
    popular: pop,
    now: new Date('2026-11-26T00:00:00Z'),
    policy: DEFAULT_POLICY,
  };
  return typo(ctx);
}

describe('typo signal: reports look-alikes with the evidence policy weighs', () => {
  it('a name that does not exist: reported, downloads and ratio unknown', () => {
    const [s, ...rest] = run('lodsah', { status: 'not-found' });
    assert.equal(rest.length, 0);
    assert.ok(s);
    assert.equal(s.code, 'typo');
    assert.equal(s.similarTo, 'lodash');
    assert.equal(s.kind, 'swapped-chars');
    assert.equal(s.strength, s.evidence.confidence);
    assert.deepEqual(
      { ...s.evidence, confidence: undefined },
      { target: 'lodash', kind: 'swapped-chars', confidence: undefined, targetDownloads: 50_000_000, candidateDownloads: null, ratio: null },
    );
  });

  it('a small existing package: the ratio of audiences is in the evidence', () => {
    const [s] = run('lodsah', { weeklyDownloads: 40 });
    assert.equal(s?.evidence.candidateDownloads, 40);
    assert.equal(s?.evidence.ratio, 1_250_000);
  });

  it('zero downloads count as one for the ratio (no division by zero)', () => {
    assert.equal(run('lodsah', { weeklyDownloads: 0 })[0]?.evidence.ratio, 50_000_000);
  });

  it('an unverified package is still reported (the name shape alone is evidence)', () => {
    assert.equal(run('lodsah', { status: 'unverified' })[0]?.similarTo, 'lodash');
  });

  it('an unpublished name has no audience, whatever an old list says', () => {
    assert.equal(run('tiny-widgets', { status: 'unpublished' })[0]?.evidence.candidateDownloads, null);
  });

  it('without registry downloads, the bundled list gives the candidate its audience', () => {
    // tiny-widgets is listed with 250 a week, a peer of tiny-widget (300): silent.
    assert.deepEqual(run('tiny-widgets'), []);
  });

  it('PyPI names are judged after PEP 503 normalisation; the estimate comes with its rank', () => {
    const [s] = run('Requsets', { status: 'not-found' }, 'pypi');
    assert.equal(s?.similarTo, 'requests');
    assert.equal(s?.evidence.targetRank, 6);
  });

  it('the ratio keeps one decimal', () => {
    assert.equal(run('lodsah', { weeklyDownloads: 3 })[0]?.evidence.ratio, 16_666_666.7);
  });
});

describe('typo signal: the popularity-gap rule keeps popular packages apart', () => {
  const peers: Array<[string, string, Ecosystem]> = [
    ['preact', 'react', 'npm'],
    ['ws', 'ms', 'npm'],
    ['chai', 'chalk', 'npm'],
    ['boto', 'boto3', 'pypi'],
    ['pyaml', 'pyyaml', 'pypi'],
  ];
  for (const [candidate, lookalike, eco] of peers) {
    it(`${candidate} is not called a typo of ${lookalike}`, () => {
      assert.deepEqual(run(candidate, {}, eco), []);
      // With the registry's own count instead of the list's: still silent.
      assert.deepEqual(run(candidate, { weeklyDownloads: 2_000_000 }, eco), []);
    });
  }

  it('an established package (10,000+ a week) is silent without opening the index', () => {
    const untouchable = (): PopularIndex => {
      throw new Error('index opened');
    };
    assert.deepEqual(run('lodsah', { weeklyDownloads: 20_000 }, 'npm', untouchable), []);
  });

  it('a package within a tenth of its look-alike audience is a peer', () => {
    assert.deepEqual(run('tiny-widgetz', { weeklyDownloads: 30 }), []); // vs tiny-widgets at 250
    assert.equal(run('tiny-widgetz', { weeklyDownloads: 20 })[0]?.similarTo, 'tiny-widgets');
  });

  it('weak resemblance needs a small audience: a two-edit match with 2,000 a week is silent', () => {
    assert.deepEqual(run('typscirpt', { weeklyDownloads: 2_000 }), []);
    assert.equal(run('typscirpt', { weeklyDownloads: 200 })[0]?.similarTo, 'typescript');
  });

  it('strong resemblance is reported up to the established floor', () => {
    assert.equal(run('l0dash', { weeklyDownloads: 9_000 })[0]?.kind, 'lookalike');
  });

  it('same-scope siblings and @types packages are silent', () => {
    assert.deepEqual(run('@babel/cor', { status: 'not-found' }), []);
    assert.deepEqual(run('@types/lodash', { status: 'not-found' }), []);
  });

  it('names served by a private registry are not judged against the public list', () => {
    assert.deepEqual(run('lodsah', { privateRegistry: true }), []);
  });

  it('a name like nothing popular is silent', () => {
    assert.deepEqual(run('zebra-quantum-parser', { status: 'not-found' }), []);
  });
});

describe('typo signal: weak resemblances next to a not-found verdict', () => {
  const weak = (e: Ecosystem): PopularIndex => {
    const real = popular(e);
    return {
      ecosystem: e,
      snapshotDate: real.snapshotDate,
      popularity: (name) => real.popularity(name),
      exists: (name) => real.exists(name),
      lookalike: (name) => (name === 'gone-thing' ? { target: 'tone', kind: 'affix', confidence: 0.5, targetDownloads: 200_000 } : real.lookalike(name)),
    };
  };
  it('a weak structural match is not offered for a name that does not exist or could not be checked', () => {
    assert.deepEqual(run('gone-thing', { status: 'not-found' }, 'npm', weak), []);
    assert.deepEqual(run('gone-thing', { status: 'unpublished' }, 'npm', weak), []);
    assert.deepEqual(run('gone-thing', { status: 'unverified' }, 'npm', weak), []);
  });
  it('the same weak match is still reported for a package that exists with no known audience', () => {
    assert.equal(run('gone-thing', { status: 'found' }, 'npm', weak)[0]?.similarTo, 'tone');
  });
});

describe('typo signal: npm scope families (an unscoped name that drops its family scope)', () => {
  it('a published name without an audience is reported, with the family in the evidence', () => {
    const [s, ...rest] = run('gizmo-omega');
    assert.equal(rest.length, 0);
    assert.ok(s);
    assert.equal(s.similarTo, '@acme/gizmo-omega');
    assert.equal(s.kind, 'scope-confusion');
    assert.equal(s.evidence.targetDownloads, null);
    assert.equal(s.evidence.familyScope, 'acme');
    assert.equal(s.evidence.familyWord, 'gizmo');
    assert.equal(s.evidence.familyMembers, 5);
    assert.equal(run('gizmo-omega', { weeklyDownloads: 50 })[0]?.similarTo, '@acme/gizmo-omega');
  });

  it('weak evidence: silent for a package with an audience of its own', () => {
    assert.deepEqual(run('gizmo-omega', { weeklyDownloads: 5_000 }), []);
  });

  it('a family\'s service word: reported with the member that names it, and the message says so', () => {
    const [s] = run('sprocket-client', { created: '2026-11-20T00:00:00Z' });
    assert.equal(s?.similarTo, '@zeta/sprocket-client');
    assert.equal(s?.evidence.familyVia, '@zeta/gear-sprocket');
    assert.equal(s?.evidence.familyWord, 'sprocket');
    assert.equal(
      messageFor(s!, 'npm', 'sprocket-client'),
      "`sprocket-client` looks like a package of the npm scope `@zeta` published without its scope (`sprocket` is that scope's word: `@zeta/gear-sprocket`, and no other popular package uses it); did you mean `@zeta/sprocket-client`?",
    );
    // Asked only as family words are: not for an old package.
    assert.deepEqual(run('sprocket-client', { created: '2020-01-01T00:00:00Z' }), []);
  });

  it('asked only for a young package or one of unknown age (dependency confusion is new)', () => {
    assert.equal(run('gizmo-omega', { weeklyDownloads: 20, created: '2026-10-01T00:00:00Z' })[0]?.similarTo, '@acme/gizmo-omega');
    assert.deepEqual(run('gizmo-omega', { weeklyDownloads: 20, created: '2024-01-01T00:00:00Z' }), []);
  });

  it('not asked for a name that does not exist or could not be checked (not-found or unknown already says it)', () => {
    for (const status of ['not-found', 'unpublished', 'unverified'] as const) assert.deepEqual(run('gizmo-omega', { status }), []);
  });

  it('not asked when the name resembles a popular package by itself', () => {
    const asked: string[] = [];
    const spy = (e: Ecosystem) => {
      const real = popular(e) as ReturnType<typeof popular> & { scopeFamily(n: string): unknown };
      return { ...real, lookalike: (n: string) => real.lookalike(n), popularity: (n: string) => real.popularity(n), exists: (n: string) => real.exists(n), scopeFamily: (n: string) => (asked.push(n), real.scopeFamily(n)) } as PopularIndex;
    };
    assert.equal(run('lodsah', {}, 'npm', spy)[0]?.similarTo, 'lodash');
    assert.deepEqual(asked, []);
  });

  it('an index without scope families (a test double) is fine', () => {
    const plain = (e: Ecosystem): PopularIndex => {
      const real = popular(e);
      return { ecosystem: e, snapshotDate: real.snapshotDate, popularity: (n) => real.popularity(n), exists: (n) => real.exists(n), lookalike: (n) => real.lookalike(n) };
    };
    assert.deepEqual(run('gizmo-omega', {}, 'npm', plain), []);
  });

  it('PyPI: two popular names glued are reported for a name without an audience', () => {
    assert.equal(run('numpy-pyyaml', {}, 'pypi')[0]?.similarTo, 'numpy');
    assert.equal(run('numpy-pyyaml', { weeklyDownloads: 40 }, 'pypi')[0]?.kind, 'combosquat');
    assert.deepEqual(run('numpy-pyyaml', { weeklyDownloads: 5_000 }, 'pypi'), []);
  });
});
