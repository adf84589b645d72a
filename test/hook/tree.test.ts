/**
 * The hooks resolve the tree an install would fetch (install/tree-option.ts), through the hook
 * JSON protocol, with the real npm against the loopback fixture registry (which records every
 * request, and npm's by its user agent): a squat or a missing name two levels down is named in
 * the answer; a resolution that cannot finish asks and says to run the install through the
 * wrapper (a denial under bypassPermissions says so too); SLOPGUARD_RESOLVE_TREE=0 and
 * `--no-resolve-tree` judge the typed names only; a command already typed as `slopguard <tool> …`
 * is never resolved (its wrapper's install guard judges the tree as it installs), its typed names
 * still are.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry, type RecordedRequest } from '../fixture-registry/server.js';
import { basePath, skipUnless, which } from '../e2e/tools.js';
import { testIo } from '../helpers/io.js';
import { NOW, registryEnv } from './fixtures.js';

const npmSkip = skipUnless('hook tree resolution with npm', which('npm') !== undefined, 'npm is not installed on this machine');

/** An established package, as the corpus and the door tests describe one. */
function established(name: string, dependencies: Record<string, string> = {}) {
  const p = npmPackage({ name, created: '2016-02-01', versions: ['3.1.0'], published: '2026-08-01', weeklyDownloads: 2_000_000, repository: `example/${name}` });
  (p.packument.versions as Record<string, Record<string, unknown>>)['3.1.0']!.dependencies = dependencies;
  return p;
}

describe('hooks: the resolved tree', { skip: npmSkip }, () => {
  let root: string;
  let registry: FixtureRegistry;
  let runs = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-hook-tree-'));
    mkdirSync(join(root, 'tmp'));
    writeFileSync(join(root, 'empty.npmrc'), '');
    registry = await startFixtureRegistry({
      npm: [
        established('sgt-leaf'),
        established('sgt-clean', { 'sgt-leaf': '^3.0.0' }),
        established('sgt-mid', { 'sgt-squat-dep': '^1.0.0' }),
        established('sgt-pulls-squat', { 'sgt-mid': '^3.0.0' }),
        established('sgt-pulls-missing', { 'sgt-missing-dep': '^1.0.0' }),
        established('sgt-pulls-slow', { 'sgt-slow-dep': '^1.0.0' }),
        npmPackage({ name: 'sgt-squat-dep', created: '2026-11-23', weeklyDownloads: 2, repository: 'someone/sgt-squat-dep' }),
        // `npx slopguard …` fetches slopguard itself: its name is judged like any typed one.
        established('slopguard'),
        npmPackage({ name: 'sgt-slow-dep', created: '2016-02-01', weeklyDownloads: 2_000_000, repository: 'example/sgt-slow-dep' }),
      ],
      missing: { npm: ['sgt-missing-dep', 'sgt-typo-pkg'] },
    });
    // npm waiting on this one is what runs the resolution out of its share of the budget.
    registry.addFault({ name: 'sgt-slow-dep', api: 'npm', kind: 'hang' });
  });
  afterEach(() => {
    assert.deepEqual(registry.unexpected, []);
    // Every resolution, finished or stopped, removes its temporary copy.
    assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'temporary folders left behind');
  });
  after(async () => {
    await registry?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The hook's environment: the real npm on PATH, its own cache and config, slopguard pointed at the fixture. */
  function env(extra: Record<string, string> = {}): Record<string, string> {
    const base: Record<string, string> = {
      ...registryEnv(registry.url, join(root, `sg-cache-${++runs}`)),
      PATH: basePath(),
      HOME: join(root, 'home'),
      TMPDIR: join(root, 'tmp'),
      npm_config_userconfig: join(root, 'empty.npmrc'),
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_update_notifier: 'false',
      ...extra,
    };
    // registryEnv turns the resolution off for the other door tests; here the hook's default applies.
    if (!('SLOPGUARD_RESOLVE_TREE' in extra)) delete base.SLOPGUARD_RESOLVE_TREE;
    return base;
  }

  function project(): string {
    const dir = join(root, `app-${runs + 1}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"name": "app", "version": "1.0.0", "private": true}\n');
    return dir;
  }

  interface Answer {
    decision?: string;
    reason: string;
    /** The registry requests the call made, npm's own (by user agent) apart. */
    npmRequests: RecordedRequest[];
    paths: string[];
  }

  async function claude(command: string, opts: { env?: Record<string, string>; flags?: string[]; mode?: string } = {}): Promise<Answer> {
    const cwd = project();
    registry.clearRequests();
    const stdin = JSON.stringify({ hook_event_name: 'PreToolUse', cwd, permission_mode: opts.mode ?? 'default', tool_name: 'Bash', tool_input: { command } });
    const t = testIo({ env: env(opts.env), cwd, stdin, now: NOW });
    assert.equal(await run(['hook', 'claude', ...(opts.flags ?? [])], t.io), 0, t.err());
    const out = t.out().trim();
    const json = (out ? JSON.parse(out) : {}) as { hookSpecificOutput?: { permissionDecision: string; permissionDecisionReason: string } };
    const ua = (r: RecordedRequest) => String(r.headers['user-agent'] ?? '');
    return {
      ...(json.hookSpecificOutput ? { decision: json.hookSpecificOutput.permissionDecision } : {}),
      reason: json.hookSpecificOutput?.permissionDecisionReason ?? '',
      npmRequests: registry.requests.filter((r) => ua(r).startsWith('npm/')),
      paths: registry.requests.map((r) => r.path),
    };
  }

  it('a clean tree: npm resolves it (its requests reach the registry), the dependency is judged, no objection', async () => {
    const a = await claude('npm install sgt-clean');
    assert.equal(a.decision, undefined, a.reason);
    assert.ok(a.npmRequests.some((r) => r.path.includes('sgt-leaf')), 'npm asked for the dependency');
  });

  const squats: Array<[label: string, command: string, decision: string, named: RegExp]> = [
    ['a missing name two levels down: deny, naming it', 'npm install sgt-pulls-missing', 'deny', /`sgt-missing-dep` does not exist on npm/],
    ['a fresh squat two levels down: ask, naming it and the chain', 'npm i sgt-pulls-squat', 'ask', /sgt-squat-dep[\s\S]*first published/],
    ['through pnpm add (resolved by npm against the same registry)', 'pnpm add sgt-pulls-missing', 'deny', /sgt-missing-dep/],
    ['inside a compound command, after a cd', 'cd . && npm install --save-dev sgt-pulls-missing && npm test', 'deny', /sgt-missing-dep/],
  ];
  for (const [label, command, decision, named] of squats) {
    it(`${label} (${command})`, async () => {
      const a = await claude(command);
      assert.equal(a.decision, decision, a.reason);
      assert.match(a.reason, named);
      // The bad dependency is judged itself: no "run it through the wrapper" detour.
      assert.doesNotMatch(a.reason, /Run it as `slopguard/);
    });
  }

  it('a resolution that cannot finish within its share of the budget: ask, saying so and naming the wrapped command', async () => {
    const a = await claude('npm install sgt-pulls-slow', { flags: ['--budget', '6'] });
    assert.equal(a.decision, 'ask', a.reason);
    assert.match(a.reason, /The packages `sgt-pulls-slow` would pull in were not checked: resolving it took longer than the [\d.]+ s budget/);
    assert.match(a.reason, /Run it as `slopguard npm install sgt-pulls-slow` instead/);
  });

  it('npm is not installed: ask, naming the wrapped command (the typed name is still judged)', async () => {
    const a = await claude('npm install sgt-typo-pkg sgt-clean', { env: { PATH: join(root, 'no-bin') } });
    assert.equal(a.decision, 'deny', a.reason);
    assert.match(a.reason, /`sgt-typo-pkg` does not exist on npm/);
    assert.match(a.reason, /npm is not installed here[\s\S]*Run it as `slopguard npm install sgt-typo-pkg sgt-clean` instead/);
    const b = await claude('npm install sgt-clean', { env: { PATH: join(root, 'no-bin') } });
    assert.equal(b.decision, 'ask', b.reason);
  });

  it('under bypassPermissions the ask becomes a deny whose reason says to run the command through slopguard', async () => {
    const a = await claude('npm install sgt-pulls-slow', { flags: ['--budget', '6'], mode: 'bypassPermissions' });
    assert.equal(a.decision, 'deny', a.reason);
    assert.match(a.reason, /bypassPermissions[^\n]*Run `slopguard npm install sgt-pulls-slow` instead: the wrapper checks every package/);
    assert.match(a.reason, /^slopguard stopped this command because it could not check what it would install, and nobody would see the question:/);
    assert.doesNotMatch(a.reason, /failing closed/);
  });

  it('an agent whose hooks cannot ask (Codex): the denial says to run the command through slopguard', async () => {
    const cwd = project();
    const stdin = JSON.stringify({ hook_event_name: 'PreToolUse', cwd, tool_name: 'Bash', tool_input: { command: 'npm install sgt-pulls-slow' } });
    const t = testIo({ env: env(), cwd, stdin, now: NOW });
    assert.equal(await run(['hook', 'codex', '--budget', '6'], t.io), 0, t.err());
    const reason = (JSON.parse(t.out()) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } }).hookSpecificOutput;
    assert.equal(reason.permissionDecision, 'deny');
    assert.match(reason.permissionDecisionReason, /Nothing here was found to be bad: run `slopguard npm install sgt-pulls-slow` instead \(the wrapper checks every package/);
  });

  const off: Array<[label: string, opts: { env?: Record<string, string>; flags?: string[] }]> = [
    ['SLOPGUARD_RESOLVE_TREE=0', { env: { SLOPGUARD_RESOLVE_TREE: '0' } }],
    ['--no-resolve-tree', { flags: ['--no-resolve-tree'] }],
    ['SLOPGUARD_RESOLVE_TREE=pypi (npm trees not resolved)', { env: { SLOPGUARD_RESOLVE_TREE: 'pypi' } }],
  ];
  for (const [label, opts] of off) {
    it(`${label}: typed names only, npm is never run`, async () => {
      const a = await claude('npm install sgt-pulls-missing', opts);
      assert.equal(a.decision, undefined, a.reason);
      assert.deepEqual(a.npmRequests, []);
      assert.ok(!a.paths.some((p) => p.includes('sgt-missing-dep')), a.paths.join(' '));
    });
  }

  it('SLOPGUARD_RESOLVE_TREE=npm keeps npm trees resolved', async () => {
    const a = await claude('npm install sgt-pulls-missing', { env: { SLOPGUARD_RESOLVE_TREE: 'npm' } });
    assert.equal(a.decision, 'deny', a.reason);
  });

  const wrapped: Array<[command: string, typed: string]> = [
    ['slopguard npm install sgt-pulls-missing', 'sgt-pulls-missing'],
    ['./node_modules/.bin/slopguard pnpm add sgt-pulls-slow', 'sgt-pulls-slow'],
    ['npx slopguard npm i sgt-pulls-missing --slopguard-yes', 'sgt-pulls-missing'],
    ['npm exec slopguard -- npm install sgt-pulls-slow', 'sgt-pulls-slow'],
  ];
  for (const [command, typed] of wrapped) {
    it(`wrapped (${command}): not resolved, no npm request, the typed name still judged`, async () => {
      const a = await claude(command);
      assert.deepEqual(a.npmRequests, []);
      assert.ok(a.paths.some((p) => p.includes(typed)), `the typed name was looked up: ${a.paths.join(' ')}`);
      assert.ok(!a.paths.some((p) => /sgt-(missing|slow|squat)-dep|sgt-mid/.test(p)), a.paths.join(' '));
      assert.doesNotMatch(a.reason, /would pull in were not checked/);
    });
  }

  it('wrapped, typed name bad: still denied', async () => {
    const a = await claude('slopguard npm install sgt-typo-pkg');
    assert.equal(a.decision, 'deny', a.reason);
    assert.match(a.reason, /sgt-typo-pkg/);
    assert.deepEqual(a.npmRequests, []);
  });

  it('wrapped with --slopguard-no-guard (the wrapper will not guard the run): the hook resolves it', async () => {
    const a = await claude('slopguard npm install sgt-pulls-missing --slopguard-no-guard');
    assert.equal(a.decision, 'deny', a.reason);
    assert.match(a.reason, /sgt-missing-dep/);
  });
});
