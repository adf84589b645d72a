import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistrySettings } from '../../src/core/types.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import type { Decision } from '../../src/serve/context.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { npmPackage, pypiProject, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { startServe } from '../helpers/serve.js';

/**
 * The guard's HTTP contract, in-process against the fixture registry (which fails the test on any
 * request it did not expect): sharing of upstream requests under concurrency, full and abbreviated
 * documents, ETags, scoped names, the age gate, unverified packages by policy, upstream failures,
 * hostile paths; and once as a real process (listening line, SIGTERM).
 */

const DAY = 86_400_000;
const NOW = new Date();
const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const CONCURRENT = Array.from({ length: 50 }, (_, i) => `sg-conc-pkg-${i}`);

describe('serve: the HTTP contract (in-process, fixture registry)', () => {
  let reg: FixtureRegistry;
  let guard: RunningServer;
  let strict: RunningServer;
  const decisions: Decision[] = [];
  const registries = (): RegistrySettings => ({ npmRegistry: `${reg.url}/`, npmScopes: {}, npmrc: {}, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url });

  before(async () => {
    reg = await startFixtureRegistry({
      npm: [
        ...CONCURRENT.map((name) => npmPackage({ name, created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' })),
        npmPackage({ name: 'sg-plain', created: '2019-01-01', versions: ['1.0.0', '1.1.0'], weeklyDownloads: 5_000, repository: 'https://example.test/r' }),
        npmPackage({ name: '@acme/widget', created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' }),
        // 2.0.0 published an hour ago: the 1-day gate removes it and moves `latest` back to 1.0.0.
        npmPackage({ name: 'sg-gated', created: '2019-01-01', versions: ['1.0.0', '2.0.0'], published: new Date(NOW.getTime() - 3_600_000), weeklyDownloads: 5_000, repository: 'https://example.test/r' }),
        npmPackage({ name: 'sg-upstream-fails-here', created: '2019-01-01', weeklyDownloads: 5_000 }),
      ],
      // A name the bundled PyPI list has: with the JSON API down it stays unverified (a name the
      // list lacks would be called missing).
      pypi: [
        pypiProject({ name: 'requests', created: '2011-02-14', weeklyDownloads: 30_000_000, urls: { Source: 'https://example.test/p' } }),
        pypiProject({ name: 'sg-gated-py', created: '2019-01-01', versions: [{ version: '1.0', uploaded: '2019-01-01' }, { version: '2.0', uploaded: new Date(NOW.getTime() - 3_600_000) }], weeklyDownloads: 5_000, urls: { Source: 'https://example.test/g' } }),
      ],
      faults: [
        { name: 'sg-upstream-fails-here', api: 'npm', kind: 'status', status: 500 },
        // The JSON API the judge asks fails; the simple page the client gets does not.
        { name: 'requests', api: 'pypi-json', kind: 'status', status: 500 },
      ],
    });
    const check = { noCache: true, env: {}, cwd: tmpdir(), timeoutMs: 3_000, now: () => NOW };
    guard = await startServer({ port: 0, registries: registries(), check, minReleaseAgeDays: 1, log: () => {}, onDecision: (d) => void decisions.push(d) });
    strict = await startServer({ port: 0, registries: registries(), check: { ...check, policy: { ...DEFAULT_POLICY, failClosed: true } }, log: () => {} });
  });
  after(async () => {
    await Promise.all([guard?.close(), strict?.close()]);
    reg?.assertNoUnexpectedRequests();
    await reg?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}, on = guard) => fetch(`${on.url}${path}`, { headers });
  const packumentRequests = (name: string) => reg.requests.filter((r) => r.path === `/${name}` || r.path === `/${name.replace('/', '%2f')}`).length;

  it('answers 100 concurrent requests for 50 packages with one upstream packument request per package', async () => {
    const answers = await Promise.all(CONCURRENT.flatMap((name, i) => [get(`/npm/${name}`, { accept: i % 2 ? CORGI : 'application/json' }), get(`/npm/${name}`, { accept: CORGI })]));
    assert.deepEqual(answers.map((a) => a.status), Array(100).fill(200));
    await Promise.all(answers.map((a) => a.arrayBuffer()));
    const perPackage = CONCURRENT.map(packumentRequests);
    assert.deepEqual(perPackage, Array(50).fill(1), 'one packument request per distinct package, judging and serving included');
    // Download counts: each name asked once (in bulk requests shared by the names that arrived
    // together), however many clients asked.
    const asked = reg.requests.filter((r) => r.path.startsWith('/downloads/point/last-week/')).flatMap((r) => decodeURIComponent(r.path.slice('/downloads/point/last-week/'.length)).split(','));
    assert.deepEqual(asked.filter((n) => n.startsWith('sg-conc-pkg-')).sort(), [...CONCURRENT].sort());
  });

  it('serves the full document for Accept: application/json and the abbreviated one for npm install\'s Accept', async () => {
    const full = await get('/npm/sg-plain', { accept: 'application/json' });
    const doc = (await full.json()) as Record<string, any>;
    assert.match(full.headers.get('content-type')!, /^application\/json/);
    assert.equal(doc.versions['1.1.0'].description, 'fixture package sg-plain');
    assert.ok(doc.time.created);
    const corgi = await get('/npm/sg-plain', { accept: CORGI });
    const abbreviated = (await corgi.json()) as Record<string, any>;
    assert.equal(corgi.headers.get('content-type'), 'application/vnd.npm.install-v1+json');
    assert.equal(abbreviated.versions['1.1.0'].description, undefined);
    assert.equal(abbreviated.versions['1.1.0'].version, '1.1.0');
    assert.deepEqual(abbreviated['dist-tags'], { latest: '1.1.0' });
    // Tarballs point at the guard, whatever the upstream said.
    assert.equal(abbreviated.versions['1.1.0'].dist.tarball, `${guard.url}/npm/sg-plain/-/sg-plain-1.1.0.tgz`);
    assert.equal(doc.versions['1.1.0'].dist.tarball, `${guard.url}/npm/sg-plain/-/sg-plain-1.1.0.tgz`);
  });

  it('answers If-None-Match with 304 and the same ETag', async () => {
    const first = await get('/npm/sg-plain', { accept: CORGI });
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    assert.match(etag, /^W\/"sg-/);
    const again = await get('/npm/sg-plain', { accept: CORGI, 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    const other = await get('/npm/sg-plain', { accept: 'application/json', 'if-none-match': etag });
    assert.equal(other.status, 200, 'the full document has another ETag');
    await other.arrayBuffer();
  });

  for (const path of ['/npm/@acme%2fwidget', '/npm/@acme%2Fwidget', '/npm/@acme/widget']) {
    it(`serves a scoped package at ${path}`, async () => {
      const r = await get(path, { accept: CORGI });
      assert.equal(r.status, 200);
      const doc = (await r.json()) as Record<string, any>;
      assert.equal(doc.name, '@acme/widget');
      assert.equal(doc.versions['1.0.0'].dist.tarball, `${guard.url}/npm/@acme/widget/-/widget-1.0.0.tgz`);
    });
  }

  it('--min-release-age removes the version published an hour ago and moves latest back', async () => {
    const r = await get('/npm/sg-gated', { accept: 'application/json' });
    const doc = (await r.json()) as Record<string, any>;
    assert.deepEqual(Object.keys(doc.versions), ['1.0.0']);
    assert.deepEqual(doc['dist-tags'], { latest: '1.0.0' });
    assert.equal(doc.time['2.0.0'], undefined);
    assert.match(r.headers.get('x-slopguard')!, /age-gate removed 1 version younger than 1 day(;|$)/);
    for (const path of ['/npm/sg-gated/2.0.0', '/npm/sg-gated/-/sg-gated-2.0.0.tgz']) {
      const young = await get(path, { 'user-agent': 'npm/11.0.0 node/v20' });
      assert.equal(young.status, 403, path);
      assert.deepEqual(await young.json(), { error: 'slopguard refused npm package `sg-gated` 2.0.0: it was published less than 1 day ago (--min-release-age 1)' });
    }
    const manifest = await get('/npm/sg-gated/latest');
    assert.equal(((await manifest.json()) as { version: string }).version, '1.0.0');
  });

  it('serves a package that could not be judged with an unverified header by default, 503 under --fail-closed', async () => {
    const open = await get('/pypi/simple/requests/', { accept: 'text/html' });
    assert.equal(open.status, 200);
    assert.match(open.headers.get('x-slopguard')!, /^unverified /);
    assert.match(await open.text(), /requests-1\.0\.0/);
    assert.ok(decisions.some((d) => d.name === 'requests' && d.decision === 'unverified'));
    const closed = await get('/pypi/simple/requests/', { accept: 'text/html' }, strict);
    assert.equal(closed.status, 503);
    assert.match(closed.statusText, /slopguard could not verify PyPI package `requests`/);
    assert.match(await closed.text(), /refused because of --fail-closed/);
  });

  it('--min-release-age gates PyPI\'s JSON API and PEP 691 pages too', async () => {
    const api = await get('/pypi/pypi/sg-gated-py/json');
    assert.equal(api.status, 200);
    const doc = (await api.json()) as { info: { version: string }; releases: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.releases), ['1.0']);
    assert.equal(doc.info.version, '1.0');
    const page = await get('/pypi/simple/sg-gated-py/', { accept: 'application/vnd.pypi.simple.v1+json' });
    assert.match(page.headers.get('content-type')!, /application\/vnd\.pypi\.simple\.v1\+json/);
    const files = ((await page.json()) as { files: Array<{ filename: string; url: string }> }).files;
    assert.deepEqual(files.map((f) => f.filename), ['sg_gated_py-1.0.tar.gz']);
    assert.ok(files.every((f) => /^https?:\/\//.test(f.url)), 'file URLs are absolute');
    // Asked again by another client: answered from the guard's memo, not upstream.
    const asked = () => reg.requests.filter((r) => r.path.startsWith('/simple/sg-gated-py')).length;
    const before = asked();
    await (await get('/pypi/simple/sg-gated-py/', { accept: 'application/vnd.pypi.simple.v1+json' })).arrayBuffer();
    assert.equal(asked(), before);
    // PEP 503: a non-normalised or slash-less URL is redirected to the canonical one.
    const moved = await fetch(`${guard.url}/pypi/simple/SG_Gated.Py`, { redirect: 'manual' });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), '/pypi/simple/sg-gated-py/');
  });

  it('answers 502, never 200, when the upstream fails', async () => {
    const r = await get('/npm/sg-upstream-fails-here', { 'user-agent': 'npm/11.0.0' });
    assert.equal(r.status, 502, await r.clone().text());
    assert.match(((await r.json()) as { error: string }).error, /slopguard could not get npm package `sg-upstream-fails-here` from the upstream registry: .*HTTP 500/);
  });

  for (const [label, path, init, status, body] of [
    ['health', '/healthz', {}, 200, /"ok"/],
    ['a path that only starts like health', '/healthzzz', {}, 404, /not served/],
    ['an unknown path', '/nothing-here', {}, 404, /not served/],
    ['a publish', '/npm/sg-plain', { method: 'PUT', body: '{}' }, 405, /read-only/],
    ['a name with terminal escapes', '/npm/%1b%5b31mevil', {}, 400, /\\u\{1b\}\[31mevil/],
    ['a path traversal', '/npm/..%2f..%2fetc%2fpasswd', {}, 400, /slopguard refused the request: `..\/..\/etc\/passwd`: name cannot start with a period/],
    ['bad percent-encoding', '/npm/%E0%A4%A', {}, 404, /not valid percent-encoding/],
  ] as const) {
    it(`answers ${label} with ${status}`, async () => {
      const r = await fetch(`${guard.url}${path}`, init as RequestInit);
      assert.equal(r.status, status);
      const text = await r.text();
      assert.match(text, body);
      assert.doesNotMatch(text, /\u001b/, 'no raw escape characters');
    });
  }
});

describe('serve: a private upstream with a token', () => {
  it('sends the user\'s upstream token (the client sends none) and never echoes it', async () => {
    const token = 'sg-secret-token-123456';
    const reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'sg-private', created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' })] }, { token });
    const host = new URL(reg.url).host;
    const settings: RegistrySettings = { npmRegistry: `${reg.url}/`, npmScopes: {}, npmrc: { [`//${host}/:_authToken`]: token }, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url };
    const g = await startServer({ port: 0, registries: settings, check: { noCache: true, env: {}, cwd: tmpdir() }, log: () => {} });
    try {
      const ok = await fetch(`${g.url}/npm/sg-private`);
      assert.equal(ok.status, 200);
      const body = await ok.text();
      assert.doesNotMatch(body, new RegExp(token));
      assert.ok(reg.requests.some((r) => r.path === '/sg-private' && r.headers.authorization === `Bearer ${token}`), 'the guard authenticated upstream');
      // npm tokens go only with packument and tarball requests, never to the downloads API client.
      assert.ok(reg.requests.filter((r) => r.path.startsWith('/downloads/')).every((r) => r.headers.authorization === undefined));
    } finally {
      await g.close();
      await reg.close();
    }
  });
});

describe('serve: as a real process', () => {
  let reg: FixtureRegistry;
  let home: string;
  before(async () => {
    reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'sg-plain', created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' })] });
    home = mkdtempSync(join(tmpdir(), 'slopguard-serve-proc-'));
  });
  after(async () => {
    await reg?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('prints the listening line for --port 0, serves, logs one line per decision, and exits 0 on SIGTERM', async () => {
    const serve = await startServe(['--npm-registry', `${reg.url}/`, '--npm-downloads-api', reg.url, '--no-cache'], { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' });
    const { url } = serve;
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const r = await fetch(`${url}/npm/sg-plain`);
    assert.equal(r.status, 200);
    await r.arrayBuffer();
    assert.equal(await serve.stop(), 0, serve.stderr());
    assert.match(serve.stderr(), /slopguard serve: 200 allowed npm sg-plain \(packument\) - verdict ok\n/);
    assert.match(serve.stderr(), /slopguard serve: stopped\n$/);
  });
});
