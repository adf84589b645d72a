/**
 * The trust boundary's reading rules, attacked as issue 12 did, through the public entry points:
 * `run(argv, io)`, the real `bin/slopguard.js` (so `/proc/self/environ` holds a planted secret),
 * and the Claude Code hook's JSON on stdin. Every outcome asserted is the secure one: the file is
 * not read, a located `refused` note says so, the run is unverified (exit 3 / ask), and no output
 * format carries a byte of what lies outside the repository.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, pypiProject } from '../fixture-registry/server.js';
import { NOW, doorFixtures, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';
import { createRepo, packageJson, type TestRepo } from './ci-repo.js';

const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));
/** Planted in the file outside the repository, and in the environment of the spawned CLI. */
const OUTSIDE_SECRET = 'ghp_plantedOutsideToken0123456789abcdef';
const ENV_SECRET = 'ghp_plantedEnvToken9876543210fedcba';
const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
/** Bounds a hang (a read of /dev/zero or a FIFO never ends); never a wall-clock assertion. */
const HANG_BOUND = { timeout: 120_000 };

let base: string;
let reg: DoorRegistry;
let repo: TestRepo;

interface Note {
  code: string;
  level: string;
  message: string;
  unverified?: boolean;
  origin: { file: string; line?: number };
}

/** The real CLI as a process (async: the fixture registry answers from this process). */
function runBin(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const mkfifo = (path: string) => assert.equal(spawnSync('mkfifo', [path]).status, 0, `mkfifo ${path}`);

before(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'sg-untrusted-')));
  const fixtures = doorFixtures();
  fixtures.pypi!.push(pypiProject({ name: 'flask', created: '2010-04-06', weeklyDownloads: 20_000_000, urls: { Source: 'https://github.com/pallets/flask' } }));
  fixtures.npm!.push(npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 1_290_000, repository: 'stevemao/left-pad' }));
  reg = await startDoorRegistry(fixtures);
  // base/outside.txt is two levels above base/work/repo/requirements-c.txt.
  writeFileSync(join(base, 'outside.txt'), `flask\nSECRET=${OUTSIDE_SECRET}\n${OUTSIDE_SECRET} is not a requirement line\n`);
  repo = createRepo(join(base, 'work', 'repo'));
  repo.write({
    'requirements-app.txt': 'requests==2.32.3\n',
    'requirements-proc.txt': 'requests\n-r /proc/self/environ\n',
    'requirements-c.txt': 'requests\n-c ../../outside.txt\n',
  });
  symlinkSync('/proc/self/environ', join(repo.dir, 'requirements-env.txt'));
  symlinkSync('../../outside.txt', join(repo.dir, 'requirements.txt'));
  repo.commit('hostile includes and links');
});
after(async () => {
  await reg.close();
  rmSync(base, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(base, 'home'), NO_COLOR: '1', PIP_CONFIG_FILE: '/dev/null', ...reg.env, ...extra });

/** The refused notes of a JSON report, as `file:line`. */
const refusedAt = (notes: Note[]) =>
  notes
    .filter((n) => n.code === 'refused')
    .map((n) => {
      assert.equal(n.unverified, true, `${n.origin.file}: a refusal leaves its packages unverified`);
      assert.equal(n.level, 'warning');
      return `${n.origin.file}${n.origin.line ? `:${n.origin.line}` : ''}`;
    })
    .sort();

describe('reading untrusted files: secrets are never published through the report', () => {
  it('ci, in every format: committed links to /proc/self/environ and outside the repository, -r /proc/self/environ and -c ../../outside.txt are refused, located, unverified (exit 3), and quoted nowhere', async () => {
    for (const format of FORMATS) {
      const r = await runBin(['ci', '--format', format], repo.dir, env({ SG_PLANTED_SECRET: ENV_SECRET }));
      const all = r.out + r.err;
      assert.equal(r.code, 3, `${format}: ${r.err}`);
      for (const secret of [OUTSIDE_SECRET, ENV_SECRET, 'SG_PLANTED_SECRET']) assert.ok(!all.includes(secret), `${format} output carries ${secret}:\n${all}`);
      if (format === 'json') {
        const report = JSON.parse(r.out) as { notes: Note[]; packages: Array<{ name: string; verdict: string }> };
        assert.deepEqual(refusedAt(report.notes), ['requirements-c.txt:2', 'requirements-env.txt', 'requirements-proc.txt:2', 'requirements.txt']);
        // What the repository's own files name is still checked; flask (only in the outside file) is not.
        assert.deepEqual(report.packages.map((p) => `${p.name} ${p.verdict}`), ['requests ok']);
      }
      if (format === 'github') assert.match(r.out, /^::warning file=requirements-c\.txt,line=2,.*the included file is outside the repository being checked/m);
    }
  });

  it('scan (in process) reads the same way; the outside file is never opened, so its lines are never quoted', async () => {
    const t = testIo({ cwd: repo.dir, env: env(), now: NOW });
    assert.equal(await run(['scan', '--format', 'json'], t.io), 3, t.err());
    const report = JSON.parse(t.out()) as { notes: Note[] };
    assert.deepEqual(refusedAt(report.notes), ['requirements-c.txt:2', 'requirements-env.txt', 'requirements-proc.txt:2', 'requirements.txt']);
    assert.ok(!(t.out() + t.err()).includes(OUTSIDE_SECRET));
    const text = testIo({ cwd: repo.dir, env: env(), now: NOW });
    assert.equal(await run(['scan'], text.io), 3);
    assert.match(text.out() + text.err(), /requirements-c\.txt:2.*-c \.\.\/\.\.\/outside\.txt: not read: the included file is outside the repository being checked; the packages it names are not checked\./);
  });

  it('a path the user types outside the repository is theirs to read (regular files only); the same kind of file reached by an include is not', async () => {
    const typed = join(base, 'typed');
    mkdirSync(typed);
    mkdirSync(join(typed, 'dotfiles'));
    writeFileSync(join(typed, 'dotfiles', 'requirements.txt'), 'flask\n');
    // Outside any repository, the user's own links are theirs too; /proc stays refused.
    symlinkSync(join(typed, 'dotfiles', 'requirements.txt'), join(typed, 'requirements-mine.txt'));
    symlinkSync('/proc/self/environ', join(typed, 'requirements-env.txt'));
    const t = testIo({ cwd: repo.dir, env: env(), now: NOW });
    assert.equal(await run(['scan', join(typed, 'requirements-mine.txt'), '--format', 'json'], t.io), 0, t.err());
    assert.deepEqual((JSON.parse(t.out()) as { packages: Array<{ name: string }> }).packages.map((p) => p.name), ['flask']);
    const env2 = testIo({ cwd: repo.dir, env: env(), now: NOW });
    assert.equal(await run(['scan', join(typed, 'requirements-env.txt'), '--format', 'json'], env2.io), 3, env2.err());
    const notes = (JSON.parse(env2.out()) as { notes: Note[] }).notes;
    assert.deepEqual(refusedAt(notes), ['../../typed/requirements-env.txt']);
    assert.match(notes[0]!.message, /is not a regular file \(a device, pipe, socket or \/proc entry\)/);
  });
});

describe('reading untrusted files: lines that cannot be read are quoted only as short excerpts', () => {
  it('a requirements file of long unreadable lines: every note quotes at most 80 characters of a line', async () => {
    const dir = join(base, 'excerpts');
    mkdirSync(dir);
    const long = `tok_${'A1b2C3d4'.repeat(30)}`;
    const lines = [`name[${long}`, `--${long}`, `"\${${'X'.repeat(10)}}${long}"`, `./local/${long}`, `-r ${long}/x.txt`, `bad!!${long}`, `requests ; python_version < "3" ${long}`];
    writeFileSync(join(dir, 'requirements.txt'), `${lines.join('\n')}\n`);
    const t = testIo({ cwd: dir, env: env(), now: NOW });
    await run(['scan', '--format', 'json'], t.io);
    const notes = (JSON.parse(t.out()) as { notes: Note[] }).notes;
    assert.ok(notes.length >= 5, JSON.stringify(notes, null, 2));
    for (const n of notes) {
      assert.ok(!n.message.includes(long), `quotes a whole line: ${n.message}`);
      const quoted = n.message.match(/tok_[A-Za-z0-9]*/g) ?? [];
      for (const q of quoted) assert.ok(q.length <= 80, `an excerpt of ${q.length} characters: ${n.message}`);
    }
  });
});

describe('reading untrusted files: unbounded reads never hang', () => {
  let dir: string;
  before(() => {
    dir = join(base, 'hang');
    mkdirSync(dir);
    writeFileSync(join(dir, 'requirements-zero.txt'), 'requests\n-r /dev/zero\n');
    writeFileSync(join(dir, 'requirements-via-fifo.txt'), '-r fifo.in\nrequests\n');
    mkfifo(join(dir, 'fifo.in'));
    mkfifo(join(dir, 'requirements-fifo.txt'));
    writeFileSync(join(dir, 'reqs.txt'), 'requests\n-r /dev/zero\n');
  });

  it('settings files made FIFOs (.npmrc, pip.conf, .slopguard.json, package.json) are never read: check answers', HANG_BOUND, async () => {
    // A blocking read of a FIFO stops the whole process (no timer can fire), so this runs the CLI
    // in a child with a timeout: a hang is a kill here instead of a stuck test run. Not spawnSync:
    // the fixture registry answers from this process.
    const runBin = (args: string[], cwd: string, e: Record<string, string>) =>
      new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd, env: e });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => (stdout += b));
        child.stderr.on('data', (b: Buffer) => (stderr += b));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('close', (status, signal) => {
          clearTimeout(timer);
          resolve({ status, signal, stdout, stderr });
        });
      });
    const cases: Array<[string, string[], Record<string, string>, number]> = [
      ['.npmrc', ['left-pad'], {}, 0],
      ['package.json', ['left-pad'], {}, 0],
      ['pip.conf', ['pypi:flask'], {}, 0],
      ['.slopguard.json', ['left-pad'], {}, 2],
    ];
    for (const [file, args, extra, status] of cases) {
      const d = join(base, `fifo-settings-${file.replace(/\W/g, '')}`);
      mkdirSync(d);
      mkfifo(join(d, file));
      const e = file === 'pip.conf' ? { ...env(), PIP_CONFIG_FILE: join(d, file), ...extra } : { ...env(), ...extra };
      const r = await runBin(['check', ...args], d, e);
      assert.equal(r.signal, null, `${file}: the check hung on the FIFO`);
      assert.equal(r.status, status, `${file}: ${r.stdout}${r.stderr}`);
      if (status === 2) assert.match(r.stderr, /not a regular file/);
    }
  });

  it('-r /dev/zero, a FIFO include and a FIFO under a manifest name are refused: the run finishes, exit 3', HANG_BOUND, async () => {
    for (const command of ['scan', 'ci']) {
      const t = testIo({ cwd: dir, env: env(), now: NOW });
      assert.equal(await run([command, '--format', 'json'], t.io), 3, `${command}: ${t.err()}`);
      const notes = (JSON.parse(t.out()) as { notes: Note[] }).notes;
      assert.deepEqual(refusedAt(notes), ['requirements-fifo.txt', 'requirements-via-fifo.txt:1', 'requirements-zero.txt:2'], command);
      assert.match(notes.find((n) => n.origin.file === 'requirements-zero.txt')!.message, /-r \/dev\/zero: not read: the included file is outside the repository being checked/);
    }
  });

  it('a per-file cap from SLOPGUARD_MAX_FILE_MB refuses a larger file with a located note; a bad value is a usage error', async () => {
    const big = join(base, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'requirements.txt'), `requests\n${'# padding\n'.repeat(120_000)}`);
    const t = testIo({ cwd: big, env: env({ SLOPGUARD_MAX_FILE_MB: '1' }), now: NOW });
    assert.equal(await run(['scan', '--format', 'json'], t.io), 3, t.err());
    const note = (JSON.parse(t.out()) as { notes: Note[] }).notes.find((n) => n.code === 'refused');
    assert.match(note?.message ?? '', /^requirements\.txt: not read: it is 1\.1 MiB, over the 1 MiB cap \(SLOPGUARD_MAX_FILE_MB raises it\)/);
    const bad = testIo({ cwd: big, env: env({ SLOPGUARD_READ_BUDGET_MB: 'lots' }), now: NOW });
    assert.equal(await run(['scan'], bad.io), 2);
    assert.match(bad.err(), /SLOPGUARD_READ_BUDGET_MB=lots: expected a number of megabytes/);
  });

  it('the Claude Code hook answers "ask" for pip install -r reqs.txt when reqs.txt includes /dev/zero', HANG_BOUND, async () => {
    const input = { session_id: 's', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'pip install -r reqs.txt' }, tool_use_id: 't' };
    const t = testIo({ cwd: dir, env: env(), stdin: JSON.stringify(input), now: NOW });
    assert.equal(await run(['hook', 'claude'], t.io), 0, t.err());
    const out = JSON.parse(t.out()) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    assert.equal(out.hookSpecificOutput.permissionDecision, 'ask');
    assert.match(out.hookSpecificOutput.permissionDecisionReason, /\/dev\/zero/);
  });

  it('the Claude Code hook asks about an Edit of a requirements file that is a FIFO (it cannot be read, so the edit cannot be judged)', HANG_BOUND, async () => {
    const input = { session_id: 's', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: join(dir, 'requirements-fifo.txt'), old_string: 'a', new_string: 'reqeusts' }, tool_use_id: 't' };
    const t = testIo({ cwd: dir, env: env(), stdin: JSON.stringify(input), now: NOW });
    assert.equal(await run(['hook', 'claude'], t.io), 0, t.err());
    assert.equal((JSON.parse(t.out()) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'ask');
  });
});

describe('reading untrusted files: the Claude Code edit hook follows includes through the same port', () => {
  it('a Write adding -r to a file on disk is judged on what that file names; an include leaving the project is asked about, its content never quoted', async () => {
    const dir = join(base, 'edits');
    mkdirSync(dir);
    writeFileSync(join(dir, 'base.txt'), 'reqeusts\n');
    const write = async (content: string) => {
      const input = { session_id: 's', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: join(dir, 'requirements.txt'), content }, tool_use_id: 't' };
      const t = testIo({ cwd: dir, env: env(), stdin: JSON.stringify(input), now: NOW });
      assert.equal(await run(['hook', 'claude'], t.io), 0, t.err());
      return { ...(JSON.parse(t.out()) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } }).hookSpecificOutput, all: t.out() + t.err() };
    };
    const included = await write('requests\n-r base.txt\n');
    assert.equal(included.permissionDecision, 'deny');
    assert.match(included.permissionDecisionReason, /`reqeusts` does not exist on PyPI/);
    const outside = await write('requests\n-c ../outside.txt\n');
    assert.equal(outside.permissionDecision, 'ask');
    assert.match(outside.permissionDecisionReason, /-c \.\.\/outside.txt: not read: the included file is outside the repository being checked/);
    assert.ok(!outside.all.includes(OUTSIDE_SECRET));
  });
});

describe('ci reads every file git ships', () => {
  it('force-added files under an ignored folder, vendor/ and .cache/ are read; ignored untracked files are not', async () => {
    const r = createRepo(join(base, 'shipped'));
    r.write({
      '.gitignore': 'ignored/\n',
      'package.json': packageJson('app', { 'left-pad': '^1.3.0' }),
      'ignored/pkg/package.json': packageJson('forced', { lodahs: '^1.0.0' }),
      'ignored/other/package.json': packageJson('local', { expresss: '^1.0.0' }),
      'vendor/x/package.json': packageJson('vendored', { 'fresh-helper-kit': '^1.0.0' }),
      '.cache/y/requirements.txt': 'reqeusts\n',
    });
    r.git('add', '-A');
    r.git('add', '-f', 'ignored/pkg/package.json');
    r.git('commit', '-q', '-m', 'ship');
    r.write({ 'untracked/requirements.txt': 'requests\n' });
    const t = testIo({ cwd: r.dir, env: env(), now: NOW });
    assert.equal(await run(['ci', '--format', 'json'], t.io), 1, t.err());
    const report = JSON.parse(t.out()) as { packages: Array<{ name: string; origin?: { file: string } }> };
    assert.deepEqual(report.packages.map((p) => p.name).sort(), ['fresh-helper-kit', 'left-pad', 'lodahs', 'reqeusts', 'requests']);
    // scan keeps its walk (skips vendor/, .cache/, ignored folders).
    const s = testIo({ cwd: r.dir, env: env(), now: NOW });
    await run(['scan', '--format', 'json'], s.io);
    assert.deepEqual((JSON.parse(s.out()) as { packages: Array<{ name: string }> }).packages.map((p) => p.name).sort(), ['left-pad', 'requests']);
  });

  it('ci --base reads includes at the base revision through the same rules (a base that included an outside file refuses it too)', async () => {
    const r = createRepo(join(base, 'based'));
    r.write({ 'requirements.txt': '-r base.txt\n', 'base.txt': 'requests\n' });
    r.commit('base');
    r.write({ 'requirements.txt': '-r base.txt\n-c ../outside.txt\nflask\n' });
    r.commit('head');
    const t = testIo({ cwd: r.dir, env: env(), now: NOW });
    assert.equal(await run(['ci', '--base', 'HEAD~1', '--format', 'json'], t.io), 3, t.err());
    const report = JSON.parse(t.out()) as { notes: Note[]; packages: Array<{ name: string }> };
    // requests came through the include at the base: old news. flask is new.
    assert.deepEqual(report.packages.map((p) => p.name), ['flask']);
    assert.deepEqual(refusedAt(report.notes), ['requirements.txt:2']);
    assert.match(t.err(), /1 package name new since HEAD~1; 1 already there not judged/);
  });
});
