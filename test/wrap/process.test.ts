import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { SHIM_MARKER } from '../../src/wrap/locate.js';
import { shellInitScript } from '../../src/wrap/shell-init.js';

/**
 * The wrapper as a real process (bin/slopguard.js), around a fake package manager that records
 * its argv, environment and signals: the bytes that reach the tool, exit codes, signals, and the
 * shims that must not make slopguard call itself.
 */
const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'slopguard-process-'));
after(() => rmSync(root, { recursive: true, force: true }));

const FAKE_TOOL = `
const fs = require('fs');
const log = process.env.FAKE_LOG;
const argv = process.argv.slice(2);
fs.appendFileSync(log, JSON.stringify({ argv, wrapped: process.env.SLOPGUARD_WRAPPED ?? null }) + '\\n');
if (argv[0] === 'exit') process.exit(Number(argv[1]));
if (argv[0] === 'wait') {
  process.on('SIGTERM', () => {
    fs.appendFileSync(log, JSON.stringify({ signal: 'SIGTERM' }) + '\\n');
    process.removeAllListeners('SIGTERM');
    process.kill(process.pid, 'SIGTERM');
  });
  fs.writeFileSync(process.env.FAKE_READY, 'ready');
  setInterval(() => {}, 1000);
}
`;

function fakeTool(dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, `#!${process.execPath}\n${FAKE_TOOL}`);
  chmodSync(p, 0o755);
}

function records(log: string): Array<{ argv?: string[]; wrapped?: string | null; signal?: string }> {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

function envFor(bin: string, log: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: root,
    FAKE_LOG: log,
    FAKE_READY: `${log}.ready`,
    // No registry is reachable: anything that tried to check would be "unverified", and the
    // tests below only use commands that must not check at all.
    SLOPGUARD_NPM_REGISTRY: 'http://127.0.0.1:9/',
    SLOPGUARD_PYPI_URL: 'http://127.0.0.1:9/',
    SLOPGUARD_CACHE_DIR: join(root, 'cache'),
    ...extra,
  };
}

const HOSTILE = ['a b', ' lead', 'trail ', '', '"dq"', "'sq'", '$(touch pwned)', '`touch pwned`', '; rm -rf /', '| cat', '&& x', 'line1\nline2', '*', '~', '$HOME', '\\', 'ünï', '--', 'é\t\r'];

describe('wrapper process', () => {
  const bin = join(root, 'bin');
  fakeTool(bin, 'npm');
  fakeTool(bin, 'pip');

  it('passes every argument byte for byte, without a shell, and returns the exit code', () => {
    const log = join(root, 'args.log');
    const r = spawnSync(process.execPath, [BIN, 'npm', 'run', 'x', ...HOSTILE], { cwd: root, env: envFor(bin, log), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(records(log), [{ argv: ['run', 'x', ...HOSTILE], wrapped: '1' }]);
    assert.ok(!existsSync(join(root, 'pwned')));
    const code = spawnSync(process.execPath, [BIN, 'npm', 'exit', '42'], { cwd: root, env: envFor(bin, join(root, 'exit.log')) });
    assert.equal(code.status, 42);
  });

  it('forwards SIGTERM to the tool and exits 128+15 when the tool dies by it', async () => {
    const log = join(root, 'signal.log');
    const child = spawn(process.execPath, [BIN, 'npm', 'wait'], { cwd: root, env: envFor(bin, log), stdio: 'ignore' });
    // Wait (without a clock assertion) until the tool says it is running.
    while (!existsSync(`${log}.ready`)) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    assert.equal(signal, null, 'slopguard itself outlives the signal and reports the child');
    assert.equal(code, 143);
    assert.ok(records(log).some((r) => r.signal === 'SIGTERM'), 'the tool received SIGTERM');
  });

  it('never finds itself: a symlink named npm to slopguard and a marked shim earlier on PATH are skipped', () => {
    const shims = join(root, 'shims');
    mkdirSync(shims, { recursive: true });
    symlinkSync(BIN, join(shims, 'npm'));
    writeFileSync(join(shims, 'pip'), `#!/bin/sh\n# ${SHIM_MARKER}\nexec ${process.execPath} ${BIN} pip "$@"\n`);
    chmodSync(join(shims, 'pip'), 0o755);
    const log = join(root, 'shim.log');
    const env = envFor(bin, log);
    env.PATH = `${shims}:${env.PATH}`;
    const b = spawnSync(process.execPath, [BIN, 'npm', 'run', 'explicit'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    const c = spawnSync(join(shims, 'pip'), ['list'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(b.status, 0, b.stderr);
    assert.equal(c.status, 0, c.stderr);
    const argvs = records(log).map((r) => r.argv);
    assert.deepEqual(argvs.filter((a2) => a2?.[1] === 'explicit' || a2?.[0] === 'list'), [['run', 'explicit'], ['list']]);
  });

  it('through the bash functions: plain npm reaches the real npm once, marked as wrapped (no loop)', { skip: existsSync('/bin/bash') ? false : 'bash is not installed' }, () => {
    const log = join(root, 'bash.log');
    const sg = join(root, 'sgbin');
    mkdirSync(sg, { recursive: true });
    writeFileSync(join(sg, 'slopguard'), `#!/bin/sh\nexec ${process.execPath} ${BIN} "$@"\n`);
    chmodSync(join(sg, 'slopguard'), 0o755);
    const env = envFor(bin, log);
    env.PATH = `${sg}:${env.PATH}`;
    const init = join(root, 'init.bash');
    writeFileSync(init, shellInitScript('bash'));
    const r = spawnSync('bash', ['-c', `. ${init}\nnpm run 'a b'\nnpm exit 3; echo "rc=$?"`], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rc=3/);
    assert.deepEqual(records(log), [{ argv: ['run', 'a b'], wrapped: '1' }, { argv: ['exit', '3'], wrapped: '1' }]);
  });

  it('a tool missing from PATH exits 127 with a message', () => {
    const r = spawnSync(process.execPath, [BIN, 'pnpm', 'run', 'x'], { cwd: root, env: envFor(join(root, 'nothing'), join(root, 'none.log')), encoding: 'utf8' });
    assert.equal(r.status, 127);
    assert.match(r.stderr, /pnpm was not found on PATH/);
  });
});

describe('slopguard wrap', () => {
  it('--help documents the outcomes, the --slopguard-* options and examples', () => {
    const r = spawnSync(process.execPath, [BIN, 'wrap', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /--slopguard-allow <name>/);
    assert.match(r.stdout, /--slopguard-fail-closed/);
    assert.match(r.stdout, /Examples:\n {2}slopguard npm install express/);
  });

  it('wrap <tool> ... runs the same wrapper, arguments in order', () => {
    const dir = mkdtempSync(join(root, 'wrap-'));
    const bin = join(dir, 'bin');
    fakeTool(bin, 'npm');
    const log = join(dir, 'wrap.log');
    const r = spawnSync(process.execPath, [BIN, 'wrap', 'npm', 'run', 'x', '--flag', 'a b', '-z'], { cwd: dir, env: envFor(bin, log), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(records(log), [{ argv: ['run', 'x', '--flag', 'a b', '-z'], wrapped: '1' }]);
  });
});
