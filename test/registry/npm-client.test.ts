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
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import type { RecordedRequest } from '../fixture-registry/server.js';
import { npmPackage, withFixtureRegistry } from '../fixture-registry/server.js';
import { resolverFor } from './helpers.js';

const TOKEN = 'npm_ClientChoiceToken0123456789abcdefghij';
const META = { metadata: true, downloads: false };

function clientOf(r: RecordedRequest): 'npm-registry-fetch' | 'lean' {
  return String(r.headers['accept-encoding']).includes('br') ? 'lean' : 'npm-registry-fetch';
}

/** Options of {@link startProxy}. */
interface ProxyOptions {
  /** Accept CONNECT and never answer it (a proxy that hangs tunnels). */
  hangTunnels?: boolean;
}

/**
 * A forward HTTP proxy on loopback that records what it was asked: absolute URLs (npm's agent
 * sends plain-HTTP requests that way) and `CONNECT host:port` tunnels (undici's proxy agent
 * tunnels every request).
 */
async function startProxy(o: ProxyOptions = {}): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  // Tunnels leave the server's connection tracking: closeAllConnections() does not end them.
  const tunnels = new Set<Duplex>();
  const server: Server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const up = request(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    tunnels.add(socket);
    if (o.hangTunnels) return;
    const [host, port] = (req.url ?? '').split(':');
    const up = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        for (const t of tunnels) t.destroy();
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

  it('a proxy setting keeps npm-registry-fetch, and every request goes through the proxy (the downloads API too)', async () => {
    const proxy = await startProxy();
    try {
      await withFixtureRegistry({ npm: [npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 12 })] }, async (reg) => {
        const r = resolverFor(reg, {}, { npmrc: { proxy: proxy.url } });
        const facts = await r.resolve('npm', 'left-pad', { metadata: true, downloads: true });
        await r.close();
        assert.equal(facts.status, 'found', facts.error);
        assert.equal(facts.weeklyDownloads, 12);
        // The packument by npm's client, the count by the HTTP client's proxy transport (undici).
        assert.deepEqual([...proxy.seen].sort(), [`CONNECT ${new URL(reg.url).host}`, `${reg.url}/left-pad`]);
        assert.equal(reg.count('/downloads/point/last-week/left-pad'), 1, 'the count came through the tunnel');
        assert.equal(clientOf(reg.requests.find((q) => q.path === '/left-pad')!), 'npm-registry-fetch');
      });
    } finally {
      await proxy.close();
    }
  });

  // Without its own race on the abort signal, undici's proxy agent kept such a request pending
  // past the timeout (still waiting after 15 s of a 3 s timeout): the lookup outlived its budget.
  // The test's own timeout turns that regression into a failure instead of a hang.
  it('a proxy that never answers CONNECT: the lookup still ends, with downloads unknown (never 0)', { timeout: 30_000 }, async () => {
    const proxy = await startProxy({ hangTunnels: true });
    try {
      await withFixtureRegistry({ npm: [npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 12 })] }, async (reg) => {
        const r = resolverFor(reg, { timeoutMs: 300, budgetMs: 1_000 }, { npmrc: { proxy: proxy.url } });
        const facts = await r.resolve('npm', 'left-pad', { metadata: true, downloads: true });
        await r.close();
        assert.equal(facts.status, 'found', facts.error);
        assert.equal(facts.weeklyDownloads, undefined);
        assert.ok(proxy.seen.includes(`CONNECT ${new URL(reg.url).host}`));
        assert.equal(reg.count('/downloads/point/last-week/left-pad'), 0);
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
      // The other origin's package is never asked for: that is what the test proves.
    }, { allowUnrequested: true });
  });
});
