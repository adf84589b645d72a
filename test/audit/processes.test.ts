import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest, ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { SLOPGUARD_BIN, slopguard } from '../e2e/tools.js';
import { startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { startServe } from '../helpers/serve.js';
import { startLsp } from '../lsp/client.js';

/**
 * The audit log written by real processes (bin/slopguard.js): twenty at once appending to one
 * file, rotation while they do, the wrapper around a fake package manager, and the long-lived
 * doors (MCP over the SDK client, LSP over a real client, serve over HTTP).
 */

interface Line {
  door: string;
  decision: string;
  id: string;
  mode: string;
  exit?: number;
  what?: string;
  status?: number;
  command?: string[];
  overriddenBy?: string[];
  packages: Array<{ name: string; verdict: string; codes: string[] }>;
}

let reg: DoorRegistry;
let dir: string;
let home: string;
before(async () => {
  reg = await startDoorRegistry();
  dir = mkdtempSync(join(tmpdir(), 'slopguard-audit-proc-'));
  home = join(dir, 'home');
  mkdirSync(home);
});
after(async () => {
  await reg.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', SLOPGUARD_SYSTEM_CONFIG: join(dir, 'no-system.json'), ...reg.env, ...extra });

/** Every line of the file parsed; a torn or interleaved line fails JSON.parse here. */
function lines(path: string): Line[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'the file ends with a whole line');
  return text.split('\n').filter(Boolean).map((l, i) => {
    try {
      return JSON.parse(l) as Line;
    } catch {
      throw new Error(`line ${i + 1} of ${path} is not one JSON object: ${l.slice(0, 200)}`);
    }
  });
}

describe('audit log from concurrent processes', { timeout: 120_000 }, () => {
  it('20 processes appending to one file: exactly one parseable line each, none lost or interleaved', async () => {
    const log = join(dir, 'shared.jsonl');
    const names = ['lodahs', 'lodash', 'expresss', 'express'];
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => slopguard(['check', names[i % 4]!, '--audit-log', log], { cwd: dir, env: env() })));
    for (const r of runs) assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.doesNotMatch(runs.map((r) => r.stderr).join(''), /cannot write the audit log/);
    const got = lines(log);
    assert.equal(got.length, 20);
    assert.equal(new Set(got.map((l) => l.id)).size, 20, 'one record per process');
    const byName = (n: string) => got.filter((l) => l.packages[0]?.name === n);
    for (const n of names) assert.equal(byName(n).length, 5, n);
    assert.ok(byName('lodahs').every((l) => l.decision === 'refused' && l.exit === 1));
    assert.ok(byName('lodash').every((l) => l.decision === 'allowed' && l.exit === 0));
  });

  it('rotation by size while 20 processes append loses no line: the file and its .1 hold all 20', async () => {
    // One line's size first, so the limit lets exactly one rotation happen (the one `.1` is kept).
    const probe = join(dir, 'rotatP.jsonl');
    const log = join(dir, 'rotate.jsonl');
    assert.equal(probe.length, log.length, 'same path length, same line length');
    const config = join(dir, 'rotate-config.json');
    writeFileSync(config, '{}');
    await slopguard(['check', 'lodash', '--config', config, '--audit-log', probe], { cwd: dir, env: env() });
    const size = readFileSync(probe).length;
    writeFileSync(config, JSON.stringify({ auditLogMaxBytes: Math.floor(size * 10.5) }));
    const runs = await Promise.all(Array.from({ length: 20 }, () => slopguard(['check', 'lodash', '--config', config, '--audit-log', log], { cwd: dir, env: env() })));
    for (const r of runs) assert.equal(r.status, 0, r.stderr);
    const current = lines(log);
    const rotated = lines(`${log}.1`);
    assert.ok(rotated.length >= 10, `rotated once (${rotated.length} lines in .1)`);
    assert.ok(current.length >= 1, 'the new file took the rest');
    assert.equal(current.length + rotated.length, 20);
    assert.equal(new Set([...current, ...rotated].map((l) => l.id)).size, 20);
    assert.equal(existsSync(`${log}.lock`), false, 'no lock left behind');
  });
});

describe('audit log writer: many processes at the rotation threshold at once', { timeout: 120_000 }, () => {
  it('8 processes x 200 lines, one rotation: every line kept exactly once, none torn', async () => {
    const log = join(dir, 'stress.jsonl');
    const writer = pathToFileURL(join(dirname(SLOPGUARD_BIN), '..', 'dist', 'src', 'audit', 'writer.js')).href;
    const lineOf = (p: number, i: number) => JSON.stringify({ p, i, pad: 'x'.repeat(300) });
    const bytes = Buffer.byteLength(lineOf(0, 0)) + 1;
    // Rotated once at 1,000 lines; the 600 after it stay below the limit.
    const maxBytes = bytes * 1000;
    const script = `import { appendLines } from ${JSON.stringify(writer)};
const p = Number(process.argv[1]);
for (let i = 0; i < 200; i++) appendLines(${JSON.stringify(log)}, [JSON.stringify({ p, i, pad: 'x'.repeat(300) })], ${maxBytes});`;
    const codes = await Promise.all(
      Array.from({ length: 8 }, (_, p) => new Promise<number | null>((resolve) => spawn(process.execPath, ['--input-type=module', '-e', script, String(p)], { stdio: 'inherit' }).once('exit', resolve))),
    );
    assert.deepEqual(codes, Array(8).fill(0));
    const all = [...readFileSync(`${log}.1`, 'utf8').split('\n'), ...readFileSync(log, 'utf8').split('\n')].filter(Boolean).map((l) => JSON.parse(l) as { p: number; i: number });
    assert.equal(all.length, 1600);
    assert.equal(new Set(all.map((r) => `${r.p}:${r.i}`)).size, 1600);
    assert.ok(readFileSync(`${log}.1`).length >= maxBytes, 'the rotated file was full');
    void lineOf;
  });
});

describe('audit log: the wrapper (a fake npm on PATH)', { timeout: 60_000 }, () => {
  const fake = (d: string, toolLog: string) => {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'npm'), `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(toolLog)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
    chmodSync(join(d, 'npm'), 0o755);
  };
  const cases: Array<{ label: string; args: string[]; env?: Record<string, string>; exit: number; ran: boolean; decision: string; by?: string }> = [
    { label: 'a blocked name is refused', args: ['install', 'lodahs'], exit: 1, ran: false, decision: 'refused' },
    { label: 'a fine name is allowed', args: ['install', 'lodash'], exit: 0, ran: true, decision: 'allowed' },
    { label: '--slopguard-allow overrides', args: ['install', 'lodahs', '--slopguard-allow', 'lodahs'], exit: 0, ran: true, decision: 'overridden', by: '--slopguard-allow' },
    { label: 'SLOPGUARD_ALLOW overrides', args: ['install', 'lodahs'], env: { SLOPGUARD_ALLOW: 'lodahs' }, exit: 0, ran: true, decision: 'overridden', by: 'SLOPGUARD_ALLOW' },
    { label: 'monitor mode runs the tool and logs monitored', args: ['install', 'lodahs'], env: { SLOPGUARD_MODE: 'monitor' }, exit: 0, ran: true, decision: 'monitored' },
  ];
  let i = 0;
  for (const c of cases) {
    it(c.label, async () => {
      const k = ++i;
      const d = join(dir, `wrap-${k}`);
      const toolLog = join(d, 'tool.log');
      fake(join(d, 'bin'), toolLog);
      const log = join(d, 'audit.jsonl');
      const r = await slopguard(['npm', ...c.args], { cwd: d, env: env({ PATH: `${join(d, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, SLOPGUARD_AUDIT_LOG: log, ...c.env }) });
      assert.equal(r.status, c.exit, r.stderr);
      assert.equal(existsSync(toolLog), c.ran, r.stderr);
      const got = lines(log);
      assert.equal(got.length, 1, JSON.stringify(got));
      assert.equal(got[0]!.door, 'wrap');
      assert.equal(got[0]!.decision, c.decision);
      assert.deepEqual(got[0]!.command?.slice(0, 3), ['npm', ...c.args.slice(0, 2)]);
      if (c.by) assert.deepEqual(got[0]!.overriddenBy, [c.by]);
      if (c.decision === 'monitored') assert.match(r.stderr, /MONITOR MODE/);
    });
  }
});

describe('audit log: MCP, LSP and serve', { timeout: 60_000 }, () => {
  it('MCP: one line per tool call', async () => {
    const log = join(dir, 'mcp.jsonl');
    const transport = new StdioClientTransport({ command: process.execPath, args: [SLOPGUARD_BIN, 'mcp', '--audit-log', log], env: env() as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'slopguard-audit-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      await client.callTool({ name: 'check_packages', arguments: { ecosystem: 'npm', names: ['lodahs'] } });
      await client.callTool({ name: 'check_text', arguments: { text: 'npm install lodash' } });
    } finally {
      await client.close();
    }
    const got = lines(log);
    assert.deepEqual(got.map((l) => [l.door, l.decision, l.packages.map((p) => p.name).join()]), [
      ['mcp', 'refused', 'lodahs'],
      ['mcp', 'allowed', 'lodash'],
    ]);
  });

  it('LSP: one line per document check', async () => {
    const log = join(dir, 'lsp.jsonl');
    const project = join(dir, 'lsp-project');
    mkdirSync(project, { recursive: true });
    const s = startLsp(['--audit-log', log], env() as Record<string, string>);
    try {
      await s.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(project).href, capabilities: {}, initializationOptions: { debounceMs: 10 }, workspaceFolders: null });
      await s.connection.sendNotification(InitializedNotification.type, {});
      const uri = pathToFileURL(join(project, 'package.json')).href;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: JSON.stringify({ name: 'app', dependencies: { lodahs: '^1.0.0' } }, null, 2) } });
      await s.diagnostics(uri, (p) => p.version === 1);
      // The record is written just after the diagnostics go out.
      for (let t = 0; t < 100 && lines(log).length === 0; t++) await new Promise((r) => setTimeout(r, 20));
      await s.connection.sendRequest(ShutdownRequest.type);
      await s.connection.sendNotification(ExitNotification.type);
      await s.exited;
    } finally {
      s.connection.dispose();
      s.child.kill();
    }
    const got = lines(log);
    assert.equal(got.length, 1, s.stderr());
    assert.deepEqual([got[0]!.door, got[0]!.decision, got[0]!.packages[0]!.name], ['lsp', 'refused', 'lodahs']);
  });

  for (const target of ['file', 'serve log'] as const) {
    it(`serve: one line per judged package request (${target})`, async () => {
      const log = join(dir, `serve-${target.replace(' ', '-')}.jsonl`);
      const serve = await startServe(['--audit-log', target === 'file' ? log : '-'], env());
      const { url } = serve;
      const refused = await fetch(`${url}/npm/lodahs`);
      await refused.arrayBuffer();
      const served = await fetch(`${url}/npm/lodash`);
      await served.arrayBuffer();
      assert.equal(served.status, 200);
      assert.equal(await serve.stop(), 0, serve.stderr());
      const got = target === 'file' ? lines(log) : serve.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
      assert.deepEqual(got.map((l) => [l.door, l.decision, l.packages[0]!.name, l.status]), [
        ['serve', 'refused', 'lodahs', refused.status],
        ['serve', 'allowed', 'lodash', 200],
      ]);
      assert.ok(refused.status >= 400);
    });
  }

  it('serve --monitor: a blocked name is not refused for being judged bad, and is logged as monitored', async () => {
    const log = join(dir, 'serve-monitor.jsonl');
    const serve = await startServe(['--monitor', '--audit-log', log], env());
    const { url } = serve;
    const r = await fetch(`${url}/npm/fresh-helper-kit`);
    await r.arrayBuffer();
    const missing = await fetch(`${url}/npm/lodahs`);
    const body = await missing.text();
    assert.equal(await serve.stop(), 0, serve.stderr());
    assert.equal(r.status, 200);
    assert.notEqual(missing.status, 403, body);
    const got = lines(log);
    assert.deepEqual(got.map((l) => [l.decision, l.mode, l.packages[0]!.name]), [
      ['allowed', 'monitor', 'fresh-helper-kit'],
      ['monitored', 'monitor', 'lodahs'],
    ]);
  });
});
