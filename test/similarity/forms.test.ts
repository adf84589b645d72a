import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { osaDistance, singleEdit } from '../../src/similarity/classify.js';
import { foldConfusables } from '../../src/similarity/confusables.js';
import { formsOf, keyOf, lookalikeVariants, withoutVersion } from '../../src/similarity/forms.js';
import { coresOf } from '../../src/similarity/keys.js';
import { keyboardNeighbours } from '../../src/similarity/keyboard.js';

describe('name forms', () => {
  it('splits npm scopes and normalises PyPI names (PEP 503)', () => {
    assert.deepEqual(formsOf('npm', '@Types/Node'), { canonical: '@types/node', scope: 'types', bare: 'node', tokens: ['node'], key: 'node' });
    assert.equal(formsOf('pypi', 'Python__Date.Util').canonical, 'python-date-util');
    assert.equal(formsOf('npm', 'a-b_c.d').key, 'abcd');
  });

  it('folds look-alike characters both sides use', () => {
    assert.equal(keyOf('l0-d1sh'), 'lodlsh');
    assert.equal(foldConfusables('r\u0435\u0430\u0441t'), 'react'); // Cyrillic е а с
    assert.equal(foldConfusables('\u0440ip'), 'pip'); // Cyrillic р reads as p
    assert.equal(foldConfusables('caf\u00e9'), 'cafe');
    assert.equal(foldConfusables('a\u2013b'), 'a-b');
    assert.equal(foldConfusables('plain-ascii'), 'plain-ascii');
  });

  it('offers multi-character look-alikes as variants, both ways', () => {
    assert.deepEqual(lookalikeVariants('modern').sort(), ['moclern', 'modem', 'rnodern']);
    assert.ok(lookalikeVariants('swim').includes('swirn'));
    assert.ok(lookalikeVariants('vvatch').includes('watch'));
    assert.deepEqual(lookalikeVariants('xyz'), []);
  });

  it('strips trailing version digits only where a word remains', () => {
    assert.deepEqual(withoutVersion(['lodash4']), ['lodash']);
    assert.deepEqual(withoutVersion(['vue', 'v3']), ['vue']);
    assert.deepEqual(withoutVersion(['express', '5']), ['express']);
    assert.equal(withoutVersion(['d3']), undefined); // the word must keep three characters
    assert.equal(withoutVersion(['base64x']), undefined); // no trailing digits
    assert.equal(withoutVersion(['lib12345']), undefined); // five digits is not a version
    assert.equal(withoutVersion([]), undefined);
  });

  it('removes noise affixes, separated or glued', () => {
    const cores = (t: string[]) => coresOf(t).map((c) => `${c.tokens.join('-')}|${c.affix}|${c.at}`);
    assert.deepEqual(cores(['node', 'fetch']), ['fetch|node|prefix']);
    assert.deepEqual(cores(['python', 'dateutil', 'py']).sort(), ['dateutil-py|python|prefix', 'dateutil|python+py|prefix', 'python-dateutil|py|suffix'].sort());
    assert.deepEqual(cores(['pyyaml']), ['yaml|py|prefix']);
    assert.deepEqual(cores(['chartjs']), ['chart|js|suffix']);
    assert.deepEqual(cores(['cjs']), []); // `c` is not a word
    assert.deepEqual(cores(['js']), []);
  });
});

describe('edit classification', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['lodsh', 'lodash', 'omitted-char'],
    ['lodassh', 'lodash', 'repeated-char'],
    ['lodsah', 'lodash', 'swapped-chars'],
    ['lodasj', 'lodash', 'keyboard-neighbour'],
    ['lodawsh', 'lodash', 'keyboard-neighbour'],
    ['lodaxh', 'lodash', 'keyboard-neighbour'],
    ['lodamh', 'lodash', 'substituted-char'],
    ['iodash', 'lodash', 'lookalike'],
    ['lodashq', 'lodash', 'edit-distance'],
    ['lodash', 'lodash', undefined],
    ['ldsh', 'lodash', undefined],
    ['hsadol', 'lodash', undefined],
  ];
  for (const [q, t, kind] of cases) it(`${q} vs ${t}: ${kind ?? 'not one edit'}`, () => assert.equal(singleEdit(q, t), kind));

  it('keyboard neighbours are symmetric and exclude the key itself', () => {
    assert.equal(keyboardNeighbours('q', 'w'), true);
    assert.equal(keyboardNeighbours('w', 'q'), true);
    assert.equal(keyboardNeighbours('q', 'a'), true);
    assert.equal(keyboardNeighbours('q', 'p'), false);
    assert.equal(keyboardNeighbours('a', 'a'), false);
  });

  it('OSA distance counts a swap as one edit and caps at max + 1', () => {
    assert.equal(osaDistance('abcd', 'abdc', 2), 1);
    assert.equal(osaDistance('typescript', 'typscirpt', 2), 2);
    assert.equal(osaDistance('abc', 'xyz', 2), 3);
    assert.equal(osaDistance('a', 'abcdef', 2), 3);
  });

  it('singleEdit agrees with OSA distance 1 (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-e]{0,8}$/), fc.stringMatching(/^[a-e]{0,8}$/), (a, b) => {
        assert.equal(singleEdit(a, b) !== undefined, osaDistance(a, b, 2) === 1);
      }),
      { numRuns: 2000 },
    );
  });
});
