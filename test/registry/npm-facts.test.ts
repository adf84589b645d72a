import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corgiOf, npmPackage, withFixtureRegistry } from '../fixture-registry/server.js';
import { npmFacts } from '../../src/registry/npm.js';
import { resolveOnce, resolverFor } from './helpers.js';

const META = { metadata: true, downloads: false };

describe('npm facts', () => {
  it('reads an established package from the full packument', async () => {
    await withFixtureRegistry(
      {
        npm: [
          npmPackage({
            name: 'left-pad',
            created: '2014-03-14T00:00:00Z',
            versions: ['1.0.0', '1.1.0', '1.3.0'],
            published: '2018-04-09T00:00:00Z',
            repository: { type: 'git', url: 'git+https://github.com/stevemao/left-pad.git' },
            description: 'String left pad',
          }),
        ],
      },
      async (reg) => {
        const r = resolverFor(reg);
        const f = await r.resolve('npm', 'left-pad', META);
        await r.close();
        assert.equal(f.status, 'found');
        assert.equal(f.created, '2014-03-14T00:00:00.000Z');
        assert.equal(f.latestPublish, '2018-04-09T00:00:00.000Z');
        assert.equal(f.latestVersion, '1.3.0');
        assert.equal(f.versionCount, 3);
        assert.equal(f.repository, 'https://github.com/stevemao/left-pad');
        assert.equal(f.description, 'String left pad');
        assert.deepEqual(f.installScripts, []);
        assert.equal(f.deprecated, undefined);
        assert.equal(f.securityHolder, undefined);
        assert.equal(f.registry, `${reg.url}/`);
        assert.equal(f.privateRegistry, undefined);
        assert.equal(r.stats().requests['npm-packument'], 1);
        assert.equal(reg.requests[0]!.headers.accept, 'application/json');
      },
    );
  });

  it('asks for a scoped name with only the slash escaped', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: '@babel/core', created: '2017-01-01' })] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', '@babel/core', META);
      await r.close();
      assert.equal(f.status, 'found');
      assert.equal(f.name, '@babel/core');
      assert.equal(reg.requests[0]!.path, '/@babel%2fcore');
    });
  });

  it('reports a 404 as not-found, not as an error', async () => {
    await withFixtureRegistry({ missing: { npm: ['lodahs'] } }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'lodahs', META);
      await r.close();
      assert.equal(f.status, 'not-found');
      assert.equal(f.error, undefined);
    });
  });

  it('reads a tombstone (200 with time.unpublished and no versions) as unpublished', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'gone-pkg', created: '2023-06-01T00:00:00Z', unpublished: '2023-06-15T12:30:00Z' })] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'gone-pkg', META);
      await r.close();
      assert.equal(f.status, 'unpublished');
      assert.equal(f.unpublishedAt, '2023-06-15T12:30:00.000Z');
      assert.equal(f.created, '2023-06-01T00:00:00.000Z');
    });
  });

  it('asks for the full document when the abbreviated one of a tombstone has no versions', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'gone-pkg', created: '2023-06-01', unpublished: true })] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'gone-pkg', { metadata: false, downloads: false });
      await r.close();
      assert.equal(f.status, 'unpublished');
      assert.deepEqual(r.stats().requests['npm-abbreviated'], 1);
      assert.deepEqual(r.stats().requests['npm-packument'], 1);
    });
  });

  for (const version of ['0.0.1-security', '0.0.1-security.0']) {
    it(`flags npm's security placeholder ${version}`, async () => {
      await withFixtureRegistry({ npm: [npmPackage({ name: 'evil-pkg', created: '2024-01-01', securityHolder: version })] }, async (reg) => {
        const r = resolverFor(reg);
        const full = await r.resolve('npm', 'evil-pkg', META);
        const { facts: abbreviated } = await resolveOnce(reg, 'npm', 'evil-pkg', { metadata: false, downloads: false });
        await r.close();
        assert.equal(full.securityHolder, true);
        assert.equal(full.latestVersion, version);
        assert.equal(abbreviated.securityHolder, true, 'the version string is the signal in the corgi');
      });
    });
  }

  it('reads a full document served for an abbreviated request as the full one (mirrors that ignore Accept)', () => {
    const fx = npmPackage({ name: 'native-thing', created: '2019-05-01', repository: 'https://example.test/native', scripts: { postinstall: 'node build.js' } });
    const ctx = { name: 'native-thing', registry: 'https://mirror.test/', privateRegistry: false, fetchedAt: '2026-11-27T00:00:00.000Z' };
    const fromFull = npmFacts(fx.packument, false, ctx)!;
    assert.equal(fromFull.abbreviated, undefined);
    assert.equal(fromFull.created, '2019-05-01T00:00:00.000Z');
    assert.deepEqual(fromFull.installScripts, ['postinstall']);
    const fromCorgi = npmFacts(corgiOf(fx.packument), false, ctx)!;
    assert.equal(fromCorgi.abbreviated, true);
    assert.equal(fromCorgi.created, undefined);
    assert.deepEqual(fromCorgi.installScripts, ['install'], 'the corgi only says "some install script"');
  });

  it('does not flag a normal 0.0.1 prerelease as a security placeholder', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'fine', created: '2024-01-01', versions: ['0.0.1-securityfix'] })] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'fine', META);
      await r.close();
      assert.equal(f.securityHolder, undefined);
    });
  });

  const deprecations: Array<[string, Parameters<typeof npmPackage>[0]['deprecated'], string | undefined]> = [
    ['every version deprecated', 'use something-else', 'use something-else'],
    ['only some versions deprecated', { '1.0.0': 'old' }, undefined],
    ['"" means un-deprecated', { '1.0.0': 'old', '2.0.0': '' }, undefined],
    ['all deprecated, latest message wins', { '1.0.0': 'old', '2.0.0': 'gone for good' }, 'gone for good'],
    ['old boolean form', { '1.0.0': true, '2.0.0': true }, 'deprecated'],
  ];
  for (const [title, deprecated, want] of deprecations) {
    it(`deprecation: ${title}`, async () => {
      const pkg = npmPackage({ name: 'dep', created: '2020-01-01', versions: ['1.0.0', '2.0.0'], ...(deprecated !== undefined ? { deprecated } : {}) });
      await withFixtureRegistry({ npm: [pkg] }, async (reg) => {
        const r = resolverFor(reg);
        const f = await r.resolve('npm', 'dep', META);
        const { facts: abbreviated } = await resolveOnce(reg, 'npm', 'dep', { metadata: false, downloads: false });
        await r.close();
        assert.equal(f.deprecated, want);
        assert.equal(abbreviated.deprecated, want, 'the corgi carries deprecation too');
      });
    });
  }

  it('lists install scripts of the latest version only', async () => {
    const pkg = npmPackage({ name: 'scripted', created: '2020-01-01', scripts: { preinstall: 'x', postinstall: 'node y.js', test: 'z', prepare: 'w' } });
    await withFixtureRegistry({ npm: [pkg] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'scripted', META);
      const { facts: abbreviated } = await resolveOnce(reg, 'npm', 'scripted', { metadata: false, downloads: false });
      await r.close();
      assert.deepEqual(f.installScripts, ['preinstall', 'postinstall']);
      assert.deepEqual(abbreviated.installScripts, ['install'], 'corgi: hasInstallScript only');
    });
  });

  const repositories: Array<[string, Parameters<typeof npmPackage>[0]['repository'], string | undefined]> = [
    ['shorthand user/repo', 'expressjs/express', 'https://github.com/expressjs/express'],
    ['github: prefix', 'github:u/r', 'https://github.com/u/r'],
    ['gitlab: prefix', 'gitlab:u/r', 'https://gitlab.com/u/r'],
    ['object with git+https', { type: 'git', url: 'git+https://github.com/u/r.git' }, 'https://github.com/u/r'],
    ['object with ssh', { type: 'git', url: 'git@github.com:u/r.git' }, 'https://github.com/u/r'],
    ['self-hosted', { type: 'git', url: 'git+https://git.example.com/team/r.git', directory: 'packages/x' }, 'https://git.example.com/team/r'],
    ['absent', undefined, undefined],
    ['empty string', '', undefined],
  ];
  for (const [title, repository, want] of repositories) {
    it(`repository: ${title}`, async () => {
      const pkg = npmPackage({ name: 'repo', created: '2020-01-01', ...(repository !== undefined ? { repository } : {}) });
      await withFixtureRegistry({ npm: [pkg] }, async (reg) => {
        const r = resolverFor(reg);
        const f = await r.resolve('npm', 'repo', META);
        await r.close();
        assert.equal(f.repository, want);
      });
    });
  }

  it('takes the latest publish over versions still present, not time.modified', async () => {
    const pkg = npmPackage({ name: 'pruned', created: '2020-01-01T00:00:00Z', versions: ['1.0.0', '2.0.0'], published: '2020-02-01T00:00:00Z' });
    const time = pkg.packument.time as Record<string, string>;
    // A version unpublished later keeps its time entry; modified moves on any edit.
    time['3.0.0'] = '2024-01-01T00:00:00.000Z';
    time.modified = '2025-01-01T00:00:00.000Z';
    await withFixtureRegistry({ npm: [pkg] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'pruned', META);
      await r.close();
      assert.equal(f.latestPublish, '2020-02-01T00:00:00.000Z');
      assert.equal(f.versionCount, 2);
    });
  });

  it('dates an old packument without `time` as unknown rather than guessing', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'ancient', created: '2012-01-01', noTime: true })] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'ancient', META);
      await r.close();
      assert.equal(f.status, 'found');
      assert.equal(f.created, undefined);
      assert.equal(f.latestPublish, undefined);
    });
  });

  it('uses the abbreviated document when metadata is not needed', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'light', created: '2020-01-01' })] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'light', { metadata: false, downloads: false });
      await r.close();
      assert.equal(f.status, 'found');
      assert.equal(f.created, undefined, 'the corgi has no time');
      assert.equal(r.stats().requests['npm-abbreviated'], 1);
      assert.equal(r.stats().requests['npm-packument'], 0);
      assert.match(String(reg.requests[0]!.headers.accept), /application\/vnd\.npm\.install-v1\+json/);
    });
  });

  it('serves a later abbreviated request from an earlier full one', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'shared', created: '2020-01-01' })] }, async (reg) => {
      const r = resolverFor(reg);
      await r.resolve('npm', 'shared', META);
      await r.resolve('npm', 'shared', { metadata: false, downloads: false });
      await r.close();
      assert.equal(reg.requests.length, 1);
    });
  });

  it('turns a document that is not a packument into unverified', async () => {
    const pkg = npmPackage({ name: 'odd', created: '2020-01-01' });
    await withFixtureRegistry({ npm: [{ ...pkg, packument: { name: 'odd' } }] }, async (reg) => {
      const r = resolverFor(reg);
      const f = await r.resolve('npm', 'odd', META);
      await r.close();
      assert.equal(f.status, 'unverified');
      assert.match(f.error ?? '', /not a packument/);
    });
  });
});
