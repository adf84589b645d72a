/** Credentials go only to the registry they belong to, and never appear in messages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact, secretsOf, stripUserinfo } from '../../src/registry/redact.js';
import { npmPackage, pypiProject, startFixtureRegistry, withFixtureRegistry } from '../fixture-registry/server.js';
import { resolveOnce, resolverFor } from './helpers.js';

const TOKEN = 'npm_PrivateRegistryToken0123456789abcdef';
const ALL = { metadata: true, downloads: true };

describe('auth tokens', () => {
  it('sends the scoped registry its token and the public registry nothing', async () => {
    const pub = await startFixtureRegistry({ npm: [npmPackage({ name: 'lodash', created: '2012-04-23', weeklyDownloads: 9 })] });
    try {
      await withFixtureRegistry(
        { npm: [npmPackage({ name: '@corp/secret-lib', created: '2023-01-01' })] },
        async (priv) => {
          const host = new URL(priv.url).host;
          const r = resolverFor(pub, {}, { npmScopes: { '@corp': `${priv.url}/` }, npmrc: { [`//${host}/:_authToken`]: TOKEN } });
          const [scoped, plain] = await Promise.all([r.resolve('npm', '@corp/secret-lib', ALL), r.resolve('npm', 'lodash', ALL)]);
          await r.prefetchDownloads!('npm', ['@corp/secret-lib', 'lodash']);
          await r.close();
          assert.equal(scoped.status, 'found');
          assert.equal(scoped.privateRegistry, true);
          assert.equal(scoped.registry, `${priv.url}/`);
          assert.equal(plain.status, 'found');
          assert.equal(priv.requests[0]!.headers.authorization, `Bearer ${TOKEN}`);
          assert.equal(priv.requests.length, 1);
        },
        { token: TOKEN },
      );
      pub.assertNoUnexpectedRequests();
      assert.ok(pub.requests.length >= 2);
      for (const req of pub.requests) {
        assert.equal(req.headers.authorization, undefined, `${req.path} carried credentials`);
        assert.doesNotMatch(JSON.stringify(req.headers), new RegExp(TOKEN));
      }
      assert.equal(pub.count('/downloads/point/last-week/@corp'), 0, 'private names never reach the public downloads API');
    } finally {
      await pub.close();
    }
  });

  it('does not follow a redirect from the token’s registry to another port', async () => {
    const thief = await startFixtureRegistry({ npm: [npmPackage({ name: '@corp/lib', created: '2023-01-01' })] });
    try {
      await withFixtureRegistry(
        { faults: [{ name: '@corp/lib', kind: 'redirect', location: `${thief.url}/@corp%2flib` }] },
        async (priv) => {
          const host = new URL(priv.url).host;
          const { facts } = await resolveOnce(priv, 'npm', '@corp/lib', ALL, {}, { npmScopes: { '@corp': `${priv.url}/` }, npmrc: { [`//${host}/:_authToken`]: TOKEN } });
          assert.equal(facts.status, 'unverified');
          assert.doesNotMatch(facts.error ?? '', new RegExp(TOKEN));
        },
        { token: TOKEN },
      );
      assert.equal(thief.requests.length, 0, 'not a single request reached the other port');
    } finally {
      await thief.close();
    }
  });

  it('sends a token configured for the default registry only there', async () => {
    await withFixtureRegistry(
      { npm: [npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 4 })] },
      async (reg) => {
        const host = new URL(reg.url).host;
        const { facts } = await resolveOnce(reg, 'npm', 'left-pad', ALL, {}, { npmrc: { [`//${host}/:_authToken`]: TOKEN } });
        assert.equal(facts.weeklyDownloads, 4);
        const downloads = reg.requests.filter((r) => r.path.startsWith('/downloads/'));
        assert.equal(downloads.length, 1);
        // Same host and port, but the downloads API is our own undici path: it never attaches npm tokens.
        assert.equal(downloads[0]!.headers.authorization, undefined);
      },
      { token: TOKEN },
    );
  });

  it('sends private index credentials from the URL as Basic auth and redacts them', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'corp-tool', created: '2022-01-01', weeklyDownloads: 1 })] }, async (reg) => {
      const u = new URL(reg.url);
      const index = `http://deploy:s3cr3t-pass@${u.host}/corp/simple/`;
      const { facts } = await resolveOnce(reg, 'pypi', 'corp-tool', ALL, {}, { pypiIndexUrl: index });
      assert.equal(facts.status, 'found');
      assert.equal(facts.registry, `http://${u.host}/corp/simple/`);
      assert.equal(reg.requests[0]!.headers.authorization, `Basic ${Buffer.from('deploy:s3cr3t-pass').toString('base64')}`);
      assert.equal(reg.requests[0]!.path, '/corp/simple/corp-tool/');
      assert.equal(reg.count('/api/packages/'), 0);
    });
  });

  it('keeps index credentials out of error messages', async () => {
    await withFixtureRegistry({ faults: [{ path: '/corp/simple/broken/', kind: 'status', status: 500 }] }, async (reg) => {
      const u = new URL(reg.url);
      const { facts } = await resolveOnce(reg, 'pypi', 'broken', ALL, {}, { pypiIndexUrl: `http://deploy:s3cr3t-pass@${u.host}/corp/simple/` });
      assert.equal(facts.status, 'unverified');
      assert.match(facts.error ?? '', /HTTP 500/);
      assert.doesNotMatch(JSON.stringify(facts), /s3cr3t|deploy:/);
    });
  });
});

describe('redaction', () => {
  const cases: Array<[string, string, string[], string]> = [
    ['URL user-info', 'GET https://user:pa55@npm.corp/x failed', [], 'GET https://***@npm.corp/x failed'],
    ['bearer header', 'authorization: Bearer abc.def-123', [], 'authorization: Bearer ***'],
    ['npmrc line', '//npm.corp/:_authToken=abcdef123456', [], '//npm.corp/:_authToken=***'],
    ['npm token shape', 'token npm_abcdefghijklmnopqrstuvwxyz0123 leaked', [], 'token *** leaked'],
    ['known secret anywhere', 'the value hunter2hunter2 appears', ['hunter2hunter2'], 'the value *** appears'],
    ['query token', 'https://h/simple/?token=zzz&x=1', [], 'https://h/simple/?token=***&x=1'],
    ['nothing secret', 'GET https://registry.npmjs.org/left-pad: HTTP 503', [], 'GET https://registry.npmjs.org/left-pad: HTTP 503'],
  ];
  for (const [title, input, secrets, want] of cases) {
    it(title, () => assert.equal(redact(input, secrets), want));
  }

  it('collects secrets from npmrc auth keys (base64 forms decoded) and URL passwords', () => {
    const s = secretsOf(
      { '//a/:_authToken': 'tok-123456', '//b/:_password': Buffer.from('plainpass').toString('base64'), '//c/:_auth': Buffer.from('me:mypassword').toString('base64'), registry: 'https://x/' },
      ['https://u:urlpass1@h/simple/', undefined],
    );
    for (const want of ['tok-123456', 'plainpass', 'mypassword', 'urlpass1']) assert.ok(s.includes(want), want);
    assert.ok(!s.includes('https://x/'));
  });

  it('strips user-info from URLs', () => {
    assert.equal(stripUserinfo('https://u:p@h.example/simple/'), 'https://h.example/simple/');
    assert.equal(stripUserinfo('https://h.example/'), 'https://h.example/');
  });
});
