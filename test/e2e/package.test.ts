/**
 * The published package, as users get it: `npm pack` gives a tarball within the size budget that
 * installs (as a project devDependency, and on PATH the way a global install lays it out) and runs
 * check, scan, a hook, the language server and the MCP server from that install, with the data
 * shipped compressed and unpacked on first use.
 *
 * No registry is asked for slopguard's own dependencies: the consumer project's lockfile is built
 * from this repository's (the same versions and integrity hashes `npm ci` put in npm's cache) and
 * installed with `npm ci --offline`. Registry checks go to the loopback fixture registry.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  createProtocolConnection,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { REPO_ROOT, sh, which } from './tools.js';

const NPM = which('npm');
const BUDGET = 25 * 1024 * 1024;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

interface Lock {
  packages: Record<string, { dev?: boolean; version?: string; dependencies?: Record<string, string>; [k: string]: unknown }>;
}

let work: string;
let tarball: string;
let consumer: string;
let globalBin: string;
let reg: FixtureRegistry;
let env: NodeJS.ProcessEnv;

function runBin(bin: string, args: string[], opts: { cwd: string; input?: string }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

describe('the npm package', { skip: NPM ? false : 'npm is not on PATH' }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'sg-package-'));
    // The data is compressed for the package by the prepack script; dist/ is already built by `npm test`.
    assert.equal(sh(process.execPath, ['scripts/pack-data.mjs'], { cwd: REPO_ROOT, env: process.env }).status, 0);
    try {
      const packed = sh(NPM!, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT, env: process.env });
      assert.equal(packed.status, 0, packed.stderr);
      tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
    } finally {
      sh(process.execPath, ['scripts/pack-data.mjs', '--clean'], { cwd: REPO_ROOT, env: process.env });
    }

    // A consumer project with slopguard as a devDependency, its lockfile derived from ours.
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    const ours = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lock;
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; engines: Record<string, string> };
    const spec = `file:${tarball}`;
    const packages: Lock['packages'] = {
      '': { name: 'consumer', devDependencies: { slopguard: spec } },
      'node_modules/slopguard': { version: pkg.version, resolved: spec, dev: true, dependencies: pkg.dependencies, engines: pkg.engines, bin: { slopguard: 'bin/slopguard.js' } },
    };
    for (const [path, entry] of Object.entries(ours.packages)) {
      if (path === '' || entry.dev || !path.startsWith('node_modules/')) continue;
      // This machine's lockfiles record no download address; with one, npm takes the tarball from its
      // cache by integrity instead of asking the registry for the package document.
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const resolved = entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
      packages[path] = { ...entry, resolved, dev: true };
    }
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, devDependencies: { slopguard: spec } }, null, 2));
    writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2));
    const installed = sh(NPM!, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: consumer, env: { ...process.env, npm_config_update_notifier: 'false' } });
    assert.equal(installed.status, 0, `npm ci --offline: ${installed.stderr}`);

    // The layout of a global install: <prefix>/bin/slopguard -> <prefix>/lib/node_modules/slopguard/bin/slopguard.js.
    const prefix = join(work, 'global');
    mkdirSync(join(prefix, 'bin'), { recursive: true });
    mkdirSync(join(prefix, 'lib', 'node_modules'), { recursive: true });
    symlinkSync(join(consumer, 'node_modules', 'slopguard'), join(prefix, 'lib', 'node_modules', 'slopguard'));
    globalBin = join(prefix, 'bin', 'slopguard');
    symlinkSync(join(prefix, 'lib', 'node_modules', 'slopguard', 'bin', 'slopguard.js'), globalBin);

    reg = await startFixtureRegistry(
      { npm: [npmPackage({ name: 'express', created: ago(5000), weeklyDownloads: 40_000_000, repository: 'r' })], missing: { npm: ['lodahs'] } },
      { strict: false },
    );
    const home = join(work, 'home');
    mkdirSync(home);
    env = {
      PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: home,
      XDG_CACHE_HOME: join(home, 'cache'),
      SLOPGUARD_NPM_REGISTRY: `${reg.url}/`,
      SLOPGUARD_NPM_DOWNLOADS_API: reg.url,
      SLOPGUARD_PYPI_URL: reg.url,
      SLOPGUARD_PYPISTATS_API: reg.url,
      NO_COLOR: '1',
    };
  });

  after(async () => {
    await reg?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs within the size budget, with the data compressed and no plain data or tests inside', () => {
    assert.ok(statSync(tarball).size <= BUDGET, `${statSync(tarball).size} bytes > ${BUDGET}`);
    const root = join(consumer, 'node_modules', 'slopguard');
    const data = readdirSync(join(root, 'data')).sort();
    assert.ok(data.includes('npm-popular.bin.br') && data.includes('pypi-names.bin.br') && data.includes('meta.json'), data.join(' '));
    assert.ok(!data.includes('npm-popular.bin'), 'plain data is not shipped');
    assert.ok(!existsSync(join(root, 'dist', 'test')), 'tests are not shipped');
    assert.ok(!existsSync(join(root, 'src')), 'TypeScript sources are not shipped');
  });

  it('runs check from the devDependency (npx --no-install) and from PATH, unpacking the data once', async () => {
    const viaNpx = await runBin(NPM!.replace(/npm$/, 'npx'), ['--no-install', 'slopguard', 'check', 'express', 'lodahs'], { cwd: consumer });
    assert.equal(viaNpx.status, 1, viaNpx.stderr);
    assert.match(viaNpx.stdout, /^OK +npm:express/m);
    assert.match(viaNpx.stdout, /^BLOCK +npm:lodahs/m);
    assert.match(viaNpx.stdout, /did you mean `lodash`/);
    const unpacked = readdirSync(join(env.XDG_CACHE_HOME!, 'slopguard')).filter((d) => d.startsWith('data-'));
    assert.equal(unpacked.length, 1, unpacked.join(' '));
    const onPath = await runBin(globalBin, ['check', 'lodahs'], { cwd: work });
    assert.equal(onPath.status, 1, onPath.stderr);
    assert.match(onPath.stdout, /^BLOCK +npm:lodahs/m);
    const status = await runBin(globalBin, ['data', 'status', '--format', 'json'], { cwd: work });
    assert.equal((JSON.parse(status.stdout) as { origin: string }).origin, 'bundled');
  });

  it('runs scan and the Claude Code hook from the install', async () => {
    const project = join(work, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{ "dependencies": { "express": "^4", "lodahs": "^4" } }\n');
    const scan = await runBin(globalBin, ['scan'], { cwd: project });
    assert.equal(scan.status, 1, scan.stderr);
    assert.match(scan.stdout, /BLOCK +npm:lodahs/);
    const input = JSON.stringify({ hook_event_name: 'PreToolUse', cwd: project, tool_name: 'Bash', tool_input: { command: 'npm install lodahs' } });
    const hook = await runBin(globalBin, ['hook', 'claude'], { cwd: project, input });
    assert.equal(hook.status, 0, hook.stderr);
    assert.equal((JSON.parse(hook.stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'deny');
  });

  it('serves the language server and the MCP server from the install', async () => {
    const project = join(work, 'lsp-project');
    mkdirSync(project, { recursive: true });
    const child = spawn(globalBin, ['lsp'], { cwd: project, env, stdio: 'pipe' });
    try {
      const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
        if (p.diagnostics.length) resolve(p);
      }));
      connection.listen();
      await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: `file://${project}`, capabilities: {} });
      connection.sendNotification('initialized', {});
      const uri = `file://${join(project, 'package.json')}`;
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text: '{\n  "dependencies": {\n    "lodahs": "^4"\n  }\n}\n' } });
      const p = await published;
      assert.equal(p.uri, uri);
      assert.match(String(p.diagnostics[0]!.message), /lodahs/);
      connection.dispose();
    } finally {
      child.kill();
    }

    const transport = new StdioClientTransport({ command: globalBin, args: ['mcp'], env: env as Record<string, string>, cwd: project, stderr: 'pipe' });
    const client = new Client({ name: 'package-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      assert.ok(tools.tools.some((t) => t.name === 'check_packages'), tools.tools.map((t) => t.name).join(' '));
      const result = (await client.callTool({ name: 'check_packages', arguments: { ecosystem: 'npm', names: ['lodahs'] } })) as { structuredContent?: { packages?: Array<{ name: string; verdict: string }> } };
      assert.equal(result.structuredContent?.packages?.find((x) => x.name === 'lodahs')?.verdict, 'block');
    } finally {
      await client.close();
    }
  });
});
