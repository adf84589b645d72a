import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';
import { npmPackage, startFixtureRegistry } from '../fixture-registry/server.js';
import { NOW, registryEnv, startDoorRegistry, type DoorRegistry } from './fixtures.js';

/** Claude Code's PreToolUse input, as the hooks reference documents it. */
function preToolUse(tool_name: string, tool_input: Record<string, unknown>, cwd: string) {
  return {
    session_id: 'abc123',
    transcript_path: '/home/user/.claude/projects/x/abc123.jsonl',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name,
    tool_input,
    tool_use_id: 'toolu_01ABC123',
  };
}

interface HookRun {
  code: number;
  out: string;
  err: string;
  /** The parsed JSON answer, when there is one. */
  json?: {
    hookSpecificOutput?: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string };
    systemMessage?: string;
  };
}

let reg: DoorRegistry;
let project: string;
before(async () => {
  reg = await startDoorRegistry();
  project = mkdtempSync(join(tmpdir(), 'slopguard-claude-'));
});
after(async () => {
  await reg.close();
  rmSync(project, { recursive: true, force: true });
});

async function hook(stdin: string, args: string[] = [], env: Record<string, string> = reg.env): Promise<HookRun> {
  const t = testIo({ env, stdin, now: NOW, cwd: project });
  const code = await run(['hook', 'claude', ...args], t.io);
  const out = t.out();
  const r: HookRun = { code, out, err: t.err() };
  if (out.trim()) r.json = JSON.parse(out);
  return r;
}

const bash = (command: string, args: string[] = [], env?: Record<string, string>) => hook(JSON.stringify(preToolUse('Bash', { command, description: 'Install', timeout: 120000 }, project)), args, env);

describe('hook claude: Bash', () => {
  it('denies an install of a name that does not exist, with a reason Claude can act on', async () => {
    const r = await bash('npm install lodahs');
    assert.equal(r.code, 0);
    const out = r.json?.hookSpecificOutput;
    assert.equal(out?.hookEventName, 'PreToolUse');
    assert.equal(out?.permissionDecision, 'deny');
    assert.match(out!.permissionDecisionReason, /`lodahs` does not exist on npm; did you mean `lodash`\?/);
    assert.match(out!.permissionDecisionReason, /Use the intended package name instead/);
  });

  it('denies a PyPI typo inside a longer shell line', async () => {
    const r = await bash('cd api && python -m pip install -U "reqeusts>=2" && pytest');
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /`reqeusts` does not exist on PyPI; did you mean `requests`\?/);
  });

  it('asks about a package first published days ago with almost no downloads', async () => {
    const r = await bash('npm i fresh-helper-kit');
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'ask');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /`fresh-helper-kit` was first published 5 days ago/);
  });

  it('has no objection to established packages: exit 0 and no output (the normal permission flow applies)', async () => {
    const r = await bash('npm install express lodash@4 && pip install requests');
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
  });

  it('a deny lists every blocked name, worst first, and does not mention the fine ones', async () => {
    const r = await bash('npm i fresh-helper-kit lodahs express');
    const reason = r.json!.hookSpecificOutput!.permissionDecisionReason;
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.ok(reason.indexOf('lodahs') < reason.indexOf('fresh-helper-kit'));
    assert.doesNotMatch(reason, /express/);
  });

  it('commands that install nothing are not looked up at all', async () => {
    reg.registry.clearRequests();
    const r = await bash('ls -la && git status && npm test && echo "npm install lodahs"');
    assert.equal(r.out, '');
    assert.equal(reg.registry.requests.length, 0);
  });

  it('a registry named on the command is where its packages are looked up', async () => {
    const priv = await startFixtureRegistry({ npm: [npmPackage({ name: 'corp-internal-sdk', created: '2024-01-01', weeklyDownloads: 500, repository: 'corp/sdk' })] });
    reg.registry.addMissing('npm', 'corp-internal-sdk'); // the public downloads API has no data for it
    try {
      reg.registry.clearRequests();
      const r = await bash(`npm install --registry ${priv.url}/ corp-internal-sdk`);
      assert.equal(r.out, '');
      assert.equal(priv.count('/corp-internal-sdk'), 1);
      assert.equal(reg.registry.count('/corp-internal-sdk'), 0, 'the packument was not asked of the public registry');
      priv.assertNoUnexpectedRequests();
    } finally {
      await priv.close();
    }
  });

  it('reads the requirement files a pip install -r names', async () => {
    writeFileSync(join(project, 'requirements-dev.txt'), 'requests==2.32.3\nreqeusts\n');
    const r = await bash('pip install -r requirements-dev.txt');
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /`reqeusts`/);
  });
});

describe('hook claude: Write, Edit and MultiEdit of manifests', () => {
  const manifest = (deps: Record<string, string>) => `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }, null, 2)}\n`;

  it('Write of a new package.json checks its dependencies', async () => {
    const file = join(project, 'write-new', 'package.json');
    const r = await hook(JSON.stringify(preToolUse('Write', { file_path: file, content: manifest({ lodash: '^4.17.21', lodahs: '^1.0.0' }) }, project)));
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /stopped this edit of write-new\/package\.json/);
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /`lodahs` does not exist on npm/);
  });

  it('Edit checks only the dependency the edit adds, never the ones already there', async () => {
    const dir = mkdtempSync(join(project, 'edit-'));
    const file = join(dir, 'package.json');
    // `internal-legacy-thing` is not served by the fixture registry: asking about it would be an unexpected request.
    writeFileSync(file, manifest({ express: '^4.19.0', 'internal-legacy-thing': '^2.0.0' }));
    reg.registry.clearRequests();
    const r = await hook(
      JSON.stringify(preToolUse('Edit', { file_path: file, old_string: '"express": "^4.19.0",', new_string: '"express": "^4.19.0",\n    "expresss": "^1.0.0",', replace_all: false }, project)),
    );
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /`expresss` does not exist on npm; did you mean `express`\?/);
    assert.equal(reg.registry.count((q) => q.path.includes('internal-legacy-thing') || q.path.includes('/express') && !q.path.includes('expresss')), 0);
    reg.registry.assertNoUnexpectedRequests();
  });

  it('Edit that changes only a version range checks nothing', async () => {
    const dir = mkdtempSync(join(project, 'edit-'));
    const file = join(dir, 'package.json');
    writeFileSync(file, manifest({ 'internal-legacy-thing': '^2.0.0' }));
    reg.registry.clearRequests();
    const r = await hook(JSON.stringify(preToolUse('Edit', { file_path: file, old_string: '^2.0.0', new_string: '^2.1.0' }, project)));
    assert.equal(r.out, '');
    assert.equal(reg.registry.requests.length, 0);
  });

  it('MultiEdit applies the edits in order and checks what they add', async () => {
    const dir = mkdtempSync(join(project, 'multi-'));
    const file = join(dir, 'requirements.txt');
    writeFileSync(file, 'flask==3.0.0\n');
    reg.registry.clearRequests();
    const r = await hook(
      JSON.stringify(
        preToolUse(
          'MultiEdit',
          {
            file_path: file,
            edits: [
              { old_string: 'flask==3.0.0', new_string: 'flask==3.0.3' },
              { old_string: 'flask==3.0.3\n', new_string: 'flask==3.0.3\nreqeusts>=2\n' },
            ],
          },
          project,
        ),
      ),
    );
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /stopped this edit of multi-\w+\/requirements\.txt/);
    assert.equal(reg.registry.count((q) => q.path.includes('flask')), 0, 'flask was there before the edit');
  });

  it('a line slopguard cannot read elsewhere in the file does not let the added package through unchecked', async () => {
    const dir = mkdtempSync(join(project, 'unreadable-line-'));
    const file = join(dir, 'requirements.txt');
    // An odd line that was already there, and a name the fixture registry does not serve (asking would be unexpected).
    writeFileSync(file, 'flask==3.0.0\ninternal-legacy-thing\nthis is not valid ???\n');
    reg.registry.clearRequests();
    const r = await hook(JSON.stringify(preToolUse('Edit', { file_path: file, old_string: 'flask==3.0.0\n', new_string: 'flask==3.0.0\nreqeusts\n' }, project)));
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /`reqeusts` does not exist on PyPI/);
    assert.equal(reg.registry.count((q) => q.path.includes('flask') || q.path.includes('internal-legacy-thing')), 0, 'names already there are not judged');
    reg.registry.assertNoUnexpectedRequests();
  });

  it('an edit whose old_string is not in the file is left to the tool to fail', async () => {
    const dir = mkdtempSync(join(project, 'edit-'));
    const file = join(dir, 'package.json');
    writeFileSync(file, manifest({}));
    const r = await hook(JSON.stringify(preToolUse('Edit', { file_path: file, old_string: 'nothing like this', new_string: '"lodahs": "1"' }, project)));
    assert.equal(r.out, '');
  });

  it('edits of other files and other tools are not looked at', async () => {
    reg.registry.clearRequests();
    const a = await hook(JSON.stringify(preToolUse('Write', { file_path: join(project, 'notes.md'), content: 'npm install lodahs' }, project)));
    const b = await hook(JSON.stringify(preToolUse('Read', { file_path: join(project, 'package.json') }, project)));
    assert.equal(a.out + b.out, '');
    assert.equal(reg.registry.requests.length, 0);
  });
});

describe('hook claude: never crashes the agent', () => {
  it('input that is not JSON is let through with a warning on stderr', async () => {
    const r = await hook('this is not json');
    assert.equal(r.code, 0);
    assert.match(r.err, /slopguard: warning: the hook input on stdin is not JSON.*allowed unchecked/);
    assert.equal(r.json?.hookSpecificOutput, undefined);
    assert.match(r.json?.systemMessage ?? '', /let this tool call through without checking it/);
  });

  it('input that is not JSON is denied when failing closed (flag or env)', async () => {
    const a = await hook('{"tool_name": ', ['--fail-closed']);
    assert.equal(a.code, 0);
    assert.equal(a.json?.hookSpecificOutput?.permissionDecision, 'deny');
    const b = await hook('[]', [], { ...reg.env, SLOPGUARD_FAIL_CLOSED: '1' });
    assert.equal(b.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(b.json!.hookSpecificOutput!.permissionDecisionReason, /not a JSON object/);
  });

  it('a denial for unreadable input says what went wrong, without advice about package names', async () => {
    const r = await hook('{"tool_name": ', ['--fail-closed']);
    const reason = r.json?.hookSpecificOutput?.permissionDecisionReason ?? '';
    assert.match(reason, /not JSON/);
    assert.doesNotMatch(reason, /intended package name/);
  });

  it('JSON without tool_name / tool_input is reported, not thrown', async () => {
    const r = await hook(JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash' }));
    assert.equal(r.code, 0);
    assert.match(r.err, /no "tool_input" object for Bash/);
  });

  it('other events get no objection', async () => {
    const r = await hook(JSON.stringify({ ...preToolUse('Bash', { command: 'npm i lodahs' }, project), hook_event_name: 'PostToolUse' }));
    assert.equal(r.out, '');
  });

  const brokenConfigs: Array<[string, string]> = [
    ['an invalid value', '{"failOn": "sometimes"}'],
    ['an unknown key', '{"x": 1}'],
    ['broken JSON', '{ broken'],
  ];
  for (const [name, text] of brokenConfigs) {
    it(`a broken config file (${name}) is "cannot check": ask, deny when failing closed, never let through`, async () => {
      const dir = mkdtempSync(join(project, 'badcfg-'));
      mkdirSync(join(dir, '.git'));
      writeFileSync(join(dir, '.slopguard.json'), text);
      const input = JSON.stringify(preToolUse('Bash', { command: 'npm i express' }, dir));
      const a = await hook(input);
      assert.equal(a.code, 0);
      assert.match(a.err, /misconfigured/);
      assert.equal(a.json?.hookSpecificOutput?.permissionDecision, 'ask');
      assert.match(a.json!.hookSpecificOutput!.permissionDecisionReason, /could not check this command.*\n- slopguard is misconfigured: .*\.slopguard\.json/);
      for (const args of [['--fail-closed'], ['--on-unverified', 'deny']]) {
        assert.equal((await hook(input, args)).json?.hookSpecificOutput?.permissionDecision, 'deny', args.join(' '));
      }
      // "allow" for unverified packages is not an allow for a policy nobody can read.
      assert.equal((await hook(input, ['--on-unverified', 'allow'])).json?.hookSpecificOutput?.permissionDecision, 'ask');
      // A command that installs nothing needs no policy.
      assert.equal((await hook(JSON.stringify(preToolUse('Bash', { command: 'ls -la' }, dir)))).out, '');
    });
  }
});

describe('hook claude: when the registry cannot be reached', () => {
  const down = () => registryEnv('http://127.0.0.1:9', reg.cacheDir + '-down');

  it('asks by default, saying the package could not be checked', async () => {
    const r = await bash('npm i some-unchecked-name', [], down());
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'ask');
    assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /`some-unchecked-name` could not be checked on npm/);
  });

  it('--on-unverified allow lets it through with a warning for the user', async () => {
    const r = await bash('npm i some-unchecked-name', ['--on-unverified', 'allow'], down());
    assert.equal(r.json?.hookSpecificOutput, undefined);
    assert.match(r.json?.systemMessage ?? '', /without checking it/);
  });

  it('--fail-closed denies', async () => {
    const r = await bash('npm i some-unchecked-name', ['--fail-closed'], down());
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
  });

  it('SLOPGUARD_HOOK_ON_UNVERIFIED=deny denies; an invalid value is a config problem: cannot check, so ask', async () => {
    const a = await bash('npm i some-unchecked-name', [], { ...down(), SLOPGUARD_HOOK_ON_UNVERIFIED: 'deny' });
    assert.equal(a.json?.hookSpecificOutput?.permissionDecision, 'deny');
    const b = await bash('npm i some-unchecked-name', [], { ...down(), SLOPGUARD_HOOK_ON_UNVERIFIED: 'maybe' });
    assert.match(b.err, /SLOPGUARD_HOOK_ON_UNVERIFIED/);
    assert.equal(b.json?.hookSpecificOutput?.permissionDecision, 'ask');
  });

  it('a registry slower than the budget is answered as unverified within the budget', async () => {
    const slow = await startDoorRegistry(undefined, { latencyMs: 2_000 });
    try {
      const r = await bash('npm i lodash', ['--budget', '0.3'], slow.env);
      assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'ask');
      assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /could not be checked on npm: no answer within the 0\.3 s time budget/);
    } finally {
      await slow.close();
    }
  });
});

describe('hook claude --help', () => {
  it('shows how to wire it and an example', async () => {
    const t = testIo();
    assert.equal(await run(['hook', 'claude', '--help'], t.io), 0);
    assert.match(t.out(), /PreToolUse/);
    assert.match(t.out(), /Try it:/);
    assert.match(t.out(), /--on-unverified/);
  });
});

describe('hook claude: edits of the files that steer slopguard are put to the user', () => {
  const protectedEdits: Array<[string, string, Record<string, unknown>]> = [
    ['Write .slopguard.json', '.slopguard.json', { content: '{"allow": {"npm": [{"name": "*", "reason": "x"}]}}' }],
    ['Write .npmrc', '.npmrc', { content: 'registry=http://evil.example/\n' }],
    ['Edit pip.conf', 'pip.conf', { old_string: '', new_string: '[global]\nindex-url = http://evil.example/simple\n' }],
    ['Write uv.toml', 'uv.toml', { content: '[[index]]\nurl = "http://evil.example"\n' }],
    ['Write .yarnrc.yml', '.yarnrc.yml', { content: 'npmRegistryServer: "http://evil.example"\n' }],
    ['Write bunfig.toml', 'bunfig.toml', { content: '[install]\nregistry = "http://evil.example"\n' }],
    ['MultiEdit .claude/settings.json', '.claude/settings.json', { edits: [{ old_string: '', new_string: '{"hooks": {}}' }] }],
    ['Write .claude/settings.local.json', '.claude/settings.local.json', { content: '{}' }],
    ['Write .cursor/hooks.json', '.cursor/hooks.json', { content: '{"version": 1, "hooks": {}}' }],
    ['Write .git/hooks/pre-commit', '.git/hooks/pre-commit', { content: '#!/bin/sh\nexit 0\n' }],
  ];
  for (const [name, rel, input] of protectedEdits) {
    it(`${name}: ask, with the reason`, async () => {
      const dir = mkdtempSync(join(project, 'protected-'));
      const tool = name.split(' ')[0]!;
      const r = await hook(JSON.stringify(preToolUse(tool, { file_path: join(dir, rel), ...input }, dir)));
      assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'ask', r.err);
      assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, new RegExp(`it changes \`${rel.replace(/\./g, '\\.')}\`: it (is|sets)`));
    });
  }

  it("the user's own slopguard config and the trust store are protected too", async () => {
    const home = mkdtempSync(join(project, 'home-'));
    // The user's config and state where the platform keeps them under this home (the door fixtures set XDG_STATE_HOME elsewhere).
    const env = { ...reg.env, HOME: home, XDG_STATE_HOME: join(home, '.local', 'state') };
    for (const file of [join(home, '.config', 'slopguard', 'config.json'), join(home, '.local', 'state', 'slopguard', 'trusted.json')]) {
      const r = await hook(JSON.stringify(preToolUse('Write', { file_path: file, content: '{}' }, project)), [], env);
      assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'ask', file);
    }
  });

  it('an edit of package.json#slopguard asks; a dependency squat in the same edit is still denied', async () => {
    const dir = mkdtempSync(join(project, 'pkgpolicy-'));
    const file = join(dir, 'package.json');
    writeFileSync(file, `${JSON.stringify({ name: 'app', dependencies: { express: '^4' } }, null, 2)}\n`);
    const policy = { slopguard: { allow: { npm: [{ name: 'lodahs', reason: 'trust me' }] } } };
    const ask = await hook(JSON.stringify(preToolUse('Write', { file_path: file, content: JSON.stringify({ name: 'app', dependencies: { express: '^4' }, ...policy }) }, dir)));
    assert.equal(ask.json?.hookSpecificOutput?.permissionDecision, 'ask');
    assert.match(ask.json!.hookSpecificOutput!.permissionDecisionReason, /package\.json#slopguard`: it is slopguard's own policy/);
    const deny = await hook(JSON.stringify(preToolUse('Write', { file_path: file, content: JSON.stringify({ name: 'app', dependencies: { express: '^4', lodahs: '^1' }, ...policy }) }, dir)));
    assert.equal(deny.json?.hookSpecificOutput?.permissionDecision, 'deny');
    // An ordinary file gets no objection.
    assert.equal((await hook(JSON.stringify(preToolUse('Write', { file_path: join(dir, 'src', 'index.ts'), content: 'x' }, dir)))).out, '');
  });

  it("the repository's own allowlist does not let a squat through the hook", async () => {
    const dir = mkdtempSync(join(project, 'selfallow-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.slopguard.json'), JSON.stringify({ allow: { npm: [{ name: '*', reason: 'all good' }] } }));
    const r = await hook(JSON.stringify(preToolUse('Bash', { command: 'npm i lodahs' }, dir)));
    assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'deny');
    assert.match(r.err, /is not trusted/);
  });
});
