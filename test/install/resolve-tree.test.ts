import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { PackageRef } from '../../src/core/types.js';
import { resolveTree, type TreeRequest, type TreeResult } from '../../src/install/resolve-tree.js';
import { RESOLVED_TREE } from '../../src/install/tree-notes.js';
import { diskAccess, overlayAccess } from '../../src/sources/file-access.js';
import { startSimpleIndex, type SimpleIndex } from '../e2e/pypi-index.js';
import { buildWheel } from '../helpers/wheel.js';
import { basePath, sh, skipUnless, which } from '../e2e/tools.js';
import { startVerdaccio, type Verdaccio } from '../e2e/verdaccio.js';
import { run as runCli } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';
import { pypiProject, startFixtureRegistry } from '../fixture-registry/server.js';

/**
 * resolveTree with the real package managers: npm against Verdaccio on loopback (packages
 * published with real dependencies), pip against a PEP 503 index on loopback holding wheels whose
 * METADATA requires other wheels. The budget tests use a loopback server that accepts connections
 * and never answers, and look in /proc for the npm process afterwards.
 */

const typed = (ecosystem: 'npm' | 'pypi', name: string, spec?: string): PackageRef => ({
  ecosystem,
  name,
  ...(spec ? { spec } : {}),
  origin: { file: '<command>', line: 1, column: 13, context: ecosystem === 'npm' ? 'npm install' : 'pip install' },
});

const names = (r: TreeResult) => r.refs.map((x) => x.name).sort();
const unverified = (r: TreeResult) => r.notes.filter((n) => n.unverified);

/** Every file below `dir`, with its bytes, to prove a resolution wrote nothing into the project. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Process ids whose environment holds `marker` (Linux /proc), this process excluded. The
 * environment, not the command line: npm rewrites its process title, and with it /proc/N/cmdline.
 */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0; its state in /proc/<pid>/stat says Z.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A registry that accepts connections and never answers a byte. */
async function startSilentServer(): Promise<{ url: string; sockets: Socket[]; onConnection: (f: () => void) => void; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const listeners: Array<() => void> = [];
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    for (const f of listeners.splice(0)) f();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    sockets,
    onConnection: (f) => listeners.push(f),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const npm = which('npm');
const npmSkip = skipUnless('resolveTree with npm', npm !== undefined, 'npm is not installed on this machine');

describe('resolveTree: npm against Verdaccio', { skip: npmSkip }, () => {
  let root: string;
  let registry: Verdaccio;
  let run = 0;

  const publish = (name: string, version: string, dependencies: Record<string, string> = {}) =>
    registry.publish({ name, version, files: { 'package.json': JSON.stringify({ name, version, main: 'index.js', license: 'MIT', dependencies }) } });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-tree-npm-'));
    registry = await startVerdaccio(join(root, 'verdaccio'));
    publish('sgtree-squat', '1.0.0');
    publish('sgtree-mid', '1.0.0', { 'sgtree-squat': '^1.0.0' });
    publish('sgtree-good', '1.0.0', { 'sgtree-mid': '^1.0.0' });
    publish('sgtree-locked', '1.0.0');
    publish('sgtree-uses-locked', '2.0.0', { 'sgtree-locked': '^1.0.0', 'sgtree-squat': '^1.0.0' });
    publish('sgtree-broken', '1.0.0', { 'sgtree-no-such-dependency': '^1.0.0' });
    publish('@sgtree/scoped', '1.0.0');
    writeFileSync(join(root, 'empty.npmrc'), '');
    mkdirSync(join(root, 'tmp'));
  });
  // Every resolution, finished, failed, timed out or aborted, removes its temporary copy.
  afterEach(() => assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'temporary folders left behind'));
  after(async () => {
    await registry?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: basePath(),
      HOME: join(root, 'home'),
      npm_config_userconfig: join(root, 'empty.npmrc'),
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_update_notifier: 'false',
      ...extra,
    };
  }

  /** A project folder with a package.json (and whatever else `files` holds). */
  function project(pkg: Record<string, unknown> = {}, files: Record<string, string> = {}): string {
    const dir = join(root, `app-${++run}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `app-${run}`, version: '1.0.0', private: true, ...pkg }, null, 2)}\n`);
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    return dir;
  }

  const request = (cwd: string, packages: PackageRef[], extra: Partial<TreeRequest> = {}): TreeRequest => ({
    tool: 'npm',
    ecosystem: 'npm',
    packages,
    cwd,
    registry: registry.url,
    env: env(),
    budgetMs: 120_000,
    tempDir: join(root, 'tmp'),
    ...extra,
  });

  it('the Claude Code hook judges the resolved tree by default (SLOPGUARD_RESOLVE_TREE=1 too), and only the typed name with SLOPGUARD_RESOLVE_TREE=0', async () => {
    const dir = project();
    const hookEnv = {
      ...(env() as Record<string, string>),
      SLOPGUARD_NPM_REGISTRY: registry.url,
      SLOPGUARD_NPM_DOWNLOADS_API: registry.url.replace(/\/$/, ''),
      SLOPGUARD_CACHE_DIR: join(root, `sg-cache-${run}`),
      SLOPGUARD_HOOK_BUDGET: '60',
      TMPDIR: join(root, 'tmp'),
    };
    const input = JSON.stringify({ hook_event_name: 'PreToolUse', cwd: dir, tool_name: 'Bash', tool_input: { command: 'npm install sgtree-good' } });
    const ask = async (extra: Record<string, string>) => {
      const t = testIo({ env: { ...hookEnv, ...extra }, cwd: dir, stdin: input });
      assert.equal(await runCli(['hook', 'claude'], t.io), 0);
      return (JSON.parse(t.out() || '{}') as { hookSpecificOutput?: { permissionDecision: string; permissionDecisionReason: string } }).hookSpecificOutput;
    };
    const withTree = await ask({ SLOPGUARD_RESOLVE_TREE: '1' });
    // Published today in this registry: every package is too new, so the hook asks; the squat two levels down is named.
    assert.equal(withTree?.permissionDecision, 'ask');
    assert.match(withTree!.permissionDecisionReason, /sgtree-squat/);
    assert.match(withTree!.permissionDecisionReason, /sgtree-mid/);
    assert.equal((await ask({}))?.permissionDecisionReason, withTree!.permissionDecisionReason);
    const typedOnly = await ask({ SLOPGUARD_RESOLVE_TREE: '0' });
    assert.equal(typedOnly?.permissionDecision, 'ask');
    assert.doesNotMatch(typedOnly!.permissionDecisionReason, /sgtree-squat/);
  });

  it('returns the transitive squat a good package pulls in, with the chain that pulls it, and writes nothing into the project', async () => {
    const dir = project();
    const before = snapshot(dir);
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')]));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-mid', 'sgtree-squat'], 'the typed name itself is the caller\'s; its tree is returned');
    const squat = r.refs.find((x) => x.name === 'sgtree-squat')!;
    assert.equal(squat.ecosystem, 'npm');
    assert.equal(squat.spec, '1.0.0');
    assert.deepEqual(squat.origin, { file: RESOLVED_TREE, context: 'dependency of sgtree-good (sgtree-good > sgtree-mid > sgtree-squat)' });
    assert.equal(r.refs.find((x) => x.name === 'sgtree-mid')!.origin?.context, 'dependency of sgtree-good');
    assert.deepEqual(snapshot(dir), before, 'package.json untouched, no lockfile, no node_modules');
  });

  it('does not return what the project\'s lockfile already has, and leaves package.json and the lockfile byte for byte', async () => {
    const dir = project({ dependencies: { 'sgtree-locked': '^1.0.0' } });
    const made = sh('npm', ['install', '--package-lock-only', '--ignore-scripts', '--registry', registry.url], { cwd: dir, env: env() });
    assert.equal(made.status, 0, made.stderr);
    assert.ok(existsSync(join(dir, 'package-lock.json')));
    const before = snapshot(dir);
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-uses-locked', '^2.0.0')]));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-squat'], 'sgtree-locked is in the lockfile already');
    assert.equal(r.refs[0]!.origin?.context, 'dependency of sgtree-uses-locked');
    assert.deepEqual(snapshot(dir), before);
  });

  it('sees through the project\'s overrides: a dependency redirected to another package is returned under its real name', async () => {
    const dir = project({ overrides: { 'sgtree-mid': 'npm:sgtree-squat@1.0.0' } });
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')]));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(r.refs, [{ ecosystem: 'npm', name: 'sgtree-squat', spec: '1.0.0', alias: 'sgtree-mid', origin: { file: RESOLVED_TREE, context: 'dependency of sgtree-good' } }]);
  });

  it('reads the project through the port it is given: a package.json written earlier in the same command counts', async () => {
    const dir = project();
    const written = new Map([[join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', dependencies: { 'sgtree-locked': '^1.0.0' } })]]);
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-squat')], { files: overlayAccess(diskAccess({ root: dir }), written) }));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-locked'], 'the overlaid package.json was resolved, not the one on disk');
  });

  it('a project lockfile that is not JSON: npm resolves from package.json, and every package counts as new', async () => {
    const dir = project({ dependencies: { 'sgtree-locked': '^1.0.0' } }, { 'package-lock.json': '{ "lockfileVersion": 3, "packages": {' });
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-squat')]));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-locked']);
  });

  it('counts a yarn.lock\'s packages as already there (pnpm, yarn and bun add resolve through npm)', async () => {
    const yarnLock = ['# yarn lockfile v1', '', '"sgtree-mid@^1.0.0":', '  version "1.0.0"', `  resolved "${registry.url}sgtree-mid/-/sgtree-mid-1.0.0.tgz"`, ''].join('\n');
    const dir = project({}, { 'yarn.lock': yarnLock });
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')], { tool: 'yarn' }));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-squat']);
  });

  it('resolves in a project whose package.json has workspaces, file:, workspace: and catalog: dependencies the copy does not hold', async () => {
    const dir = project({
      workspaces: ['packages/*'],
      packageManager: 'pnpm@9.0.0',
      dependencies: { local: 'file:../somewhere-else', sibling: 'workspace:*', catalogued: 'catalog:', 'sgtree-locked': '^1.0.0' },
    });
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')]));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-locked', 'sgtree-mid', 'sgtree-squat'], 'no lockfile: the whole tree is what the install fetches');
  });

  it('a typed name that does not exist: one unverified note that says so, no refs, no throw', async () => {
    const dir = project();
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good'), typed('npm', 'sgtree-typed-but-missing')]));
    assert.deepEqual(r.refs, []);
    assert.equal(r.notes.length, 1);
    const [note] = r.notes;
    assert.equal(note!.unverified, true);
    assert.equal(note!.level, 'warning');
    assert.match(note!.message, /^The packages `sgtree-good`, `sgtree-typed-but-missing` would pull in were not checked: `sgtree-typed-but-missing` is not on the registry, so the install cannot resolve; the name itself is checked on its own\.$/);
    assert.deepEqual(note!.origin, { file: '<command>', line: 1, column: 13, context: 'npm install' }, 'located at the install as typed');
  });

  it('a dependency that does not exist is returned (to be judged) with an unverified note', async () => {
    const dir = project();
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-broken')]));
    assert.deepEqual(names(r), ['sgtree-no-such-dependency']);
    assert.equal(r.refs[0]!.origin?.file, RESOLVED_TREE);
    assert.equal(unverified(r).length, 1);
    assert.match(r.notes[0]!.message, /the dependency `sgtree-no-such-dependency` is not on the registry, so the install would fail/);
  });

  it('a project\'s scoped registry is used for its scope (the copy has no .npmrc of its own)', async () => {
    const dir = project();
    // The default registry is a closed port: only the scope's registry can answer.
    const r = await resolveTree(request(dir, [typed('npm', '@sgtree/scoped')], { registry: 'http://127.0.0.1:9/', scopeRegistries: { '@sgtree': registry.url, '@bad scope': 'http://127.0.0.1:9/' } }));
    assert.deepEqual(r, { refs: [], notes: [] });
  });

  for (const [label, spec, why] of [
    ['a version no release matches', '^9.0.0', /^The packages `sgtree-good` would pull in were not checked: npm could not resolve it: ETARGET, No matching version found for sgtree-good@\^9\.0\.0\.$/],
    // No shell: the spec reaches npm as one argument, and npm refuses it as a tag.
    ['a spec holding $(...), backticks and ;', '$(touch pwned) `touch pwned2`; touch pwned3', /npm could not resolve it: EINVALIDTAGNAME, Invalid tag name "\$\(touch pwned\) `touch pwned2`; touch pwned3"/],
  ] as const) {
    it(`${label}: npm's own reason in one unverified note, nothing run`, async () => {
      const dir = project();
      const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good', spec)]));
      assert.deepEqual(r.refs, []);
      assert.equal(r.notes.length, 1);
      assert.equal(r.notes[0]!.unverified, true);
      assert.match(r.notes[0]!.message, why);
      for (const f of ['pwned', 'pwned2', 'pwned3']) assert.ok(!existsSync(join(dir, f)) && !existsSync(join(tmpdir(), f)), `${f} was not created`);
    });
  }

  for (const [label, files, why] of [
    ['a package.json that is not JSON', { 'package.json': '{ "name": ' }, /package\.json is not valid JSON/],
    ['a package.json holding an array', { 'package.json': '[1, 2]' }, /package\.json is not a JSON object/],
  ] as const) {
    it(`${label}: unverified note, npm is not run`, async () => {
      const dir = project();
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
      const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')], { registry: 'http://127.0.0.1:9/' }));
      assert.deepEqual(r.refs, []);
      assert.equal(unverified(r).length, 1);
      assert.match(r.notes[0]!.message, why);
    });
  }

  it('a package.json that is a link out of the project is refused, not read', async () => {
    const dir = project();
    rmSync(join(dir, 'package.json'));
    const outside = join(root, 'outside.json');
    writeFileSync(outside, '{"dependencies":{"sgtree-locked":"^1.0.0"}}');
    (await import('node:fs')).symlinkSync(outside, join(dir, 'package.json'));
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')]));
    assert.deepEqual(r.refs, []);
    assert.match(r.notes[0]!.message, /the project's package\.json could not be read \(package\.json is a link to a place outside the (?:folder|repository) being checked/);
    assert.equal(r.notes[0]!.unverified, true);
  });

  it('npm not on PATH: an unverified note that names npm', async () => {
    const dir = project();
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')], { tool: 'pnpm', env: env({ PATH: join(root, 'no-bin') }) }));
    assert.deepEqual(r.refs, []);
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0]!.message, /^The packages `sgtree-good` would pull in were not checked: npm is not installed here, and it is what resolves the tree\.$/);
  });

  it('never runs slopguard\'s own npm shim: the real npm further down PATH resolves the tree', async () => {
    const dir = project();
    const shims = join(root, 'shim-bin');
    mkdirSync(shims, { recursive: true });
    const ran = join(root, 'shim-ran');
    writeFileSync(join(shims, 'npm'), `#!/bin/sh\n# slopguard-shim\ntouch '${ran}'\nexit 1\n`, { mode: 0o755 });
    const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')], { env: env({ PATH: basePath([shims]) }) }));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-mid', 'sgtree-squat']);
    assert.ok(!existsSync(ran), 'the shim never ran');
  });

  it('typed refs from git or a URL: their dependencies are said to be unchecked; the registry ones are still resolved', async () => {
    const dir = project();
    const git: PackageRef = { ...typed('npm', 'some-repo', 'github:someone/some-repo'), source: 'git' };
    const r = await resolveTree(request(dir, [git, typed('npm', 'sgtree-good')]));
    assert.deepEqual(names(r), ['sgtree-mid', 'sgtree-squat']);
    assert.equal(unverified(r).length, 1);
    assert.match(r.notes[0]!.message, /github:someone\/some-repo is not from the registry; what it depends on is only known once fetched/);
  });

  describe('a registry that never answers', { skip: skipUnless('npm process checks', existsSync('/proc/self/cmdline'), 'there is no /proc here') }, () => {
    // A timeout well above the budget: an npm left running would make resolveTree wait for npm's
    // own five-minute fetch timeout, and this fails the test instead of hanging the run.
    it('the budget runs out: an unverified note saying so, and npm is killed', { timeout: 60_000 }, async () => {
      const silent = await startSilentServer();
      try {
        const dir = project();
        const marker = `SGTREE_RUN=budget-${process.pid}-${++run}`;
        const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')], { registry: silent.url, budgetMs: 1500, env: env({ SGTREE_RUN: marker.split('=')[1] }) }));
        assert.deepEqual(r.refs, []);
        assert.equal(r.notes.length, 1);
        assert.match(r.notes[0]!.message, /resolving it took longer than the 1\.5 s budget; the resolver was stopped\.$/);
        assert.deepEqual(processesWith(marker), [], 'no process started for the resolution is left running');
      } finally {
        await silent.close();
      }
    });

    it('the caller aborts once npm is waiting on the registry: that npm process is gone when resolveTree returns', { timeout: 60_000 }, async () => {
      const silent = await startSilentServer();
      try {
        const dir = project();
        const controller = new AbortController();
        const marker = `SGTREE_RUN=abort-${process.pid}-${++run}`;
        let pids: number[] = [];
        silent.onConnection(() => {
          pids = processesWith(marker);
          controller.abort();
        });
        const r = await resolveTree(request(dir, [typed('npm', 'sgtree-good')], { registry: silent.url, signal: controller.signal, env: env({ SGTREE_RUN: marker.split('=')[1] }) }));
        assert.ok(pids.length >= 1, 'npm was running and connected when the abort came');
        assert.deepEqual(pids.filter(alive), [], 'every process started for the resolution is gone');
        assert.deepEqual(processesWith(marker), []);
        assert.match(r.notes[0]!.message, /the check was stopped before the tree was resolved\.$/);
        assert.equal(r.notes[0]!.unverified, true);
      } finally {
        await silent.close();
      }
    });
  });
});

// ---------------------------------------------------------------------------
// pip
// ---------------------------------------------------------------------------

const pythonShim = which('python3');
const python = pythonShim ? sh(pythonShim, ['-c', 'import sys; print(sys.executable)'], { cwd: tmpdir(), env: process.env }).stdout.trim() : '';
const pipHelp = python ? sh(python, ['-m', 'pip', 'install', '--help'], { cwd: tmpdir(), env: process.env }).stdout : '';
const pipSkip = skipUnless(
  'resolveTree with pip',
  python !== '' && pipHelp.includes('--report') && pipHelp.includes('--dry-run'),
  python === '' ? 'python3 is not installed on this machine' : "this pip has no `install --dry-run --report` (pip < 22.2)",
);

describe('resolveTree: pip against a PEP 503 index on loopback', { skip: pipSkip }, () => {
  let root: string;
  let index: SimpleIndex;

  const wheel = (dist: string, version: string, ...requires: string[]) => void buildWheel(python, join(root, 'wheels'), dist, version, undefined, requires);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-tree-pip-'));
    mkdirSync(join(root, 'wheels'));
    mkdirSync(join(root, 'project'));
    mkdirSync(join(root, 'tmp'));
    wheel('sgtree-squat-py', '0.1.0');
    wheel('sgtree-mid-py', '1.0.0', 'sgtree-squat-py>=0.1');
    wheel('sgtree-good-py', '2.0.0', 'sgtree-mid-py>=1', 'sgtree-extra-only-py; extra == "dev"');
    wheel('sgtree-broken-py', '1.0.0', 'sgtree-missing-dep-py');
    // Nothing but the simple API is asked for: any other path would go to a closed port.
    index = await startSimpleIndex(join(root, 'wheels'), 'http://127.0.0.1:9/');
  });
  afterEach(() => assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'temporary folders left behind'));
  after(async () => {
    await index?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const request = (packages: PackageRef[], extra: Partial<TreeRequest> = {}): TreeRequest => ({
    tool: python,
    ecosystem: 'pypi',
    packages,
    cwd: join(root, 'project'),
    indexUrl: index.indexUrl,
    env: { PATH: basePath(), HOME: join(root, 'home'), PIP_CONFIG_FILE: '/dev/null', PIP_NO_CACHE_DIR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    budgetMs: 120_000,
    tempDir: join(root, 'tmp'),
    ...extra,
  });

  it('returns the transitive squat a good project requires, with the chain, and not the extras it was not asked for', async () => {
    const r = await resolveTree(request([typed('pypi', 'sgtree-good-py', '==2.0.0')]));
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-mid-py', 'sgtree-squat-py']);
    const squat = r.refs.find((x) => x.name === 'sgtree-squat-py')!;
    assert.deepEqual(squat, { ecosystem: 'pypi', name: 'sgtree-squat-py', spec: '==0.1.0', origin: { file: RESOLVED_TREE, context: 'dependency of sgtree-good-py (sgtree-good-py > sgtree-mid-py > sgtree-squat-py)' } });
    assert.deepEqual(readdirSync(join(root, 'project')), [], 'nothing written where the install runs');
  });

  it('the Claude Code hook resolves `pip install` by default with pip against the index, and names the squat the typed project requires', async () => {
    // slopguard's own lookups (PyPI's JSON API) go to a fixture registry behind a second index, which plays pypi.org.
    const facts = await startFixtureRegistry({
      pypi: [
        pypiProject({ name: 'sgtree-good-py', created: '2015-01-01', versions: ['2.0.0'], published: '2026-06-01', weeklyDownloads: 5_000_000, urls: { Source: 'https://github.com/example/sgtree-good-py' } }),
        pypiProject({ name: 'sgtree-mid-py', created: '2015-01-01', versions: ['1.0.0'], published: '2026-06-01', weeklyDownloads: 5_000_000, urls: { Source: 'https://github.com/example/sgtree-mid-py' } }),
        pypiProject({ name: 'sgtree-squat-py', created: '2026-11-23', versions: ['0.1.0'], weeklyDownloads: 3, urls: { Source: 'https://github.com/someone/sgtree-squat-py' } }),
      ],
    });
    const pypi = await startSimpleIndex(join(root, 'wheels'), `${facts.url}/`);
    try {
      const bin = join(root, 'bin');
      mkdirSync(bin, { recursive: true });
      const { symlinkSync } = await import('node:fs');
      if (!existsSync(join(bin, 'pip'))) symlinkSync(join(python, '..', 'pip3'), join(bin, 'pip'));
      const cwd = join(root, 'project');
      const hook = async (extra: Record<string, string>) => {
        const env = {
          PATH: basePath([bin]),
          HOME: join(root, 'home'),
          TMPDIR: join(root, 'tmp'),
          PIP_CONFIG_FILE: '/dev/null',
          PIP_NO_CACHE_DIR: '1',
          PIP_INDEX_URL: pypi.indexUrl,
          SLOPGUARD_PYPI_URL: pypi.indexUrl.replace(/simple\/?$/, ''),
          SLOPGUARD_PYPISTATS_API: facts.url,
          SLOPGUARD_CACHE_DIR: join(root, `sg-cache-${Object.keys(extra).length}`),
          SLOPGUARD_HOOK_BUDGET: '60',
          ...extra,
        };
        const t = testIo({ env, cwd, stdin: JSON.stringify({ hook_event_name: 'PreToolUse', cwd, tool_name: 'Bash', tool_input: { command: 'pip install sgtree-good-py' } }), now: new Date('2026-11-26T12:00:00Z') });
        assert.equal(await runCli(['hook', 'claude'], t.io), 0, t.err());
        return (JSON.parse(t.out() || '{}') as { hookSpecificOutput?: { permissionDecision: string; permissionDecisionReason: string } }).hookSpecificOutput;
      };
      const resolved = await hook({});
      assert.equal(resolved?.permissionDecision, 'ask', JSON.stringify(resolved));
      assert.match(resolved!.permissionDecisionReason, /sgtree-squat-py[\s\S]*first published/);
      assert.ok(pypi.requests.some((r) => r.includes('/simple/sgtree-mid-py')), 'pip walked the tree on the index');
      // Typed names only: the established project passes, the squat is never asked about.
      assert.equal(await hook({ SLOPGUARD_RESOLVE_TREE: '0' }), undefined);
      facts.assertNoUnexpectedRequests();
    } finally {
      await pypi.close();
      await facts.close();
    }
  });

  it('typed as `pip` (on PATH) instead of `python3 -m pip`, with the index as an extra index', async () => {
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    const { symlinkSync } = await import('node:fs');
    if (!existsSync(join(bin, 'pip'))) symlinkSync(join(python, '..', 'pip3'), join(bin, 'pip'));
    const req = request([typed('pypi', 'sgtree-mid-py')], { tool: 'pip', indexUrl: index.indexUrl, extraIndexUrls: [index.indexUrl] });
    const r = await resolveTree({ ...req, env: { ...req.env, PATH: basePath([bin]) } });
    assert.deepEqual(r.notes, []);
    assert.deepEqual(names(r), ['sgtree-squat-py']);
  });

  it('a typed name the index does not have: one unverified note, no throw', async () => {
    const r = await resolveTree(request([typed('pypi', 'sgtree-not-on-index-py')]));
    assert.deepEqual(r.refs, []);
    assert.equal(r.notes.length, 1);
    assert.equal(r.notes[0]!.unverified, true);
    assert.match(r.notes[0]!.message, /`sgtree-not-on-index-py` the index has no wheel: it is not there \(the name itself is checked on its own\)/);
  });

  it('a dependency the index does not have: an unverified note naming it', async () => {
    const r = await resolveTree(request([typed('pypi', 'sgtree-broken-py')]));
    assert.equal(unverified(r).length, 1);
    assert.match(r.notes[0]!.message, /for the dependency `sgtree-missing-dep-py` the index has no wheel/);
  });

  it('an index that never answers: the budget runs out, an unverified note saying so', { timeout: 60_000 }, async () => {
    const silent = await startSilentServer();
    try {
      const r = await resolveTree(request([typed('pypi', 'sgtree-good-py')], { indexUrl: `${silent.url}simple/`, budgetMs: 1500 }));
      assert.deepEqual(r.refs, []);
      assert.equal(r.notes.length, 1);
      assert.match(r.notes[0]!.message, /took longer than the 1\.5 s budget/);
    } finally {
      await silent.close();
    }
  });

  it('uv not installed: an unverified note that names uv', { skip: skipUnless('uv absent case', which('uv') === undefined, 'uv is installed here') }, async () => {
    const r = await resolveTree(request([typed('pypi', 'sgtree-good-py')], { tool: 'uv' }));
    assert.deepEqual(r.refs, []);
    assert.match(r.notes[0]!.message, /uv is not installed here, and it is what resolves the tree/);
  });
});
