/**
 * pip-sync (pip-tools), the package manager added as one file (src/tools/pip-sync.ts) and one
 * registration line: through the Claude Code hook's JSON on stdin and through the wrapper
 * (`slopguard pip-sync …`, a fake pip-sync on PATH that records its argv), against the loopback
 * fixture registry. Its positionals are requirement files, `requirements.txt` when none is given;
 * `--dry-run` installs nothing.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';
import { planFixtures, project } from '../install/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'slopguard-pip-sync-'));
const bin = join(root, 'bin');
const log = join(root, 'tool.log');
let reg: DoorRegistry;

mkdirSync(bin, { recursive: true });
writeFileSync(join(bin, 'pip-sync'), `#!${process.execPath}\nrequire('fs').appendFileSync(process.env.FAKE_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
chmodSync(join(bin, 'pip-sync'), 0o755);

before(async () => {
  reg = await startDoorRegistry(planFixtures());
});
after(async () => {
  await reg.close();
  rmSync(root, { recursive: true, force: true });
});

const BAD = { 'requirements.txt': 'flask\nreqeusts==2.0\n' };
const GOOD = { 'requirements.txt': 'requests\nflask\n' };

async function hook(command: string, files: Record<string, string>): Promise<{ decision: string; reason: string }> {
  const cwd = project(files);
  const input = { session_id: 's', transcript_path: '/tmp/t.jsonl', cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' };
  const t = testIo({ env: reg.env, stdin: JSON.stringify(input), now: NOW, cwd });
  assert.equal(await run(['hook', 'claude'], t.io), 0, t.err());
  rmSync(cwd, { recursive: true, force: true });
  const out = t.out().trim();
  if (!out) return { decision: 'none', reason: '' };
  const json = JSON.parse(out) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
  return { decision: json.hookSpecificOutput.permissionDecision, reason: json.hookSpecificOutput.permissionDecisionReason };
}

describe('pip-sync through the Claude Code hook', () => {
  const cases: Array<{ command: string; files: Record<string, string>; expect: string; says?: RegExp }> = [
    { command: 'pip-sync requirements.txt', files: BAD, expect: 'deny', says: /`reqeusts` does not exist on PyPI/ },
    { command: 'pip-sync', files: BAD, expect: 'deny', says: /reqeusts/ },
    { command: 'pip-sync requirements.txt dev.txt', files: { ...GOOD, 'dev.txt': 'torchlyte-extras-zz\n' }, expect: 'deny', says: /torchlyte-extras-zz/ },
    { command: 'cd svc && pip-sync', files: { 'svc/requirements.txt': 'reqeusts\n' }, expect: 'deny', says: /reqeusts/ },
    { command: 'pip-sync', files: GOOD, expect: 'none' },
    { command: 'pip-sync --python-executable /usr/bin/python3 requirements.txt', files: GOOD, expect: 'none' },
    // A dry run changes nothing: no objection even to a bad file.
    { command: 'pip-sync --dry-run requirements.txt', files: BAD, expect: 'none' },
    { command: 'pip-sync -n', files: BAD, expect: 'none' },
    // What slopguard cannot see is asked about, never waved through.
    { command: 'pip-sync "$REQS"', files: GOOD, expect: 'ask', says: /only known when the shell runs it/ },
    { command: 'pip-sync', files: {}, expect: 'ask', says: /requirements\.txt .*does not exist/ },
  ];
  for (const c of cases) {
    it(`${c.command} (${Object.keys(c.files).join(', ') || 'no files'}): ${c.expect}`, async () => {
      const got = await hook(c.command, c.files);
      assert.equal(got.decision, c.expect, got.reason);
      if (c.says) assert.match(got.reason, c.says);
    });
  }
});

describe('pip-sync through the wrapper (slopguard pip-sync)', () => {
  async function wrap(argv: string[], files: Record<string, string>): Promise<{ code: number; err: string; ran: string[][] }> {
    const cwd = project(files);
    const t = testIo({ env: { ...reg.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, FAKE_LOG: log }, now: NOW, cwd });
    const code = await run(argv, t.io);
    rmSync(cwd, { recursive: true, force: true });
    const ran = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]) : [];
    rmSync(log, { force: true });
    return { code, err: t.err(), ran };
  }

  it('refuses a bad requirements file and never starts pip-sync', async () => {
    const r = await wrap(['pip-sync', 'requirements.txt'], BAD);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /BLOCKED PyPI package `reqeusts` \(requirements\.txt:2\)/);
    assert.deepEqual(r.ran, []);
  });

  it('runs pip-sync with its arguments unchanged when the default file is good', async () => {
    const r = await wrap(['pip-sync', '--pip-args', '--no-cache-dir'], GOOD);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.ran, [['--pip-args', '--no-cache-dir']]);
  });
});
