import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest, ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { npmPackage, startFixtureRegistry } from '../fixture-registry/server.js';
import { registryEnv } from '../hook/fixtures.js';
import { repo } from '../helpers/repo.js';
import { startLsp } from './client.js';

const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

describe('LSP: a workspace package named in a manifest is never sent to a registry', { timeout: 30_000 }, () => {
  it('diagnoses the public dependency, not the workspace sibling', async () => {
    const reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'express', created: ago(5000), weeklyDownloads: 40_000_000, repository: 'r' })], missing: { npm: ['loadsh'] } });
    const cwd = repo({
      'package.json': '{ "name": "root", "workspaces": ["packages/*"] }',
      'packages/shared/package.json': '{ "name": "@qzorg/shared" }',
    });
    const app = '{\n  "name": "app",\n  "dependencies": {\n    "@qzorg/shared": "^1.0.0",\n    "express": "^4.0.0",\n    "loadsh": "^1.0.0"\n  }\n}\n';
    const s = startLsp([], { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...registryEnv(reg.url, join(cwd, '.cache-sg')) });
    try {
      await s.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(cwd).href, capabilities: {}, initializationOptions: { debounceMs: 0 }, workspaceFolders: null });
      await s.connection.sendNotification(InitializedNotification.type, {});
      const uri = pathToFileURL(join(cwd, 'packages', 'app', 'package.json')).href;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: app } });
      const d = await s.diagnostics(uri, (p) => p.version === 1);
      const names = d.diagnostics.map((x) => (x.data as { name?: string } | undefined)?.name).filter(Boolean);
      assert.ok(names.includes('loadsh'), JSON.stringify(d.diagnostics));
      assert.ok(!names.includes('@qzorg/shared'));
      assert.deepEqual(reg.requests.filter((q) => decodeURIComponent(q.path).includes('qzorg')), []);
      await s.connection.sendRequest(ShutdownRequest.type);
      await s.connection.sendNotification(ExitNotification.type);
      await s.exited;
    } finally {
      s.connection.dispose();
      s.child.kill();
      await reg.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
