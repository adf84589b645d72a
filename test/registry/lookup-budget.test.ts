import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npmPackage, withFixtureRegistry } from '../fixture-registry/server.js';
import { resolverFor } from './helpers.js';

/**
 * A lookup's time budget bounds how long the registry may take to answer it, not how long it waits
 * behind other lookups of the same run. A 5,000-package lockfile on a cold cache queues thousands
 * of lookups behind the concurrency limit; when their budgets ran from the moment they were queued,
 * most of them ended `unverified` ("time budget spent") although the registry answered every
 * request promptly (found by bench/check.ts: 4,013 of 5,000 unknown).
 */
describe('lookup budgets', () => {
  it('do not run out while a lookup waits for its turn', async () => {
    const names = Array.from({ length: 80 }, (_, i) => `queued-${i}`);
    const created = new Date(Date.now() - 1000 * 86_400_000);
    await withFixtureRegistry(
      { npm: names.map((name) => npmPackage({ name, created })) },
      async (registry) => {
        // 80 lookups, 2 at a time, 100 ms each: the last starts after ~4 s, well past a 3 s budget,
        // while every single request takes a thirtieth of its 3 s timeout (a loaded machine may
        // stretch 100 ms a lot before a request nears that; a 600 ms timeout was hit under load).
        const resolver = resolverFor(registry, { concurrency: 2, timeoutMs: 3_000, budgetMs: 3_000, retries: 0 });
        try {
          const facts = await Promise.all(names.map((n) => resolver.resolve('npm', n, { metadata: true, downloads: false })));
          const unverified = facts.filter((f) => f.status !== 'found').map((f) => `${f.name}: ${f.error}`);
          assert.deepEqual(unverified, []);
        } finally {
          await resolver.close();
        }
      },
      { latencyMs: 100 },
    );
  });

  it('still stop a lookup whose own requests take too long', async () => {
    const created = new Date(Date.now() - 1000 * 86_400_000);
    await withFixtureRegistry(
      { npm: [npmPackage({ name: 'slow-one', created })], faults: [{ name: 'slow-one', kind: 'latency', latencyMs: 2_000 }] },
      async (registry) => {
        const resolver = resolverFor(registry, { concurrency: 2, timeoutMs: 300, budgetMs: 600, retries: 0 });
        try {
          const f = await resolver.resolve('npm', 'slow-one', { metadata: true, downloads: false });
          assert.equal(f.status, 'unverified');
        } finally {
          await resolver.close();
        }
      },
    );
  });
});
