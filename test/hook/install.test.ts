import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slopguard-install-'));
  temps.push(d);
  return d;
}

function gitRepo(): string {
  const d = tempDir();
  execFileSync('git', ['init', '-q'], { cwd: d });
  return d;
}

async function sg(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const t = testIo({ cwd, env: { PATH: '', ...env } });
  const code = await run(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

const CLAUDE_SETTINGS = `{
  "permissions": {
    "allow": ["Bash(npm test)"]
  },
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "~/bin/audit-bash"
          }
        ]
      }
    ],
    "PostToolUse": [
      {
        "matcher": "Write",
        "hooks": [
          {
            "type": "command",
            "command": "prettier --write"
          }
        ]
      }
    ]
  },
  "futureSetting": {
    "kept": true
  }
}
`;

describe('hook install claude', () => {
  it('adds a PreToolUse entry, keeps every other setting, is idempotent, and uninstall restores the file byte for byte', async () => {
    const dir = tempDir();
    const file = join(dir, '.claude', 'settings.json');
    mkdirSync(join(dir, '.claude'));
    writeFileSync(file, CLAUDE_SETTINGS);

    const first = await sg(['hook', 'install', 'claude', '--command', 'slopguard'], dir);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /installed the Claude Code PreToolUse hook in \.claude\/settings\.json/);
    const once = readFileSync(file, 'utf8');
    const settings = JSON.parse(once);
    assert.deepEqual(settings.permissions, { allow: ['Bash(npm test)'] });
    assert.deepEqual(settings.futureSetting, { kept: true });
    assert.deepEqual(settings.hooks.PostToolUse, JSON.parse(CLAUDE_SETTINGS).hooks.PostToolUse);
    assert.equal(settings.hooks.PreToolUse.length, 2);
    assert.deepEqual(settings.hooks.PreToolUse[0], JSON.parse(CLAUDE_SETTINGS).hooks.PreToolUse[0]);
    assert.deepEqual(settings.hooks.PreToolUse[1], {
      matcher: 'Bash|Write|Edit|MultiEdit',
      hooks: [{ type: 'command', command: 'slopguard hook claude', timeout: 30 }],
    });
    // Formatting of the rest is the user's: two-space indentation kept.
    assert.match(once, /\n {8}"matcher": "Bash\|Write\|Edit\|MultiEdit"/);

    const second = await sg(['hook', 'install', 'claude', '--command', 'slopguard'], dir);
    assert.equal(second.code, 0);
    assert.match(second.out, /already installed/);
    assert.equal(readFileSync(file, 'utf8'), once);

    const removed = await sg(['hook', 'uninstall', 'claude'], dir);
    assert.equal(removed.code, 0);
    assert.match(removed.out, /removed the Claude Code PreToolUse hook/);
    assert.equal(readFileSync(file, 'utf8'), CLAUDE_SETTINGS);

    const again = await sg(['hook', 'uninstall', 'claude'], dir);
    assert.match(again.out, /no slopguard Claude Code PreToolUse hook/);
    assert.equal(readFileSync(file, 'utf8'), CLAUDE_SETTINGS);
  });

  it('a changed invocation updates our entry instead of adding a second one', async () => {
    const dir = tempDir();
    assert.equal((await sg(['hook', 'install', 'claude', '--command', 'slopguard'], dir)).code, 0);
    const r = await sg(['hook', 'install', 'claude', '--command', 'npx --yes slopguard'], dir);
    assert.match(r.out, /updated/);
    const settings = JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8'));
    assert.equal(settings.hooks.PreToolUse.length, 1);
    assert.equal(settings.hooks.PreToolUse[0].hooks[0].command, 'npx --yes slopguard hook claude');
  });

  it('creates the file when there is none; uninstall leaves no hooks behind', async () => {
    const dir = tempDir();
    assert.equal((await sg(['hook', 'install', 'claude', '--local', '--command', 'slopguard'], dir)).code, 0);
    const file = join(dir, '.claude', 'settings.local.json');
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).hooks.PreToolUse[0].hooks[0].command, 'slopguard hook claude');
    assert.equal((await sg(['hook', 'uninstall', 'claude', '--local'], dir)).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {});
  });

  it('--user writes ~/.claude/settings.json', async () => {
    const home = tempDir();
    const project = tempDir();
    assert.equal((await sg(['hook', 'install', 'claude', '--user', '--command', 'slopguard'], project, { HOME: home })).code, 0);
    assert.ok(existsSync(join(home, '.claude', 'settings.json')));
    assert.ok(!existsSync(join(project, '.claude')));
  });

  it('without --command, a committed settings file gets no machine path: refused with the ways out (exit 2, nothing written)', async () => {
    const dir = tempDir();
    for (const target of ['claude', 'cursor']) {
      const r = await sg(['hook', 'install', target], dir);
      assert.equal(r.code, 2, target);
      assert.match(r.err, /not on PATH and not a devDependency/);
      assert.match(r.err, /--local|--user/);
      assert.match(r.err, /--allow-machine-path/);
    }
    assert.ok(!existsSync(join(dir, '.claude')));
    assert.ok(!existsSync(join(dir, '.cursor')));
  });

  it('a machine path goes only where the user said so: --local, --user, or --allow-machine-path', async () => {
    const dir = tempDir();
    assert.equal((await sg(['hook', 'install', 'claude', '--local'], dir)).code, 0);
    const local: string = JSON.parse(readFileSync(join(dir, '.claude', 'settings.local.json'), 'utf8')).hooks.PreToolUse[0].hooks[0].command;
    assert.match(local, /bin\/slopguard\.js'? hook claude$/);
    assert.ok(local.includes(process.execPath));
    assert.equal((await sg(['hook', 'install', 'claude', '--allow-machine-path'], dir)).code, 0);
    const shared: string = JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).hooks.PreToolUse[0].hooks[0].command;
    assert.ok(shared.includes(process.execPath));
  });

  it('a project with slopguard as a devDependency gets the portable `npx --no-install slopguard`', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.bin', 'slopguard'), '#!/bin/sh\n');
    assert.equal((await sg(['hook', 'install', 'claude'], dir)).code, 0);
    const command: string = JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).hooks.PreToolUse[0].hooks[0].command;
    assert.equal(command, 'npx --no-install slopguard hook claude');
  });

  it('refuses to rewrite a settings file that is not valid JSON (exit 2, file untouched)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.claude'));
    const file = join(dir, '.claude', 'settings.json');
    writeFileSync(file, '{ "hooks": ');
    const r = await sg(['hook', 'install', 'claude', '--command', 'slopguard'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /not valid JSON/);
    assert.equal(readFileSync(file, 'utf8'), '{ "hooks": ');
  });

  it('refuses a "hooks" value of the wrong type', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, '.claude', 'settings.json'), '{"hooks": []}\n');
    const r = await sg(['hook', 'install', 'claude', '--command', 'slopguard'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /"hooks" is not an object/);
  });

  it('rejects an unknown target and two scopes at once', async () => {
    const dir = tempDir();
    const a = await sg(['hook', 'install', 'vscode'], dir);
    assert.equal(a.code, 2);
    assert.match(a.err, /unknown hook target "vscode"/);
    const b = await sg(['hook', 'install', 'claude', '--user', '--project'], dir);
    assert.equal(b.code, 2);
    assert.match(b.err, /choose one of/);
  });
});

const CURSOR_HOOKS = `{
\t"version": 1,
\t"hooks": {
\t\t"afterFileEdit": [
\t\t\t{
\t\t\t\t"command": "./hooks/format.sh"
\t\t\t}
\t\t],
\t\t"beforeShellExecution": [
\t\t\t{
\t\t\t\t"command": "./hooks/audit.sh"
\t\t\t}
\t\t]
\t}
}
`;

describe('hook install cursor', () => {
  it('appends to beforeShellExecution, keeps the other hooks and the tab indentation; uninstall restores the file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.cursor'));
    const file = join(dir, '.cursor', 'hooks.json');
    writeFileSync(file, CURSOR_HOOKS);
    assert.equal((await sg(['hook', 'install', 'cursor', '--command', 'slopguard'], dir)).code, 0);
    const once = readFileSync(file, 'utf8');
    const hooks = JSON.parse(once);
    assert.equal(hooks.version, 1);
    assert.deepEqual(hooks.hooks.afterFileEdit, [{ command: './hooks/format.sh' }]);
    assert.deepEqual(hooks.hooks.beforeShellExecution, [{ command: './hooks/audit.sh' }, { command: 'slopguard hook cursor' }]);
    assert.match(once, /\n\t\t\t\t"command": "slopguard hook cursor"/);

    const second = await sg(['hook', 'install', 'cursor', '--command', 'slopguard'], dir);
    assert.match(second.out, /already installed/);
    assert.equal(readFileSync(file, 'utf8'), once);

    assert.equal((await sg(['hook', 'uninstall', 'cursor'], dir)).code, 0);
    assert.equal(readFileSync(file, 'utf8'), CURSOR_HOOKS);
  });

  it('a new hooks file gets "version": 1', async () => {
    const dir = tempDir();
    assert.equal((await sg(['hook', 'install', 'cursor', '--command', 'slopguard'], dir)).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, '.cursor', 'hooks.json'), 'utf8')), {
      version: 1,
      hooks: { beforeShellExecution: [{ command: 'slopguard hook cursor' }] },
    });
  });
});

describe('hook install git', () => {
  it('creates an executable pre-commit hook, idempotently; uninstall deletes what it created', async () => {
    const repo = gitRepo();
    const file = join(repo, '.git', 'hooks', 'pre-commit');
    const r = await sg(['hook', 'install', 'git', '--command', 'slopguard'], repo);
    assert.equal(r.code, 0, r.err);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^#!\/bin\/sh\n# >>> slopguard pre-commit >>>\n/);
    assert.match(text, /\nslopguard hook git-pre-commit \|\| exit \$\?\n/);
    assert.ok((statSync(file).mode & 0o111) !== 0, 'executable');
    assert.match((await sg(['hook', 'install', 'git', '--command', 'slopguard'], repo)).out, /already installed/);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.equal((await sg(['hook', 'uninstall', 'git'], repo)).code, 0);
    assert.ok(!existsSync(file));
  });

  it('chains an existing shell hook: the block goes right after #! (an exit 0 at the end cannot skip it); uninstall restores it', async () => {
    const repo = gitRepo();
    const file = join(repo, '.git', 'hooks', 'pre-commit');
    const original = '#!/usr/bin/env bash\nset -e\nnpm run lint\nexit 0\n';
    writeFileSync(file, original);
    chmodSync(file, 0o750);
    const r = await sg(['hook', 'install', 'git', '--command', 'slopguard'], repo);
    assert.match(r.out, /chained/);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('#!/usr/bin/env bash\n# >>> slopguard pre-commit >>>\n'));
    assert.ok(text.endsWith('# <<< slopguard pre-commit <<<\nset -e\nnpm run lint\nexit 0\n'));
    assert.equal(statSync(file).mode & 0o777, 0o750);
    await sg(['hook', 'uninstall', 'git'], repo);
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.equal(statSync(file).mode & 0o777, 0o750);
  });

  it('chains a hook that is not a shell script by moving it aside; uninstall moves it back', async () => {
    const repo = gitRepo();
    const dir = join(repo, '.git', 'hooks');
    const file = join(dir, 'pre-commit');
    const original = '#!/usr/bin/env python3\nprint("checks")\n';
    writeFileSync(file, original, { mode: 0o755 });
    const r = await sg(['hook', 'install', 'git', '--command', 'slopguard'], repo);
    assert.match(r.out, /moved to pre-commit\.pre-slopguard/);
    assert.equal(readFileSync(join(dir, 'pre-commit.pre-slopguard'), 'utf8'), original);
    assert.match(readFileSync(file, 'utf8'), /exec "\$\(dirname "\$0"\)\/pre-commit\.pre-slopguard" "\$@"/);
    await sg(['hook', 'uninstall', 'git'], repo);
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.ok(!existsSync(join(dir, 'pre-commit.pre-slopguard')));
  });

  it('honours core.hooksPath', async () => {
    const repo = gitRepo();
    execFileSync('git', ['config', 'core.hooksPath', 'githooks'], { cwd: repo });
    assert.equal((await sg(['hook', 'install', 'git', '--command', 'slopguard'], repo)).code, 0);
    assert.ok(existsSync(join(repo, 'githooks', 'pre-commit')));
    assert.ok(!existsSync(join(repo, '.git', 'hooks', 'pre-commit')));
  });

  it('refuses husky-managed hook folders and --user, with what to do instead', async () => {
    const repo = gitRepo();
    execFileSync('git', ['config', 'core.hooksPath', '.husky/_'], { cwd: repo });
    const h = await sg(['hook', 'install', 'git'], repo);
    assert.equal(h.code, 2);
    assert.match(h.err, /\.husky\/pre-commit/);
    const u = await sg(['hook', 'install', 'git', '--user'], repo);
    assert.equal(u.code, 2);
    assert.match(u.err, /per repository/);
  });

  it('outside a git repository says so (exit 2)', async () => {
    const r = await sg(['hook', 'install', 'git'], tempDir());
    assert.equal(r.code, 2);
    assert.match(r.err, /not inside a git repository/);
  });
});
