import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { RegistrySettings, Report } from '../../src/core/types.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { npmPackage, pypiProject, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('serve: POST /v1/check, the central check', () => {
  let reg: FixtureRegistry;
  let guard: RunningServer;
  before(async () => {
    reg = await startFixtureRegistry({
      npm: [npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 40_000_000, repository: 'https://example.test/e' })],
      pypi: [pypiProject({ name: 'requests', created: '2011-02-14', weeklyDownloads: 30_000_000, urls: { Source: 'https://example.test/r' } })],
      missing: { npm: ['lodahs'], pypi: ['reqeusts'] },
    }, { strict: false });
    const registries: RegistrySettings = { npmRegistry: `${reg.url}/`, npmScopes: {}, npmrc: {}, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url };
    guard = await startServer({ port: 0, registries, check: { noCache: true, env: {}, cwd: tmpdir(), timeoutMs: 3_000, now: () => NOW }, log: () => {} });
  });
  after(async () => {
    await guard?.close();
    await reg?.close();
  });

  const post = (body: unknown, raw?: string) => fetch(`${guard.url}/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });

  it('answers the JSON report of --format json for specs, status 200', async () => {
    const r = await post({ specs: ['express', 'lodahs', 'pypi:requests==2.32.3', 'pypi:reqeusts'] });
    assert.equal(r.status, 200);
    const report = (await r.json()) as Report;
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.summary, { checked: 4, ok: 2, warn: 0, block: 2, unknown: 0 });
    assert.deepEqual(report.packages.map((p) => `${p.ecosystem}:${p.name}:${p.verdict}`), ['npm:express:ok', 'npm:lodahs:block', 'pypi:requests:ok', 'pypi:reqeusts:block']);
    assert.equal(report.packages[1]!.findings.find((f) => f.code === 'typo')?.similarTo, 'lodash');
    assert.deepEqual(report.packages[2]!.specs, ['==2.32.3']);
  });

  it('reads manifests and lockfiles sent as files, with file:line origins', async () => {
    const r = await post({ files: [{ path: 'web/package.json', content: '{\n  "dependencies": {\n    "express": "^4",\n    "lodahs": "^4"\n  }\n}\n' }, { path: 'requirements.txt', content: 'requests\nreqeusts>=2\n' }] });
    assert.equal(r.status, 200);
    const report = (await r.json()) as Report;
    const lodahs = report.packages.find((p) => p.name === 'lodahs')!;
    assert.equal(lodahs.verdict, 'block');
    assert.deepEqual(lodahs.origins.map((o) => `${o.file}:${o.line}`), ['web/package.json:4']);
    assert.deepEqual(report.packages.find((p) => p.name === 'reqeusts')!.origins.map((o) => `${o.file}:${o.line}`), ['requirements.txt:2']);
  });

  it('asks the upstream once per name however many requests name it', async () => {
    const before = reg.requests.filter((x) => x.path === '/express').length;
    await Promise.all(Array.from({ length: 5 }, () => post({ specs: ['express'] })));
    assert.equal(reg.requests.filter((x) => x.path === '/express').length, before);
  });

  it('a malformed body is 400 with the field named; other methods 405', async () => {
    const cases: Array<[unknown, string | undefined, string]> = [
      [undefined, '{ not json', '(body)'],
      [[], undefined, '(body)'],
      [{}, undefined, 'specs'],
      [{ specs: 'express' }, undefined, 'specs'],
      [{ specs: [42] }, undefined, 'specs'],
      [{ specs: ['pypi:'] }, undefined, 'specs'],
      [{ files: [{ path: 'package.json' }] }, undefined, 'files[0]'],
      [{ files: {} }, undefined, 'files'],
    ];
    for (const [body, raw, field] of cases) {
      const r = await post(body, raw);
      assert.equal(r.status, 400, JSON.stringify(body ?? raw));
      const answer = (await r.json()) as { error: string; field: string };
      assert.equal(answer.field, field, JSON.stringify(body ?? raw));
      assert.ok(answer.error.length > 0);
    }
    const get = await fetch(`${guard.url}/v1/check`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  it('a file of a format slopguard does not read is an error note, not silence', async () => {
    const report = (await (await post({ files: [{ path: 'Gemfile', content: "gem 'rails'\n" }] })).json()) as Report;
    assert.deepEqual(report.notes.map((n) => `${n.level}:${n.code}`), ['error:unknown-format']);
  });
});
