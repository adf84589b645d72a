import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { pypiProject, withFixtureRegistry } from '../fixture-registry/server.js';
import { resolveOnce } from './helpers.js';

describe('PyPI facts (JSON API)', () => {
  it('asks with the PEP 503 normalised name and reports it', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'Flask_SQLAlchemy', created: '2010-08-25T00:00:00Z' })] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'Flask_SQLAlchemy');
      assert.equal(facts.status, 'found');
      assert.equal(facts.name, 'flask-sqlalchemy');
      assert.equal(reg.requests[0]!.path, '/pypi/flask-sqlalchemy/json');
      assert.equal(facts.registry, reg.url);
    });
  });

  it('follows a same-origin redirect to the normalised name', async () => {
    await withFixtureRegistry(
      {
        pypi: [pypiProject({ name: 'requests', created: '2011-02-14' })],
        // A proxy in front of PyPI that canonicalises the path once more.
        faults: [{ path: '/pypi/requests/json', times: 1, kind: 'redirect', status: 301, location: '/pypi/Requests/json' }],
      },
      async (reg) => {
        const { facts } = await resolveOnce(reg, 'pypi', 'requests');
        assert.equal(facts.status, 'found');
        assert.deepEqual(
          reg.requests.map((r) => r.path),
          ['/pypi/requests/json', '/pypi/Requests/json', '/pypi/requests/json'],
        );
      },
    );
  });

  it('dates the project by its earliest file and skips releases without files', async () => {
    const project = pypiProject({
      name: 'dated',
      created: '2019-05-01T10:00:00Z',
      versions: [{ version: '0.0.1', files: 0 }, '0.1', { version: '0.2', files: 3, uploaded: '2020-01-01T00:00:00Z' }, { version: '1.0', uploaded: '2023-03-03T00:00:00Z' }],
    });
    // The file-less release is listed first and would be "older" if dated by position.
    await withFixtureRegistry({ pypi: [project] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'dated');
      assert.equal(facts.created, new Date(Date.parse((project.json.releases as Record<string, Array<{ upload_time_iso_8601: string }>>)['0.1']![0]!.upload_time_iso_8601)).toISOString());
      assert.equal(facts.latestPublish, '2023-03-03T00:00:00.000Z');
      assert.equal(facts.versionCount, 3);
      assert.equal(facts.latestVersion, '1.0');
    });
  });

  it('reports a project whose every latest file is yanked', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'pulled', created: '2022-01-01', versions: ['1.0'], yanked: true })] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'pulled');
      assert.equal(facts.yanked, true);
    });
  });

  it('does not call a project yanked when only an older release is', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'fine', created: '2022-01-01', versions: ['1.0', '1.1'], yanked: ['1.0'] })] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'fine');
      assert.equal(facts.yanked, undefined);
      assert.equal(facts.latestVersion, '1.1');
    });
  });

  const repos: Array<[string, { urls?: Record<string, string>; homePage?: string }, string | undefined]> = [
    ['Source key', { urls: { Homepage: 'https://example.org', Source: 'https://github.com/psf/requests' } }, 'https://github.com/psf/requests'],
    ['Repository key, any case', { urls: { repository: 'https://git.example.org/x' } }, 'https://git.example.org/x'],
    ['a code host under another key', { urls: { Documentation: 'https://docs.example.org', Homepage: 'https://gitlab.com/a/b' } }, 'https://gitlab.com/a/b'],
    ['home_page on a code host', { homePage: 'https://github.com/a/b' }, 'https://github.com/a/b'],
    ['only a website', { urls: { Homepage: 'https://example.org' }, homePage: 'https://example.org' }, undefined],
    ['nothing', {}, undefined],
  ];
  for (const [title, o, want] of repos) {
    it(`repository from project URLs: ${title}`, async () => {
      await withFixtureRegistry({ pypi: [pypiProject({ name: 'proj', created: '2020-01-01', ...o })] }, async (reg) => {
        const { facts } = await resolveOnce(reg, 'pypi', 'proj');
        assert.equal(facts.repository, want);
      });
    });
  }

  it('reports a missing project as not-found', async () => {
    await withFixtureRegistry({ missing: { pypi: ['reqeusts'] } }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'reqeusts');
      assert.equal(facts.status, 'not-found');
    });
  });

  it('reports a quarantined project as not-found, as the JSON API does', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'quarantined-thing', created: '2025-01-01', status: 'quarantined' })] }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'quarantined-thing');
      assert.equal(facts.status, 'not-found');
    });
  });
});

describe('PyPI facts (private simple index)', () => {
  const project = () =>
    pypiProject({
      name: 'Corp_Utils',
      created: '2021-06-01T08:00:00Z',
      versions: ['0.9', { version: '1.0', uploaded: '2022-02-02T00:00:00Z', files: 2 }, { version: '2.0rc1', uploaded: '2023-01-01T00:00:00Z' }],
      weeklyDownloads: 5,
      status: 'deprecated',
      statusReason: 'use corp-tools',
    });

  it('reads PEP 691 JSON with PEP 700 upload times and marks facts private', async () => {
    await withFixtureRegistry({ pypi: [project()] }, async (reg) => {
      const { facts, stats } = await resolveOnce(reg, 'pypi', 'corp.utils', { metadata: true, downloads: true }, {}, { pypiIndexUrl: `${reg.url}/private/simple/` });
      assert.equal(facts.status, 'found');
      assert.equal(facts.privateRegistry, true);
      assert.equal(facts.registry, `${reg.url}/private/simple/`);
      assert.equal(facts.created, '2021-06-01T08:00:00.000Z');
      assert.equal(facts.latestPublish, '2023-01-01T00:00:00.000Z');
      assert.equal(facts.latestVersion, '1.0', 'the newest final release, not the release candidate');
      assert.equal(facts.versionCount, 3);
      assert.equal(facts.projectStatus, 'deprecated');
      assert.equal(facts.deprecated, 'use corp-tools');
      assert.equal(facts.weeklyDownloads, undefined, 'private names are never sent to pypistats');
      assert.equal(stats.requests['pypi-simple'], 1);
      assert.equal(stats.requests['pypi-json'], 0);
      assert.equal(stats.requests.pypistats, 0);
      assert.equal(reg.requests[0]!.path, '/private/simple/corp-utils/');
      assert.match(String(reg.requests[0]!.headers.accept), /application\/vnd\.pypi\.simple\.v1\+json/);
    });
  });

  it('falls back to the HTML page of an HTML-only index and derives versions from file names', async () => {
    await withFixtureRegistry(
      { pypi: [project()] },
      async (reg) => {
        const { facts } = await resolveOnce(reg, 'pypi', 'corp-utils', { metadata: true, downloads: true }, {}, { pypiIndexUrl: `${reg.url}/devpi/root/simple` });
        assert.equal(facts.status, 'found');
        assert.equal(facts.privateRegistry, true);
        assert.equal(facts.latestVersion, '1.0');
        assert.equal(facts.versionCount, 3);
        assert.equal(facts.created, undefined, 'HTML pages carry no upload times');
        assert.equal(facts.weeklyDownloads, undefined);
        assert.match(String(reg.requests[0]!.headers.accept), /text\/html/);
      },
      { simpleHtmlOnly: true },
    );
  });

  it('reads yanked files from data-yanked on an HTML page', async () => {
    const yanked = pypiProject({ name: 'corp-pulled', created: '2021-01-01', versions: ['1.0'], yanked: true });
    await withFixtureRegistry(
      { pypi: [yanked] },
      async (reg) => {
        const { facts } = await resolveOnce(reg, 'pypi', 'corp-pulled', undefined, {}, { pypiIndexUrl: `${reg.url}/corp/simple/` });
        assert.equal(facts.yanked, true);
      },
      { simpleHtmlOnly: true },
    );
  });

  it('reports a name missing from the private index as not-found and private', async () => {
    await withFixtureRegistry({ missing: { pypi: ['corp-missing'] } }, async (reg) => {
      const { facts } = await resolveOnce(reg, 'pypi', 'corp-missing', undefined, {}, { pypiIndexUrl: `${reg.url}/corp/simple/` });
      assert.equal(facts.status, 'not-found');
      assert.equal(facts.privateRegistry, true);
    });
  });

  it('treats an index URL on public PyPI as PyPI and uses the JSON API', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'requests', created: '2011-02-14', weeklyDownloads: 9 })] }, async (reg) => {
      const { facts, stats } = await resolveOnce(reg, 'pypi', 'requests', { metadata: true, downloads: true }, {}, { pypiIndexUrl: `${reg.url}/simple/` });
      assert.equal(facts.privateRegistry, undefined);
      assert.equal(facts.weeklyDownloads, 9);
      assert.equal(stats.requests['pypi-json'], 1);
      assert.equal(stats.requests['pypi-simple'], 0);
    });
  });
});

describe('PyPI extra-index-url: private names on an extra index are not "missing"', () => {
  it('a name public PyPI lacks is read from the extra index, as private facts', async () => {
    await withFixtureRegistry({ missing: { pypi: ['corp-only'] } }, async (pypi) => {
      await withFixtureRegistry({ pypi: [pypiProject({ name: 'corp-only', created: '2022-03-01', weeklyDownloads: 4 })] }, async (corp) => {
        const { facts, stats } = await resolveOnce(pypi, 'pypi', 'corp-only', { metadata: true, downloads: true }, {}, { pypiExtraIndexUrls: [`${corp.url}/corp/simple/`] });
        assert.equal(facts.status, 'found');
        assert.equal(facts.privateRegistry, true);
        assert.equal(facts.registry, `${corp.url}/corp/simple/`);
        assert.equal(facts.weeklyDownloads, undefined, 'a private name is never sent to pypistats');
        assert.equal(stats.requests.pypistats, 0);
        assert.deepEqual(corp.requests.map((r) => r.path), ['/corp/simple/corp-only/']);
      });
    });
  });

  it('a name on public PyPI is judged there; the extra index is not asked', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'public-thing', created: '2015-01-01', weeklyDownloads: 500 })] }, async (pypi) => {
      await withFixtureRegistry({}, async (corp) => {
        const { facts } = await resolveOnce(pypi, 'pypi', 'public-thing', undefined, {}, { pypiExtraIndexUrls: [`${corp.url}/corp/simple/`] });
        assert.equal(facts.status, 'found');
        assert.equal(facts.privateRegistry, undefined);
        assert.equal(corp.requests.length, 0);
      });
    });
  });

  it('missing from both: not-found (public)', async () => {
    await withFixtureRegistry({ missing: { pypi: ['nowhere-pkg'] } }, async (pypi) => {
      await withFixtureRegistry({ missing: { pypi: ['nowhere-pkg'] } }, async (corp) => {
        const { facts } = await resolveOnce(pypi, 'pypi', 'nowhere-pkg', undefined, {}, { pypiExtraIndexUrls: [`${corp.url}/corp/simple/`] });
        assert.equal(facts.status, 'not-found');
        assert.equal(facts.privateRegistry, undefined);
      });
    });
  });

  it('a local file:// extra index (as pip reads them): a project folder there makes the name found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-local-index-'));
    try {
      mkdirSync(join(dir, 'corp-local'));
      const extra = `${pathToFileURL(dir).href}/`;
      await withFixtureRegistry({ missing: { pypi: ['corp-local', 'not-local'] } }, async (pypi) => {
        const found = await resolveOnce(pypi, 'pypi', 'Corp_Local', undefined, {}, { pypiExtraIndexUrls: [extra] });
        assert.equal(found.facts.status, 'found');
        assert.equal(found.facts.privateRegistry, true);
        const missing = await resolveOnce(pypi, 'pypi', 'not-local', undefined, {}, { pypiExtraIndexUrls: [extra] });
        assert.equal(missing.facts.status, 'not-found');
      });
      // PyPI unreachable: a name the local index lacks may still be called missing by the public
      // list (no extraIndexes mark); one it has may not.
      const dead = await withFixtureRegistry({}, async (r) => r.url);
      const down = (n: string) => resolveOnce({ url: dead } as Parameters<typeof resolveOnce>[0], 'pypi', n, undefined, {}, { pypiExtraIndexUrls: [extra] });
      const lacking = await down('not-local');
      assert.equal(lacking.facts.status, 'unverified');
      assert.equal(lacking.facts.extraIndexes, undefined);
      const having = await down('corp-local');
      assert.equal(having.facts.status, 'unverified');
      assert.equal(having.facts.extraIndexes, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an extra index that cannot be reached leaves the name unverified, never not-found', async () => {
    await withFixtureRegistry({ missing: { pypi: ['corp-only'] } }, async (pypi) => {
      const dead = await withFixtureRegistry({}, async (r) => r.url);
      const { facts } = await resolveOnce(pypi, 'pypi', 'corp-only', undefined, {}, { pypiExtraIndexUrls: [`${dead}/corp/simple/`] });
      assert.equal(facts.status, 'unverified');
      assert.equal(facts.extraIndexes, true, 'so the bundled public list cannot turn it into not-found');
    });
  });
});
