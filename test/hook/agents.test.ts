/**
 * The hooks of agents whose protocols have no "ask" (Codex CLI, Gemini CLI, GitHub Copilot,
 * OpenCode's plugin), fed the input each product documents, checked against the output it documents.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';
import { NOW, registryEnv, startDoorRegistry, type DoorRegistry } from './fixtures.js';

/** How one agent's protocol looks from outside. */
interface Agent {
  name: 'codex' | 'gemini' | 'copilot' | 'opencode' | 'windsurf';
  /** The documented input for a shell call. */
  shell(command: string, cwd: string): unknown;
  /** A documented input for a tool that is not the shell. */
  otherTool(cwd: string): unknown;
  /** Exactly what the agent reads as "no objection". */
  noObjection: string;
  /** Read the documented output back: deny (with the reason the agent reads), warn, or none. */
  read(out: string, err: string, code: number): { action: 'deny' | 'warn' | 'none'; message?: string };
}

const AGENTS: Agent[] = [
  {
    // https://developers.openai.com/codex/hooks: Claude Code's wire format.
    name: 'codex',
    shell: (command, cwd) => ({
      session_id: 'sess-1',
      turn_id: 'turn-1',
      transcript_path: '/home/user/.codex/sessions/x.jsonl',
      cwd,
      hook_event_name: 'PreToolUse',
      model: 'gpt-5-codex',
      permission_mode: 'default',
      tool_name: 'Bash',
      tool_use_id: 'call-1',
      tool_input: { command },
    }),
    otherTool: (cwd) => ({ cwd, hook_event_name: 'PreToolUse', tool_name: 'apply_patch', tool_use_id: 'call-2', tool_input: { command: '*** Begin Patch\n*** End Patch' } }),
    noObjection: '',
    read(out, err, code) {
      assert.equal(code, 0);
      if (out === '') return { action: err.includes('slopguard let') || err.includes('warning') ? 'warn' : 'none' };
      const j = JSON.parse(out);
      // Codex fails a hook on any field it does not support and then runs the command: only these may appear.
      assert.deepEqual(Object.keys(j), ['hookSpecificOutput']);
      assert.deepEqual(Object.keys(j.hookSpecificOutput).sort(), ['hookEventName', 'permissionDecision', 'permissionDecisionReason']);
      assert.equal(j.hookSpecificOutput.hookEventName, 'PreToolUse');
      assert.equal(j.hookSpecificOutput.permissionDecision, 'deny');
      return { action: 'deny', message: j.hookSpecificOutput.permissionDecisionReason };
    },
  },
  {
    // https://geminicli.com/docs/hooks/reference
    name: 'gemini',
    shell: (command, cwd) => ({
      session_id: 'sess-1',
      transcript_path: '/home/user/.gemini/tmp/x/chats/session.json',
      cwd,
      hook_event_name: 'BeforeTool',
      timestamp: '2026-11-26T12:00:00.000Z',
      tool_name: 'run_shell_command',
      tool_input: { command, description: 'Install the dependency' },
    }),
    otherTool: (cwd) => ({ cwd, hook_event_name: 'BeforeTool', timestamp: '2026-11-26T12:00:00.000Z', tool_name: 'read_file', tool_input: { absolute_path: join(cwd, 'package.json') } }),
    noObjection: '{}\n',
    read(out, _err, code) {
      assert.equal(code, 0);
      const j = JSON.parse(out); // stdout must be JSON and nothing else
      if (j.decision !== undefined) {
        assert.equal(j.decision, 'deny');
        assert.equal(typeof j.reason, 'string');
        return { action: 'deny', message: j.reason };
      }
      return j.systemMessage ? { action: 'warn', message: j.systemMessage } : { action: 'none' };
    },
  },
  {
    // https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference
    name: 'copilot',
    shell: (command, cwd) => ({ timestamp: 1764158400000, cwd, toolName: 'bash', toolArgs: JSON.stringify({ command, description: 'Install the dependency' }) }),
    otherTool: (cwd) => ({ timestamp: 1764158400000, cwd, toolName: 'view', toolArgs: JSON.stringify({ path: join(cwd, 'package.json') }) }),
    noObjection: '',
    read(out, err, code) {
      // Copilot skips a hook that exits non-zero: every answer must be exit 0.
      assert.equal(code, 0);
      if (out === '') return { action: err.includes('slopguard let') || err.includes('warning') ? 'warn' : 'none' };
      const j = JSON.parse(out);
      assert.deepEqual(Object.keys(j).sort(), ['permissionDecision', 'permissionDecisionReason']);
      assert.equal(j.permissionDecision, 'deny');
      return { action: 'deny', message: j.permissionDecisionReason };
    },
  },
  {
    // What the plugin `hook install opencode` writes sends (src/hook/install/opencode-plugin.ts).
    name: 'opencode',
    shell: (command, cwd) => ({ tool: 'bash', args: { command, description: 'Install the dependency' }, directory: cwd, sessionID: 'ses_1' }),
    otherTool: (cwd) => ({ tool: 'read', args: { filePath: join(cwd, 'package.json') }, directory: cwd, sessionID: 'ses_1' }),
    noObjection: '{"action":"none"}\n',
    read(out, _err, code) {
      assert.equal(code, 0);
      const j = JSON.parse(out);
      assert.ok(['none', 'warn', 'deny'].includes(j.action), out);
      return j.action === 'none' ? { action: 'none' } : { action: j.action, message: j.message };
    },
  },
  {
    // https://docs.windsurf.com/windsurf/cascade/hooks: a pre-hook blocks only by exiting 2.
    name: 'windsurf',
    shell: (command, cwd) => ({ agent_action_name: 'pre_run_command', trajectory_id: 'traj-1', execution_id: 'exec-1', timestamp: '2026-11-26T12:00:00.000Z', tool_info: { command_line: command, cwd } }),
    otherTool: (cwd) => ({ agent_action_name: 'pre_read_code', trajectory_id: 'traj-1', execution_id: 'exec-2', timestamp: '2026-11-26T12:00:00.000Z', tool_info: { file_path: join(cwd, 'package.json') } }),
    noObjection: '',
    read(out, err, code) {
      assert.equal(out, '', 'Cascade reads exit codes; stdout stays empty');
      if (code === 2) return { action: 'deny', message: err };
      assert.equal(code, 0);
      return err.trim() ? { action: 'warn', message: err } : { action: 'none' };
    },
  },
];

let reg: DoorRegistry;
let project: string;
before(async () => {
  reg = await startDoorRegistry();
  project = mkdtempSync(join(tmpdir(), 'slopguard-agents-'));
});
after(async () => {
  await reg.close();
  rmSync(project, { recursive: true, force: true });
});

async function hook(agent: Agent, stdin: string, args: string[] = [], env: Record<string, string> = reg.env) {
  const t = testIo({ env, stdin, now: NOW, cwd: project });
  const code = await run(['hook', agent.name, ...args], t.io);
  return { code, out: t.out(), err: t.err(), answer: agent.read(t.out(), t.err(), code) };
}
const shell = (agent: Agent, command: string, args?: string[], env?: Record<string, string>) => hook(agent, JSON.stringify(agent.shell(command, project)), args, env);
const down = () => registryEnv('http://127.0.0.1:9', `${reg.cacheDir}-down`);

for (const agent of AGENTS) {
  describe(`hook ${agent.name}`, () => {
    it('denies an install of a name that does not exist, with a reason the agent can act on', async () => {
      const r = await shell(agent, 'npm install lodahs');
      assert.equal(r.answer.action, 'deny');
      assert.match(r.answer.message!, /`lodahs` does not exist on npm; did you mean `lodash`\?/);
      assert.match(r.answer.message!, /Use the intended package name instead/);
    });

    it('denies what it would ask about (the protocol has no "ask"), saying a person must decide', async () => {
      const r = await shell(agent, 'cd web && npm i fresh-helper-kit');
      assert.equal(r.answer.action, 'deny');
      assert.match(r.answer.message!, /until a person has looked at it \(this agent's hooks cannot ask the user\)/);
      assert.match(r.answer.message!, /`fresh-helper-kit` was first published 5 days ago/);
      assert.doesNotMatch(r.out, /"ask"/);
    });

    it('has no objection to established packages, in the exact form the agent reads as such', async () => {
      const r = await shell(agent, 'npm install express lodash@4 && pip install requests');
      assert.equal(r.out, agent.noObjection);
      assert.equal(r.answer.action, 'none');
    });

    it('commands that install nothing, and other tools, are not looked up at all', async () => {
      reg.registry.clearRequests();
      for (const input of [agent.shell('ls -la && git status && npm test', project), agent.otherTool(project)]) {
        const r = await hook(agent, JSON.stringify(input));
        assert.equal(r.out, agent.noObjection);
      }
      assert.equal(reg.registry.requests.length, 0);
    });

    it('a package nobody could check is denied by default; --on-unverified allow lets it through with a warning; --fail-closed denies', async () => {
      const a = await shell(agent, 'npm i some-unchecked-name', [], down());
      assert.equal(a.answer.action, 'deny');
      assert.match(a.answer.message!, /`some-unchecked-name` could not be checked on npm/);
      assert.match(a.answer.message!, /could not check what it would install \(this agent's hooks cannot ask the user\)/);
      assert.match(a.answer.message!, /Nothing here was found to be bad: try again/);
      const b = await shell(agent, 'npm i some-unchecked-name', ['--on-unverified', 'allow'], down());
      assert.equal(b.answer.action, 'warn');
      assert.match(b.answer.message ?? b.err, /without checking it/);
      const c = await shell(agent, 'npm i some-unchecked-name', ['--fail-closed'], down());
      assert.equal(c.answer.action, 'deny');
    });

    it('input that is not JSON is let through with a warning, and denied when failing closed; never a crash', async () => {
      const a = await hook(agent, '{"tool_name": ');
      assert.equal(a.answer.action === 'deny', false);
      assert.match(a.err, /slopguard: warning: the hook input on stdin is not JSON.*allowed unchecked/);
      const b = await hook(agent, '{"tool_name": ', ['--fail-closed']);
      assert.equal(b.answer.action, 'deny');
      assert.match(b.answer.message!, /could not check it \(failing closed\)/);
    });

    it('JSON of another shape is reported on stderr, not thrown', async () => {
      const r = await hook(agent, JSON.stringify({ hello: 'world' }));
      assert.equal(r.code, 0);
      assert.match(r.err, /slopguard: warning: the hook input has no "\w+"/);
    });
  });
}

describe('protocol details', () => {
  const byName = (n: Agent['name']) => AGENTS.find((a) => a.name === n)!;

  it('codex: a command sent as an argv (["bash", "-lc", "..."]) is read as the script it runs', async () => {
    const codex = byName('codex');
    const input = { ...(codex.shell('', project) as object), tool_input: { command: ['bash', '-lc', 'npm i lodahs'] } };
    const r = await hook(codex, JSON.stringify(input));
    assert.equal(r.answer.action, 'deny');
    const direct = { ...(codex.shell('', project) as object), tool_input: { command: ['npm', 'install', 'lodahs'] } };
    assert.equal((await hook(codex, JSON.stringify(direct))).answer.action, 'deny');
  });

  it('codex and gemini: other events get no objection', async () => {
    for (const [agent, event] of [[byName('codex'), 'PostToolUse'], [byName('gemini'), 'AfterTool']] as const) {
      const r = await hook(agent, JSON.stringify({ ...(agent.shell('npm i lodahs', project) as object), hook_event_name: event }));
      assert.equal(r.out, agent.noObjection, agent.name);
    }
  });

  it('gemini: the command runs in tool_input.dir_path, so `pip install -r` reads the file there', async () => {
    const gemini = byName('gemini');
    mkdirSync(join(project, 'api'), { recursive: true });
    writeFileSync(join(project, 'api', 'requirements.txt'), 'reqeusts\n');
    const input = { ...(gemini.shell('', project) as object), tool_input: { command: 'pip install -r requirements.txt', dir_path: 'api' } };
    const r = await hook(gemini, JSON.stringify(input));
    assert.equal(r.answer.action, 'deny');
    assert.match(r.answer.message!, /`reqeusts` does not exist on PyPI/);
  });

  it('gemini: write_file and replace of a manifest or MCP config are judged by what they add', async () => {
    const gemini = byName('gemini');
    const base = gemini.shell('', project) as Record<string, unknown>;
    const dir = join(project, 'gem-edit');
    mkdirSync(dir, { recursive: true });
    const write = { ...base, tool_name: 'write_file', tool_input: { file_path: join(dir, '.mcp.json'), content: '{"mcpServers": {"h": {"command": "npx", "args": ["-y", "lodahs"]}}}\n' } };
    const a = await hook(gemini, JSON.stringify(write));
    assert.equal(a.answer.action, 'deny');
    assert.match(a.answer.message!, /stopped this edit of gem-edit\/\.mcp\.json/);
    writeFileSync(join(dir, 'package.json'), '{\n  "dependencies": {\n    "express": "^4.19.0",\n    "internal-legacy-thing": "^2.0.0"\n  }\n}\n');
    reg.registry.clearRequests();
    const replace = { ...base, tool_name: 'replace', tool_input: { file_path: join(dir, 'package.json'), old_string: '"express": "^4.19.0",', new_string: '"express": "^4.19.0",\n    "expresss": "^1.0.0",' } };
    const b = await hook(gemini, JSON.stringify(replace));
    assert.equal(b.answer.action, 'deny');
    assert.match(b.answer.message!, /`expresss` does not exist on npm/);
    assert.equal(reg.registry.count((q) => q.path.includes('internal-legacy-thing')), 0, 'names already there are not judged');
    // An edit of any other file is not looked at.
    const other = { ...base, tool_name: 'write_file', tool_input: { file_path: join(dir, 'notes.txt'), content: 'npm i lodahs' } };
    assert.equal((await hook(gemini, JSON.stringify(other))).out, '{}\n');
  });

  it('claude: a Write of .mcp.json or AGENTS.md is judged too, now that they are sources', async () => {
    const files: Array<[string, string]> = [
      ['.mcp.json', '{"mcpServers": {"h": {"command": "npx", "args": ["-y", "lodahs"]}}}\n'],
      ['AGENTS.md', '# Setup\n\nRun `npm install lodahs` first.\n'],
    ];
    for (const [file, content] of files) {
      const input = { session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: join(project, 'claude-w', file), content }, tool_use_id: 't' };
      const t = testIo({ env: reg.env, stdin: JSON.stringify(input), now: NOW, cwd: project });
      assert.equal(await run(['hook', 'claude'], t.io), 0);
      const out = JSON.parse(t.out());
      assert.equal(out.hookSpecificOutput.permissionDecision, 'deny', file);
      assert.match(out.hookSpecificOutput.permissionDecisionReason, /`lodahs` does not exist on npm/);
    }
  });

  it('copilot: toolArgs that is not a JSON object (or a string holding one) is reported, and denied when failing closed', async () => {
    const copilot = byName('copilot');
    const bad = JSON.stringify({ timestamp: 1, cwd: project, toolName: 'bash', toolArgs: '{"command": "npm i lod' });
    const a = await hook(copilot, bad);
    assert.equal(a.out, '');
    assert.match(a.err, /"toolArgs" for bash is not a JSON object/);
    assert.equal((await hook(copilot, bad, ['--fail-closed'])).answer.action, 'deny');
    // toolArgs as an object (the SDK's shape) is read too.
    const obj = JSON.stringify({ timestamp: 1, cwd: project, toolName: 'bash', toolArgs: { command: 'npm i lodahs' } });
    assert.equal((await hook(copilot, obj)).answer.action, 'deny');
  });
});

describe('hook <unknown agent>', () => {
  it('is a usage error on stderr with exit 2 and nothing on stdout (Claude Code, Codex and Gemini CLI read exit 2 as blocked)', async () => {
    for (const name of ['vscode', 'aider', 'Claude']) {
      const t = testIo({ env: reg.env, stdin: JSON.stringify(AGENTS[0]!.shell('npm i lodahs', project)), cwd: project });
      const code = await run(['hook', name], t.io);
      assert.equal(code, 2, name);
      assert.equal(t.out(), '', name);
      assert.match(t.err(), new RegExp(`unknown command '${name}'`));
    }
  });

  it('the hook help says which agents read that exit code as blocked', async () => {
    const t = testIo();
    assert.equal(await run(['hook', '--help'], t.io), 0);
    assert.match(t.out(), /unknown agent name is a usage error \(exit 2, on stderr\)/);
    assert.match(t.out(), /Copilot and Cursor skip a failing hook/);
  });
});
