import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ecosystem, PackageFacts, PopularIndex, SignalContext, SimilarityMatch } from '../../src/core/types.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { judge, verdictOf } from '../../src/policy/verdict.js';
import { typo } from '../../src/signals/typo.js';
import { HOST_WORD_WEEKLY, isHostPort } from '../../src/similarity/siblings.js';
import { tablePopular } from '../helpers/fake-resolver.js';

const NOW = new Date('2026-11-26T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const NPM = 'https://registry.npmjs.org/';

/** The typo verdict ('none' when silent) and the finding, for a published package. */
function judged(name: string, facts: Partial<PackageFacts>, popular: (e: Ecosystem) => PopularIndex, ecosystem: Ecosystem = 'npm') {
  const ctx: SignalContext = {
    ref: { ecosystem, name },
    facts: { ecosystem, name, status: 'found', registry: NPM, fetchedAt: NOW.toISOString(), ...facts },
    popular,
    now: NOW,
    policy: DEFAULT_POLICY,
  };
  const findings = judge(typo(ctx), ctx);
  return { verdict: findings.length ? verdictOf(findings) : 'none', finding: findings[0] };
}

const match = (target: string, kind: SimilarityMatch['kind'], targetDownloads: number): SimilarityMatch => ({ target, kind, confidence: 0.85, targetDownloads });

describe('the same package for another host is not a look-alike (one word swapped for another very popular package)', () => {
  const M = 1_000_000;
  const popular = tablePopular(
    { hostaa: 80 * M, hostab: 10 * M, 'hostaa-widget': 2 * M, colr: 5 * M, colour: 150_000, 'colr-widget': 2 * M, 'hostaa-widget-kit': 2 * M },
    {
      'hostab-widget': match('hostaa-widget', 'edit-distance', 2 * M),
      'hostac-widget': match('hostaa-widget', 'substituted-char', 2 * M),
      'colour-widget': match('colr-widget', 'edit-distance', 2 * M),
      'hostab-widget-kitt': match('hostaa-widget-kit', 'edit-distance', 2 * M),
    },
  );
  // [case, candidate (young, unused: blocks on the name alone), verdict]
  const table: Array<[string, string, string]> = [
    ['both swapped words are hosts with millions a week: silent', 'hostab-widget', 'none'],
    ['the swapped word is no package: a misspelling, block', 'hostac-widget', 'block'],
    [`a swapped word under ${HOST_WORD_WEEKLY.toLocaleString('en')} a week (squats swap in such words): block`, 'colour-widget', 'block'],
    ['two words differ: block', 'hostab-widget-kitt', 'block'],
  ];
  for (const [label, name, want] of table) it(label, () => assert.equal(judged(name, { created: daysAgo(5), weeklyDownloads: 2 }, popular).verdict, want));

  it('compares words after the scope, in either ecosystem', () => {
    const weekly = (w: string) => ({ alpha: 5 * M, alpho: 2 * M })[w];
    assert.equal(isHostPort('npm', '@x/alpho-tools', '@y/alpha-tools', weekly), true);
    assert.equal(isHostPort('pypi', 'Alpho_Tools', 'alpha-tools', weekly), true);
    assert.equal(isHostPort('npm', 'alpho', 'alpha', weekly), false, 'a one-word name is a plain respelling');
  });
});

describe('npm punctuation twins: the registry refuses them after its moniker rule, so one found since is the older name', () => {
  const popular = tablePopular({ widgetkit: 5_000_000 }, { 'widget-kit': match('widgetkit', 'separator', 5_000_000), 'widget-kitt': match('widgetkit', 'edit-distance', 5_000_000) });
  // [case, candidate, facts (young: a block on the name alone otherwise), verdict, olderThanTarget]
  const table: Array<[string, string, Partial<PackageFacts>, string, string | undefined]> = [
    ['first published after the rule on the public registry: "did you mean" warn', 'widget-kit', { created: daysAgo(40) }, 'warn', 'moniker-rule'],
    ['first published before the rule (2017): either could be the copy, block', 'widget-kit', { created: '2017-06-01T00:00:00Z' }, 'block', undefined],
    ['unknown age: block (missing evidence never clears)', 'widget-kit', {}, 'block', undefined],
    ['served by another registry (a mirror may take local publishes): block', 'widget-kit', { created: daysAgo(40), registry: 'https://npm.corp.test/' }, 'block', undefined],
    ['more than punctuation differs: block', 'widget-kitt', { created: daysAgo(40) }, 'block', undefined],
  ];
  for (const [label, name, facts, want, older] of table) {
    it(label, () => {
      const { verdict, finding } = judged(name, { weeklyDownloads: 2, ...facts }, popular);
      assert.equal(verdict, want);
      assert.equal(finding?.evidence?.olderThanTarget, older);
    });
  }

  it('the warning says why', () => {
    const { finding } = judged('widget-kit', { created: daysAgo(40), weeklyDownloads: 2 }, popular);
    assert.match(finding!.message, /it is the older name: npm refuses a name that differs from an existing one only in punctuation/);
  });

  it('PyPI has no such rule (its names normalise punctuation away): not applied', () => {
    const pypi = tablePopular({ 'widget-kit2': 5_000_000 }, { 'widgetkit2': match('widget-kit2', 'separator', 5_000_000) });
    assert.equal(judged('widgetkit2', { created: daysAgo(40), weeklyDownloads: 2, registry: 'https://pypi.org/' }, pypi, 'pypi').finding?.evidence?.olderThanTarget, undefined);
  });
});
