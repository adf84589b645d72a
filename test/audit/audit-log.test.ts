import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AUDIT_DECISIONS, AUDIT_DOORS } from '../../src/audit/index.js';
import { recordLines } from '../../src/audit/split.js';
import { appendLines, MAX_LINE_BYTES, rotateIfFull } from '../../src/audit/writer.js';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';

/**
 * The audit log and monitor mode through the CLI's public entry point, `run(argv, io)`: one
 * parseable line per decision of each door, what monitor mode changes (exit status, hook answer)
 * and what it does not (the findings), and who may choose either (the trust model).
 */

interface Line {
  time: string;
  door: string;
  decision: string;
  mode: string;
  version: string;
  id: string;
  cwd: string;
  user?: string;
  command?: string[];
  exit?: number;
  answer?: string;
  overriddenBy?: string[];
  data?: { npm?: string; pypi?: string };
  packages: Array<{ ecosystem: string; name: string; verdict: string; codes: string[]; overriddenBy?: string }>;
}

let reg: DoorRegistry;
let dir: string;
before(async () => {
  reg = await startDoorRegistry();
  dir = mkdtempSync(join(tmpdir(), 'slopguard-audit-'));
});
after(async () => {
  await reg.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A fresh project folder (a git repository) and log path per case. */
function sandbox(): { cwd: string; log: string } {
  const cwd = join(dir, `p${++n}`);
  mkdirSync(join(cwd, '.git'), { recursive: true });
  return { cwd, log: join(dir, `audit-${n}.jsonl`) };
}

function lines(log: string): Line[] {
  if (!existsSync(log)) return [];
  const text = readFileSync(log, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'every record ends its line');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
}

async function sg(argv: string[], o: { cwd: string; env?: Record<string, string>; stdin?: string }) {
  const t = testIo({ env: { ...reg.env, ...o.env }, cwd: o.cwd, now: NOW, ...(o.stdin !== undefined ? { stdin: o.stdin } : {}) });
  const code = await run(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

const claudeBash = (command: string, cwd: string) =>
  JSON.stringify({ session_id: 's', transcript_path: '/x', cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' });

describe('audit log: one parseable line per decision, for every report door', () => {
  const cases: Array<{ door: string; argv: (log: string, cwd: string) => string[]; prepare?: (cwd: string) => void; stdin?: string; code: number; decision: string; names: string[] }> = [
    { door: 'check', argv: (log) => ['check', 'lodash', '--audit-log', log], code: 0, decision: 'allowed', names: ['lodash'] },
    { door: 'check', argv: (log) => ['check', 'lodahs', 'lodash', '--audit-log', log], code: 1, decision: 'refused', names: ['lodahs', 'lodash'] },
    {
      door: 'scan',
      prepare: (cwd) => writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'app', dependencies: { lodahs: '^1.0.0' } })),
      argv: (log, cwd) => ['scan', cwd, '--audit-log', log],
      code: 1,
      decision: 'refused',
      names: ['lodahs'],
    },
    {
      door: 'diff',
      stdin: 'diff --git a/package.json b/package.json\n--- a/package.json\n+++ b/package.json\n@@ -1,3 +1,4 @@\n {\n   "dependencies": {\n+    "express": "^4.0.0",\n     "lodash": "^4.17.21"\n',
      argv: (log) => ['diff', '--audit-log', log],
      code: 0,
      decision: 'allowed',
      names: ['express'],
    },
    {
      door: 'text',
      prepare: (cwd) => writeFileSync(join(cwd, 'answer.md'), 'Run `npm install expresss` first.\n'),
      argv: (log, cwd) => ['text', join(cwd, 'answer.md'), '--audit-log', log],
      code: 1,
      decision: 'refused',
      names: ['expresss'],
    },
    {
      door: 'ci',
      prepare: (cwd) => writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0' } })),
      argv: (log, cwd) => ['ci', cwd, '--audit-log', log],
      code: 0,
      decision: 'allowed',
      names: ['express'],
    },
  ];
  for (const c of cases) {
    it(`${c.door}: ${c.decision} (exit ${c.code})`, async () => {
      const { cwd, log } = sandbox();
      c.prepare?.(cwd);
      const r = await sg(c.argv(log, cwd), { cwd, ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) });
      assert.equal(r.code, c.code, r.err);
      const got = lines(log);
      assert.equal(got.length, 1, JSON.stringify(got));
      const [line] = got;
      assert.equal(line!.door, c.door);
      assert.equal(line!.decision, c.decision);
      assert.equal(line!.exit, c.code);
      assert.equal(line!.mode, 'enforce');
      assert.deepEqual(line!.packages.map((p) => p.name).sort(), c.names);
      assert.equal(line!.time, NOW.toISOString());
      assert.match(line!.version, /^\d+\.\d+\.\d+/);
      assert.match(line!.data?.npm ?? '', /^\d{4}-\d{2}-\d{2}/, 'the data snapshot is recorded');
      assert.equal(line!.cwd, cwd);
      assert.equal((line as unknown as { repository?: string }).repository, cwd);
      assert.equal(line!.command?.[0], 'slopguard');
      assert.equal(line!.command?.[1], c.door);
      assert.ok((AUDIT_DOORS as readonly string[]).includes(line!.door));
      assert.ok((AUDIT_DECISIONS as readonly string[]).includes(line!.decision));
    });
  }

  it('a refused package carries its verdict and finding codes', async () => {
    const { cwd, log } = sandbox();
    await sg(['check', 'lodahs', '--audit-log', log], { cwd });
    const [p] = lines(log)[0]!.packages;
    assert.deepEqual({ ecosystem: p!.ecosystem, name: p!.name, verdict: p!.verdict }, { ecosystem: 'npm', name: 'lodahs', verdict: 'block' });
    assert.ok(p!.codes.includes('not-found'), JSON.stringify(p));
  });

  it('is off by default: no flag, variable or config, no file', async () => {
    const { cwd, log } = sandbox();
    const r = await sg(['check', 'lodash'], { cwd });
    assert.equal(r.code, 0);
    assert.equal(existsSync(log), false);
  });

  it('SLOPGUARD_AUDIT_LOG works, and must be absolute (a relative one would land in the project)', async () => {
    const { cwd, log } = sandbox();
    assert.equal((await sg(['check', 'lodash'], { cwd, env: { SLOPGUARD_AUDIT_LOG: log } })).code, 0);
    assert.equal(lines(log).length, 1);
    const rel = await sg(['check', 'lodash'], { cwd, env: { SLOPGUARD_AUDIT_LOG: 'audit.jsonl' } });
    assert.equal(rel.code, 2);
    assert.match(rel.err, /SLOPGUARD_AUDIT_LOG.*absolute/);
    assert.equal(existsSync(join(cwd, 'audit.jsonl')), false);
  });

  it('"-" writes the record to stderr', async () => {
    const { cwd } = sandbox();
    const r = await sg(['check', 'lodahs', '--audit-log', '-'], { cwd });
    const records = r.err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.decision, 'refused');
  });

  it('who overrode: --allow, SLOPGUARD_ALLOW and an allow entry, each named', async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['--allow', 'lodahs'], {}, '--allow'],
      [[], { SLOPGUARD_ALLOW: 'lodahs' }, 'SLOPGUARD_ALLOW'],
    ];
    for (const [flags, env, by] of cases) {
      const { cwd, log } = sandbox();
      const r = await sg(['check', 'lodahs', ...flags, '--audit-log', log], { cwd, env });
      assert.equal(r.code, 0, r.err);
      const [line] = lines(log);
      assert.equal(line!.decision, 'overridden');
      assert.deepEqual(line!.overriddenBy, [by]);
      assert.equal(line!.packages[0]!.overriddenBy, by);
    }
    const { cwd, log } = sandbox();
    const config = join(cwd, 'mine.json');
    writeFileSync(config, JSON.stringify({ allow: { npm: [{ name: 'lodahs', reason: 'our internal fork' }] } }));
    await sg(['check', 'lodahs', '--config', config, '--audit-log', log], { cwd });
    const [line] = lines(log);
    assert.equal(line!.decision, 'overridden');
    assert.deepEqual(line!.overriddenBy, ['allow entry']);
    assert.equal((line!.packages[0] as { reason?: string }).reason, 'our internal fork');
  });

  it('redacts tokens and passwords in the command line it records', async () => {
    const { cwd, log } = sandbox();
    const url = new URL(reg.env.SLOPGUARD_NPM_REGISTRY!);
    url.username = 'ci-user';
    url.password = 'hunter2secretpw';
    await sg(['check', 'lodash', '--npm-registry', url.toString(), '--audit-log', log, '--allow', 'x', '--token', 'tok-abc-123456'], { cwd }).catch(() => undefined);
    await sg(['check', 'lodash', `--npm-registry=${url.toString()}`, '--audit-log', log], { cwd });
    const text = readFileSync(log, 'utf8');
    for (const secret of ['hunter2secretpw', 'ci-user']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.ok(lines(log).some((l) => l.command?.some((a) => a.includes('***@'))), text);
  });

  it('an unwritable audit log is one warning on stderr, never a changed verdict', async () => {
    const { cwd } = sandbox();
    const ro = join(dir, `ro-${n}`);
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const cases: Array<[string, number]> = [
      [join(ro, 'audit.jsonl'), 1],
      [dir, 1], // a folder
    ];
    for (const [target, code] of cases) {
      const r = await sg(['check', 'lodahs', '--audit-log', target], { cwd });
      assert.equal(r.code, code, r.err);
      // Root ignores folder permissions; the folder case fails for everyone.
      if (target === dir || process.getuid?.() !== 0) assert.equal(r.err.match(/cannot write the audit log/g)?.length, 1, r.err);
      assert.match(r.out, /lodahs/);
    }
    // A symlink planted at the log's name is not followed: the file it points at stays untouched.
    const victim = join(dir, `victim-${n}`);
    writeFileSync(victim, 'precious\n');
    const planted = join(dir, `planted-${n}.jsonl`);
    symlinkSync(victim, planted);
    const sym = await sg(['check', 'lodahs', '--audit-log', planted], { cwd });
    assert.equal(sym.code, 1);
    assert.match(sym.err, /cannot write the audit log .*ELOOP/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    const ok = await sg(['check', 'lodash', '--audit-log', dir], { cwd });
    assert.equal(ok.code, 0);
  });
});

describe('audit log: long decisions are split into lines under PIPE_BUF, none lost', () => {
  it('a 300-package record becomes several lines with one id, every package once', () => {
    const packages = Array.from({ length: 300 }, (_, i) => ({ ecosystem: 'npm' as const, name: `package-number-${i}`, verdict: 'ok' as const, codes: ['allowlisted', 'install-script'] }));
    const out = recordLines({ time: NOW.toISOString(), door: 'scan', decision: 'allowed', packages, version: '0.1.0', mode: 'enforce', id: 'one-id', cwd: '/x'.repeat(2000), command: Array.from({ length: 40 }, () => 'y'.repeat(300)) });
    assert.ok(out.length > 1);
    const parsed = out.map((l) => JSON.parse(l) as Line & { part: number; parts: number });
    for (const [i, l] of parsed.entries()) {
      assert.ok(Buffer.byteLength(l ? out[i]! : '') + 1 <= MAX_LINE_BYTES, `line ${i} is ${Buffer.byteLength(out[i]!)} bytes`);
      assert.equal(l.id, 'one-id');
      assert.equal(l.part, i + 1);
      assert.equal(l.parts, out.length);
      assert.equal(l.decision, 'allowed');
    }
    assert.deepEqual(parsed.flatMap((l) => l.packages.map((p) => p.name)), packages.map((p) => p.name));
  });
});

describe('monitor mode', () => {
  it('--monitor: exit 0 for a blocked name; the finding is still reported (text says MONITOR MODE) and logged as monitored', async () => {
    const { cwd, log } = sandbox();
    const r = await sg(['check', 'lodahs', '--monitor', '--audit-log', log], { cwd });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /lodahs/);
    assert.match(r.out, /MONITOR MODE, nothing refused: 1 checked: 0 ok, 0 warn, 1 block/);
    const [line] = lines(log);
    assert.equal(line!.decision, 'monitored');
    assert.equal(line!.mode, 'monitor');
    assert.equal(line!.exit, 0);
    assert.equal(line!.packages[0]!.verdict, 'block');
  });

  it('JSON gets a top-level "mode" field; schema stays 1, findings unchanged', async () => {
    const { cwd } = sandbox();
    const on = JSON.parse((await sg(['check', 'lodahs', '--format', 'json'], { cwd, env: { SLOPGUARD_MODE: 'monitor' } })).out);
    const off = JSON.parse((await sg(['check', 'lodahs', '--format', 'json'], { cwd })).out);
    assert.equal(on.mode, 'monitor');
    assert.equal(on.schemaVersion, 1);
    assert.equal('mode' in off, false);
    assert.deepEqual(on.packages, off.packages);
  });

  it('every report format says so: markdown and GitHub in their summary line, SARIF in the run\'s properties', async () => {
    const { cwd } = sandbox();
    const cases: Array<[string, (out: string) => boolean]> = [
      ['markdown', (out) => /MONITOR MODE, nothing refused: 1 checked/.test(out)],
      ['github', (out) => /slopguard: MONITOR MODE, nothing refused: 1 checked/.test(out)],
      ['sarif', (out) => (JSON.parse(out) as { runs: Array<{ properties: { mode?: string } }> }).runs[0]!.properties.mode === 'monitor'],
    ];
    for (const [format, says] of cases) {
      const r = await sg(['check', 'lodahs', '--monitor', '--format', format], { cwd });
      assert.equal(r.code, 0, format);
      assert.ok(says(r.out), `${format}: ${r.out}`);
      const off = await sg(['check', 'lodahs', '--format', format], { cwd });
      assert.equal(off.code, 1);
      assert.doesNotMatch(off.out, /MONITOR MODE|"mode"/, format);
    }
  });

  it('a clean run in monitor mode is "allowed", and unreadable input still exits 2', async () => {
    const { cwd, log } = sandbox();
    assert.equal((await sg(['check', 'lodash', '--monitor', '--audit-log', log], { cwd })).code, 0);
    assert.equal(lines(log)[0]!.decision, 'allowed');
    writeFileSync(join(cwd, 'package.json'), '{ not json');
    assert.equal((await sg(['scan', cwd, '--monitor'], { cwd })).code, 2);
  });

  it('SLOPGUARD_MODE with a bad value is a config error naming it', async () => {
    const { cwd } = sandbox();
    const r = await sg(['check', 'lodash'], { cwd, env: { SLOPGUARD_MODE: 'audit' } });
    assert.equal(r.code, 2);
    assert.match(r.err, /SLOPGUARD_MODE.*enforce or monitor/);
  });

  it('the hook answers no objection for a blocked name, says so on stderr, and logs "monitored"', async () => {
    const { cwd, log } = sandbox();
    const r = await sg(['hook', 'claude', '--monitor', '--audit-log', log], { cwd, stdin: claudeBash('npm install lodahs', cwd) });
    assert.equal(r.code, 0);
    const answer = r.out.trim() ? (JSON.parse(r.out) as { hookSpecificOutput?: { permissionDecision?: string } }) : {};
    assert.notEqual(answer.hookSpecificOutput?.permissionDecision, 'deny');
    assert.notEqual(answer.hookSpecificOutput?.permissionDecision, 'ask');
    assert.match(r.err, /MONITOR MODE.*would have denied/);
    const [line] = lines(log);
    assert.equal(line!.door, 'hook');
    assert.equal(line!.decision, 'monitored');
    assert.equal(line!.answer, 'none');
    assert.deepEqual(line!.command, ['npm install lodahs']);
  });
});

describe('audit log: the hooks record the protocol answer', () => {
  const cases: Array<[string, string, string]> = [
    ['npm install lodahs', 'refused', 'deny'],
    ['npm install fresh-helper-kit', 'asked', 'ask'],
    ['npm install lodash', 'allowed', 'none'],
  ];
  for (const [command, decision, answer] of cases) {
    it(`${command}: ${decision}`, async () => {
      const { cwd, log } = sandbox();
      const r = await sg(['hook', 'claude', '--audit-log', log], { cwd, stdin: claudeBash(command, cwd) });
      assert.equal(r.code, 0, r.err);
      const got = lines(log);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.door, 'hook');
      assert.equal(got[0]!.decision, decision);
      assert.equal(got[0]!.answer, answer);
      assert.equal(got[0]!.cwd, cwd);
    });
  }

  it('an answer given without judging is recorded too: unreadable input, a broken config', async () => {
    const cases: Array<[string, string[], (cwd: string) => string, string, string]> = [
      ['unreadable input', [], () => '{ not json', 'allowed', 'warn'],
      ['unreadable input, failing closed', ['--fail-closed'], () => 'nope', 'refused', 'deny'],
      ['a broken project config', [], (cwd) => (writeFileSync(join(cwd, '.slopguard.json'), '{ "failOn": "sometimes" }'), claudeBash('npm install lodash', cwd)), 'asked', 'ask'],
    ];
    for (const [label, flags, input, decision, answer] of cases) {
      const { cwd, log } = sandbox();
      const r = await sg(['hook', 'claude', ...flags, '--audit-log', log], { cwd, stdin: input(cwd) });
      assert.equal(r.code, 0, `${label}: ${r.err}`);
      const got = lines(log) as Array<Line & { unjudged?: boolean }>;
      assert.equal(got.length, 1, label);
      assert.deepEqual([got[0]!.decision, got[0]!.answer, got[0]!.unjudged, got[0]!.packages], [decision, answer, true, []], label);
    }
  });

  it('a call that installs nothing is not a decision: no line', async () => {
    const { cwd, log } = sandbox();
    await sg(['hook', 'claude', '--audit-log', log], { cwd, stdin: claudeBash('ls -la', cwd) });
    assert.equal(existsSync(log), false);
  });

  it('redacts a token in the agent\'s command', async () => {
    const { cwd, log } = sandbox();
    await sg(['hook', 'claude', '--audit-log', log], { cwd, stdin: claudeBash('NPM_TOKEN=abcdef123456 npm install lodash --//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz12 && curl -H "Authorization: Bearer hunter2hunter2" https://example.invalid/', cwd) });
    const text = readFileSync(log, 'utf8');
    for (const secret of ['abcdef123456', 'npm_abcdefghijklmnopqrstuvwxyz12', 'hunter2hunter2']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.match(text, /NPM_TOKEN=\*\*\* npm install lodash --\/\/registry.npmjs.org\/:_authToken=\*\*\*/);
  });
});

describe('monitor mode and the audit log under the trust model', () => {
  it('an untrusted project config can neither turn monitor mode on nor choose the audit log', async () => {
    const { cwd, log } = sandbox();
    const planted = join(cwd, 'planted.jsonl');
    writeFileSync(join(cwd, '.slopguard.json'), JSON.stringify({ mode: 'monitor', auditLog: 'planted.jsonl', auditLogMaxBytes: 2048 }));
    const r = await sg(['check', 'lodahs'], { cwd });
    assert.equal(r.code, 1, 'still enforcing');
    assert.match(r.err, /not trusted.*mode: "monitor".*auditLog/s);
    assert.equal(existsSync(planted), false);
    // The user's own --audit-log still works beside it.
    await sg(['check', 'lodahs', '--audit-log', log], { cwd });
    assert.equal(lines(log)[0]!.decision, 'refused');
  });

  it('a trusted project config may turn monitor mode on, but still not choose the audit log', async () => {
    const { cwd } = sandbox();
    const planted = join(cwd, 'planted.jsonl');
    writeFileSync(join(cwd, '.slopguard.json'), JSON.stringify({ mode: 'monitor', auditLog: 'planted.jsonl' }));
    const r = await sg(['check', 'lodahs', '--trust-project'], { cwd });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /auditLog.*a repository does not choose where the audit trail goes/);
    assert.equal(existsSync(planted), false);
  });

  it('an untrusted project config may turn monitor mode off (that tightens)', async () => {
    const { cwd } = sandbox();
    writeFileSync(join(cwd, '.slopguard.json'), JSON.stringify({ mode: 'enforce' }));
    assert.equal((await sg(['check', 'lodahs'], { cwd, env: { SLOPGUARD_MODE: 'monitor' } })).code, 0, 'env is applied after the project');
    const user = join(dir, `xdg-${n}`);
    mkdirSync(join(user, 'slopguard'), { recursive: true });
    writeFileSync(join(user, 'slopguard', 'config.json'), JSON.stringify({ mode: 'monitor', auditLog: 'user-audit.jsonl' }));
    const r = await sg(['check', 'lodahs'], { cwd, env: { XDG_CONFIG_HOME: user } });
    assert.equal(r.code, 0, 'the user config is trusted and comes after the project');
    assert.equal(lines(join(user, 'slopguard', 'user-audit.jsonl'))[0]!.decision, 'monitored', 'a relative auditLog is relative to its config file');
  });

  it('a locked system policy keeps monitor mode off against flags, env and user config, and fixes the audit log', async () => {
    const { cwd, log } = sandbox();
    const sys = join(dir, `system-${n}.json`);
    const central = join(dir, `central-${n}.jsonl`);
    writeFileSync(sys, JSON.stringify({ locked: true, mode: 'enforce', auditLog: central, auditLogMaxBytes: 4096 }));
    const user = join(dir, `xdg-${n}`);
    mkdirSync(join(user, 'slopguard'), { recursive: true });
    writeFileSync(join(user, 'slopguard', 'config.json'), JSON.stringify({ mode: 'monitor', auditLog: join(dir, 'elsewhere.jsonl') }));
    const r = await sg(['check', 'lodahs', '--monitor', '--audit-log', log], { cwd, env: { SLOPGUARD_SYSTEM_CONFIG: sys, SLOPGUARD_MODE: 'monitor', SLOPGUARD_AUDIT_LOG: join(dir, 'env.jsonl'), XDG_CONFIG_HOME: user } });
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /locked.*mode: "monitor"/);
    assert.match(r.err, /--audit-log.*the locked system config chose the audit log/);
    assert.equal(existsSync(log), false);
    assert.equal(existsSync(join(dir, 'env.jsonl')), false);
    assert.equal(existsSync(join(dir, 'elsewhere.jsonl')), false);
    assert.equal(lines(central)[0]!.decision, 'refused');
    assert.doesNotMatch(r.err, /auditLogMaxBytes/, 'the system config\'s own size applies');
    // ... and it is the size used: the central log rotates at 4 KiB.
    for (let i = 0; i < 15; i++) await sg(['check', 'lodahs'], { cwd, env: { SLOPGUARD_SYSTEM_CONFIG: sys } });
    assert.ok(existsSync(`${central}.1`), 'rotated at the system config\'s size');
  });

  it('a locked system policy may itself set monitor mode (a rollout), and a user may still enforce', async () => {
    const { cwd } = sandbox();
    const sys = join(dir, `system-${n}.json`);
    writeFileSync(sys, JSON.stringify({ locked: true, mode: 'monitor' }));
    assert.equal((await sg(['check', 'lodahs'], { cwd, env: { SLOPGUARD_SYSTEM_CONFIG: sys } })).code, 0);
    assert.equal((await sg(['check', 'lodahs'], { cwd, env: { SLOPGUARD_SYSTEM_CONFIG: sys, SLOPGUARD_MODE: 'enforce' } })).code, 1);
  });
});

describe('audit log rotation', () => {
  it('rotates once at the size; a second process that saw the old full file does not rotate the new one', () => {
    const log = join(dir, 'rot.jsonl');
    appendLines(log, ['{"a":1}', '{"a":2}'], 10);
    assert.equal(existsSync(`${log}.1`), false, 'under the size before these lines');
    appendLines(log, ['{"a":3}'], 10);
    assert.equal(readFileSync(`${log}.1`, 'utf8'), '{"a":1}\n{"a":2}\n');
    assert.equal(readFileSync(log, 'utf8'), '{"a":3}\n');
    // A late rotator (it saw the full file before the rename): the file under the name is new and small now.
    rotateIfFull(log, 10);
    assert.equal(readFileSync(`${log}.1`, 'utf8'), '{"a":1}\n{"a":2}\n', 'the .1 just made is kept');
    assert.equal(readFileSync(log, 'utf8'), '{"a":3}\n');
  });

  it('a rotation keeps the file\'s permissions (a group-writable shared log stays so)', () => {
    const log = join(dir, 'mode.jsonl');
    writeFileSync(log, 'x'.repeat(50) + '\n');
    chmodSync(log, 0o660);
    appendLines(log, ['{"c":1}'], 10);
    assert.ok(existsSync(`${log}.1`));
    assert.equal(statSync(log).mode & 0o777, 0o660);
    const fresh = join(dir, 'fresh-mode.jsonl');
    appendLines(fresh, ['{"c":2}'], 10);
    assert.equal(statSync(fresh).mode & 0o077, 0, 'a new log is its owner\'s only');
  });

  it('a held lock means someone else is rotating: append as is; a lock left by a dead process is cleared', () => {
    const log = join(dir, 'held.jsonl');
    writeFileSync(log, 'x'.repeat(50) + '\n');
    writeFileSync(`${log}.lock`, '');
    appendLines(log, ['{"b":1}'], 10);
    assert.equal(existsSync(`${log}.1`), false);
    assert.match(readFileSync(log, 'utf8'), /\{"b":1\}\n$/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${log}.lock`, old, old);
    appendLines(log, ['{"b":2}'], 10); // clears the stale lock, does not rotate this time
    assert.equal(existsSync(`${log}.lock`), false);
    appendLines(log, ['{"b":3}'], 10);
    assert.ok(existsSync(`${log}.1`));
    assert.equal(readFileSync(log, 'utf8'), '{"b":3}\n');
  });
});

describe('audit log and monitor mode: the git pre-commit hook', () => {
  const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, HOME: cwd } });
  const cases: Array<[string, string[], number, string]> = [
    ['enforcing: the commit is stopped, logged refused', [], 1, 'refused'],
    ['monitor mode: the commit goes ahead, logged monitored', ['--monitor'], 0, 'monitored'],
  ];
  for (const [label, flags, code, decision] of cases) {
    it(label, async () => {
      const cwd = mkdtempSync(join(dir, 'git-'));
      const log = join(cwd, '..', `${cwd.split('/').pop()}.jsonl`);
      git(cwd, 'init', '-q');
      writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'app', dependencies: { express: '^4.19.0' } }));
      git(cwd, 'add', 'package.json');
      git(cwd, 'commit', '-q', '-m', 'init', '--no-verify');
      writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'app', dependencies: { express: '^4.19.0', lodahs: '^1.0.0' } }));
      git(cwd, 'add', 'package.json');
      const r = await sg(['hook', 'git-pre-commit', ...flags, '--audit-log', log], { cwd, env: { ...GIT_ENV, HOME: cwd, PATH: process.env.PATH ?? '' } });
      assert.equal(r.code, code, r.err);
      assert.match(r.err, /lodahs/);
      const got = lines(log);
      assert.equal(got.length, 1);
      assert.deepEqual([got[0]!.door, got[0]!.decision, got[0]!.packages.map((p) => p.name)], ['hook', decision, ['lodahs']]);
      assert.equal((got[0] as { agent?: string }).agent, 'git-pre-commit');
    });
  }
});
