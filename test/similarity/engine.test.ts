import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPopularIndex, hasScopeFamilies } from '../../src/similarity/index.js';
import { FAMILY_MIN_MEMBERS } from '../../src/similarity/families.js';
import { fixtureDataDir } from './fixture-data.js';

const npm = () => getPopularIndex('npm', { dataDir: fixtureDataDir() });
const pypi = () => getPopularIndex('pypi', { dataDir: fixtureDataDir() });

/** [candidate, expected target, expected kind] — every candidate invented for this test. */
type Case = [string, string, string];

function table(title: string, index: () => ReturnType<typeof npm>, cases: Case[]) {
  describe(title, () => {
    for (const [candidate, target, kind] of cases) {
      it(`${candidate} -> ${target} (${kind})`, () => {
        const m = index().lookalike(candidate);
        assert.ok(m, `no look-alike found for ${candidate}`);
        assert.equal(m.target, target);
        assert.equal(m.kind, kind);
        assert.ok(m.confidence >= 0.5 && m.confidence <= 1, `confidence ${m.confidence}`);
        assert.ok(typeof m.targetDownloads === 'number' && m.targetDownloads > 0);
      });
    }
  });
}

table('npm: one character', npm, [
  ['lodsh', 'lodash', 'omitted-char'],
  ['expres', 'express', 'omitted-char'],
  ['expresss', 'express', 'repeated-char'],
  ['webbpack', 'webpack', 'repeated-char'],
  ['webpakc', 'webpack', 'swapped-chars'],
  ['axiso', 'axios', 'swapped-chars'],
  ['webpamk', 'webpack', 'substituted-char'],
  ['lodasj', 'lodash', 'keyboard-neighbour'],
  ['axioa', 'axios', 'keyboard-neighbour'],
  ['expresz', 'express', 'keyboard-neighbour'],
  ['webpackx', 'webpack', 'edit-distance'],
]);

table('npm: look-alike characters', npm, [
  ['l0dash', 'lodash', 'lookalike'],
  ['expres5', 'express', 'lookalike'],
  ['jquerv', 'jquery', 'lookalike'],
  ['rnoment', 'moment', 'lookalike'],
  ['svviper', 'swiper', 'lookalike'],
  ['modem-normalize', 'modern-normalize', 'lookalike'],
  ['l\u043edash', 'lodash', 'lookalike'], // Cyrillic o
  ['\uff4codash', 'lodash', 'lookalike'], // full-width l
  ['lo\u200bdash', 'lodash', 'lookalike'], // zero-width space
]);

table('npm: separators, word order, case', npm, [
  ['cross.env', 'cross-env', 'separator'],
  ['cross_env', 'cross-env', 'separator'],
  ['string.width', 'string-width', 'separator'],
  ['bignumberjs', 'bignumber.js', 'separator'],
  ['json-parse', 'parse-json', 'word-order'],
  ['width-string', 'string-width', 'word-order'],
  ['Lodash', 'lodash', 'normalisation'],
]);

table('npm: affixes, versions, combosquats', npm, [
  ['cross-env-js', 'cross-env', 'affix'],
  ['node-lodash', 'lodash', 'affix'],
  ['lodash-utils', 'lodash', 'affix'],
  ['js-axios', 'axios', 'affix'],
  ['axiosjs', 'axios', 'affix'],
  ['lodahs-js', 'lodash', 'affix'],
  ['fetch-node', 'node-fetch', 'word-order'],
  ['lodash4', 'lodash', 'version-suffix'],
  ['express-5', 'express', 'version-suffix'],
  ['axios-v2', 'axios', 'version-suffix'],
  ['lodash-secure', 'lodash', 'combosquat'],
  ['official-express', 'express', 'combosquat'],
]);

table('npm: scopes', npm, [
  ['@typpes/node', '@types/node', 'scope-confusion'],
  ['@tpyes/react', '@types/react', 'scope-confusion'],
  ['@babell/core', '@babel/core', 'scope-confusion'],
  ['types-node', '@types/node', 'scope-confusion'],
  ['typesnode', '@types/node', 'scope-confusion'],
  ['node-types', '@types/node', 'scope-confusion'],
  ['widget-kit', '@acme/widget-kit', 'scope-confusion'],
]);

table('npm: two edits on long popular names', npm, [
  ['typscirpt', 'typescript', 'edit-distance'],
  ['tpyescrpit', 'typescript', 'edit-distance'],
]);

table('PyPI: PEP 503 forms and Python affixes', pypi, [
  ['requsets', 'requests', 'swapped-chars'],
  ['numpyy', 'numpy', 'repeated-char'],
  ['djagno', 'django', 'swapped-chars'],
  ['Reqests', 'requests', 'omitted-char'],
  ['python-requests', 'requests', 'affix'],
  ['requests-py', 'requests', 'affix'],
  ['pyrequests', 'requests', 'affix'],
  ['date_util', 'python-dateutil', 'affix'],
  ['python_date_util', 'python-dateutil', 'separator'],
  ['boto4', 'boto3', 'version-suffix'],
  ['beautifulsop', 'beautifulsoup4', 'omitted-char'],
  ['beautyfulsoop', 'beautifulsoup4', 'edit-distance'],
]);

table('combosquats: lure words, numbers, and a second change', npm, [
  ['lodash-beta', 'lodash', 'combosquat'],
  ['2031-express', 'express', 'combosquat'],
  ['express-20311', 'express', 'combosquat'],
  // A lure plus a typo of a long name, or plus version digits.
  ['typescirpt-pro', 'typescript', 'combosquat'],
  ['webpack5-latest', 'webpack', 'combosquat'],
]);

table('PyPI: two popular names glued, named after the first', pypi, [
  ['numpy-pyyaml', 'numpy', 'combosquat'],
  ['pyyaml-numpy', 'pyyaml', 'combosquat'],
  ['django-boto3', 'django', 'combosquat'],
  // A popular name's unversioned spelling counts as the name (`beautifulsoup4`).
  ['numpy-beautifulsoup', 'numpy', 'combosquat'],
  ['requests3-beta', 'requests', 'combosquat'],
  ['numpy-install', 'numpy', 'combosquat'],
]);

describe('what the engine leaves alone', () => {
  const none: Array<[string, () => ReturnType<typeof npm>, string]> = [
    ['the name itself', npm, 'lodash'],
    ['a scoped name in its own scope', npm, '@types/node'],
    ['a same-scope sibling', npm, '@babel/cor'],
    ['@types of a popular name', npm, '@types/lodash'],
    ['an unrelated name', npm, 'zebra-quantum-parser'],
    ['a two-letter name', npm, 'wx'],
    ['two popular names glued (plugin naming)', npm, 'react-lodash'],
    ['a generic bare name shared by many scopes', npm, 'core'],
    ['an empty name', npm, ''],
    ['an absurdly long name', npm, 'l'.repeat(500)],
    ['PyPI: the same project in another spelling', pypi, 'Python_DateUtil'],
    ['PyPI: the same project, upper case', pypi, 'Django'],
    ['PyPI: a plugin host plus a popular name (plugin naming)', pypi, 'hostkit-numpy'],
    ['PyPI: a popular name plus an ordinary word', pypi, 'numpy-quaternionic'],
    ['a lure plus the core of a popular name with a noise word', npm, 'beta-fetch'],
  ];
  for (const [title, index, name] of none) {
    it(title, () => assert.equal(index().lookalike(name), undefined));
  }

  it('a package in an established scope is not a scope typo of a peer scope', () => {
    // @acmes/widget-kit has a third of @acme/widget-kit's audience: a peer, not an imitation.
    assert.equal(npm().lookalike('@acmes/widget-kit'), undefined);
    // The same bare name in a scope nobody publishes popular packages in is.
    assert.equal(npm().lookalike('@acmme/widget-kit')?.target, '@acme/widget-kit');
  });

  it('scope families are not look-alikes: lookalike() leaves them to scopeFamily()', () => {
    assert.equal(npm().lookalike('gizmo-omega'), undefined);
  });

  it('the engine still names the popular peer; the signal decides (preact -> react)', () => {
    assert.equal(npm().lookalike('preact')?.target, 'react');
  });
});

describe('npm scope families (scopeFamily)', () => {
  const engine = () => {
    const index = npm();
    assert.ok(hasScopeFamilies(index));
    return index;
  };

  it('an unscoped name starting with a family word is that scope\'s package without its scope', () => {
    const m = engine().scopeFamily('gizmo-omega');
    assert.ok(m);
    assert.equal(m.target, '@acme/gizmo-omega');
    assert.equal(m.kind, 'scope-confusion');
    assert.ok(m.confidence < 0.7, 'weak evidence: reported only for names without an audience');
    assert.deepEqual(m.family, { scope: 'acme', members: 5, word: 'gizmo' });
    assert.equal(engine().scopeFamily('gizmo.omega')?.target, '@acme/gizmo.omega');
  });

  it(`FAMILY_MIN_MEMBERS (${FAMILY_MIN_MEMBERS}) members with the word in one scope and none unscoped make a family; one fewer does not`, () => {
    assert.deepEqual(engine().scopeFamily('doohick-omega')?.family, { scope: 'acme', members: FAMILY_MIN_MEMBERS, word: 'doohick' });
    assert.equal(engine().scopeFamily('thingam-omega'), undefined);
  });

  it('a service word of a family (the word after the family word, used by no popular name outside the scope) is that scope\'s word', () => {
    const m = engine().scopeFamily('sprocket-client');
    assert.equal(m?.target, '@zeta/sprocket-client');
    assert.deepEqual(m?.family, { scope: 'zeta', members: 5, via: '@zeta/gear-sprocket', word: 'sprocket' });
    // Its first two words run together, as the family member writes it.
    assert.deepEqual([engine().scopeFamily('fly-wheel-client')?.target, engine().scopeFamily('fly-wheel-client')?.family.word], ['@zeta/fly-wheel-client', 'fly-wheel']);
  });

  const notServices: Array<[string, string]> = [
    ['a service word other popular names use too', 'widget-client'],
    ['a service word alone (no words of its own)', 'sprocket'],
    ['a word that only contains the service word', 'sprockets-client'],
    ['a word shorter than five letters', 'two-client'],
  ];
  for (const [title, name] of notServices) it(`${title}: none`, () => assert.equal(engine().scopeFamily(name), undefined));

  const none: Array<[string, string]> = [
    ['a word also used by unscoped popular names', 'gadget-omega'],
    ['a single word', 'gizmo'],
    ['a scoped name', '@other/gizmo-omega'],
    ['a word no scope uses', 'zebra-quantum'],
    ['an empty name', ''],
  ];
  for (const [title, name] of none) it(`${title}: none`, () => assert.equal(engine().scopeFamily(name), undefined));

  it('PyPI has no scopes', () => {
    const index = pypi();
    assert.ok(hasScopeFamilies(index));
    assert.equal(index.scopeFamily('gizmo-omega'), undefined);
  });
});
