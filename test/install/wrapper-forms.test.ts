/**
 * The install wrappers (`slopguard npm …`, `slopguard pip …`) plan with the same planner as the
 * hooks: run(argv, io) with a fake package manager on PATH that records the argv it got, against
 * the loopback fixture registry. A refused install never starts the tool; a good one starts it
 * with the arguments unchanged.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';
import { packageJson, packageLock, planFixtures, project, pyproject } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'slopguard-wrap-plan-'));
const bin = join(root, 'bin');
const log = join(root, 'tool.log');
let reg: DoorRegistry;
const dirs: string[] = [];

const FAKE_TOOL = `const fs = require('fs');\nfs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');\n`;
for (const tool of ['npm', 'pip', 'uv', 'poetry', 'yarn', 'pnpm']) {
  mkdirSync(bin, { recursive: true });
  const p = join(bin, tool);
  writeFileSync(p, `#!${process.execPath}\n${FAKE_TOOL}`);
  chmodSync(p, 0o755);
}

before(async () => {
  reg = await startDoorRegistry(planFixtures());
});
after(async () => {
  await reg.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

function ran(): string[][] {
  if (!existsSync(log)) return [];
  const lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  rmSync(log);
  return lines;
}

async function wrap(argv: string[], files: Record<string, string> = {}, env: Record<string, string> = {}): Promise<{ code: number; err: string; ran: string[][] }> {
  const cwd = project(files);
  dirs.push(cwd);
  const t = testIo({ env: { ...reg.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, FAKE_LOG: log, ...env }, now: NOW, cwd });
  const code = await run(argv, t.io);
  return { code, err: t.err(), ran: ran() };
}

interface Case {
  name: string;
  argv: string[];
  files?: Record<string, string>;
  /** `refused`: exit 1 and the tool never started; `runs`: the tool started with the argv. */
  expect: 'refused' | 'runs';
  says?: RegExp;
}

const STALE = { 'package.json': packageJson({ lodash: '^4.17.21', lodahs: '^1.0.0' }), 'package-lock.json': packageLock({ lodash: '4.17.21' }, { lodash: '^4.17.21' }) };
const CASES: Case[] = [
  { name: 'stale lockfile: bare npm install', argv: ['npm', 'install'], files: STALE, expect: 'refused', says: /BLOCKED npm package `lodahs` \(package\.json:\d+\)/ },
  { name: 'npm ci on a bad lockfile', argv: ['npm', 'ci'], files: { 'package.json': packageJson({ lodash: '^4.17.21' }), 'package-lock.json': packageLock({ lodash: '4.17.21', 'quantix-fetchr-kit': '1.0.0' }) }, expect: 'refused', says: /quantix-fetchr-kit/ },
  // The manifest's range refuses the locked version: npm re-resolves it, so the manifest entry is what is judged.
  { name: 'a locked version outside the range', argv: ['npm', 'install'], files: { 'package.json': packageJson({ lodahs: '^2.0.0' }), 'package-lock.json': packageLock({ lodahs: '1.0.0' }) }, expect: 'refused', says: /`lodahs` \(package\.json:\d+\)/ },
  { name: 'a locked version inside the range', argv: ['npm', 'install'], files: { 'package.json': packageJson({ lodahs: '^1.0.0' }), 'package-lock.json': packageLock({ lodahs: '1.0.0' }) }, expect: 'refused', says: /`lodahs` \(package-lock\.json:\d+\)/ },
  { name: 'pip install -r of any name', argv: ['pip', 'install', '-r', 'deps.txt'], files: { 'deps.txt': 'reqeusts\n' }, expect: 'refused', says: /reqeusts/ },
  { name: 'uv sync on a bad pyproject', argv: ['uv', 'sync'], files: { 'pyproject.toml': pyproject(['flask', 'torchlyte-extras-zz']) }, expect: 'refused', says: /torchlyte-extras-zz/ },
  { name: 'pip install -e .[dev] on a bad dev extra', argv: ['pip', 'install', '-e', '.[dev]'], files: { 'pyproject.toml': pyproject(['flask'], ['reqeusts']) }, expect: 'refused', says: /reqeusts/ },
  { name: 'poetry install on a bad pyproject', argv: ['poetry', 'install'], files: { 'pyproject.toml': pyproject(['reqeusts']) }, expect: 'refused', says: /reqeusts/ },
  { name: 'good npm install with a lockfile', argv: ['npm', 'install'], files: { 'package.json': packageJson({ lodash: '^4.17.0' }), 'package-lock.json': packageLock({ lodash: '4.17.21' }) }, expect: 'runs' },
  { name: 'good npm ci', argv: ['npm', 'ci'], files: { 'package-lock.json': packageLock({ express: '4.21.0' }) }, expect: 'runs' },
  { name: 'good uv sync', argv: ['uv', 'sync'], files: { 'pyproject.toml': pyproject(['flask']) }, expect: 'runs' },
  { name: 'good pip install -e .[dev]', argv: ['pip', 'install', '-e', '.[dev]'], files: { 'pyproject.toml': pyproject(['flask'], ['requests']) }, expect: 'runs' },
  { name: 'good -r deps.txt', argv: ['pip', 'install', '-r', 'deps.txt'], files: { 'deps.txt': 'requests\n' }, expect: 'runs' },
];

describe('wrappers plan like the hooks', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.expect}`, async () => {
      const r = await wrap(c.argv, c.files);
      if (c.expect === 'refused') {
        assert.equal(r.code, 1, r.err);
        assert.deepEqual(r.ran, [], 'the tool never started');
      } else {
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(r.ran, [c.argv.slice(1)]);
      }
      if (c.says) assert.match(r.err, c.says);
    });
  }

  it('pip install -e .[dev] does not warn that .[dev] is an invalid name', async () => {
    const r = await wrap(['pip', 'install', '-e', '.[dev]'], { 'pyproject.toml': pyproject(['flask'], ['requests']) });
    assert.doesNotMatch(r.err, /invalid|not a valid/);
  });

  it('a missing requirements file: a loud warning and the tool runs; under fail-closed it is refused', async () => {
    const open = await wrap(['pip', 'install', '-r', 'nowhere.txt']);
    assert.equal(open.code, 0);
    assert.match(open.err, /warning: .*nowhere\.txt .*does not exist; the packages it would list were not checked/);
    assert.deepEqual(open.ran, [['install', '-r', 'nowhere.txt']]);
    const closed = await wrap(['pip', '--slopguard-fail-closed', 'install', '-r', 'nowhere.txt']);
    assert.equal(closed.code, 1, closed.err);
    assert.deepEqual(closed.ran, []);
    assert.match(closed.err, /pip was not run: it would install packages slopguard could not check/);
  });

  it('a bare install with no project file is refused under fail-closed', async () => {
    const r = await wrap(['npm', 'install', '--slopguard-fail-closed']);
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(r.ran, []);
  });

  it('the wrapper and the hook plan `uv sync` identically (one planner)', async () => {
    const files = { 'pyproject.toml': pyproject(['reqeusts']) };
    const w = await wrap(['uv', 'sync'], files);
    const cwd = project(files);
    dirs.push(cwd);
    const input = { cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'uv sync' } };
    const t = testIo({ env: reg.env, stdin: JSON.stringify(input), now: NOW, cwd });
    await run(['hook', 'claude'], t.io);
    const hook = JSON.parse(t.out()) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    assert.equal(w.code, 1);
    assert.equal(hook.hookSpecificOutput.permissionDecision, 'deny');
    assert.match(w.err, /reqeusts/);
    assert.match(hook.hookSpecificOutput.permissionDecisionReason, /reqeusts/);
  });

  // The install guard judges the tree as the tool fetches it; a resolution before the run (the
  // fake npm logs it: `install --package-lock-only …`) is only for a run the guard will not see.
  const resolutions = (lines: string[][]) => lines.filter((l) => l.includes('--package-lock-only'));
  const treeCases: Array<[label: string, argv: string[], value: string | undefined, resolved: boolean]> = [
    ['the guard runs, SLOPGUARD_RESOLVE_TREE unset', ['npm', 'install', 'lodash'], undefined, false],
    ['the guard runs, SLOPGUARD_RESOLVE_TREE=1', ['npm', 'install', 'lodash'], '1', false],
    ['--slopguard-no-guard, SLOPGUARD_RESOLVE_TREE unset', ['npm', 'install', 'lodash', '--slopguard-no-guard'], undefined, false],
    ['--slopguard-no-guard, SLOPGUARD_RESOLVE_TREE=1', ['npm', 'install', 'lodash', '--slopguard-no-guard'], '1', true],
  ];
  for (const [label, argv, value, resolved] of treeCases) {
    it(`the tree before the run: ${label} -> ${resolved ? 'resolved' : 'not resolved'}`, async () => {
      const env: Record<string, string> = value === undefined ? {} : { SLOPGUARD_RESOLVE_TREE: value };
      const cwd = project({ 'package.json': packageJson({}) });
      dirs.push(cwd);
      const t = testIo({ env: { ...reg.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, FAKE_LOG: log, ...env }, now: NOW, cwd });
      if (value === undefined) delete (t.io.env as Record<string, string | undefined>).SLOPGUARD_RESOLVE_TREE;
      const code = await run(argv, t.io);
      const lines = ran();
      assert.equal(code, 0, t.err());
      assert.equal(resolutions(lines).length, resolved ? 1 : 0, JSON.stringify(lines));
      // The install itself ran once, as typed (slopguard's own option removed).
      assert.deepEqual(lines.filter((l) => !l.includes('--package-lock-only')), [['install', 'lodash']]);
      // The fake npm writes no lockfile: the tree it was asked about is said to be unchecked.
      if (resolved) assert.match(t.err(), /would pull in were not checked: npm could not resolve it/);
    });
  }

  it('no unexpected registry request', () => {
    reg.registry.assertNoUnexpectedRequests();
  });
});
