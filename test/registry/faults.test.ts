/**
 * A registry that misbehaves: every fault ends in a bounded time with an `unverified` fact (or,
 * when a retry fixes it, the real answer), and resolve() never throws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fault, FaultAction } from '../fixture-registry/server.js';
import { npmPackage, pypiProject, startFixtureRegistry, withFixtureRegistry } from '../fixture-registry/server.js';
import type { ResolverOptions } from '../../src/registry/resolver.js';
import { resolveOnce, resolverFor, SHORT_TIMEOUT } from './helpers.js';

type Api = { eco: 'npm' | 'pypi'; name: string; path: string };
const APIS: Api[] = [
  { eco: 'npm', name: 'flaky', path: '/flaky' },
  { eco: 'pypi', name: 'flaky', path: '/pypi/flaky/json' },
];

const fixtures = {
  npm: [npmPackage({ name: 'flaky', created: '2020-01-01' })],
  pypi: [pypiProject({ name: 'flaky', created: '2020-01-01' })],
};

/**
 * Faults that never heal: the answer must be `unverified` with a reason matching `why`. Size
 * faults get a long timeout so that the size cap, not the clock, is what stops them.
 */
const SIZE = { timeoutMs: 20_000, budgetMs: 30_000 };
const PERMANENT: Array<[string, FaultAction, RegExp, Partial<ResolverOptions>?]> = [
  ['a hang (accepted, never answered)', { kind: 'hang' }, /no complete answer within|time budget/, SHORT_TIMEOUT],
  ['a slow drip', { kind: 'drip', chunkBytes: 8, intervalMs: 150 }, /no complete answer within|time budget/, SHORT_TIMEOUT],
  ['a connection reset', { kind: 'reset' }, /ECONNRESET|socket|closed|reset/i],
  ['a truncated body', { kind: 'truncate' }, /closed|terminated|premature|socket|length|aborted/i],
  ['invalid JSON', { kind: 'invalid-json' }, /not JSON/],
  ['an HTML page instead of JSON', { kind: 'wrong-content-type' }, /not JSON \(content-type text\/html/],
  ['a gzip bomb', { kind: 'gzip-bomb', bytes: 40 * 1024 * 1024 }, /larger than 33554432 bytes/, SIZE],
  ['an oversized chunked body', { kind: 'oversized', bytes: 33 * 1024 * 1024 }, /larger than 33554432 bytes/, SIZE],
  ['an oversized body with Content-Length', { kind: 'oversized', bytes: 33 * 1024 * 1024, declareLength: true }, /larger than 33554432/, SIZE],
  ['429 without Retry-After', { kind: 'status', status: 429 }, /HTTP 429/],
  ['429 asking to wait an hour', { kind: 'status', status: 429, retryAfter: 3600 }, /HTTP 429, asked to retry after 3600 s/],
  ['500', { kind: 'status', status: 500 }, /HTTP 500/],
  ['502', { kind: 'status', status: 502 }, /HTTP 502/],
  ['503', { kind: 'status', status: 503 }, /HTTP 503/],
  ['401 (a registry that wants a login)', { kind: 'status', status: 401 }, /HTTP 401/],
];

describe('registry faults end in unverified', { concurrency: 4 }, () => {
  for (const api of APIS) {
    for (const [title, action, why, opts] of PERMANENT) {
      it(`${api.eco}: ${title}`, async () => {
        const fault = { path: api.path, ...action } as Fault;
        await withFixtureRegistry({ [api.eco]: fixtures[api.eco], faults: [fault] }, async (reg) => {
          const { facts } = await resolveOnce(reg, api.eco, api.name, undefined, opts);
          assert.equal(facts.status, 'unverified');
          assert.match(facts.error ?? '', why);
          assert.equal(facts.name, 'flaky');
        });
      });
    }
  }

  it('gives up at once on a Retry-After beyond the cap (one request, no hammering)', async () => {
    await withFixtureRegistry({ npm: fixtures.npm, faults: [{ path: '/flaky', kind: 'status', status: 429, retryAfter: 120 }] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'npm', 'flaky', undefined, { retries: 3 });
      assert.equal(facts.status, 'unverified');
      assert.equal(reg.count('/flaky'), 1);
    });
  });

  it('retries exactly `retries` times before giving up', async () => {
    await withFixtureRegistry({ pypi: fixtures.pypi, faults: [{ path: '/pypi/flaky/json', kind: 'status', status: 503 }] }, async (reg) => {
      await resolveOnce(reg, 'pypi', 'flaky', undefined, { retries: 2, budgetMs: 5_000 });
      assert.equal(reg.count('/pypi/flaky/json'), 3);
    });
  });

  it('a registry that is down (connection refused) is unverified', async () => {
    const reg = await startFixtureRegistry(fixtures);
    const url = reg.url;
    await reg.close();
    const r = resolverFor(reg, {}, { npmRegistry: `${url}/`, pypiUrl: url });
    const [n, p] = await Promise.all([r.resolve('npm', 'flaky'), r.resolve('pypi', 'flaky')]);
    await r.close();
    assert.equal(n.status, 'unverified');
    assert.equal(p.status, 'unverified');
    assert.match(n.error ?? '', /ECONNREFUSED/);
  });
});

describe('registry faults that a retry heals', { concurrency: 4 }, () => {
  const HEALING: Array<[string, FaultAction]> = [
    ['429 with Retry-After: 1', { kind: 'status', status: 429, retryAfter: 1 }],
    ['429 with Retry-After: 0', { kind: 'status', status: 429, retryAfter: 0 }],
    ['429 with an HTTP-date Retry-After', { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 500).toUTCString() }],
    ['503 once', { kind: 'status', status: 503 }],
    ['a reset once', { kind: 'reset' }],
    ['a truncated body once', { kind: 'truncate' }],
    ['a hang once', { kind: 'hang' }],
  ];
  for (const api of APIS) {
    for (const [title, action] of HEALING) {
      it(`${api.eco}: ${title}`, async () => {
        const fault = { path: api.path, times: 1, ...action } as Fault;
        await withFixtureRegistry({ [api.eco]: fixtures[api.eco], faults: [fault] }, async (reg) => {
          // A generous timeout, so only the injected fault (a hang: 2 s) costs an attempt.
          const { facts } = await resolveOnce(reg, api.eco, api.name, undefined, { retries: 2, timeoutMs: 2_000, budgetMs: 10_000, maxRetryAfterMs: 2_000 });
          assert.equal(facts.status, 'found', facts.error);
          assert.equal(reg.count(api.path), 2);
        });
      });
    }
  }
});

describe('redirects', () => {
  it('refuses an npm redirect to another port; the other server sees nothing', async () => {
    const other = await startFixtureRegistry({ npm: [npmPackage({ name: 'flaky', created: '2020-01-01' })] });
    try {
      await withFixtureRegistry({ faults: [{ path: '/flaky', kind: 'redirect', location: `${other.url}/flaky` }] }, async (reg) => {
        const { facts } = await resolveOnce(reg, 'npm', 'flaky');
        assert.equal(facts.status, 'unverified');
        // Asked by the lean client (no npmrc setting applies); npm-registry-fetch's refusal of the
        // same redirect is tested with a token in auth.test.ts.
        assert.match(facts.error ?? '', /refused a redirect to another origin/);
      });
      assert.equal(other.requests.length, 0);
    } finally {
      await other.close();
    }
  });

  it('refuses a PyPI redirect to another origin', async () => {
    const other = await startFixtureRegistry({ pypi: [pypiProject({ name: 'flaky', created: '2020-01-01' })] });
    try {
      await withFixtureRegistry({ faults: [{ path: '/pypi/flaky/json', kind: 'redirect', status: 301, location: `${other.url}/pypi/flaky/json` }] }, async (reg) => {
        const { facts } = await resolveOnce(reg, 'pypi', 'flaky');
        assert.equal(facts.status, 'unverified');
        assert.match(facts.error ?? '', /refused a redirect to another origin/);
      });
      assert.equal(other.requests.length, 0);
    } finally {
      await other.close();
    }
  });

  it('stops a same-origin redirect loop', async () => {
    await withFixtureRegistry({ faults: [{ path: '/pypi/loop/json', kind: 'redirect', location: '/pypi/loop/json' }] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'loop');
      assert.equal(facts.status, 'unverified');
      assert.match(facts.error ?? '', /more than 5 redirects/);
    });
  });
});

describe('connections', () => {
  it('reuses keep-alive connections and keeps at most `concurrency` per host', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `ka-${i}`);
    await withFixtureRegistry(
      { npm: names.map((name) => npmPackage({ name, created: '2020-01-01' })), pypi: names.map((name) => pypiProject({ name, created: '2020-01-01' })) },
      async (reg) => {
        const r = resolverFor(reg, { concurrency: 4 });
        const facts = await Promise.all(names.flatMap((n) => [r.resolve('npm', n, { metadata: true, downloads: false }), r.resolve('pypi', n, { metadata: true, downloads: false })]));
        await r.close();
        assert.ok(facts.every((f) => f.status === 'found'));
        assert.equal(reg.requests.length, 80);
        // npm-registry-fetch and undici keep separate pools; each stays within the per-host limit.
        assert.ok(reg.connections <= 8, `${reg.connections} connections for 80 requests`);
      },
      { latencyMs: 5 },
    );
  });
});

describe('in-run sharing', () => {
  it('two concurrent resolves of one name send one request', async () => {
    await withFixtureRegistry(
      { npm: [npmPackage({ name: 'popular', created: '2015-01-01', weeklyDownloads: 5 })], pypi: [pypiProject({ name: 'Popular.Py', created: '2015-01-01' })] },
      async (reg) => {
        const r = resolverFor(reg);
        const [a, b, c, d] = await Promise.all([
          r.resolve('npm', 'popular'),
          r.resolve('npm', 'popular'),
          r.resolve('pypi', 'popular-py', { metadata: true, downloads: false }),
          r.resolve('pypi', 'Popular_Py', { metadata: true, downloads: false }),
        ]);
        const again = await r.resolve('npm', 'popular');
        await r.close();
        assert.deepEqual(a, b);
        assert.deepEqual(c, d);
        assert.deepEqual(again, a);
        assert.equal(reg.count('/popular'), 1);
        assert.equal(reg.count('/pypi/popular-py/json'), 1);
        assert.equal(reg.count('/downloads/'), 1);
      },
      { latencyMs: 50 },
    );
  });

  it('never throws, even for a name no registry could serve', async () => {
    await withFixtureRegistry({}, async (reg) => {
      const r = resolverFor(reg, {}, { npmRegistry: 'not a url' });
      const f = await r.resolve('npm', 'anything');
      await r.close();
      assert.equal(f.status, 'unverified');
    });
  });
});
