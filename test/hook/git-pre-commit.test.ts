import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';
import { shellWord } from '../../src/hook/install/command.js';
import { testIo } from '../helpers/io.js';
import { NOW, registryEnv, startDoorRegistry, type DoorRegistry } from './fixtures.js';

const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));

let reg: DoorRegistry;
const temps: string[] = [];
before(async () => {
  reg = await startDoorRegistry();
});
after(async () => {
  await reg.close();
  temps.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, HOME: cwd } });
}

/** A repository with one commit: a package.json that already depends on express. */
function repo(): string {
  const d = mkdtempSync(join(tmpdir(), 'slopguard-precommit-'));
  temps.push(d);
  git(d, 'init', '-q');
  writeFileSync(join(d, 'package.json'), `${JSON.stringify({ name: 'app', dependencies: { express: '^4.19.0' } }, null, 2)}\n`);
  git(d, 'add', 'package.json');
  git(d, 'commit', '-q', '-m', 'init', '--no-verify');
  return d;
}

function stageDeps(dir: string, deps: Record<string, string>): void {
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'app', dependencies: { express: '^4.19.0', ...deps } }, null, 2)}\n`);
  git(dir, 'add', 'package.json');
}

/** `git commit`, run asynchronously: the fixture registry lives in this process and must keep answering. */
function commit(cwd: string, message: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', ['commit', '-q', '-m', message], { cwd, env, encoding: 'utf8' }, (err, _stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

async function preCommit(cwd: string, args: string[] = [], env = reg.env) {
  const t = testIo({ cwd, env: { ...GIT_ENV, HOME: cwd, PATH: process.env.PATH ?? '', ...env }, now: NOW });
  const code = await run(['hook', 'git-pre-commit', ...args], t.io);
  return { code, err: t.err(), out: t.out() };
}

describe('hook git-pre-commit', () => {
  it('stops a commit that adds a dependency that does not exist (exit 1, reasons on stderr, how to proceed)', async () => {
    const dir = repo();
    stageDeps(dir, { lodahs: '^1.0.0' });
    const r = await preCommit(dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /`lodahs` does not exist on npm/);
    assert.match(r.err, /package\.json:\d+/);
    assert.match(r.err, /commit stopped/);
    assert.match(r.err, /--no-verify/);
    assert.equal(r.out, '');
  });

  it('lets through what only changes existing dependencies, and commits with nothing staged', async () => {
    const dir = repo();
    assert.equal((await preCommit(dir)).code, 0);
    stageDeps(dir, {});
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'app', dependencies: { express: '^4.21.0' } }, null, 2)}\n`);
    git(dir, 'add', 'package.json');
    reg.registry.clearRequests();
    const r = await preCommit(dir);
    assert.equal(r.code, 0);
    assert.equal(reg.registry.requests.length, 0);
  });

  it('warnings are printed, the commit goes ahead', async () => {
    const dir = repo();
    stageDeps(dir, { 'fresh-helper-kit': '^1.0.0' });
    const r = await preCommit(dir);
    assert.equal(r.code, 0);
    assert.match(r.err, /fresh-helper-kit/);
    assert.match(r.err, /look at the warnings above/);
  });

  it('an unreachable registry lets the commit through with a warning; --fail-closed stops it', async () => {
    const dir = repo();
    stageDeps(dir, { 'some-unchecked-name': '^1.0.0' });
    const env = registryEnv('http://127.0.0.1:9', `${reg.cacheDir}-down`);
    const a = await preCommit(dir, [], env);
    assert.equal(a.code, 0);
    assert.match(a.err, /could not be checked/);
    const b = await preCommit(dir, ['--fail-closed'], env);
    assert.equal(b.code, 1);
  });

  it('outside a repository: reported, and the commit is not blocked by a slopguard problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slopguard-norepo-'));
    temps.push(dir);
    const r = await preCommit(dir);
    assert.equal(r.code, 0);
    assert.match(r.err, /committing unchecked/);
  });

  it('installed with `hook install git`, it runs inside a real `git commit`', async () => {
    const dir = repo();
    const install = testIo({ cwd: dir, env: { PATH: '' } });
    const invocation = `${shellWord(process.execPath)} ${shellWord(BIN)}`;
    assert.equal(await run(['hook', 'install', 'git', '--command', invocation], install.io), 0);
    stageDeps(dir, { lodahs: '^1.0.0' });
    const env = { ...process.env, ...GIT_ENV, HOME: dir, ...reg.env };
    const blocked = await commit(dir, 'add lodahs', env);
    assert.notEqual(blocked.status, 0, blocked.stderr);
    assert.match(blocked.stderr, /`lodahs` does not exist on npm/);
    stageDeps(dir, { lodash: '^4.17.21' });
    const ok = await commit(dir, 'add lodash', env);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(git(dir, 'log', '--oneline'), /add lodash/);
  });
});
