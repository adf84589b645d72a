/**
 * The Claude Code plugin (plugin/ and the marketplace entry in .claude-plugin/): its manifests have
 * the documented shape (plugin.json: a kebab-case name, a semver version, `hooks` and `mcpServers`
 * paths that exist; marketplace.json: a name, an owner, plugins whose source holds a plugin.json),
 * and what they wire works: the hook command, run as Claude Code runs it (through a shell, with the
 * documented PreToolUse JSON on stdin), denies a hallucinated install; the MCP server, started as
 * the plugin's .mcp.json says, answers check_packages through the MCP SDK's client.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { REPO_ROOT, SLOPGUARD_BIN } from './tools.js';

const PLUGIN = join(REPO_ROOT, 'plugin');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

let work: string;
let reg: FixtureRegistry;
let env: Record<string, string>;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'sg-plugin-'));
  // `slopguard` on PATH, as the plugin expects.
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'slopguard'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(SLOPGUARD_BIN)} "$@"\n`);
  chmodSync(join(work, 'bin', 'slopguard'), 0o755);
  reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 40_000_000, repository: 'r' })], missing: { npm: ['lodahs'] } }, { strict: false });
  env = {
    PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`,
    HOME: join(work, 'home'),
    XDG_STATE_HOME: join(work, 'home', 'state'),
    SLOPGUARD_NPM_REGISTRY: `${reg.url}/`,
    SLOPGUARD_NPM_DOWNLOADS_API: reg.url,
    SLOPGUARD_CACHE_DIR: join(work, 'cache'),
  };
  mkdirSync(env.HOME!, { recursive: true });
});
after(async () => {
  await reg?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Claude Code plugin', () => {
  it('plugin.json and marketplace.json have the documented shape, and every path they name exists', () => {
    const manifest = read(join(PLUGIN, '.claude-plugin', 'plugin.json'));
    assert.match(String(manifest.name), /^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'name is kebab-case');
    assert.match(String(manifest.version), /^\d+\.\d+\.\d+$/);
    assert.equal(manifest.version, (read(join(REPO_ROOT, 'package.json')) as { version: string }).version, 'the plugin version is the package version');
    assert.equal(typeof manifest.description, 'string');
    for (const key of ['hooks', 'mcpServers'] as const) {
      const rel = manifest[key];
      assert.ok(typeof rel === 'string' && rel.startsWith('./'), `${key} is a ./ path`);
      assert.ok(existsSync(join(PLUGIN, rel as string)), `${key}: ${rel} exists`);
    }
    const market = read(join(REPO_ROOT, '.claude-plugin', 'marketplace.json'));
    assert.equal(typeof market.name, 'string');
    assert.equal(typeof (market.owner as { name?: unknown }).name, 'string');
    const plugins = market.plugins as Array<{ name: string; source: string }>;
    assert.deepEqual(plugins.map((p) => p.name), [manifest.name]);
    assert.ok(existsSync(join(REPO_ROOT, plugins[0]!.source, '.claude-plugin', 'plugin.json')), 'the marketplace source holds the plugin');
  });

  it('the hook it wires denies a hallucinated install, run as Claude Code runs a command hook', async () => {
    const hooks = read(join(PLUGIN, 'hooks', 'hooks.json')) as { hooks: { PreToolUse: Array<{ matcher: string; hooks: Array<{ type: string; command: string; timeout: number }> }> } };
    const group = hooks.hooks.PreToolUse[0]!;
    assert.match('Bash', new RegExp(`^(?:${group.matcher})$`));
    assert.match('Write', new RegExp(`^(?:${group.matcher})$`));
    const hook = group.hooks[0]!;
    assert.equal(hook.type, 'command');
    const input = JSON.stringify({ session_id: 's', transcript_path: '/t', cwd: work, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm install lodahs' }, tool_use_id: 'toolu_1' });
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // Claude Code runs a command hook through a shell.
      const child = spawn('/bin/sh', ['-c', hook.command], { cwd: work, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });
    assert.equal(out.code, 0, out.stderr);
    const answer = JSON.parse(out.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    assert.equal(answer.hookSpecificOutput.permissionDecision, 'deny');
    assert.match(answer.hookSpecificOutput.permissionDecisionReason, /did you mean `lodash`/);
  });

  it('the MCP server it wires answers check_packages', async () => {
    const servers = (read(join(PLUGIN, '.mcp.json')) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers;
    const server = servers.slopguard!;
    const transport = new StdioClientTransport({ command: server.command, args: server.args, env, cwd: work, stderr: 'pipe' });
    const client = new Client({ name: 'plugin-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const result = (await client.callTool({ name: 'check_packages', arguments: { ecosystem: 'npm', names: ['lodahs', 'express'] } })) as { structuredContent?: { packages?: Array<{ name: string; verdict: string }> } };
      const verdicts = Object.fromEntries((result.structuredContent?.packages ?? []).map((p) => [p.name, p.verdict]));
      assert.deepEqual(verdicts, { lodahs: 'block', express: 'ok' });
    } finally {
      await client.close();
    }
  });
});
