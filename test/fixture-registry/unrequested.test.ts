/**
 * The fixture registry's second strictness: a fixture no request named fails the test (through
 * `withFixtureRegistry`), so a test whose code under test stopped asking cannot pass by accident.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npmPackage, pypiProject, withFixtureRegistry, type FixtureRegistryOptions, type RegistryFixtures } from './server.js';

const FIXTURES: RegistryFixtures = {
  npm: [npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 5_000 }), npmPackage({ name: '@scope/kit', created: '2020-01-01' })],
  pypi: [pypiProject({ name: 'Flask_Login', created: '2011-02-14', weeklyDownloads: 9_000 })],
  missing: { npm: ['lodahs'], pypi: ['reqeusts'] },
};

const get = async (url: string, accept = 'application/json') => (await fetch(url, { headers: { accept } })).arrayBuffer();

// [case, the paths asked, options, the fixtures the failure must name (none: passes)]
const CASES: Array<[string, string[], FixtureRegistryOptions, string[]]> = [
  ['every fixture asked, each through one of its APIs', ['/left-pad', '/@scope%2fkit', '/pypi/flask-login/json', '/lodahs', '/simple/reqeusts/'], {}, []],
  ['a name asked only in a bulk downloads request counts', ['/downloads/point/last-week/left-pad,lodahs', '/@scope/kit', '/api/packages/flask-login/recent', '/pypi/reqeusts/json'], {}, []],
  ['a PyPI spelling that redirects to the normalised name counts', ['/left-pad', '/@scope%2fkit', '/pypi/Flask_Login/json', '/lodahs', '/pypi/reqeusts/json'], {}, []],
  ['a fixture nobody asked for fails, named', ['/left-pad', '/pypi/flask-login/json', '/lodahs', '/pypi/reqeusts/json'], {}, ['npm:@scope/kit']],
  ['a declared-missing name nobody asked for fails too', ['/left-pad', '/@scope%2fkit', '/pypi/flask-login/json'], {}, ['npm:lodahs', 'pypi:reqeusts']],
  ['nothing asked at all: every fixture is named', [], {}, ['npm:left-pad', 'npm:@scope/kit', 'npm:lodahs', 'pypi:flask-login', 'pypi:reqeusts']],
  ['allowUnrequested: a shared fixture set passes', ['/left-pad'], { allowUnrequested: true }, []],
  ['strict: false checks neither way', [], { strict: false }, []],
];

describe('fixture registry: never-requested fixtures fail the test', () => {
  for (const [label, paths, opts, named] of CASES) {
    it(label, async () => {
      const body = withFixtureRegistry(
        FIXTURES,
        async (reg) => {
          for (const p of paths) await get(`${reg.url}${p}`);
          return reg.unrequested();
        },
        opts,
      );
      if (named.length === 0) {
        await body;
        return;
      }
      await assert.rejects(body, (e: Error) => {
        assert.match(e.message, new RegExp(`${named.length} fixture\\(s\\) never requested: `));
        for (const n of named) assert.ok(e.message.includes(n), `${n} not named in: ${e.message}`);
        assert.match(e.message, /allowUnrequested/, 'the message says how to opt out');
        return true;
      });
    });
  }

  it('an unexpected request is reported first, even when fixtures also went unrequested', async () => {
    await assert.rejects(
      withFixtureRegistry(FIXTURES, async (reg) => void (await get(`${reg.url}/not-a-fixture`))),
      /1 unexpected request\(s\):\n {2}GET \/not-a-fixture: unknown npm package not-a-fixture/,
    );
  });

  it('unrequested() lists what is left as requests arrive, and fixtures added while running', async () => {
    await withFixtureRegistry(
      { npm: [npmPackage({ name: 'left-pad', created: '2014-03-14' })] },
      async (reg) => {
        assert.deepEqual(reg.unrequested(), ['npm:left-pad']);
        reg.setPypi(pypiProject({ name: 'requests', created: '2011-02-14' }));
        reg.addMissing('npm', 'lodahs');
        assert.deepEqual(reg.unrequested(), ['npm:left-pad', 'npm:lodahs', 'pypi:requests']);
        await get(`${reg.url}/left-pad`);
        await get(`${reg.url}/simple/requests/`, 'application/vnd.pypi.simple.v1+json');
        assert.deepEqual(reg.unrequested(), ['npm:lodahs']);
        await get(`${reg.url}/lodahs`);
        assert.deepEqual(reg.unrequested(), []);
      },
    );
  });
});
