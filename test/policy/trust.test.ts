/**
 * The trust model through the CLI (`run(argv, io)`): a cloned repository cannot allowlist
 * itself, the config search never climbs out of the repository, `slopguard trust` round trips,
 * and a locked system policy survives every loosening attempt (project, user, flags, env).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { Report } from '../../src/core/types.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';

let reg: DoorRegistry;
let root: string;
before(async () => {
  reg = await startDoorRegistry();
  root = mkdtempSync(join(tmpdir(), 'slopguard-trust-'));
});
after(async () => {
  await reg.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
/** A fresh world: a home with XDG folders, a system config path, and a repository inside home. */
function world(files: Record<string, string> = {}) {
  const base = join(root, `w${n++}`);
  const home = join(base, 'home');
  const repo = join(home, 'src', 'app');
  mkdirSync(join(repo, '.git'), { recursive: true });
  const put = (rel: string, text: string) => {
    const abs = rel.startsWith('/') ? rel : join(repo, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  for (const [rel, text] of Object.entries(files)) put(rel, text);
  const env: Record<string, string> = {
    ...reg.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    SLOPGUARD_SYSTEM_CONFIG: join(base, 'etc', 'slopguard', 'config.json'),
  };
  const slopguard = async (argv: string[], extra: { env?: Record<string, string>; cwd?: string } = {}) => {
    const t = testIo({ env: { ...env, ...extra.env }, cwd: extra.cwd ?? repo, now: NOW });
    const code = await run(argv, t.io);
    return { code, out: t.out(), err: t.err() };
  };
  const json = async (argv: string[], extra: { env?: Record<string, string>; cwd?: string } = {}) => {
    const r = await slopguard([...argv, '--format', 'json'], extra);
    return { ...r, report: JSON.parse(r.out) as Report };
  };
  return { base, home, repo, env, put, slopguard, json, systemPath: env.SLOPGUARD_SYSTEM_CONFIG!, userPath: join(home, '.config', 'slopguard', 'config.json') };
}

const allowAll = JSON.stringify({ allow: { npm: [{ name: '*', reason: 'everything is fine' }] } });

describe('a cloned repository cannot allowlist itself', () => {
  const loosening: Array<[string, Record<string, string>, string[]]> = [
    ['an allow entry "*" in .slopguard.json', { '.slopguard.json': allowAll }, ['check', 'lodahs']],
    ['an allow entry in package.json#slopguard', { 'package.json': JSON.stringify({ name: 'x', slopguard: { allow: { npm: [{ name: 'lodahs', reason: 'ours' }] } } }) }, ['check', 'lodahs']],
    ['severities not-found and typo off', { '.slopguard.json': JSON.stringify({ severities: { 'not-found': 'off', typo: 'off' } }) }, ['check', 'lodahs']],
    ['a looser typo ratio and failClosed false do not matter; not-found lowered to info', { '.slopguard.json': JSON.stringify({ severities: { 'not-found': 'info' }, thresholds: { typoPopularityRatio: 1e9 }, failClosed: false }) }, ['check', 'lodahs']],
  ];
  for (const [name, files, argv] of loosening) {
    it(`${name}: not applied, said once on stderr with the command that trusts it`, async () => {
      const w = world(files);
      const r = await w.slopguard(argv);
      assert.equal(r.code, 1, r.out + r.err);
      const notices = r.err.split('\n').filter((l) => /is not trusted/.test(l));
      assert.equal(notices.length, 1, r.err);
      assert.match(notices[0]!, new RegExp(`slopguard trust ${w.repo.replace(/[/\\]/g, '.')}`));
    });
  }

  it('the JSON report lists the project source as untrusted, with what was ignored', async () => {
    const w = world({ '.slopguard.json': JSON.stringify({ allow: { npm: [{ name: '*', reason: 'r' }] }, severities: { typo: 'off' }, failOn: 'warn', timeout: 99 }) });
    const r = await w.json(['check', 'lodahs']);
    assert.equal(r.code, 1);
    const project = r.report.config?.sources.find((s) => s.kind === 'project');
    assert.equal(project?.path, join(w.repo, '.slopguard.json'));
    assert.equal(project?.trusted, false);
    assert.deepEqual(project?.ignored, ['severities.typo: "off" (looser than "block")', 'allow.npm: *', 'timeout: 99']);
  });

  it('what tightens still applies from an untrusted config (failOn warn, a higher minimum age)', async () => {
    const w = world({ '.slopguard.json': JSON.stringify({ failOn: 'warn' }) });
    assert.equal((await w.slopguard(['check', 'fresh-helper-kit'])).code, 1);
    const w2 = world({ '.slopguard.json': JSON.stringify({ thresholds: { minAgeDays: 10000 }, failOn: 'warn' }) });
    const r = await w2.json(['check', 'express']);
    assert.equal(r.code, 1, 'express (2010) is younger than 10000 days');
    assert.equal(r.report.packages[0]!.findings.some((f) => f.code === 'too-new'), true);
  });

  it('slopguard trust, --trust-project and SLOPGUARD_TRUST_PROJECT=1 apply it in full', async () => {
    const w = world({ '.slopguard.json': allowAll });
    assert.equal((await w.slopguard(['check', 'lodahs', '--trust-project'])).code, 0);
    assert.equal((await w.slopguard(['check', 'lodahs'], { env: { SLOPGUARD_TRUST_PROJECT: '1' } })).code, 0);
    assert.equal((await w.slopguard(['check', 'lodahs'])).code, 1);
    const t = await w.slopguard(['trust']);
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /trusted .*\.slopguard\.json \(it loosens: allow\.npm: \*\)/);
    const r = await w.json(['check', 'lodahs']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.deepEqual(r.report.config?.sources, [{ kind: 'project', path: join(w.repo, '.slopguard.json'), trusted: true }]);
  });

  it('a trusted file that changes is untrusted again', async () => {
    const w = world({ '.slopguard.json': allowAll });
    await w.slopguard(['trust']);
    assert.equal((await w.slopguard(['check', 'lodahs'])).code, 0);
    w.put('.slopguard.json', `${allowAll}\n`);
    const r = await w.slopguard(['check', 'lodahs']);
    assert.equal(r.code, 1);
    assert.match(r.err, /is not trusted/);
  });

  it('package.json: a dependency edit keeps the trust, an edit of the slopguard section drops it', async () => {
    const pkg = (deps: Record<string, string>, allow: string) => JSON.stringify({ name: 'x', dependencies: deps, slopguard: { allow: { npm: [{ name: allow, reason: 'r' }] } } });
    const w = world({ 'package.json': pkg({}, 'lodahs') });
    await w.slopguard(['trust']);
    w.put('package.json', pkg({ express: '^4' }, 'lodahs'));
    assert.equal((await w.slopguard(['check', 'lodahs'])).code, 0);
    w.put('package.json', pkg({ express: '^4' }, 'lodah*'));
    assert.equal((await w.slopguard(['check', 'lodahs'])).code, 1);
  });
});

describe('the config search stops at the repository root or the home folder', () => {
  it('a .slopguard.json in a parent outside the repository is ignored', async () => {
    const w = world();
    // Tightening, so it would apply even untrusted if it were found.
    w.put(join(w.home, 'src', '.slopguard.json'), JSON.stringify({ failOn: 'warn' }));
    assert.equal((await w.slopguard(['check', 'fresh-helper-kit'])).code, 0);
    assert.equal((await w.slopguard(['check', 'fresh-helper-kit'], { cwd: join(w.home, 'src') })).code, 1, 'it applies in its own folder');
  });

  it('outside any repository only the folder itself is searched (no climb to /)', async () => {
    const w = world();
    const shared = join(w.base, 'shared');
    mkdirSync(join(shared, 'proj', 'deep'), { recursive: true });
    writeFileSync(join(shared, '.slopguard.json'), JSON.stringify({ failOn: 'warn' }));
    assert.equal((await w.slopguard(['check', 'fresh-helper-kit'], { cwd: join(shared, 'proj', 'deep') })).code, 0);
  });

  it('inside the repository the root config is found from a subfolder', async () => {
    const w = world({ '.slopguard.json': JSON.stringify({ failOn: 'warn' }), 'packages/a/x': '' });
    assert.equal((await w.slopguard(['check', 'fresh-helper-kit'], { cwd: join(w.repo, 'packages', 'a') })).code, 1);
  });
});

describe('slopguard trust: list, revoke, help', () => {
  it('round trip: trust, --list, edit shows "changed", --revoke forgets it', async () => {
    const w = world({ '.slopguard.json': allowAll, '.npmrc': 'registry=http://127.0.0.1:1/\n' });
    const t = await w.slopguard(['trust']);
    assert.equal(t.code, 0, t.err);
    const store = join(w.home, '.local', 'state', 'slopguard', 'trusted.json');
    assert.equal(statSync(store).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(store, 'utf8'));
    assert.deepEqual(Object.keys(saved.files).sort(), [join(w.repo, '.npmrc'), join(w.repo, '.slopguard.json')]);
    assert.match(saved.files[join(w.repo, '.slopguard.json')].sha256, /^[0-9a-f]{64}$/);

    let list = await w.slopguard(['trust', '--list']);
    assert.match(list.out, new RegExp(`^trusted  2026-11-26  ${join(w.repo, '.npmrc')}$`, 'm'));
    w.put('.slopguard.json', '{}');
    list = await w.slopguard(['trust', '--list']);
    assert.match(list.out, new RegExp(`^changed  2026-11-26  ${join(w.repo, '.slopguard.json')}$`, 'm'));

    const revoke = await w.slopguard(['trust', '--revoke']);
    assert.equal(revoke.code, 0, revoke.err);
    assert.equal((await w.slopguard(['trust', '--list'])).out, 'nothing is trusted\n');
    assert.equal((await w.slopguard(['trust', '--revoke'])).code, 2, 'revoking nothing is an error');
  });

  it('trusting a folder without a config is an error; an invalid config is not trusted', async () => {
    const w = world();
    const r = await w.slopguard(['trust']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no \.slopguard\.json, package\.json "slopguard" or \.npmrc found/);
    w.put('.slopguard.json', '{"failon": "warn"}');
    assert.equal((await w.slopguard(['trust'])).code, 2);
    assert.equal((await w.slopguard(['trust', '--list'])).out, 'nothing is trusted\n');
  });

  it('a corrupt trust store trusts nothing and says so', async () => {
    const w = world({ '.slopguard.json': allowAll });
    w.put(join(w.home, '.local', 'state', 'slopguard', 'trusted.json'), '{"files": {"x": 1}}');
    const r = await w.slopguard(['check', 'lodahs']);
    assert.equal(r.code, 2);
    assert.match(r.err, /not a slopguard trust store/);
  });

  it('--help has examples', async () => {
    const w = world();
    const r = await w.slopguard(['trust', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /slopguard trust --list/);
    assert.match(r.out, /slopguard trust --revoke/);
    assert.match(r.out, /--trust-project/);
  });
});

describe('a locked system policy survives every loosening attempt', () => {
  const locked = JSON.stringify({ locked: true, failOn: 'warn', thresholds: { minAgeDays: 30 } });
  const attempts: Array<[string, (w: ReturnType<typeof world>) => void, string[], Record<string, string>]> = [
    ['a trusted project config (allow, failOn block, severities off)', (w) => w.put('.slopguard.json', JSON.stringify({ failOn: 'block', allow: { npm: [{ name: '*', reason: 'r' }] }, severities: { 'too-new': 'off', 'low-downloads': 'off' } })), ['--trust-project'], {}],
    ['the user config', (w) => w.put(w.userPath, JSON.stringify({ failOn: 'block', allow: { npm: [{ name: 'fresh-helper-kit', reason: 'r' }] }, thresholds: { minAgeDays: 1, minWeeklyDownloads: 0 } })), [], {}],
    ['flags', () => {}, ['--fail-on', 'block', '--allow', 'fresh-helper-kit', '--min-age-days', '1', '--min-downloads', '0'], {}],
    ['environment', () => {}, [], { SLOPGUARD_FAIL_ON: 'block', SLOPGUARD_ALLOW: 'fresh-helper-kit', SLOPGUARD_MIN_AGE_DAYS: '1', SLOPGUARD_MIN_WEEKLY_DOWNLOADS: '0' }],
  ];
  for (const [name, arrange, flags, env] of attempts) {
    it(name, async () => {
      const w = world();
      w.put(w.systemPath, locked);
      arrange(w);
      const r = await w.json(['check', 'fresh-helper-kit', ...flags], { env });
      assert.equal(r.code, 1, `still failing on warn: ${r.err}`);
      assert.equal(r.report.packages[0]!.verdict, 'warn');
      assert.ok(r.report.packages[0]!.findings.some((f) => f.code === 'too-new'));
      const system = r.report.config?.sources.find((s) => s.kind === 'system');
      assert.deepEqual(system, { kind: 'system', path: w.systemPath, trusted: true, locked: true });
      const loosener = r.report.config?.sources.find((s) => s.ignored?.length);
      assert.ok(loosener?.ignored?.some((i) => /^failOn: "block"/.test(i)), JSON.stringify(r.report.config));
      assert.match(r.err, /the system policy .* is locked/);
    });
  }

  it('a locked failClosed cannot be switched off by SLOPGUARD_FAIL_CLOSED=0', async () => {
    const w = world();
    w.put(w.systemPath, JSON.stringify({ locked: true, failClosed: true }));
    const r = await w.slopguard(['check', 'never-heard-of-it'], { env: { SLOPGUARD_FAIL_CLOSED: '0', SLOPGUARD_NPM_REGISTRY: 'http://127.0.0.1:9', SLOPGUARD_CACHE_DIR: join(w.base, 'c') } });
    assert.equal(r.code, 1, r.err);
  });

  it('tightening below a lock still applies, and without the lock the user config may loosen the system one', async () => {
    const w = world();
    w.put(w.systemPath, JSON.stringify({ locked: true }));
    assert.equal((await w.slopguard(['check', 'fresh-helper-kit', '--fail-on', 'warn'])).code, 1);
    const w2 = world();
    w2.put(w2.systemPath, JSON.stringify({ failOn: 'warn' }));
    assert.equal((await w2.slopguard(['check', 'fresh-helper-kit'])).code, 1);
    w2.put(w2.userPath, JSON.stringify({ failOn: 'block' }));
    assert.equal((await w2.slopguard(['check', 'fresh-helper-kit'])).code, 0);
  });

  it('"locked" is valid only in the system config', async () => {
    const w = world();
    w.put(w.userPath, JSON.stringify({ locked: true }));
    const r = await w.slopguard(['check', 'express']);
    assert.equal(r.code, 2);
    assert.match(r.err, /config\.json: locked: only the system config/);
  });
});

describe('config errors', () => {
  it('name every bad key with its path', async () => {
    const w = world({ '.slopguard.json': JSON.stringify({ failon: 'warn', thresholds: { minAgeDays: -1 }, severities: { typo: 'loud' } }) });
    const r = await w.slopguard(['check', 'express']);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.slopguard\.json: \(top level\): .*failon/);
    assert.match(r.err, /\.slopguard\.json: thresholds\.minAgeDays: /);
    assert.match(r.err, /\.slopguard\.json: severities\.typo: /);
  });

  it('an absolute --config path is shown as given', async () => {
    const w = world();
    const missing = join(w.base, 'elsewhere', 'nope.json');
    const r = await w.slopguard(['check', 'express', '--config', missing]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`slopguard: ${missing.replace(/[/\\.]/g, '.')}: \\(file\\): cannot read: ENOENT`));
  });

  it('broken JSON gets a human message with file:line:column', async () => {
    const w = world({ '.slopguard.json': '{ broken' });
    const r = await w.slopguard(['check', 'express']);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.slopguard\.json:1:3: \(json\): invalid JSON: unexpected character/);
    assert.doesNotMatch(r.err, /InvalidSymbol/);
  });
});

describe('project .npmrc: ${VAR} only for a trusted project', () => {
  it('an untrusted .npmrc does not send an environment variable to the host it names; trusted, it does', async () => {
    const w = world({ 'package.json': JSON.stringify({ name: 'x' }) });
    const host = reg.registry.url.replace(/^http:/, '');
    w.put('.npmrc', `registry=${reg.registry.url}/\n${host}/:_authToken=\${STOLEN_CI_TOKEN}\n`);
    const env = { STOLEN_CI_TOKEN: 'ci-secret-value-123', SLOPGUARD_CACHE_DIR: join(w.base, 'cache'), SLOPGUARD_NPM_REGISTRY: '' };
    reg.registry.clearRequests();
    const r = await w.slopguard(['check', 'express', '--no-cache'], { env });
    assert.equal(r.code, 0, r.err);
    const sent = reg.registry.requests.filter((q) => q.headers.authorization !== undefined);
    assert.equal(sent.length, 0, 'no token sent');
    assert.equal(r.err.match(/no such token is sent/g)?.length, 1, r.err);
    reg.registry.clearRequests();
    await w.slopguard(['trust']);
    const t = await w.slopguard(['check', 'express', '--no-cache'], { env });
    assert.equal(t.code, 0, t.err);
    assert.ok(reg.registry.requests.some((q) => q.headers.authorization === 'Bearer ci-secret-value-123'));
    assert.doesNotMatch(t.err, /no such token is sent/);
  });

  it('an untrusted .npmrc cannot name a file of its own as the user npmrc to get ${VAR} expanded', async () => {
    const w = world({ 'package.json': JSON.stringify({ name: 'x' }) });
    const host = reg.registry.url.replace(/^http:/, '');
    w.put('evil-user-npmrc', `${host}/:_authToken=\${STOLEN_CI_TOKEN}
`);
    w.put('.npmrc', `registry=${reg.registry.url}/
userconfig=${join(w.repo, 'evil-user-npmrc')}
`);
    reg.registry.clearRequests();
    const r = await w.slopguard(['check', 'express', '--no-cache'], { env: { STOLEN_CI_TOKEN: 'ci-secret-value-456', SLOPGUARD_NPM_REGISTRY: '' } });
    assert.equal(r.code, 0, r.err);
    assert.equal(reg.registry.requests.filter((q) => q.headers.authorization !== undefined).length, 0);
    assert.match(r.err, /\(userconfig\)/);
  });
});
