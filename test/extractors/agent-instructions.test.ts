/** Install lines in agent instructions and skills (AGENTS.md, CLAUDE.md, SKILL.md, .cursorrules) as sources. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { findExtractor } from '../../src/extractors/index.js';
import { testIo } from '../helpers/io.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { extractFixture } from './helpers.js';

const located = (kase: string, file: string) => extractFixture('agent-instructions', kase, file).refs.map((r) => `${r.ecosystem}:${r.name} @${r.origin?.line}:${r.origin?.column}`);

describe('agent-instructions extractor', () => {
  it('matches the instruction files wherever they are, and no other Markdown', () => {
    for (const p of ['AGENTS.md', 'CLAUDE.md', 'GEMINI.md', '.cursorrules', 'web/AGENTS.md', '.claude/skills/pdf/SKILL.md']) assert.equal(findExtractor(p)?.id, 'agent-instructions', p);
    for (const p of ['README.md', 'docs/agents.md', 'SKILL.txt']) assert.notEqual(findExtractor(p)?.id, 'agent-instructions', p);
  });

  it('reads install commands in code blocks and prose, each at its line', () => {
    assert.deepEqual(located('one-package', 'AGENTS.md'), ['npm:prettier @6:24']);
    assert.deepEqual(located('skill', '.claude/skills/pdf/SKILL.md'), ['pypi:pypdf @8:24', 'npm:pdf-form-filler-cli @11:8']);
    const empty = extractFixture('agent-instructions', 'empty', 'CLAUDE.md');
    assert.deepEqual([empty.refs, empty.notes], [[], []]);
  });

  it('an install line it cannot read whole says so (a located note), never silence', () => {
    const r = extractFixture('agent-instructions', 'malformed', 'AGENTS.md');
    assert.ok(r.notes.some((n) => n.code === 'malformed' && n.origin.line === 4), JSON.stringify(r.notes));
  });
});

describe('agent instructions through scan and diff', () => {
  let reg: DoorRegistry;
  let dir: string;
  before(async () => {
    reg = await startDoorRegistry();
    dir = mkdtempSync(join(tmpdir(), 'slopguard-agents-md-'));
  });
  after(async () => {
    await reg.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sg = async (argv: string[], stdin?: string) => {
    const t = testIo({ env: reg.env, cwd: dir, now: NOW, ...(stdin === undefined ? {} : { stdin }) });
    return { code: await run(argv, t.io), out: t.out(), err: t.err() };
  };

  it('scan reads AGENTS.md, a skill and .cursorrules', async () => {
    mkdirSync(join(dir, '.claude', 'skills', 'x'), { recursive: true });
    writeFileSync(join(dir, 'AGENTS.md'), '# Notes\n\nRun `npm install lodahs` first.\n');
    writeFileSync(join(dir, '.claude', 'skills', 'x', 'SKILL.md'), '---\nname: x\n---\n\n```sh\npip install reqeusts\n```\n');
    writeFileSync(join(dir, '.cursorrules'), 'Always use express: npm i express\n');
    const r = await sg(['scan', '.', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const got = JSON.parse(r.out).packages.map((p: { ecosystem: string; name: string; verdict: string }) => `${p.ecosystem}:${p.name}:${p.verdict}`).sort();
    assert.deepEqual(got, ['npm:express:ok', 'npm:lodahs:block', 'pypi:reqeusts:block']);
  });

  it('a hunk-only diff of AGENTS.md judges the install lines it adds', async () => {
    const diff = ['diff --git a/AGENTS.md b/AGENTS.md', '--- a/AGENTS.md', '+++ b/AGENTS.md', '@@ -20,3 +20,4 @@', ' ## Setup', ' ', '-Run `npm install express`.', '+Run `npm install expresss`.', '+Then `pip install requests`.', ''].join('\n');
    const r = await sg(['diff', '-', '--format', 'json'], diff);
    assert.equal(r.code, 1, r.err);
    const got = JSON.parse(r.out).packages.map((p: { name: string; verdict: string }) => `${p.name}:${p.verdict}`).sort();
    assert.deepEqual(got, ['expresss:block', 'requests:ok']);
  });
});
