import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { RegistrySettings, Report } from '../../src/core/types.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';

const NOW = new Date('2026-12-01T12:00:00Z');

/** A service that answers whatever the test wants (a hostile or broken central server). */
async function fakeService(answer: (body: string) => { status: number; body: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const a = answer(body);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('--server: judging through a central slopguard service', () => {
  let reg: FixtureRegistry;
  let guard: RunningServer;
  let project: string;
  // The client's own registry settings point nowhere: every answer must come from the service.
  const clientEnv = (server: string) => ({
    HOME: join(project, 'home'),
    SLOPGUARD_SERVER: server,
    SLOPGUARD_NPM_REGISTRY: 'http://127.0.0.1:9/',
    SLOPGUARD_NPM_DOWNLOADS_API: 'http://127.0.0.1:9',
    SLOPGUARD_PYPI_URL: 'http://127.0.0.1:9',
    SLOPGUARD_PYPISTATS_API: 'http://127.0.0.1:9',
    SLOPGUARD_CACHE_DIR: join(project, 'cache'),
  });

  before(async () => {
    reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 40_000_000, repository: 'r' })], missing: { npm: ['lodahs'] } }, { strict: false });
    const registries: RegistrySettings = { npmRegistry: `${reg.url}/`, npmScopes: {}, npmrc: {}, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url };
    guard = await startServer({ port: 0, registries, check: { noCache: true, env: {}, cwd: tmpdir(), timeoutMs: 3_000, now: () => NOW }, log: () => {} });
    project = mkdtempSync(join(tmpdir(), 'sg-remote-'));
    writeFileSync(join(project, 'package.json'), '{\n  "dependencies": {\n    "express": "^4",\n    "lodahs": "^4"\n  }\n}\n');
  });
  after(async () => {
    await guard?.close();
    await reg?.close();
  });

  it('ci, check and the Claude hook judge through the service; origins stay local file:line', async () => {
    const t = testIo({ env: clientEnv(guard.url), cwd: project, now: NOW });
    assert.equal(await run(['ci', '--format', 'json'], t.io), 1, t.err());
    const report = JSON.parse(t.out()) as Report;
    assert.deepEqual(report.packages.map((p) => `${p.name}:${p.verdict}`), ['express:ok', 'lodahs:block']);
    assert.deepEqual(report.packages[1]!.origins.map((o) => `${o.file}:${o.line}`), ['package.json:4']);
    assert.equal(report.packages[1]!.findings.find((f) => f.code === 'typo')?.similarTo, 'lodash');

    const c = testIo({ env: clientEnv(guard.url), cwd: project, now: NOW });
    assert.equal(await run(['check', '--server', guard.url, 'express'], c.io), 0, c.err());

    const input = JSON.stringify({ hook_event_name: 'PreToolUse', cwd: project, tool_name: 'Bash', tool_input: { command: 'npm install lodahs' } });
    const h = testIo({ env: clientEnv(guard.url), cwd: project, stdin: input, now: NOW });
    assert.equal(await run(['hook', 'claude'], h.io), 0);
    assert.equal((JSON.parse(h.out()) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'deny');
  });

  it('a service that is down, broken or lying makes the packages unverified, never ok', async () => {
    const answers: Array<[string, (body: string) => { status: number; body: string }]> = [
      ['HTTP 500', () => ({ status: 500, body: '{}' })],
      ['not JSON', () => ({ status: 200, body: '<html>login</html>' })],
      ['not schema 1', () => ({ status: 200, body: JSON.stringify({ schemaVersion: 2, packages: [] }) })],
      ['a verdict outside the known set', () => ({ status: 200, body: JSON.stringify({ schemaVersion: 1, packages: [{ ecosystem: 'npm', name: 'lodahs', verdict: 'fine', findings: [] }] }) })],
      ['no answer for a name, and an extra one', () => ({ status: 200, body: JSON.stringify({ schemaVersion: 1, packages: [{ ecosystem: 'npm', name: 'something-else', verdict: 'ok', findings: [] }] }) })],
    ];
    for (const [label, answer] of answers) {
      const fake = await fakeService(answer);
      try {
        const t = testIo({ env: clientEnv(fake.url), cwd: project, now: NOW });
        assert.equal(await run(['check', '--format', 'json', 'lodahs'], t.io), 3, `${label}: ${t.err()}`);
        const report = JSON.parse(t.out()) as Report;
        assert.deepEqual(report.packages.map((p) => `${p.name}:${p.verdict}`), ['lodahs:unknown'], label);
        assert.equal(report.packages[0]!.findings[0]!.code, 'unverified', label);
      } finally {
        await fake.close();
      }
    }
    const down = testIo({ env: clientEnv('http://127.0.0.1:9'), cwd: project, now: NOW });
    assert.equal(await run(['check', 'lodahs', '--fail-closed'], down.io), 1, 'fail-closed blocks what the service could not answer');
  });

  it('the service is told names only, never file contents or paths', async () => {
    let seen = '';
    const fake = await fakeService((body) => {
      seen = body;
      return { status: 200, body: JSON.stringify({ schemaVersion: 1, packages: [] }) };
    });
    try {
      const t = testIo({ env: clientEnv(fake.url), cwd: project, now: NOW });
      await run(['ci', '--format', 'json'], t.io);
      assert.deepEqual(JSON.parse(seen), { specs: ['npm:express', 'npm:lodahs'] });
    } finally {
      await fake.close();
    }
  });

  it('a project config cannot name the service (only the user\'s flag or environment)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-remote-cfg-'));
    writeFileSync(join(dir, '.slopguard.json'), JSON.stringify({ server: 'http://evil.example' }));
    const t = testIo({ env: { HOME: join(dir, 'home') }, cwd: dir, now: NOW });
    assert.equal(await run(['check', 'express'], t.io), 2);
    assert.match(t.err(), /server/);
  });
});
