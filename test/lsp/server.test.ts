import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { npmPackage } from '../fixture-registry/server.js';
import { doorFixtures, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { startLsp, type LspSession } from './client.js';

const PACKAGE_JSON = `{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "express": "^4.19.0",
    "loadsh": "^4.17.21",
    "left-pad-but-hallucinated": "^1.0.0"
  }
}
`;

let reg: DoorRegistry;
let home: string;
let project: string;

before(async () => {
  const fixtures = doorFixtures();
  // A real package imitating lodash: young, barely used.
  fixtures.npm!.push(npmPackage({ name: 'loadsh', created: '2026-09-01', weeklyDownloads: 40 }));
  fixtures.missing!.npm!.push('left-pad-but-hallucinated');
  reg = await startDoorRegistry(fixtures);
  home = mkdtempSync(join(tmpdir(), 'slopguard-lsp-home-'));
  project = mkdtempSync(join(tmpdir(), 'slopguard-lsp-project-'));
});
after(async () => {
  await reg.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...reg.env };
}

async function initialize(s: LspSession, debounceMs = 50): Promise<void> {
  const init = await s.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(project).href,
    capabilities: {},
    initializationOptions: { debounceMs },
    workspaceFolders: null,
  });
  assert.equal(init.serverInfo?.name, 'slopguard');
  assert.ok(init.capabilities.hoverProvider);
  await s.connection.sendNotification(InitializedNotification.type, {});
}

async function stop(s: LspSession): Promise<number | null> {
  await s.connection.sendRequest(ShutdownRequest.type);
  await s.connection.sendNotification(ExitNotification.type);
  const code = await s.exited;
  s.connection.dispose();
  return code;
}

/** The range of the first occurrence of `"name"` (inside the quotes) in `text`. */
function rangeOfName(text: string, name: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(`"${name}"`));
  const character = lines[line]!.indexOf(`"${name}"`) + 1;
  return { start: { line, character }, end: { line, character: character + name.length } };
}

const byName = (diags: Diagnostic[], name: string) => diags.find((d) => (d.data as { name?: string } | undefined)?.name === name);

describe('slopguard lsp, driven by a real client over stdio', { timeout: 30_000 }, () => {
  it('diagnoses a typo and a missing name at their exact ranges, fixes, re-checks on change, hovers, exits cleanly', async () => {
    const s = startLsp([], env());
    try {
      await initialize(s);
      const uri = pathToFileURL(join(project, 'package.json')).href;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: PACKAGE_JSON } });

      const first = await s.diagnostics(uri, (p) => p.version === 1);
      assert.equal(first.diagnostics.length, 2, JSON.stringify(first.diagnostics));
      const typo = byName(first.diagnostics, 'loadsh')!;
      const missing = byName(first.diagnostics, 'left-pad-but-hallucinated')!;
      assert.deepEqual(typo.range, rangeOfName(PACKAGE_JSON, 'loadsh'));
      assert.deepEqual(missing.range, rangeOfName(PACKAGE_JSON, 'left-pad-but-hallucinated'));
      assert.equal(typo.severity, DiagnosticSeverity.Error);
      assert.equal(missing.severity, DiagnosticSeverity.Error);
      assert.equal(typo.source, 'slopguard');
      assert.equal(typo.code, 'typo');
      assert.equal(missing.code, 'not-found');
      assert.match(typo.message as string, /`loadsh` looks like the popular npm package `lodash`/);
      assert.match(missing.message as string, /`left-pad-but-hallucinated` does not exist on npm/);

      // The quick fix replaces exactly the name.
      const actions = (await s.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: typo.range,
        context: { diagnostics: [typo, missing] },
      })) as CodeAction[];
      assert.equal(actions.length, 1, 'only the typo has a suggestion');
      assert.equal(actions[0]!.title, 'Replace with `lodash`');
      assert.equal(actions[0]!.kind, 'quickfix');
      assert.equal(actions[0]!.isPreferred, true);
      assert.deepEqual(actions[0]!.edit?.changes?.[uri], [{ range: typo.range, newText: 'lodash' }]);

      // Hover shows the facts behind a fine package.
      const hover = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 8 } });
      const md: string = (hover?.contents as MarkupContent).value;
      assert.match(md, /\*\*express\*\* \(npm\): looks fine/);
      assert.match(md, /first published 2010-12-29/);
      assert.match(md, /[\d,]+ downloads last week/);
      assert.match(md, /repository: https:\/\/github.com\/expressjs\/express/);

      // Apply the fix as an editor would (an incremental change); one diagnostic is left.
      await s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: typo.range, text: 'lodash' }],
      });
      const second = await s.diagnostics(uri, (p) => p.version === 2);
      assert.equal(second.diagnostics.length, 1);
      assert.equal(byName(second.diagnostics, 'left-pad-but-hallucinated')?.code, 'not-found');

      assert.equal(await stop(s), 0);
      assert.doesNotMatch(s.stderr(), /error/i);
      reg.registry.assertNoUnexpectedRequests();
    } finally {
      s.child.kill();
    }
  });

  it('requirements.txt: a PyPI typo with its suggestion; only the changed document is re-checked; close clears', async () => {
    const s = startLsp([], env());
    try {
      await initialize(s);
      const req = pathToFileURL(join(project, 'requirements.txt')).href;
      const pkg = pathToFileURL(join(project, 'sub', 'package.json')).href;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: req, languageId: 'pip-requirements', version: 1, text: 'requests==2.32.3\nreqeusts>=2.0  # typo\n' } });
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pkg, languageId: 'json', version: 1, text: '{"dependencies": {"express": "4"}}' } });
      const r1 = await s.diagnostics(req, (p) => p.version === 1);
      await s.diagnostics(pkg, (p) => p.version === 1);
      assert.equal(r1.diagnostics.length, 1);
      assert.deepEqual(r1.diagnostics[0]!.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } });
      assert.equal((r1.diagnostics[0]!.data as { suggestion?: string }).suggestion, 'requests');

      await s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: req, version: 2 }, contentChanges: [{ text: 'requests==2.32.3\n' }] });
      const r2 = await s.diagnostics(req, (p) => p.version === 2);
      assert.deepEqual(r2.diagnostics, []);
      assert.equal(s.published.filter((p) => p.uri === pkg).length, 1, 'the unchanged package.json was not re-checked');

      await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pkg } });
      const closed = await s.diagnostics(pkg, (p) => p.version === undefined);
      assert.deepEqual(closed.diagnostics, []);
      assert.equal(await stop(s), 0);
    } finally {
      s.child.kill();
    }
  });

  it('pyproject.toml and Pipfile: PyPI names at their exact ranges', async () => {
    const s = startLsp([], env());
    try {
      await initialize(s);
      const pyproject = pathToFileURL(join(project, 'svc', 'pyproject.toml')).href;
      const pipfile = pathToFileURL(join(project, 'svc', 'Pipfile')).href;
      const toml = '[project]\nname = "svc"\ndependencies = [\n  "requests>=2",\n  "reqeusts==1.0",\n]\n';
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pyproject, languageId: 'toml', version: 1, text: toml } });
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pipfile, languageId: 'toml', version: 1, text: '[packages]\nrequests = "*"\nreqeusts = "*"\n' } });
      const a = await s.diagnostics(pyproject);
      const b = await s.diagnostics(pipfile);
      assert.deepEqual(a.diagnostics.map((d) => [d.range, d.code]), [[{ start: { line: 4, character: 3 }, end: { line: 4, character: 11 } }, 'not-found']]);
      assert.deepEqual(b.diagnostics.map((d) => [d.range, d.code]), [[{ start: { line: 2, character: 0 }, end: { line: 2, character: 8 } }, 'not-found']]);

      // A name from an included file is that file's: never placed on this document's lines.
      mkdirSync(join(project, 'svc'), { recursive: true });
      writeFileSync(join(project, 'svc', 'base.txt'), 'reqeusts\n');
      const dev = pathToFileURL(join(project, 'svc', 'requirements-dev.txt')).href;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: dev, languageId: 'pip-requirements', version: 1, text: '-r base.txt\nrequests\n' } });
      assert.deepEqual((await s.diagnostics(dev)).diagnostics, []);
      assert.equal(await stop(s), 0);
    } finally {
      s.child.kill();
    }
  });

  it('an include leaving the workspace is refused with a diagnostic on its line, never its content', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'slopguard-lsp-outside-'));
    writeFileSync(join(elsewhere, 'secret.txt'), 'SECRET=ghp_lspPlantedToken0123456789\nreqeusts\n');
    const s = startLsp([], env());
    try {
      await initialize(s);
      mkdirSync(join(project, 'inc'), { recursive: true });
      const uri = pathToFileURL(join(project, 'inc', 'requirements.txt')).href;
      const text = `requests\n-r ${join(elsewhere, 'secret.txt')}\n`;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
      const d = (await s.diagnostics(uri)).diagnostics;
      const refused = d.filter((x) => x.code === 'refused');
      assert.equal(refused.length, 1, JSON.stringify(d));
      assert.equal(refused[0]!.range.start.line, 1);
      assert.match(String(refused[0]!.message), /not read: the included file is outside the repository being checked; the packages it names are not checked/);
      assert.ok(!JSON.stringify(s.published).includes('ghp_lspPlantedToken'), 'no diagnostic carries the outside file');
      assert.equal(await stop(s), 0);
    } finally {
      s.child.kill();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('.mcp.json: a server started with uvx <typo> is diagnosed at its argument', async () => {
    const s = startLsp([], env());
    try {
      await initialize(s);
      const uri = pathToFileURL(join(project, 'mcp', '.mcp.json')).href;
      const text = '{\n  "mcpServers": {\n    "fetch": { "command": "uvx", "args": ["reqeusts"] }\n  }\n}\n';
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text } });
      const d = await s.diagnostics(uri);
      assert.deepEqual(d.diagnostics.map((x) => [x.range, x.code]), [[rangeOfName(text, 'reqeusts'), 'not-found']]);
      assert.equal(await stop(s), 0);
    } finally {
      s.child.kill();
    }
  });

  it('typing: changes inside the debounce window are checked once, for the last version', async () => {
    const s = startLsp([], env());
    try {
      await initialize(s, 1_000);
      const uri = pathToFileURL(join(project, 'typing', 'package.json')).href;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: '{"dependencies": {}}' } });
      await s.diagnostics(uri, (p) => p.version === 1);
      for (const [version, name] of [[2, 'l'], [3, 'lod'], [4, 'lodahs']] as const) {
        await s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: `{"dependencies": {"${name}": "1"}}` }] });
      }
      const last = await s.diagnostics(uri, (p) => p.version === 4);
      assert.equal(last.diagnostics.length, 1);
      assert.deepEqual(
        s.published.filter((p) => p.uri === uri).map((p) => p.version),
        [1, 4],
      );
      assert.equal(await stop(s), 0);
    } finally {
      s.child.kill();
    }
  });

  it('--offline answers from the cache the earlier runs filled, without asking the registry', async () => {
    reg.registry.clearRequests();
    const s = startLsp(['--offline'], env());
    try {
      await initialize(s);
      const uri = pathToFileURL(join(project, 'offline', 'package.json')).href;
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: PACKAGE_JSON } });
      const d = await s.diagnostics(uri);
      assert.deepEqual(d.diagnostics.map((x) => x.code).sort(), ['not-found', 'typo']);
      assert.equal(reg.registry.requests.length, 0);
      assert.equal(await stop(s), 0);
    } finally {
      s.child.kill();
    }
  });

  it('the server ends when the client goes away without shutdown (exit code 1, as the protocol says)', async () => {
    const s = startLsp([], env());
    await initialize(s);
    s.child.stdin.end();
    assert.equal(await s.exited, 1);
    s.connection.dispose();
  });
});
