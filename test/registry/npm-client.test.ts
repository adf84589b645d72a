/**
 * Which client asks an npm registry. npm's own semantics (auth tokens per registry, proxies,
 * certificates) live in npm-registry-fetch, so any npmrc setting that applies to a registry keeps
 * its packuments there; a registry none applies to gets the lean undici client, which costs about
 * half the CPU per request (bench/results.md, issue 19). Both must give the same facts.
 *
 * The two clients are told apart by what they send: npm-registry-fetch (minipass-fetch) asks for
 * `gzip,deflate`, the undici client for `gzip, deflate, br`.
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { RecordedRequest } from '../fixture-registry/server.js';
import { npmPackage, withFixtureRegistry } from '../fixture-registry/server.js';
import { resolverFor } from './helpers.js';

const TOKEN = 'npm_ClientChoiceToken0123456789abcdefghij';
const META = { metadata: true, downloads: false };

function clientOf(r: RecordedRequest): 'npm-registry-fetch' | 'lean' {
  return String(r.headers['accept-encoding']).includes('br') ? 'lean' : 'npm-registry-fetch';
}

/** A forward HTTP proxy on loopback that records the absolute URLs it was asked for. */
async function startProxy(): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const up = request(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('npm registry client choice', () => {
  const cases: Array<{ title: string; npmrc: (host: string) => Record<string, string>; client: 'npm-registry-fetch' | 'lean'; auth?: boolean }> = [
    { title: 'no npmrc setting: the lean client', npmrc: () => ({}), client: 'lean' },
    { title: 'a token for this registry: npm-registry-fetch sends it', npmrc: (host) => ({ [`//${host}/:_authToken`]: TOKEN }), client: 'npm-registry-fetch', auth: true },
    { title: 'a token for the same host on another port: npm-registry-fetch (never guessed)', npmrc: () => ({ '//127.0.0.1:1/:_authToken': TOKEN }), client: 'npm-registry-fetch' },
    { title: 'a token for another host only: the lean client, and no token', npmrc: () => ({ '//registry.corp.example/:_authToken': TOKEN }), client: 'lean' },
    { title: 'an unreadable per-registry key: npm-registry-fetch', npmrc: () => ({ '///:_authToken': TOKEN }), client: 'npm-registry-fetch' },
    { title: 'TLS settings on a plain-HTTP registry: the lean client', npmrc: () => ({ ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'strict-ssl': 'false' }), client: 'lean' },
  ];
  for (const c of cases) {
    it(c.title, async () => {
      await withFixtureRegistry(
        { npm: [npmPackage({ name: 'left-pad', created: '2014-03-14' })] },
        async (reg) => {
          const r = resolverFor(reg, {}, { npmrc: c.npmrc(new URL(reg.url).host) });
          const facts = await r.resolve('npm', 'left-pad', META);
          await r.close();
          assert.equal(facts.status, 'found', facts.error);
          assert.equal(facts.created, '2014-03-14T00:00:00.000Z');
          assert.equal(reg.requests.length, 1);
          const req = reg.requests[0]!;
          assert.equal(clientOf(req), c.client);
          assert.equal(req.headers.authorization, c.auth ? `Bearer ${TOKEN}` : undefined);
        },
        c.auth ? { token: TOKEN } : {},
      );
    });
  }

  it('a proxy setting keeps npm-registry-fetch, and the request goes through the proxy', async () => {
    const proxy = await startProxy();
    try {
      await withFixtureRegistry({ npm: [npmPackage({ name: 'left-pad', created: '2014-03-14' })] }, async (reg) => {
        const r = resolverFor(reg, {}, { npmrc: { proxy: proxy.url } });
        const facts = await r.resolve('npm', 'left-pad', META);
        await r.close();
        assert.equal(facts.status, 'found', facts.error);
        assert.deepEqual(proxy.seen, [`${reg.url}/left-pad`]);
        assert.equal(clientOf(reg.requests[0]!), 'npm-registry-fetch');
      });
    } finally {
      await proxy.close();
    }
  });

  it('the lean client refuses a redirect to another origin, as npm-registry-fetch does', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'elsewhere-pkg', created: '2020-01-01' })] }, async (other) => {
      await withFixtureRegistry({ faults: [{ name: 'moved-pkg', kind: 'redirect', location: `${other.url}/elsewhere-pkg` }] }, async (reg) => {
        const r = resolverFor(reg);
        const facts = await r.resolve('npm', 'moved-pkg', META);
        await r.close();
        assert.equal(facts.status, 'unverified');
        assert.match(facts.error ?? '', /redirect/);
        assert.equal(other.requests.length, 0);
      });
    });
  });
});
