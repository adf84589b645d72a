import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpecs } from '../../src/core/specs.js';

describe('command-line specs', () => {
  const good: Array<[string, 'npm' | 'pypi', string, string | undefined, string?]> = [
    ['express', 'npm', 'express', undefined],
    ['express@^4.18', 'npm', 'express', '^4.18'],
    ['@types/node@20', 'npm', '@types/node', '20'],
    ['npm:left-pad', 'npm', 'left-pad', undefined],
    ['npm:sw@npm:string-width@4', 'npm', 'string-width', '4', 'sw'],
    ['JSONStream', 'npm', 'JSONStream', undefined],
    ['pypi:requests', 'pypi', 'requests', undefined],
    ['pypi:requests==2.31.0', 'pypi', 'requests', '==2.31.0'],
    ['pypi:Django>=4,<5', 'pypi', 'Django', '>=4,<5'],
    ['pypi:requests[socks]>=2', 'pypi', 'requests', '>=2'],
    ['pypi:zope.interface', 'pypi', 'zope.interface', undefined],
  ];
  for (const [text, eco, name, spec, alias] of good) {
    it(`reads ${text}`, () => {
      const { refs, errors } = parseSpecs([text], 'npm');
      assert.deepEqual(errors, []);
      assert.equal(refs[0]!.ecosystem, eco);
      assert.equal(refs[0]!.name, name);
      assert.equal(refs[0]!.spec, spec);
      assert.equal(refs[0]!.alias, alias);
    });
  }

  it('--ecosystem sets the default', () => {
    assert.equal(parseSpecs(['numpy'], 'pypi').refs[0]!.ecosystem, 'pypi');
    assert.equal(parseSpecs(['npm:numpy'], 'pypi').refs[0]!.ecosystem, 'npm');
  });

  const bad: Array<[string, RegExp]> = [
    ['pypi:', /missing after "pypi:"/],
    ['npm:', /missing after "npm:"/],
    ['@/x', /not a valid npm package/],
    ['.hidden', /not a valid npm package name/],
    ['has space', /not a valid npm package/],
    ['pypi:-bad', /not a valid PyPI project name/],
    ['pypi:requests===', /expected a version specifier/],
    ['pypi:requests; rm -rf /', /expected a version specifier/],
    ['github:user/repo', /git spec, not a registry package/],
    ['./local-dir', /directory spec, not a registry package/],
    ['Bad Name!', /^`Bad Name!` is not a valid npm package name: .*names look like/],
    ['lodash@>=', /^`lodash@>=`: `>=` is not a valid version, range or dist-tag$/],
    ['\u0435xpress', /not plain ASCII \(U\+0435\)/],
  ];
  for (const [text, pattern] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const { refs, errors } = parseSpecs([text], 'npm');
      assert.equal(refs.length, 0);
      assert.match(errors[0] ?? '', pattern);
    });
  }
});
