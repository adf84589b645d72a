/**
 * The hook fast path (src/hook/fast-path.ts), tested as it ships: the bundle dist/bin/hook-fast.js
 * with the stem list scripts/bundle.mjs emitted into it, and bin/slopguard.js, which loads it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { findInstallCommands, PACKAGE_COMMAND_STEMS } from '../../src/extractors/text/install-command.js';
import { AGENT_HOOKS, type AgentHook } from '../../src/hook/shell-call.js';
import { loadCases } from '../corpus/load.js';
import { testIo } from '../helpers/io.js';
import { NOW, startDoorRegistry, type DoorRegistry } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FAST_BUNDLE = join(ROOT, 'dist', 'bin', 'hook-fast.cjs');
const BIN = join(ROOT, 'bin', 'slopguard.js');

interface FastModule {
  fastHookAnswer(argv: readonly string[], input: string): { stdout: string; code: number } | undefined;
  mayInstall(command: string): boolean;
  PACKAGE_COMMAND_STEMS: readonly string[];
}
let fast: FastModule;

/** The shell-call input each agent sends, as in test/hook/agents.test.ts and claude/cursor tests. */
const INPUT: Record<AgentHook, (command: string, cwd: string) => unknown> = {
  claude: (command, cwd) => ({ session_id: 's', cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command, description: 'x' }, tool_use_id: 't' }),
  cursor: (command, cwd) => ({ hook_event_name: 'beforeShellExecution', conversation_id: 'c', generation_id: 'g', workspace_roots: [cwd], command, cwd }),
  codex: (command, cwd) => ({ session_id: 's', turn_id: 't', cwd, hook_event_name: 'PreToolUse', model: 'gpt-5-codex', tool_name: 'Bash', tool_use_id: 'c', tool_input: { command } }),
  gemini: (command, cwd) => ({ session_id: 's', cwd, hook_event_name: 'BeforeTool', timestamp: '2026-11-26T12:00:00Z', tool_name: 'run_shell_command', tool_input: { command } }),
  copilot: (command, cwd) => ({ timestamp: 1764158400000, cwd, toolName: 'bash', toolArgs: JSON.stringify({ command, description: 'x' }) }),
  opencode: (command, cwd) => ({ tool: 'bash', args: { command }, directory: cwd, sessionID: 's' }),
  windsurf: (command, cwd) => ({ agent_action_name: 'pre_run_command', trajectory_id: 't', execution_id: 'e', timestamp: '2026-11-26T12:00:00Z', tool_info: { command_line: command, cwd } }),
};

/** Commands agents run all day that install nothing. */
const NO_INSTALL = [
  'ls -la',
  'git status',
  'git diff --stat HEAD~1',
  'cat README.md | head -50',
  'grep -rn "TODO" src/ && echo done',
  'cd api && make test',
  'rm -rf dist && mkdir dist',
  'echo $HOME; export FOO=1',
  'cargo build --release',
  'go test ./...',
  'docker compose up -d',
  '',
];

/**
 * A command for every program word the grammar reads (readCommand's table in
 * install-command.ts, and the modules of `python -m`), plus the ways a shell still reads them.
 */
const INSTALLS = [
  'npm install x-pkg',
  'npx x-pkg',
  'yarn add x-pkg',
  'yarnpkg add x-pkg',
  'pnpm add x-pkg',
  'pnpx x-pkg',
  'bun add x-pkg',
  'bunx x-pkg',
  'deno add npm:x-pkg',
  'pip install x-pkg',
  'pip3 install x-pkg',
  'pip3.12 install x-pkg',
  'uv add x-pkg',
  'uv pip install x-pkg',
  'uvx x-pkg',
  'poetry add x-pkg',
  'pipx install x-pkg',
  'pipenv install x-pkg',
  'pdm add x-pkg',
  'conda install x-pkg',
  'mamba install x-pkg',
  'micromamba install x-pkg',
  'python -m pip install x-pkg',
  'python3 -m uv pip install x-pkg',
  'py -m pipx install x-pkg',
  'pypy3 -m pip install x-pkg',
  'python -m poetry add x-pkg',
  'python -m pdm add x-pkg',
  'python -m pipenv install x-pkg',
  // Spellings the shell reads as the same program.
  'NPM install x-pkg',
  "n'p'm install x-pkg",
  'n"pm" install x-pkg',
  'n\\pm install x-pkg',
  'np\\\nm install x-pkg',
  "'C:\\tools\\npm.cmd' install x-pkg",
  '/usr/local/bin/pip3 install x-pkg',
  'sudo -u app env CI=1 npm install x-pkg',
  'bash -c "pip install x-pkg"',
  'echo ok && $(npm i x-pkg)',
];

let reg: DoorRegistry;
let project: string;
before(async () => {
  fast = createRequire(import.meta.url)(FAST_BUNDLE) as FastModule;
  reg = await startDoorRegistry();
  project = mkdtempSync(join(tmpdir(), 'slopguard-fast-'));
});
after(async () => {
  await reg.close();
  rmSync(project, { recursive: true, force: true });
});

async function fullPath(agent: AgentHook, stdin: string) {
  const t = testIo({ env: reg.env, stdin, now: NOW, cwd: project });
  const code = await run(['hook', agent], t.io);
  return { stdout: t.out(), code };
}

describe('hook fast path', () => {
  it('answers every agent exactly as the full path does, for commands that install nothing', async () => {
    reg.registry.clearRequests();
    for (const agent of AGENT_HOOKS) {
      for (const command of NO_INSTALL) {
        const input = JSON.stringify(INPUT[agent](command, project));
        const quick = fast.fastHookAnswer(['hook', agent], input);
        assert.ok(quick, `${agent}: ${command} should take the fast path`);
        assert.deepEqual(quick, await fullPath(agent, input), `${agent}: ${command}`);
      }
    }
    assert.equal(reg.registry.requests.length, 0);
  });

  it('takes the full path for every program word the grammar reads, however the shell spells it', () => {
    for (const command of INSTALLS) {
      const found = findInstallCommands(command, { file: '<command>' });
      assert.ok(found.length > 0, `the grammar reads ${JSON.stringify(command)} as an install (else this case proves nothing)`);
      assert.equal(fast.mayInstall(command), true, command);
      for (const agent of AGENT_HOOKS) assert.equal(fast.fastHookAnswer(['hook', agent], JSON.stringify(INPUT[agent](command, project))), undefined, `${agent}: ${command}`);
    }
  });

  it('takes the full path for every command of the agent corpus the grammar finds a package command in', () => {
    let checked = 0;
    for (const c of loadCases()) {
      if (c.door !== 'bash' || c.command === undefined) continue;
      if (findInstallCommands(c.command, { file: '<command>' }).length === 0) continue;
      checked++;
      assert.equal(fast.mayInstall(c.command), true, `${c.id}: ${c.command}`);
    }
    assert.ok(checked > 100, `only ${checked} corpus commands`);
  });

  it('the bundle carries the grammar\'s own stem list and imports nothing', () => {
    const text = readFileSync(FAST_BUNDLE, 'utf8');
    assert.deepEqual(fast.PACKAGE_COMMAND_STEMS, PACKAGE_COMMAND_STEMS, 'the emitted list is the grammar\'s');
    // Nothing but the bundle itself is loaded: no require() or import of any module, built-in or not.
    assert.doesNotMatch(text, /^\s*import\s/m);
    assert.doesNotMatch(text, /\bimport\(|\brequire\(/);
    assert.doesNotMatch(text, /findInstallCommands|readCommand/);
  });

  it('leaves flags, other tools, other events and unreadable input to the full path', () => {
    const ls = (agent: AgentHook) => JSON.stringify(INPUT[agent]('ls', project));
    assert.equal(fast.fastHookAnswer(['hook', 'claude', '--fail-closed'], ls('claude')), undefined);
    assert.equal(fast.fastHookAnswer(['hook', 'git-pre-commit'], '{}'), undefined);
    assert.equal(fast.fastHookAnswer(['hook', 'vscode'], ls('claude')), undefined);
    assert.equal(fast.fastHookAnswer(['hook', 'claude'], '{"tool_name": '), undefined);
    assert.equal(fast.fastHookAnswer(['hook', 'claude'], JSON.stringify({ ...(INPUT.claude('ls', project) as object), tool_name: 'Write' })), undefined);
    assert.equal(fast.fastHookAnswer(['hook', 'claude'], JSON.stringify({ ...(INPUT.claude('ls', project) as object), hook_event_name: 'PostToolUse' })), undefined);
    assert.equal(fast.fastHookAnswer(['hook', 'codex'], JSON.stringify({ ...(INPUT.codex('', project) as object), tool_input: { command: ['ls'] } })), undefined);
    assert.equal(fast.fastHookAnswer(['hook', 'copilot'], JSON.stringify({ toolName: 'bash', toolArgs: '{"command": "ls' })), undefined);
  });
});

describe('bin/slopguard.js with the fast path', () => {
  const shim = (args: string[], stdin: string, cwd = project) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...reg.env, HOME: project } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(stdin);
    });

  it('answers a command that installs nothing without reading the project config, as the full path does; an install still reports a broken config', async () => {
    const dir = mkdtempSync(join(project, 'badcfg-'));
    writeFileSync(join(dir, '.slopguard.json'), '{"failOn": "sometimes"}');
    const input = JSON.stringify(INPUT.cursor('git status', dir));
    const quick = await shim(['hook', 'cursor'], input, dir);
    assert.deepEqual(quick, { code: 0, stdout: '{"permission":"allow"}\n', stderr: '' });
    // The full path (any flag takes it) reads no config for a command that installs nothing either.
    const full = await shim(['hook', 'cursor', '--budget', '5'], input, dir);
    assert.deepEqual(full, quick);
    // An install is judged, and a broken config is "cannot check": asked, never allowed.
    const install = await shim(['hook', 'cursor'], JSON.stringify(INPUT.cursor('npm install lodahs', dir)), dir);
    assert.match(install.stderr, /misconfigured/);
    assert.equal((JSON.parse(install.stdout) as { permission: string }).permission, 'ask');
  });

  it('an input larger than the fast path reads goes to the full path whole (the bytes read, then the rest)', async () => {
    // A 3 MiB description ahead of the command: the fast path stops reading at 1 MiB.
    const input = { ...(INPUT.claude('', project) as object), tool_input: { description: 'x'.repeat(3 * 1024 * 1024), command: 'npm install lodahs' } };
    const r = await shim(['hook', 'claude'], JSON.stringify(input));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"deny"/);
    assert.match(r.stdout, /`lodahs` does not exist on npm/);
  });

  it('hands an install command, stdin intact, to the full path', async () => {
    for (const agent of ['claude', 'gemini'] as const) {
      const r = await shim(['hook', agent], JSON.stringify(INPUT[agent]('npm install lodahs', project)));
      assert.equal(r.code, 0);
      assert.match(r.stdout, /"deny"/, agent);
      assert.match(r.stdout, /`lodahs` does not exist on npm/);
    }
  });
});
