/**
 * A change under review is judged with its base revision's policy: `ci --base`, `diff --git`,
 * `diff --staged` and the pre-commit hook read the project config as it is at the base, and a
 * policy edit inside the change is a `policy-change` note, never applied to that change.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { Report } from '../../src/core/types.js';
import { npmPackage } from '../fixture-registry/server.js';
import { doorFixtures, NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';
import { createRepo, packageJson, type TestRepo } from './ci-repo.js';

let reg: DoorRegistry;
const root = mkdtempSync(join(tmpdir(), 'slopguard-base-policy-'));
before(async () => {
  const fixtures = doorFixtures();
  fixtures.npm!.push(
    npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 1_290_000, repository: 'stevemao/left-pad' }),
    npmPackage({ name: 'left-padd', created: '2026-11-24', weeklyDownloads: 3 }),
  );
  reg = await startDoorRegistry(fixtures);
});
after(async () => {
  await reg.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
/** A repository whose base commit depends on express, with an optional base policy. */
function repoWith(basePolicy?: object): TestRepo {
  const repo = createRepo(join(root, `r${n++}`));
  repo.write({ 'package.json': packageJson('app', { express: '^4.0.0' }) });
  if (basePolicy) repo.write({ '.slopguard.json': JSON.stringify(basePolicy) });
  repo.commit('base');
  return repo;
}

async function slopguard(argv: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  const t = testIo({ env: { ...reg.env, ...extraEnv }, cwd, now: NOW });
  const code = await run(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

const policyNotes = (r: Report) => r.notes.filter((x) => x.code === 'policy-change');

/** Pull requests that add a squat together with a policy that would let it through. */
const SELF_APPROVING: Array<[string, Record<string, string>, RegExp]> = [
  ['an allow entry for the squat', { 'package.json': packageJson('app', { express: '^4.0.0', lodahs: '^1.0.0' }), '.slopguard.json': JSON.stringify({ allow: { npm: [{ name: 'lodahs', reason: 'ours' }] } }) }, /adds slopguard's policy \.slopguard\.json \(allow\)/],
  ['severities: {"typo": "off"}', { 'package.json': packageJson('app', { express: '^4.0.0', 'left-padd': '^1.0.0' }), '.slopguard.json': JSON.stringify({ severities: { typo: 'off' } }) }, /adds slopguard's policy \.slopguard\.json \(severities\)/],
  ['package.json#slopguard allowing "*"', { 'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', lodahs: '^1' }, slopguard: { allow: { npm: [{ name: '*', reason: 'x' }] } } }, null, 2) }, /adds slopguard's policy package\.json \(allow\)/],
];

describe('ci --base judges a pull request with the base policy', () => {
  for (const [name, files, note] of SELF_APPROVING) {
    it(`${name}: exit 1, with a policy-change note`, async () => {
      const repo = repoWith();
      repo.write(files);
      repo.commit('pr');
      const r = await slopguard(['ci', '--base', 'HEAD~1', '--format', 'json', '--trust-project'], repo.dir);
      assert.equal(r.code, 1, r.err);
      const report = JSON.parse(r.out) as Report;
      const notes = policyNotes(report);
      assert.equal(notes.length, 1, JSON.stringify(report.notes));
      assert.match(notes[0]!.message, note);
      assert.match(notes[0]!.message, /judged with the policy of HEAD~1/);
      // The same config applied (no --base, trusted) lets the squat through: the base policy is what stops it.
      assert.equal((await slopguard(['ci', '--trust-project'], repo.dir)).code, 0);
    });
  }

  it('an edit of an existing policy names the fields it changes', async () => {
    const repo = repoWith({ failOn: 'block', severities: { 'too-new': 'warn' } });
    repo.write({ 'package.json': packageJson('app', { express: '^4.0.0', lodahs: '^1' }), '.slopguard.json': JSON.stringify({ failOn: 'block', severities: { 'too-new': 'off', 'not-found': 'off' } }) });
    repo.commit('pr');
    const r = await slopguard(['ci', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out) as Report;
    assert.match(policyNotes(report)[0]!.message, /edits slopguard's policy in \.slopguard\.json: severities\.not-found, severities\.too-new/);
    assert.deepEqual(report.config?.sources, [{ kind: 'project', path: join(repo.dir, '.slopguard.json'), trusted: true, revision: 'HEAD~1' }]);
  });

  it("the base's own allowlist is trusted (reviewed and merged): existing allow entries keep working", async () => {
    const repo = repoWith({ allow: { npm: [{ name: 'lodahs', reason: 'internal name, reviewed' }] } });
    repo.write({ 'package.json': packageJson('app', { express: '^4.0.0', lodahs: '^1' }) });
    repo.commit('pr');
    const r = await slopguard(['ci', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(policyNotes(JSON.parse(r.out) as Report).length, 0);
    assert.doesNotMatch(r.err, /not trusted/);
  });

  it('a change that breaks the config is a note; a broken base config is exit 2', async () => {
    const repo = repoWith();
    repo.write({ 'package.json': packageJson('app', { express: '^4.0.0', lodahs: '^1' }), '.slopguard.json': '{ broken' });
    repo.commit('pr');
    const r = await slopguard(['ci', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    assert.equal(r.code, 1, r.err);
    assert.match(policyNotes(JSON.parse(r.out) as Report)[0]!.message, /leaves slopguard's policy \.slopguard\.json invalid/);
    const r2 = await slopguard(['ci', '--base', 'HEAD', '--format', 'json'], repo.dir);
    assert.equal(r2.code, 2);
    assert.match(r2.err, /\.slopguard\.json at HEAD:1:3: \(json\): invalid JSON/);
  });

  it('on the default branch, --trust-project applies the checked-out config (the owner runs slopguard)', async () => {
    const repo = repoWith();
    repo.write({ 'package.json': packageJson('app', { express: '^4.0.0', lodahs: '^1' }), '.slopguard.json': JSON.stringify({ allow: { npm: [{ name: 'lodahs', reason: 'ours' }] } }) });
    repo.commit('merged');
    assert.equal((await slopguard(['ci'], repo.dir)).code, 1, 'untrusted without the flag');
    assert.equal((await slopguard(['ci', '--trust-project'], repo.dir)).code, 0);
    assert.equal((await slopguard(['ci'], repo.dir, { SLOPGUARD_TRUST_PROJECT: '1' })).code, 0);
  });
});

describe('diff --git and --staged judge with the base policy', () => {
  for (const [name, files] of SELF_APPROVING) {
    it(`${name}: diff --git HEAD~1..HEAD, HEAD~1...HEAD and HEAD~1 (work tree) exit 1`, async () => {
      const repo = repoWith();
      repo.write(files);
      repo.commit('pr');
      for (const range of ['HEAD~1..HEAD', 'HEAD~1...HEAD', 'HEAD~1']) {
        const r = await slopguard(['diff', '--git', range, '--format', 'json', '--trust-project'], repo.dir);
        assert.equal(r.code, 1, `${range}: ${r.err}`);
        assert.equal(policyNotes(JSON.parse(r.out) as Report).length, 1, range);
      }
    });
  }

  it('diff --staged: the staged policy edit is not applied to the staged squat', async () => {
    const repo = repoWith();
    repo.write(SELF_APPROVING[0]![1]);
    repo.git('add', '-A');
    const r = await slopguard(['diff', '--staged', '--format', 'json', '--trust-project'], repo.dir);
    assert.equal(r.code, 1, r.err);
    assert.equal(policyNotes(JSON.parse(r.out) as Report).length, 1);
  });
});

describe('the git pre-commit hook judges with the policy of HEAD', () => {
  for (const [name, files] of SELF_APPROVING) {
    it(`${name}: the commit is stopped, and the policy edit is named`, async () => {
      const repo = repoWith();
      repo.write(files);
      repo.git('add', '-A');
      const r = await slopguard(['hook', 'git-pre-commit', '--trust-project'], repo.dir);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /policy of HEAD/);
    });
  }

  it("HEAD's own allowlist applies only once trusted: an agent's earlier commit cannot allowlist its next one", async () => {
    const repo = repoWith({ allow: { npm: [{ name: '*', reason: 'committed by the agent a minute ago' }] } });
    repo.write({ 'package.json': packageJson('app', { express: '^4.0.0', lodahs: '^1' }) });
    repo.git('add', '-A');
    const state = { XDG_STATE_HOME: join(repo.dir, '..', `${repo.dir.split('/').pop()}-state`) };
    const a = await slopguard(['hook', 'git-pre-commit'], repo.dir, state);
    assert.equal(a.code, 1, a.err);
    assert.match(a.err, /is not trusted/);
    assert.equal((await slopguard(['diff', '--staged'], repo.dir, state)).code, 1);
    assert.equal((await slopguard(['trust'], repo.dir, state)).code, 0);
    assert.equal((await slopguard(['hook', 'git-pre-commit'], repo.dir, state)).code, 0);
    assert.equal((await slopguard(['diff', '--staged'], repo.dir, state)).code, 0);
  });

  it('a broken config at HEAD: committing unchecked by default, stopped with --on-unverified deny', async () => {
    const repo = repoWith();
    repo.write({ '.slopguard.json': '{"x": 1}' });
    repo.commit('broken');
    repo.write({ 'package.json': packageJson('app', { express: '^4.0.0', lodahs: '^1' }) });
    repo.git('add', '-A');
    const a = await slopguard(['hook', 'git-pre-commit'], repo.dir);
    assert.equal(a.code, 0);
    assert.match(a.err, /committing unchecked/);
    assert.equal((await slopguard(['hook', 'git-pre-commit', '--on-unverified', 'deny'], repo.dir)).code, 1);
  });
});
