/**
 * `hook install|uninstall codex|gemini|copilot|opencode`: idempotent, reversible, the user's other
 * hooks and settings kept byte for byte; and the OpenCode plugin it writes, loaded and run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { shellWord } from '../../src/hook/install/command.js';
import { testIo } from '../helpers/io.js';
import { startDoorRegistry, type DoorRegistry } from './fixtures.js';

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slopguard-install-agents-'));
  temps.push(d);
  return d;
}

async function sg(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const t = testIo({ cwd, env: { PATH: '', ...env } });
  const code = await run(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

/** A settings file with the user's own hooks for the same event, another event, and unknown keys. */
interface MatcherCase {
  target: 'codex' | 'gemini';
  file: string;
  userFile: string;
  existing: string;
  event: string;
  ours: unknown;
}

const MATCHER_CASES: MatcherCase[] = [
  {
    target: 'codex',
    file: '.codex/hooks.json',
    userFile: '.codex/hooks.json',
    event: 'PreToolUse',
    existing: `{
  "hooks": {
    "PreToolUse": [
      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "~/bin/audit", "statusMessage": "Auditing" }] }
    ],
    "Stop": [{ "hooks": [{ "type": "command", "command": "notify-send done" }] }]
  }
}
`,
    ours: { matcher: 'Bash', hooks: [{ type: 'command', command: 'slopguard hook codex', timeout: 30 }] },
  },
  {
    target: 'gemini',
    file: '.gemini/settings.json',
    userFile: '.gemini/settings.json',
    event: 'BeforeTool',
    existing: `{
\t"theme": "GitHub",
\t"hooks": {
\t\t"BeforeTool": [
\t\t\t{ "matcher": "write_file|replace", "hooks": [{ "name": "secrets", "type": "command", "command": "./scan-secrets.sh" }] }
\t\t],
\t\t"AfterAgent": [{ "hooks": [{ "type": "command", "command": "./log.sh" }] }]
\t},
\t"mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] } }
}
`,
    ours: { matcher: 'run_shell_command|write_file|replace', hooks: [{ name: 'slopguard', type: 'command', command: 'slopguard hook gemini', timeout: 30000 }] },
  },
];

for (const c of MATCHER_CASES) {
  describe(`hook install ${c.target}`, () => {
    it('adds our group after the user\'s, keeps everything else, is idempotent, and uninstall restores the file byte for byte', async () => {
      const dir = tempDir();
      const file = join(dir, c.file);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, c.existing);
      const first = await sg(['hook', 'install', c.target, '--command', 'slopguard'], dir);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /installed the .* in /);
      const once = readFileSync(file, 'utf8');
      const value = JSON.parse(once);
      const before = JSON.parse(c.existing);
      assert.deepEqual(value.hooks[c.event].slice(0, -1), before.hooks[c.event]);
      assert.deepEqual(value.hooks[c.event].at(-1), c.ours);
      for (const k of Object.keys(before)) if (k !== 'hooks') assert.deepEqual(value[k], before[k]);

      const second = await sg(['hook', 'install', c.target, '--command', 'slopguard'], dir);
      assert.match(second.out, /already installed/);
      assert.equal(readFileSync(file, 'utf8'), once);

      const updated = await sg(['hook', 'install', c.target, '--command', 'npx --no-install slopguard'], dir);
      assert.match(updated.out, /updated/);
      const groups = JSON.parse(readFileSync(file, 'utf8')).hooks[c.event];
      assert.equal(groups.length, before.hooks[c.event].length + 1, 'ours replaced, not added twice');

      assert.match((await sg(['hook', 'uninstall', c.target], dir)).out, /removed/);
      assert.equal(readFileSync(file, 'utf8'), c.existing);
      assert.match((await sg(['hook', 'uninstall', c.target], dir)).out, /nothing changed/);
    });

    it('--user writes the file in the home folder; --local is refused (Claude Code only)', async () => {
      const home = tempDir();
      const project = tempDir();
      assert.equal((await sg(['hook', 'install', c.target, '--user', '--command', 'slopguard'], project, { HOME: home })).code, 0);
      assert.ok(existsSync(join(home, c.userFile)));
      assert.ok(!existsSync(join(project, c.file)));
      const local = await sg(['hook', 'install', c.target, '--local', '--command', 'slopguard'], project);
      assert.equal(local.code, 2);
      assert.match(local.err, /--local is for Claude Code only/);
    });

    it('a committed project file gets no machine path unless allowed', async () => {
      const dir = tempDir();
      const r = await sg(['hook', 'install', c.target], dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /not on PATH and not a devDependency/);
      assert.ok(!existsSync(join(dir, c.file)));
    });

    it('refuses a file that is not JSON, or a hooks list of the wrong type (exit 2, untouched)', async () => {
      const dir = tempDir();
      const file = join(dir, c.file);
      mkdirSync(join(file, '..'), { recursive: true });
      for (const text of ['{ "hooks": ', `{"hooks": {"${c.event}": {}}}`]) {
        writeFileSync(file, text);
        const r = await sg(['hook', 'install', c.target, '--command', 'slopguard'], dir);
        assert.equal(r.code, 2, text);
        assert.equal(readFileSync(file, 'utf8'), text);
      }
    });
  });
}

describe('hook install windsurf', () => {
  it('adds a pre_run_command entry with show_output, keeps the user\'s hooks, is idempotent and reversible byte for byte', async () => {
    const dir = tempDir();
    const file = join(dir, '.windsurf', 'hooks.json');
    mkdirSync(join(dir, '.windsurf'));
    const theirs = '{\n  "hooks": {\n    "pre_run_command": [{ "command": "python3 audit.py", "show_output": true }],\n    "post_write_code": [{ "command": "npx prettier --write" }]\n  }\n}\n';
    writeFileSync(file, theirs);
    assert.match((await sg(['hook', 'install', 'windsurf', '--command', 'slopguard'], dir)).out, /installed the Windsurf pre_run_command hook/);
    const once = readFileSync(file, 'utf8');
    const value = JSON.parse(once);
    assert.deepEqual(value.hooks.pre_run_command, [{ command: 'python3 audit.py', show_output: true }, { command: 'slopguard hook windsurf', show_output: true }]);
    assert.deepEqual(value.hooks.post_write_code, [{ command: 'npx prettier --write' }]);
    assert.match((await sg(['hook', 'install', 'windsurf', '--command', 'slopguard'], dir)).out, /already installed/);
    assert.equal(readFileSync(file, 'utf8'), once);
    assert.match((await sg(['hook', 'uninstall', 'windsurf'], dir)).out, /removed/);
    assert.equal(readFileSync(file, 'utf8'), theirs);
  });

  it('--user writes ~/.codeium/windsurf/hooks.json', async () => {
    const home = tempDir();
    assert.equal((await sg(['hook', 'install', 'windsurf', '--user', '--command', 'slopguard'], tempDir(), { HOME: home })).code, 0);
    assert.ok(existsSync(join(home, '.codeium', 'windsurf', 'hooks.json')));
  });
});

describe('hook install copilot', () => {
  it('writes its own .github/hooks/slopguard.json; uninstall deletes it; other hook files are never touched', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.github', 'hooks'), { recursive: true });
    const theirs = '{"version": 1, "hooks": {"sessionStart": [{"type": "command", "bash": "echo hi"}]}}\n';
    writeFileSync(join(dir, '.github', 'hooks', 'team.json'), theirs);
    const r = await sg(['hook', 'install', 'copilot', '--command', 'slopguard'], dir);
    assert.equal(r.code, 0, r.err);
    const file = join(dir, '.github', 'hooks', 'slopguard.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, hooks: { preToolUse: [{ type: 'command', bash: 'slopguard hook copilot', timeoutSec: 30 }] } });
    const once = readFileSync(file, 'utf8');
    assert.match((await sg(['hook', 'install', 'copilot', '--command', 'slopguard'], dir)).out, /already installed/);
    assert.equal(readFileSync(file, 'utf8'), once);
    assert.match((await sg(['hook', 'uninstall', 'copilot'], dir)).out, /removed the GitHub Copilot preToolUse hook/);
    assert.ok(!existsSync(file));
    assert.equal(readFileSync(join(dir, '.github', 'hooks', 'team.json'), 'utf8'), theirs);
  });

  it('entries the user added to slopguard.json stay, and so does the file', async () => {
    const dir = tempDir();
    assert.equal((await sg(['hook', 'install', 'copilot', '--command', 'slopguard'], dir)).code, 0);
    const file = join(dir, '.github', 'hooks', 'slopguard.json');
    const value = JSON.parse(readFileSync(file, 'utf8'));
    value.hooks.preToolUse.unshift({ type: 'command', bash: './guard.sh' });
    writeFileSync(file, JSON.stringify(value, null, 2));
    assert.equal((await sg(['hook', 'uninstall', 'copilot'], dir)).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, hooks: { preToolUse: [{ type: 'command', bash: './guard.sh' }] } });
  });

  it('--user and --local are refused: Copilot reads hooks from the repository', async () => {
    for (const scope of ['--user', '--local']) {
      const r = await sg(['hook', 'install', 'copilot', scope, '--command', 'slopguard'], tempDir());
      assert.equal(r.code, 2);
      assert.match(r.err, /Copilot hooks live in the repository/);
    }
  });
});

describe('hook install opencode', () => {
  it('writes the plugin, is idempotent, never overwrites a file that is not ours, and uninstall deletes it', async () => {
    const dir = tempDir();
    const file = join(dir, '.opencode', 'plugins', 'slopguard.js');
    assert.match((await sg(['hook', 'install', 'opencode', '--command', 'slopguard'], dir)).out, /installed the OpenCode plugin/);
    const once = readFileSync(file, 'utf8');
    assert.match(once, /^\/\/ slopguard OpenCode plugin/);
    assert.match(once, /const COMMAND = "slopguard hook opencode";/);
    assert.match((await sg(['hook', 'install', 'opencode', '--command', 'slopguard'], dir)).out, /already installed/);
    assert.match((await sg(['hook', 'install', 'opencode', '--command', 'npx --no-install slopguard'], dir)).out, /updated/);
    assert.match((await sg(['hook', 'uninstall', 'opencode'], dir)).out, /removed/);
    assert.ok(!existsSync(file));

    writeFileSync(file, 'export const Mine = async () => ({})\n');
    const r = await sg(['hook', 'install', 'opencode', '--command', 'slopguard'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /not slopguard's plugin/);
    assert.match((await sg(['hook', 'uninstall', 'opencode'], dir)).out, /nothing changed/);
    assert.equal(readFileSync(file, 'utf8'), 'export const Mine = async () => ({})\n');
  });

  it('--user writes ~/.config/opencode/plugins/slopguard.js', async () => {
    const home = tempDir();
    assert.equal((await sg(['hook', 'install', 'opencode', '--user', '--command', 'slopguard'], tempDir(), { HOME: home })).code, 0);
    assert.ok(existsSync(join(home, '.config', 'opencode', 'plugins', 'slopguard.js')));
  });
});

describe('the OpenCode plugin, loaded as OpenCode loads it and run against the fixture registry', () => {
  let reg: DoorRegistry;
  let hooks: { 'tool.execute.before': (input: unknown, output: unknown) => Promise<void> };
  let project: string;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    reg = await startDoorRegistry();
    project = tempDir();
    // The plugin runs slopguard as a child process with OpenCode's environment.
    for (const [k, v] of Object.entries({ ...reg.env, HOME: project })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const bin = join(process.cwd(), 'bin', 'slopguard.js');
    const command = `${shellWord(process.execPath)} ${shellWord(bin)}`;
    assert.equal((await sg(['hook', 'install', 'opencode', '--command', command], project)).code, 0);
    const mod = await import(pathToFileURL(join(project, '.opencode', 'plugins', 'slopguard.js')).href);
    hooks = await mod.SlopguardPlugin({ directory: project, worktree: project });
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await reg.close();
  });
  const bash = (command: string) => hooks['tool.execute.before']({ tool: 'bash', sessionID: 'ses_1', callID: 'call_1' }, { args: { command } });

  it('throws for a name that does not exist, with the reason the agent reads', async () => {
    await assert.rejects(bash('npm install lodahs'), /`lodahs` does not exist on npm; did you mean `lodash`\?/);
  });

  it('lets a fine install, a command that installs nothing and other tools run', async () => {
    await bash('npm install express');
    await bash('git status');
    await hooks['tool.execute.before']({ tool: 'read', sessionID: 'ses_1', callID: 'c' }, { args: { filePath: 'package.json' } });
  });
});
