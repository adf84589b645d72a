/**
 * MCP server configs as sources: fixtures written from each product's documentation (Claude
 * Code's .mcp.json, Claude Desktop's config, Cursor's, VS Code's, Gemini CLI's settings).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { extractDocument, findExtractor } from '../../src/extractors/index.js';
import { extractFixture, fixtureLines } from './helpers.js';

/** `ecosystem:name @line:column` of each ref. */
function located(format: string, kase: string, file: string): string[] {
  return extractFixture(format, kase, file).refs.map((r) => `${r.ecosystem}:${r.name} @${r.origin?.line}:${r.origin?.column}`);
}

describe('mcp-json extractor', () => {
  it('matches the config files by their place, not any settings.json or mcp.json', () => {
    for (const p of ['.mcp.json', 'app/.mcp.json', 'claude_desktop_config.json', '.cursor/mcp.json', '.vscode/mcp.json', '.gemini/settings.json', 'C:\\Users\\me\\.gemini\\settings.json']) {
      assert.equal(findExtractor(p)?.id, 'mcp-json', p);
    }
    for (const p of ['mcp.json', '.vscode/settings.json', 'settings.json', 'config/mcp.json']) assert.notEqual(findExtractor(p)?.id, 'mcp-json', p);
  });

  const cases: Array<[string, string, string[]]> = [
    ['claude-code', '.mcp.json', ['npm:@modelcontextprotocol/server-filesystem @5:23']],
    ['claude-desktop', 'claude_desktop_config.json', ['npm:@modelcontextprotocol/server-filesystem @7:10', 'pypi:mcp-server-fetch @14:17']],
    ['cursor', '.cursor/mcp.json', ['npm:mcp-server @5:23', 'pypi:mcp-server-time @12:24']],
    ['vscode', '.vscode/mcp.json', ['npm:@modelcontextprotocol/server-github @10:23', 'npm:@modelcontextprotocol/server-memory @14:26']],
    ['gemini', '.gemini/settings.json', ['pypi:mcp-server-git @19:17']],
  ];
  for (const [kase, file, want] of cases) {
    it(`${kase}: every server the config starts from a registry, at its argument`, () => {
      assert.deepEqual(located('mcp-json', kase, file), want);
      // The location is the package's own text on that line.
      const lines = fixtureLines('mcp-json', kase, file);
      for (const r of extractFixture('mcp-json', kase, file).refs) {
        assert.equal(lines[r.origin!.line! - 1]!.slice(r.origin!.column! - 1, r.origin!.endColumn! - 1), r.name);
      }
    });
  }

  it('one-package, empty and malformed cases', () => {
    assert.deepEqual(located('mcp-json', 'one-package', '.mcp.json'), ['npm:@upstash/context7-mcp @5:23']);
    const empty = extractFixture('mcp-json', 'empty', '.mcp.json');
    assert.deepEqual([empty.refs, empty.notes], [[], []]);
    const bad = extractFixture('mcp-json', 'malformed', '.mcp.json');
    assert.equal(bad.notes[0]?.code, 'malformed');
    assert.equal(bad.notes[0]?.level, 'error');
  });

  it('local scripts, python -m of a local module and docker images are not packages; a non-string argument is a located error', () => {
    const r = extractFixture('mcp-json', 'gemini', '.gemini/settings.json');
    assert.ok(!r.refs.some((x) => ['my_mcp_server', 'dist/server.js', 'ghcr.io/foo/bar'].includes(x.name)));
    const bad = r.notes.filter((n) => n.code === 'malformed');
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.level, 'error');
    assert.equal(bad[0]!.origin?.line, 23);
    assert.match(bad[0]!.message, /"mcpServers\.broken\.args" should hold only strings, found a number; this server's command was not checked/);
  });

  it('a file that is not JSON, or servers of the wrong shape, are located malformed errors, never an empty result', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"mcpServers": {"x": {"command": "npx", ', /\.mcp\.json is not valid JSON/],
      ['{"mcpServers": []}', /"mcpServers" should be an object of MCP servers, found an array/],
      ['{"mcpServers": {"x": "npx -y thing"}}', /"mcpServers\.x" should be an object/],
      ['{"mcpServers": {"x": {"command": ["npx"]}}}', /"mcpServers\.x\.command" should be a string/],
      ['{"mcpServers": {"x": {"command": "npx", "args": "-y thing"}}}', /"mcpServers\.x\.args" should be an array of strings/],
    ];
    for (const [text, message] of cases) {
      const r = extractDocument({ path: '.mcp.json', text });
      assert.equal(r.refs.length, 0, text);
      const err = r.notes.find((n) => n.level === 'error' && n.code === 'malformed');
      assert.ok(err, text);
      assert.match(err.message, message);
      assert.equal(err.origin?.line, 1);
    }
  });
});

describe('mcp-codex-toml extractor', () => {
  const codex = (kase: string) => extractFixture('mcp-codex-toml', kase, '.codex/config.toml');

  it('reads [mcp_servers.<name>] command and args, each package at its string', () => {
    assert.deepEqual(located('mcp-codex-toml', 'docs', '.codex/config.toml'), ['npm:@upstash/context7-mcp @5:16', 'pypi:mcp-server-fetch @13:10']);
    assert.deepEqual(located('mcp-codex-toml', 'one-package', '.codex/config.toml'), ['npm:@upstash/context7-mcp @3:16']);
    assert.equal(findExtractor('/home/me/.codex/config.toml')?.id, 'mcp-codex-toml');
    assert.notEqual(findExtractor('config.toml')?.id, 'mcp-codex-toml');
  });

  it('an empty config has nothing; a broken one, or a server whose args are not strings, is a located error', () => {
    assert.deepEqual([codex('empty').refs, codex('empty').notes], [[], []]);
    assert.equal(codex('malformed').notes[0]?.code, 'malformed');
    const broken = codex('docs').notes.filter((n) => n.code === 'malformed');
    assert.equal(broken.length, 1);
    assert.equal(broken[0]!.origin.line, 21);
    assert.match(broken[0]!.message, /"mcp_servers\.broken" should have a string "command" and an "args" array of strings/);
  });
});

describe('MCP server configs through scan and diff', () => {
  let reg: DoorRegistry;
  let dir: string;
  before(async () => {
    reg = await startDoorRegistry();
    dir = mkdtempSync(join(tmpdir(), 'slopguard-mcp-'));
  });
  after(async () => {
    await reg.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sg = async (argv: string[], stdin?: string) => {
    const t = testIo({ env: reg.env, cwd: dir, now: NOW, ...(stdin === undefined ? {} : { stdin }) });
    const code = await run(argv, t.io);
    return { code, out: t.out(), err: t.err() };
  };

  it('scan finds an npx squat in .mcp.json and .cursor/mcp.json, with the file and line', async () => {
    mkdirSync(join(dir, '.cursor'), { recursive: true });
    writeFileSync(join(dir, '.mcp.json'), '{\n  "mcpServers": {\n    "helper": { "command": "npx", "args": ["-y", "lodahs"] }\n  }\n}\n');
    writeFileSync(join(dir, '.cursor', 'mcp.json'), '{"mcpServers": {"web": {"command": "npx", "args": ["-y", "express@4"]}}}\n');
    const r = await sg(['scan', '.', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const report = JSON.parse(r.out);
    const names = report.packages.map((p: { name: string; verdict: string }) => `${p.name}:${p.verdict}`).sort();
    assert.deepEqual(names, ['express:ok', 'lodahs:block']);
    assert.match(r.out, /\.mcp\.json/);
    const text = await sg(['scan', '.']);
    assert.match(text.out, /at \.mcp\.json:3:51/);
  });

  it('a hunk-only diff of Codex\'s config.toml judges the server it adds', async () => {
    const diff = ['diff --git a/.codex/config.toml b/.codex/config.toml', '--- a/.codex/config.toml', '+++ b/.codex/config.toml', '@@ -4,2 +4,6 @@', ' command = "npx"', ' args = ["-y", "lodash"]', '+', '+[mcp_servers.helper]', '+command = "npx"', '+args = ["-y", "lodahs"]', ''].join('\n');
    const r = await sg(['diff', '-', '--format', 'json'], diff);
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(JSON.parse(r.out).packages.map((p: { name: string; verdict: string }) => `${p.name}:${p.verdict}`), ['lodahs:block']);
  });

  it('a hunk-only diff of an MCP config judges the servers it adds, not the ones already there', async () => {
    const diff = [
      'diff --git a/.mcp.json b/.mcp.json',
      '--- a/.mcp.json',
      '+++ b/.mcp.json',
      '@@ -10,6 +10,10 @@',
      '     "filesystem": {',
      '       "command": "npx",',
      '       "args": ["-y", "lodash"]',
      '     },',
      '+    "fetch": {',
      '+      "command": "uvx",',
      '+      "args": ["reqeusts"]',
      '+    },',
      '+    "helper": {',
      '+      "command": "npx",',
      '+      "args": [',
      '+        "-y",',
      '+        "expresss"',
      '+      ]',
      '+    },',
      '     "remote": { "url": "https://example.com/mcp" }',
      '   }',
      ' }',
      '',
    ].join('\n');
    reg.registry.clearRequests();
    const r = await sg(['diff', '-', '--format', 'json'], diff);
    assert.equal(r.code, 1, r.err);
    const report = JSON.parse(r.out);
    const got = report.packages.map((p: { ecosystem: string; name: string; verdict: string }) => `${p.ecosystem}:${p.name}:${p.verdict}`).sort();
    assert.deepEqual(got, ['npm:expresss:block', 'pypi:reqeusts:block']);
    assert.equal(reg.registry.count((q) => q.path.includes('lodash')), 0, 'lodash was there before the change');
  });
});
