import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';

const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));

interface ToolResult {
  verdict: string;
  summary: { checked: number; ok: number; warn: number; block: number; unknown: number };
  packages: Array<{ ecosystem: string; name: string; verdict: string; reason: string; suggestion?: string; findings: Array<{ code: string }>; facts?: { status: string; created?: string } }>;
  notes: Array<{ level: string; code: string; message: string }>;
}

let reg: DoorRegistry;
let home: string;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';

before(async () => {
  reg = await startDoorRegistry();
  home = mkdtempSync(join(tmpdir(), 'slopguard-mcp-home-'));
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp'],
    env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...reg.env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
  client = new Client({ name: 'slopguard-test', version: '1.0.0' });
  await client.connect(transport);
});
after(async () => {
  await client.close();
  await reg.close();
  rmSync(home, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<{ structured: ToolResult; text: string; isError?: boolean }> {
  const r = await client.callTool({ name, arguments: args });
  const content = r.content as Array<{ type: string; text: string }>;
  return { structured: r.structuredContent as unknown as ToolResult, text: content.map((c) => c.text).join('\n'), isError: r.isError as boolean | undefined };
}

describe('slopguard mcp, driven by the MCP SDK client over stdio', () => {
  it('lists both tools with input and output schemas, read-only', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()].sort(), ['check_mcp_server', 'check_packages', 'check_text']);
    const cp = byName.get('check_packages')!;
    assert.deepEqual(cp.inputSchema.required?.sort(), ['ecosystem', 'names']);
    assert.ok(cp.outputSchema, 'structured output is declared');
    assert.deepEqual((cp.outputSchema!.properties as Record<string, unknown>).verdict !== undefined, true);
    assert.equal(cp.annotations?.readOnlyHint, true);
    assert.match(cp.description ?? '', /before/);
    assert.deepEqual(byName.get('check_text')!.inputSchema.required, ['text']);
  });

  it('check_packages: verdicts, reasons and the name probably meant', async () => {
    const r = await call('check_packages', { ecosystem: 'npm', names: ['lodahs', 'express', 'pypi:reqeusts', 'fresh-helper-kit@1'] });
    assert.equal(r.isError, undefined);
    const s = r.structured;
    assert.equal(s.verdict, 'block');
    assert.deepEqual(s.summary, { checked: 4, ok: 1, warn: 1, block: 2, unknown: 0 });
    const by = new Map(s.packages.map((p) => [`${p.ecosystem}:${p.name}`, p]));
    assert.equal(by.get('npm:lodahs')?.verdict, 'block');
    assert.equal(by.get('npm:lodahs')?.suggestion, 'lodash');
    assert.match(by.get('npm:lodahs')!.reason, /`lodahs` does not exist on npm; did you mean `lodash`\?/);
    assert.equal(by.get('pypi:reqeusts')?.suggestion, 'requests');
    assert.equal(by.get('npm:express')?.verdict, 'ok');
    assert.equal(by.get('npm:express')?.facts?.created?.slice(0, 10), '2010-12-29');
    assert.equal(by.get('npm:fresh-helper-kit')?.verdict, 'warn');
    assert.match(r.text, /^4 checked: 2 block, 0 unknown, 1 warn, 1 ok/);
    assert.match(r.text, /BLOCK npm:lodahs: `lodahs` does not exist on npm/);
  });

  it('check_packages: invalid names are notes, not lookups', async () => {
    reg.registry.clearRequests();
    const r = await call('check_packages', { ecosystem: 'npm', names: ['../../etc/passwd'] });
    assert.equal(r.structured.summary.checked, 0);
    assert.equal(r.structured.notes[0]?.code, 'invalid-name');
    assert.equal(reg.registry.requests.length, 0);
  });

  it('check_packages: a name that could not be read is never answered "ok"', async () => {
    const r = await call('check_packages', { ecosystem: 'npm', names: ['Bad Name!', 'express'] });
    assert.equal(r.structured.verdict, 'unknown');
    assert.equal(r.structured.notes[0]?.code, 'invalid-name');
    const lodahs = await call('check_packages', { ecosystem: 'npm', names: ['Bad Name!', 'lodahs'] });
    assert.equal(lodahs.structured.verdict, 'block', 'a blocked name still dominates');
  });

  it('check_packages: arguments outside the schema are refused by the server', async () => {
    const r = await client.callTool({ name: 'check_packages', arguments: { ecosystem: 'cargo', names: ['serde'] } });
    assert.equal(r.isError, true);
  });

  it('check_text: install commands and imports in an answer', async () => {
    const answer = 'Install it with:\n\n```bash\npip install reqeusts\n```\n\nthen `npm i express`.\n';
    const r = await call('check_text', { text: answer });
    const names = r.structured.packages.map((p) => `${p.ecosystem}:${p.name}:${p.verdict}`).sort();
    assert.deepEqual(names, ['npm:express:ok', 'pypi:reqeusts:block']);
  });

  it('check_text: what the shell would run (a heredoc fed to bash, a requirements file the snippet writes)', async () => {
    const snippet = "```sh\nbash <<'SH'\nnpm install lodahs\nSH\ncat > requirements.txt <<EOF\nrequests\nreqeusts\nEOF\npip install -r requirements.txt\n```\n";
    const r = await call('check_text', { text: snippet });
    const names = r.structured.packages.map((p) => `${p.ecosystem}:${p.name}:${p.verdict}`).sort();
    assert.deepEqual(names, ['npm:lodahs:block', 'pypi:reqeusts:block', 'pypi:requests:ok']);
  });

  it('check_text: a diff is read as a diff, judging only what it adds', async () => {
    const diff = [
      'diff --git a/package.json b/package.json',
      '--- a/package.json',
      '+++ b/package.json',
      '@@ -1,5 +1,6 @@',
      ' {',
      '   "dependencies": {',
      '-    "express": "^4.18.0"',
      '+    "express": "^4.19.0",',
      '+    "expresss": "^1.0.0"',
      '   }',
      ' }',
      '',
    ].join('\n');
    const r = await call('check_text', { text: diff });
    assert.deepEqual(
      r.structured.packages.map((p) => [p.name, p.verdict, p.suggestion]),
      [['expresss', 'block', 'express']],
    );
  });

  it('stdout stayed clean for the protocol (every answer parsed) and nothing went wrong on stderr', () => {
    assert.doesNotMatch(stderr, /error/i);
    reg.registry.assertNoUnexpectedRequests();
  });
});

describe('slopguard mcp: check_mcp_server, before a server or a skill is added', () => {
  it('a server entry started with npx -y <hallucinated name> is blocked; a good one is ok', async () => {
    const bad = await call('check_mcp_server', { command: 'npx', args: ['-y', 'lodahs'] });
    assert.equal(bad.structured.verdict, 'block');
    assert.equal(bad.structured.packages[0]?.name, 'lodahs');
    const good = await call('check_mcp_server', { command: 'npx', args: ['-y', 'express'] });
    assert.equal(good.structured.verdict, 'ok');
  });

  it('a whole MCP config, and a skill that tells the agent to install a squat', async () => {
    const config = await call('check_mcp_server', { config: JSON.stringify({ mcpServers: { a: { command: 'npx', args: ['-y', 'lodahs'] }, b: { command: 'node', args: ['server.js'] } } }) });
    assert.deepEqual(config.structured.packages.map((p) => `${p.name}:${p.verdict}`), ['lodahs:block']);
    const skill = await call('check_mcp_server', { skill: '# Setup\n\nRun `npm install lodahs` first.\n' });
    assert.deepEqual(skill.structured.packages.map((p) => `${p.name}:${p.verdict}`), ['lodahs:block']);
  });

  it('input errors are tool errors that name what is wrong (the SDK reports a handler\'s invalid-params error as isError)', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /exactly one of `command`/],
      [{ command: 'npx', skill: '# x' }, /exactly one of/],
      [{ args: ['-y', 'x'], config: '{}' }, /`args` needs `command`/],
      [{ config: '{ not json' }, /`config` is not JSON/],
      [{ command: 42 }, /command/],
    ];
    for (const [args, why] of cases) {
      const r = await client.callTool({ name: 'check_mcp_server', arguments: args });
      assert.equal(r.isError, true, JSON.stringify(args));
      const text = (r.content as Array<{ text: string }>).map((c) => c.text).join('\n');
      assert.match(text, why, JSON.stringify(args));
    }
  });
});

describe('slopguard mcp: check_packages gives the CLI\'s verdicts', () => {
  it('the same names, registry and clock: the same verdicts and finding codes as `slopguard check --format json`', async () => {
    const { run } = await import('../../src/cli/run.js');
    const { testIo } = await import('../helpers/io.js');
    const names = ['lodahs', 'express', 'fresh-helper-kit', 'pypi:reqeusts'];
    const mcp = await call('check_packages', { ecosystem: 'npm', names });
    const t = testIo({ env: { HOME: home, ...reg.env } });
    await run(['check', '--format', 'json', ...names], t.io);
    const cli = JSON.parse(t.out()) as { packages: Array<{ ecosystem: string; name: string; verdict: string; findings: Array<{ code: string }> }> };
    const shape = (ps: Array<{ ecosystem: string; name: string; verdict: string; findings: Array<{ code: string }> }>) => ps.map((p) => `${p.ecosystem}:${p.name}:${p.verdict}:${p.findings.map((f) => f.code).join(',')}`).sort();
    assert.deepEqual(shape(mcp.structured.packages), shape(cli.packages));
  });
});
