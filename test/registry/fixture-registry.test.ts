/** The fixture registry itself: the shapes it serves and the strictness other tests rely on. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { npmPackage, pypiProject, startFixtureRegistry, withFixtureRegistry } from '../fixture-registry/server.js';

const CORGI = 'application/vnd.npm.install-v1+json';

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('fixture registry', () => {
  it('serves full and abbreviated packuments with ETags and 304s', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: '@scope/pkg', created: '2020-01-01', scripts: { install: 'node-gyp rebuild' }, deprecated: { '1.0.0': '' } })] }, async (reg) => {
      const full = await get(`${reg.url}/@scope%2fpkg`);
      const doc = JSON.parse(full.text);
      assert.equal(full.status, 200);
      assert.ok(doc.time.created);
      assert.equal(doc.versions['1.0.0'].scripts.install, 'node-gyp rebuild');

      const corgi = await get(`${reg.url}/@scope/pkg`, { accept: CORGI });
      const slim = JSON.parse(corgi.text);
      assert.equal(corgi.headers.get('content-type'), CORGI);
      assert.equal(slim.time, undefined);
      assert.ok(slim.modified);
      assert.equal(slim.versions['1.0.0'].hasInstallScript, true);
      assert.equal(slim.versions['1.0.0'].scripts, undefined);
      assert.equal(slim.versions['1.0.0'].deprecated, '');

      const etag = full.headers.get('etag')!;
      assert.equal((await get(`${reg.url}/@scope%2fpkg`, { 'if-none-match': etag })).status, 304);
      assert.equal((await get(`${reg.url}/@scope%2fpkg`, { 'if-none-match': etag, accept: CORGI })).status, 200, 'the corgi has its own ETag');
    });
  });

  it('answers gzip when asked', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'zipped', created: '2020-01-01' })] }, async (reg) => {
      const res = await new Promise<{ enc: string | undefined; body: Buffer }>((resolve, reject) => {
        import('node:http').then(({ get: httpGet }) =>
          httpGet(`${reg.url}/zipped`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
            const parts: Buffer[] = [];
            r.on('data', (c: Buffer) => parts.push(c));
            r.on('end', () => resolve({ enc: r.headers['content-encoding'], body: Buffer.concat(parts) }));
          }).on('error', reject),
        );
      });
      assert.equal(res.enc, 'gzip');
      assert.equal(JSON.parse(gunzipSync(res.body).toString()).name, 'zipped');
    });
  });

  it('serves tombstones and security placeholders', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'gone', created: '2020-01-01', unpublished: true }), npmPackage({ name: 'held', created: '2020-01-01', securityHolder: true })] }, async (reg) => {
      const gone = JSON.parse((await get(`${reg.url}/gone`)).text);
      assert.equal(gone.versions, undefined);
      assert.ok(gone.time.unpublished.time);
      const held = JSON.parse((await get(`${reg.url}/held`)).text);
      assert.equal(held['dist-tags'].latest, '0.0.1-security');
      assert.equal(held.description, 'security holding package');
    });
  });

  it('serves the downloads API in single and bulk shapes', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'a', created: '2020-01-01', weeklyDownloads: 5 }), npmPackage({ name: 'b', created: '2020-01-01' })], missing: { npm: ['c'] } }, async (reg) => {
      assert.deepEqual(JSON.parse((await get(`${reg.url}/downloads/point/last-week/a`)).text).downloads, 5);
      assert.equal((await get(`${reg.url}/downloads/point/last-week/b`)).status, 404);
      assert.deepEqual(Object.entries(JSON.parse((await get(`${reg.url}/downloads/point/last-week/a,b,c`)).text)).map(([k, v]) => [k, v === null ? null : (v as { downloads: number }).downloads]), [
        ['a', 5],
        ['b', null],
        ['c', null],
      ]);
    });
  });

  it('serves PyPI JSON (with 301 to the normalised name), simple JSON and HTML, and pypistats', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'Zope.Interface', created: '2010-01-01', weeklyDownloads: 100, versions: ['1.0', { version: '2.0', files: 0 }] })], missing: { pypi: ['nope'] } }, async (reg) => {
      const moved = await get(`${reg.url}/pypi/Zope.Interface/json`);
      assert.equal(moved.status, 301);
      assert.equal(moved.headers.get('location'), '/pypi/zope-interface/json');
      const doc = JSON.parse((await get(`${reg.url}/pypi/zope-interface/json`)).text);
      assert.equal(doc.info.name, 'Zope.Interface');
      assert.deepEqual(doc.releases['2.0'], []);
      const simple = JSON.parse((await get(`${reg.url}/simple/zope-interface/`, { accept: 'application/vnd.pypi.simple.v1+json' })).text);
      assert.deepEqual(simple.versions, ['1.0']);
      assert.ok(simple.files[0]['upload-time']);
      const html = await get(`${reg.url}/simple/zope-interface/`);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.match(html.text, /<a href="[^"]+"[^>]*>zope_interface-1\.0\.tar\.gz<\/a>/);
      assert.equal(JSON.parse((await get(`${reg.url}/api/packages/zope-interface/recent`)).text).data.last_week, 100);
      const missing = await get(`${reg.url}/pypi/nope/json`);
      assert.equal(missing.status, 404);
      assert.deepEqual(JSON.parse(missing.text), { message: 'Not Found' });
      const noStats = await get(`${reg.url}/api/packages/nope/recent`);
      assert.equal(noStats.text, '404');
    });
  });

  it('records unexpected requests in strict mode and names them', async () => {
    const reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'known', created: '2020-01-01' })], missing: { npm: ['declared-missing'] } });
    try {
      await get(`${reg.url}/known`);
      await get(`${reg.url}/declared-missing`);
      assert.doesNotThrow(() => reg.assertNoUnexpectedRequests());
      await get(`${reg.url}/surprise`);
      await get(`${reg.url}/downloads/point/last-week/known,@scoped/x`);
      await get(`${reg.url}/api/packages/Known_Thing/recent`);
      await get(`${reg.url}/a/b/c/d`);
      assert.throws(() => reg.assertNoUnexpectedRequests(), (e: Error) => {
        assert.match(e.message, /4 unexpected request/);
        assert.match(e.message, /unknown npm package surprise/);
        assert.match(e.message, /scoped names in a bulk downloads request/);
        assert.match(e.message, /not PEP 503 normalised/);
        assert.match(e.message, /no API serves this path/);
        return true;
      });
      assert.equal(reg.count('/known'), 1);
    } finally {
      await reg.close();
    }
  });

  it('does not record in non-strict mode', async () => {
    const reg = await startFixtureRegistry({}, { strict: false });
    try {
      assert.equal((await get(`${reg.url}/whatever`)).status, 404);
      assert.doesNotThrow(() => reg.assertNoUnexpectedRequests());
      assert.equal(reg.requests.length, 1);
    } finally {
      await reg.close();
    }
  });

  it('applies a fault `times` times, then answers normally', async () => {
    await withFixtureRegistry({ npm: [npmPackage({ name: 'x', created: '2020-01-01' })], faults: [{ name: 'x', times: 2, kind: 'status', status: 503, retryAfter: 7 }] }, async (reg) => {
      const a = await get(`${reg.url}/x`);
      assert.equal(a.status, 503);
      assert.equal(a.headers.get('retry-after'), '7');
      assert.equal((await get(`${reg.url}/downloads/point/last-week/x`)).status, 503, 'a name fault covers every API');
      assert.equal((await get(`${reg.url}/x`)).status, 200);
    });
  });

  it('requires the token when started with one', async () => {
    const reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'p', created: '2020-01-01' })] }, { token: 't0k' });
    try {
      assert.equal((await get(`${reg.url}/p`)).status, 401);
      assert.equal((await get(`${reg.url}/p`, { authorization: 'Bearer t0k' })).status, 200);
      assert.equal(reg.unexpected.length, 1);
    } finally {
      await reg.close();
    }
  });

  it('clears a pending latency delay on close, so its timer cannot hold the test process open', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const reg = await startFixtureRegistry({}, { latencyMs: 10 * 60_000, strict: false });
    // node:http without an agent: no client-side timers of its own in the count.
    const pending = new Promise<string>((resolve) => {
      const req = httpGet(`${reg.url}/slow`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve('answered'));
      });
      req.on('error', () => resolve('failed'));
    });
    while (reg.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await reg.close();
    assert.equal(await pending, 'failed');
    assert.equal(timers(), before, 'no timer left behind by the delayed answer');
  });

  it('closes with a request still hanging', async () => {
    const reg = await startFixtureRegistry({ faults: [{ path: '/stuck', kind: 'hang' }] });
    const pending = fetch(`${reg.url}/stuck`).then(
      () => 'answered',
      () => 'failed',
    );
    while (reg.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await reg.close();
    assert.equal(await pending, 'failed');
  });
});
