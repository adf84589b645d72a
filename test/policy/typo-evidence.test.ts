import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ecosystem, PackageFacts, PopularIndex, Policy, SignalContext } from '../../src/core/types.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { judge, verdictOf } from '../../src/policy/verdict.js';
import { typo } from '../../src/signals/typo.js';
import { getPopularIndex } from '../../src/similarity/index.js';
import { isTypesPair, siblingShape } from '../../src/similarity/siblings.js';
import { fixtureDataDir } from '../similarity/fixture-data.js';

const NOW = new Date('2026-11-26T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const popular = (e: Ecosystem): PopularIndex => getPopularIndex(e, { dataDir: fixtureDataDir() });

/** The typo finding's verdict for a published package with these facts ('none' when silent). */
function verdict(name: string, facts: Partial<PackageFacts>, ecosystem: Ecosystem = 'npm', policy: Policy = DEFAULT_POLICY): string {
  const ctx: SignalContext = {
    ref: { ecosystem, name },
    facts: { ecosystem, name, status: 'found', registry: 'https://registry.test/', fetchedAt: NOW.toISOString(), ...facts },
    popular,
    now: NOW,
    policy,
  };
  const signals = typo(ctx);
  return signals.length === 0 ? 'none' : verdictOf(judge(signals, ctx));
}

describe('typo verdicts weigh age and adoption, not the name alone', () => {
  // [case, candidate (invented, one edit from a fixture name), facts, verdict]
  const table: Array<[string, string, Partial<PackageFacts>, string]> = [
    ['young squat, near-zero downloads: block', 'lodasj', { created: daysAgo(10), weeklyDownloads: 12 }, 'block'],
    ['young look-alike with downloads: still block (youth decides)', 'lodasj', { created: daysAgo(30), weeklyDownloads: 800 }, 'block'],
    ['unknown age: block (missing evidence never clears)', 'lodasj', { weeklyDownloads: 5_000 }, 'block'],
    ['old sibling with sustained downloads: "did you mean" warn', 'lodasj', { created: daysAgo(1500), weeklyDownloads: 400 }, 'warn'],
    ['months old, adopted: warn', 'lodasj', { created: daysAgo(200), weeklyDownloads: 150 }, 'warn'],
    ['old but unused, far below its target: block', 'lodasj', { created: daysAgo(1500), weeklyDownloads: 3 }, 'block'],
    ['old, count unknown: warn on its age (missing evidence is not a low count)', 'lodasj', { created: daysAgo(800) }, 'warn'],
    ['months old, count unknown: warn', 'lodasj', { created: daysAgo(200) }, 'warn'],
    ['young, count unknown: block', 'lodasj', { created: daysAgo(20) }, 'block'],
  ];
  for (const [label, name, facts, want] of table) it(label, () => assert.equal(verdict(name, facts), want));

  it('an unknown count is missing evidence, not a low count: an adopted package keeps its verdict when the count is lost', () => {
    for (const age of [200, 800, 3000]) {
      const created = daysAgo(age);
      assert.equal(verdict('lodasj', { created }), verdict('lodasj', { created, weeklyDownloads: 500 }), `${age} days`);
    }
    // Only a measured near-zero count blocks an old look-alike.
    assert.equal(verdict('lodasj', { created: daysAgo(800), weeklyDownloads: 0 }), 'block');
  });

  it('every threshold is policy: raising typoAdoptedWeekly or typoYoungDays turns the old sibling back into a block', () => {
    const strict: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, typoAdoptedWeekly: 1_000 } };
    assert.equal(verdict('lodasj', { created: daysAgo(1500), weeklyDownloads: 400 }, 'npm', strict), 'block');
    const wary: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, typoYoungDays: 2_000 } };
    assert.equal(verdict('lodasj', { created: daysAgo(1500), weeklyDownloads: 400 }, 'npm', wary), 'block');
  });
});

describe('@types/x is never a look-alike of x, either way', () => {
  it('a package whose only look-alike is its own type definitions is not a squat of them', () => {
    // `@types/node` is in the fixture list; a young, unused `node` resembles it by scope alone.
    assert.equal(verdict('node', { created: daysAgo(5), weeklyDownloads: 1 }), 'none');
  });
  it('a scope-confusion squat of the @types package is still blocked', () => {
    assert.equal(verdict('types-node', { created: daysAgo(5), weeklyDownloads: 1 }), 'block');
    assert.equal(verdict('@typess/node', { created: daysAgo(5), weeklyDownloads: 1 }), 'block');
  });
  const pairs: Array<[string, string, boolean]> = [
    ['@types/qzkit', 'qzkit', true],
    ['qzkit', '@types/qzkit', true],
    ['@types/qzorg__kit', '@qzorg/kit', true],
    ['@qzorg/kit', '@types/qzorg__kit', true],
    ['@types/qzkit', 'qzkits', false],
    ['@typess/qzkit', 'qzkit', false],
  ];
  for (const [a, b, want] of pairs) it(`${a} and ${b}: ${want ? 'one project' : 'not a pair'}`, () => assert.equal(isTypesPair(a, b), want));
});

describe('sibling shapes: the name is weak evidence, age decides without a count', () => {
  const shapes: Array<[Ecosystem, string, string, string | undefined]> = [
    ['npm', 'qz-bin-linux-32', 'qz-bin-linux-64', 'numbered'],
    ['npm', 'qz-theme-plus-33', 'qz-theme-plus-28', 'numbered'],
    ['npm', 'qz-bin-darwin-arm64', 'qz-bin-linux-x64', 'numbered'],
    ['npm', 'plugin-qz-sass', 'qz-sass-plugin', 'word-order'],
    ['pypi', 'qzlib2', 'qzlib', 'successor'],
    ['pypi', 'python-qzlib', 'py-qzlib', 'python-prefix'],
    ['npm', 'qzv', 'qzx', 'short-name'],
    ['npm', 'lodasj', 'lodash', undefined],
    // A scoped package's bare name published unscoped is dependency confusion, not a sibling.
    ['npm', 'qz-orm-kit', '@qzorg/qz-orm-kit', undefined],
    ['npm', 'qzv', '@qzorg/qzv', undefined],
  ];
  for (const [eco, candidate, target, want] of shapes) {
    it(`${candidate} next to ${target}: ${want ?? 'an ordinary misspelling'}`, () => assert.equal(siblingShape(eco, candidate, target, 'edit-distance'), want));
  }

  it('a word-order twin with a near-zero count: blocked while young or months old, a warning from typoEstablishedDays', () => {
    // `cross-env` is in the fixture list; `env-cross` is its word-order twin. An ordinary
    // misspelling of the same age and count keeps blocking.
    assert.equal(verdict('env-cross', { created: daysAgo(20), weeklyDownloads: 2 }), 'block');
    assert.equal(verdict('env-cross', { created: daysAgo(200), weeklyDownloads: 2 }), 'block');
    assert.equal(verdict('env-cross', { created: daysAgo(800), weeklyDownloads: 2 }), 'warn');
    assert.equal(verdict('lodasj', { created: daysAgo(800), weeklyDownloads: 2 }), 'block');
    const late: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, typoEstablishedDays: 2_000 } };
    assert.equal(verdict('env-cross', { created: daysAgo(800), weeklyDownloads: 2 }, 'npm', late), 'block');
  });
});

describe('PyPI: one source for both sides of the ratio', () => {
  it('a ranked candidate is weighed by its rank, whatever pypistats says (or fails to)', () => {
    // `beautifulsoup` (rank 9,000) resembles `beautifulsoup4` (rank 40): the verdict is the same
    // with a pypistats count, with a different one, and without one.
    const old = daysAgo(3000);
    const a = verdict('beautifulsoup', { created: old }, 'pypi');
    assert.equal(verdict('beautifulsoup', { created: old, weeklyDownloads: 2 }, 'pypi'), a);
    assert.equal(verdict('beautifulsoup', { created: old, weeklyDownloads: 90_000 }, 'pypi'), a);
  });
});

describe('PyPI: a popular name wrapped in words of its own is asked about only without evidence', () => {
  // `requests` and `numpy` are among the fixture's most popular; `hostkit` is a plugin host (50
  // popular names extend it). The other words are invented.
  const table: Array<[string, string, Partial<PackageFacts>, string]> = [
    ['young, no audience: block', 'requests-qzlite', { created: daysAgo(5) }, 'block'],
    ['unknown age, no audience: block', 'qzos-numpy', {}, 'block'],
    ['young but adopted: silent', 'requests-qzlite', { created: daysAgo(5), weeklyDownloads: 500 }, 'none'],
    ['old: silent (never asked)', 'requests-qzlite', { created: daysAgo(900) }, 'none'],
    ['a plugin of a host: silent', 'hostkit-qzthing', { created: daysAgo(5) }, 'none'],
    ['more words than a disguise: silent', 'qz-a-b-c-requests-d', { created: daysAgo(5) }, 'none'],
    ['a one-word popular name inside a name, not at its start or end: an ordinary word, silent', 'qz-requests-lite', { created: daysAgo(5) }, 'none'],
    ['a one-word popular name at the end of four words: silent', 'qz-ab-cd-numpy', { created: daysAgo(5) }, 'none'],
    ['at the end of three words: block', 'qz-ab-numpy', { created: daysAgo(5) }, 'block'],
    ['a popular name of several words is specific wherever it sits: block', 'qz-python-dateutil-lite', { created: daysAgo(5) }, 'block'],
  ];
  for (const [label, name, facts, want] of table) it(`${name}, ${label}`, () => assert.equal(verdict(name, facts, 'pypi'), want));
});
