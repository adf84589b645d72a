import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_NPM_DOWNLOADS_API } from '../../src/registry/npmrc.js';
import { npmPackage, withFixtureRegistry } from '../fixture-registry/server.js';
import { resolverFor } from './helpers.js';

describe('names a private default registry serves are not told to the public downloads API', () => {
  it('a name the public lists do not know keeps unknown downloads, and no downloads request is sent', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'acme-internal-ui', created: '2024-01-01', weeklyDownloads: 5 })] }, async (reg) => {
      // The fixture plays a company mirror; the downloads API is npm's public one. If slopguard asked
      // it, the stats below would count a request (and the name would have left the company).
      const resolver = resolverFor(reg, { popularity: () => undefined }, { npmDownloadsApi: DEFAULT_NPM_DOWNLOADS_API });
      try {
        await resolver.prefetchDownloads!('npm', ['acme-internal-ui', 'acme-internal-api']);
        const facts = await resolver.resolve('npm', 'acme-internal-ui');
        assert.equal(facts.status, 'found');
        assert.equal(facts.weeklyDownloads, undefined);
        const r = resolver.stats().requests;
        assert.equal((r['npm-downloads-bulk'] ?? 0) + (r['npm-downloads-single'] ?? 0), 0);
      } finally {
        await resolver.close();
      }
    });
  });

  it('with the downloads API pointed elsewhere explicitly, it is asked as before', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'acme-internal-ui', created: '2024-01-01', weeklyDownloads: 5 })] }, async (reg) => {
      const resolver = resolverFor(reg, { popularity: () => undefined });
      try {
        const facts = await resolver.resolve('npm', 'acme-internal-ui');
        assert.equal(facts.weeklyDownloads, 5);
      } finally {
        await resolver.close();
      }
    });
  });
});
