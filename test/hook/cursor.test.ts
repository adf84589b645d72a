import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';
import { NOW, registryEnv, startDoorRegistry, type DoorRegistry } from './fixtures.js';

/** Cursor's beforeShellExecution input, as its hooks docs show it. */
function beforeShell(command: string) {
  return {
    hook_event_name: 'beforeShellExecution',
    conversation_id: 'conv-123',
    generation_id: 'gen-456',
    workspace_roots: [process.cwd()],
    command,
    cwd: process.cwd(),
  };
}

interface CursorAnswer {
  permission: string;
  user_message?: string;
  agent_message?: string;
}

let reg: DoorRegistry;
before(async () => {
  reg = await startDoorRegistry();
});
after(() => reg.close());

async function hook(stdin: string, args: string[] = [], env = reg.env): Promise<{ code: number; answer: CursorAnswer; err: string; out: string }> {
  const t = testIo({ env, stdin, now: NOW });
  const code = await run(['hook', 'cursor', ...args], t.io);
  return { code, answer: JSON.parse(t.out()) as CursorAnswer, err: t.err(), out: t.out() };
}

describe('hook cursor (beforeShellExecution)', () => {
  it('denies a hallucinated name, telling the user and the agent once each (the documented field names only)', async () => {
    const r = await hook(JSON.stringify(beforeShell('npm install lodahs')));
    assert.equal(r.code, 0);
    assert.equal(r.answer.permission, 'deny');
    assert.match(r.answer.agent_message ?? '', /`lodahs` does not exist on npm; did you mean `lodash`\?/);
    assert.equal(r.answer.user_message, r.answer.agent_message);
    assert.deepEqual(Object.keys(r.answer).sort(), ['agent_message', 'permission', 'user_message']);
    // The reason is said once, not once per field spelling.
    assert.equal(r.out.split('does not exist on npm').length - 1, 2);
  });

  it('asks about a brand-new, unused package: the user decides, the agent gets no message', async () => {
    const r = await hook(JSON.stringify(beforeShell('pnpm add fresh-helper-kit')));
    assert.equal(r.answer.permission, 'ask');
    assert.match(r.answer.user_message ?? '', /fresh-helper-kit/);
    assert.equal(r.answer.agent_message, undefined);
  });

  it('plans like the Claude hook: a heredoc fed to sh is denied, a $VAR argument is asked about', async () => {
    const heredoc = await hook(JSON.stringify(beforeShell("sh -s <<'EOF'\npip install reqeusts\nEOF")));
    assert.equal(heredoc.answer.permission, 'deny');
    assert.match(heredoc.answer.agent_message ?? '', /`reqeusts` does not exist on PyPI/);
    const variable = await hook(JSON.stringify(beforeShell('npm install "$PKG"')));
    assert.equal(variable.answer.permission, 'ask');
    assert.match(variable.answer.user_message ?? '', /only known when the shell runs it/);
  });

  it('always answers: "allow" with no message for a fine install and for commands that install nothing', async () => {
    assert.deepEqual((await hook(JSON.stringify(beforeShell('pip install requests')))).answer, { permission: 'allow' });
    assert.deepEqual((await hook(JSON.stringify(beforeShell('git push')))).answer, { permission: 'allow' });
  });

  it('bad input is let through with a message for the user, or denied when failing closed', async () => {
    const a = await hook('{"command": 42}');
    assert.equal(a.answer.permission, 'allow');
    assert.match(a.answer.user_message ?? '', /no "command"/);
    assert.equal(a.answer.agent_message, undefined);
    assert.match(a.err, /warning/);
    const b = await hook('not json', ['--fail-closed']);
    assert.equal(b.answer.permission, 'deny');
  });

  it('an unreachable registry asks by default and denies with --on-unverified deny', async () => {
    const env = registryEnv('http://127.0.0.1:9', `${reg.cacheDir}-down`);
    assert.equal((await hook(JSON.stringify(beforeShell('npm i some-unchecked-name')), [], env)).answer.permission, 'ask');
    assert.equal((await hook(JSON.stringify(beforeShell('npm i some-unchecked-name')), ['--on-unverified', 'deny'], env)).answer.permission, 'deny');
  });

  for (const [name, text] of [['an unknown key', '{"x": 1}'], ['broken JSON', '{ broken']] as const) {
    it(`a broken repository config (${name}) never gets "allow": ask, deny when failing closed`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'slopguard-cursor-badcfg-'));
      try {
        mkdirSync(join(dir, '.git'));
        writeFileSync(join(dir, '.slopguard.json'), text);
        const input = JSON.stringify({ ...beforeShell('npm install express'), cwd: dir, workspace_roots: [dir] });
        const a = await hook(input);
        assert.equal(a.answer.permission, 'ask', a.err);
        assert.match(a.answer.user_message ?? '', /could not check this command[\s\S]*misconfigured/);
        assert.equal((await hook(input, ['--on-unverified', 'allow'])).answer.permission, 'ask');
        assert.equal((await hook(input, ['--fail-closed'])).answer.permission, 'deny');
        assert.equal((await hook(input, [], { ...reg.env, SLOPGUARD_FAIL_CLOSED: '1' })).answer.permission, 'deny');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("a repository's own allowlist (\"*\") does not turn a squat into allow", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slopguard-cursor-allow-'));
    try {
      mkdirSync(join(dir, '.git'));
      writeFileSync(join(dir, '.slopguard.json'), JSON.stringify({ allow: { npm: [{ name: '*', reason: 'x' }] } }));
      const r = await hook(JSON.stringify({ ...beforeShell('npm install lodahs'), cwd: dir, workspace_roots: [dir] }));
      assert.equal(r.answer.permission, 'deny');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('other events get an allow', async () => {
    const r = await hook(JSON.stringify({ ...beforeShell('npm i lodahs'), hook_event_name: 'beforeMCPExecution' }));
    assert.deepEqual(r.answer, { permission: 'allow' });
  });
});
