/**
 * Trust boundary: the repository, the change and the agent being guarded cannot switch slopguard
 * off (issue 12). The real executable, a fresh HOME and system config per scenario, a loopback
 * registry; each scenario is an attack as a hostile repository or pull request would make it,
 * and each asserts the secure outcome. Counted as hostile inputs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { healthyNpm } from './fixtures.js';
import { assertNotOk, parseReport, registryEnv, spawnCli, tally, tempDir } from './harness.js';

let reg: FixtureRegistry;
before(async () => {
  reg = await startFixtureRegistry({ npm: [healthyNpm('express')], missing: { npm: ['lodahs'] } }, { strict: false });
});
after(() => reg.close());

/** A HOME, a system config path and a git repository inside HOME, with the given repository files. */
function world(files: Record<string, string>) {
  const root = tempDir('trust');
  const home = join(root, 'home');
  const repo = join(home, 'app');
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      encoding: 'utf8',
    });
  git('init', '-q');
  const put = (rel: string, text: string) => {
    const abs = rel.startsWith('/') ? rel : join(repo, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  for (const [rel, text] of Object.entries(files)) put(rel, text);
  const env = { ...registryEnv(reg, join(root, 'cache')), HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.state'), SLOPGUARD_SYSTEM_CONFIG: join(root, 'etc', 'config.json') };
  return { root, home, repo, env, put, git };
}

const ALLOW_ALL = JSON.stringify({ allow: { npm: [{ name: '*', reason: 'trust me' }] } });

describe('trust boundary: a hostile repository or change cannot switch slopguard off', () => {
  const repoAttacks: Array<[string, Record<string, string>]> = [
    ['the repository allowlists everything', { '.slopguard.json': ALLOW_ALL }],
    ['package.json#slopguard turns not-found and typo off', { 'package.json': JSON.stringify({ name: 'x', slopguard: { severities: { 'not-found': 'off', typo: 'off' } } }) }],
  ];
  for (const [name, files] of repoAttacks) {
    it(`${name}: check, scan and the Claude hook still block lodahs`, async () => {
      tally.hostile++;
      const w = world({ ...files, 'requirements.txt': '', 'pkg/package.json': JSON.stringify({ name: 'y', dependencies: { lodahs: '^1' } }) });
      const check = await spawnCli(['check', 'lodahs', '--format', 'json'], { env: w.env, cwd: w.repo });
      assert.equal(check.code, 1, check.err);
      assertNotOk(parseReport(check), ['lodahs']);
      const scan = await spawnCli(['scan', 'pkg', '--format', 'json'], { env: w.env, cwd: w.repo });
      assert.equal(scan.code, 1, scan.err);
      const input = JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm install lodahs' }, cwd: w.repo });
      const hook = await spawnCli(['hook', 'claude'], { env: w.env, cwd: w.repo, stdin: input });
      assert.equal(JSON.parse(hook.out).hookSpecificOutput.permissionDecision, 'deny', hook.err);
    });
  }

  it('a .slopguard.json in a shared parent folder (outside the repository) is not read', async () => {
    tally.hostile++;
    const w = world({});
    w.put(join(w.home, '.slopguard.json'), ALLOW_ALL);
    const outside = join(w.root, 'tmp-shared');
    w.put(join(outside, '.slopguard.json'), ALLOW_ALL);
    mkdirSync(join(outside, 'job'), { recursive: true });
    for (const cwd of [w.repo, join(outside, 'job')]) {
      const r = await spawnCli(['check', 'lodahs', '--trust-project', '--format', 'json'], { env: w.env, cwd });
      assert.equal(r.code, 1, `${cwd}: ${r.err}`);
      assertNotOk(parseReport(r), ['lodahs']);
    }
  });

  it('a broken repository config never opens the gate: Claude asks, Cursor never answers allow', async () => {
    tally.hostile++;
    const w = world({ '.slopguard.json': '{"x": 1}' });
    const claude = await spawnCli(['hook', 'claude'], { env: w.env, cwd: w.repo, stdin: JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm i express' }, cwd: w.repo }) });
    assert.equal(JSON.parse(claude.out).hookSpecificOutput.permissionDecision, 'ask');
    const cursor = await spawnCli(['hook', 'cursor'], { env: w.env, cwd: w.repo, stdin: JSON.stringify({ hook_event_name: 'beforeShellExecution', command: 'npm i express', cwd: w.repo }) });
    assert.notEqual(JSON.parse(cursor.out).permission, 'allow');
    assert.equal((await spawnCli(['check', 'express'], { env: w.env, cwd: w.repo })).code, 2);
  });

  it('a pull request that adds a squat and its own allow entry fails ci --base, with a policy-change note', async () => {
    tally.hostile++;
    const w = world({ 'package.json': JSON.stringify({ name: 'x', dependencies: { express: '^4' } }) });
    w.git('add', '-A');
    w.git('commit', '-qm', 'base');
    w.put('package.json', JSON.stringify({ name: 'x', dependencies: { express: '^4', lodahs: '^1' } }));
    w.put('.slopguard.json', JSON.stringify({ allow: { npm: [{ name: 'lodahs', reason: 'ours' }] }, severities: { typo: 'off' } }));
    w.git('add', '-A');
    w.git('commit', '-qm', 'pr');
    const r = await spawnCli(['ci', '--base', 'HEAD~1', '--trust-project', '--format', 'json'], { env: w.env, cwd: w.repo });
    assert.equal(r.code, 1, r.err);
    const report = parseReport(r);
    assertNotOk(report, ['lodahs']);
    assert.ok(report.notes.some((n) => n.code === 'policy-change' && /allow, severities/.test(n.message)), JSON.stringify(report.notes));
  });

  it("a repository .npmrc cannot send an environment variable's value to a host it picks", async () => {
    tally.hostile++;
    const w = world({ 'package.json': JSON.stringify({ name: 'x' }) });
    w.put('.npmrc', `registry=${reg.url}/\n${reg.url.replace(/^http:/, '')}/:_authToken=\${CI_DEPLOY_TOKEN}\n`);
    reg.clearRequests();
    const r = await spawnCli(['check', 'express', '--no-cache'], { env: { ...w.env, SLOPGUARD_NPM_REGISTRY: undefined, CI_DEPLOY_TOKEN: 'deploy-token-value-789' }, cwd: w.repo });
    assert.equal(r.code, 0, r.err);
    assert.equal(reg.requests.filter((q) => JSON.stringify(q.headers).includes('deploy-token-value-789')).length, 0);
  });

  it('a locked system policy survives a trusted project, the user config, flags and env at once', async () => {
    tally.hostile++;
    const w = world({ '.slopguard.json': ALLOW_ALL });
    w.put(w.env.SLOPGUARD_SYSTEM_CONFIG, JSON.stringify({ locked: true }));
    w.put(join(w.home, '.config', 'slopguard', 'config.json'), JSON.stringify({ severities: { 'not-found': 'off', typo: 'off' } }));
    const r = await spawnCli(['check', 'lodahs', '--trust-project', '--allow', 'lodahs', '--format', 'json'], { env: { ...w.env, SLOPGUARD_ALLOW: 'lodahs' }, cwd: w.repo });
    assert.equal(r.code, 1, r.err);
    assertNotOk(parseReport(r), ['lodahs']);
  });
});
