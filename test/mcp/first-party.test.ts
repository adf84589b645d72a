import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { npmPackage, pypiProject, startFixtureRegistry } from '../fixture-registry/server.js';
import { registryEnv } from '../hook/fixtures.js';
import { repo } from '../helpers/repo.js';

const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));
const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

describe('MCP check_text: first-party names are never sent to a registry', { timeout: 30_000 }, () => {
  it('a module file, a tsconfig alias and a workspace package of the repository the server runs in', async () => {
    const reg = await startFixtureRegistry({
      npm: [npmPackage({ name: 'express', created: ago(5000), weeklyDownloads: 40_000_000, repository: 'r' })],
      pypi: [pypiProject({ name: 'requests', created: ago(5000), weeklyDownloads: 30_000_000, urls: { Source: 'r' } })],
    });
    const cwd = repo({
      'settings_qz.py': '',
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@qzapp/*": ["src/*"] } } }',
      'src/utils.ts': '',
      'package.json': '{ "name": "root", "workspaces": ["packages/*"] }',
      'packages/shared/package.json': '{ "name": "@qzorg/shared" }',
    });
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...registryEnv(reg.url, `${cwd}/.cache-sg`) }, stderr: 'pipe' });
    const client = new Client({ name: 'slopguard-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      const text = "```python\nimport settings_qz\nimport requests\n```\n```ts\nimport u from '@qzapp/utils';\nimport s from '@qzorg/shared';\nimport e from 'express';\n```\n";
      const r = await client.callTool({ name: 'check_text', arguments: { text } });
      const structured = r.structuredContent as { packages: Array<{ name: string; verdict: string }> };
      assert.deepEqual(structured.packages.map((p) => p.name).sort(), ['express', 'requests']);
      for (const name of ['settings', '@qzapp', '@qzorg', 'qzapp', 'qzorg']) {
        assert.deepEqual(reg.requests.filter((q) => decodeURIComponent(q.path).includes(name)), [], `${name} must not be asked`);
      }
    } finally {
      await client.close();
      await reg.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
