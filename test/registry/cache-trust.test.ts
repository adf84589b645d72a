/**
 * The cache as a trust boundary, through `run(argv, io)`: a cache dir another user owns or can
 * write (or a symlink to one) is refused with the fix named; a relative SLOPGUARD_CACHE_DIR is
 * refused; a cache copied in from elsewhere (another user's key) is a miss, never served; the
 * key file must be the user's own secret.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { tempDir } from './helpers.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const isRoot = process.getuid?.() === 0;

describe('cache trust', { skip: process.platform === 'win32' ? 'no owner or mode bits on Windows' : false }, () => {
  let reg: FixtureRegistry;
  let tmp: ReturnType<typeof tempDir>;
  let n = 0;
  const fresh = (label: string) => {
    const d = join(tmp.dir, `${label}-${n++}`);
    mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  };
  before(async () => {
    reg = await startFixtureRegistry({ npm: [npmPackage({ name: 'trusty', created: '2015-01-01', weeklyDownloads: 50_000 })], missing: { npm: ['ghost-pkg-zq'] } }, { strict: false });
    tmp = tempDir('slopguard-cache-trust-');
  });
  after(async () => {
    await reg.close();
    tmp.remove();
  });

  /** One CLI run; `home` holds the user's state (the key). */
  async function sg(argv: string[], env: Record<string, string | undefined>, cwd = tmp.dir) {
    const t = testIo({
      env: { SLOPGUARD_NPM_REGISTRY: `${reg.url}/`, SLOPGUARD_NPM_DOWNLOADS_API: reg.url, SLOPGUARD_PYPI_URL: reg.url, SLOPGUARD_PYPISTATS_API: reg.url, ...env },
      cwd,
      now: NOW,
    });
    const code = await run(['check', ...argv, '--format', 'json'], t.io);
    return { code, out: t.out(), err: t.err() };
  }
  const verdicts = (out: string) => Object.fromEntries((JSON.parse(out) as { packages: Array<{ name: string; verdict: string }> }).packages.map((p) => [p.name, p.verdict]));

  const refused: Array<[string, () => { dir: string }, RegExp]> = [
    ['writable by everyone (0777)', () => { const d = fresh('open'); chmodSync(d, 0o777); return { dir: d }; }, /can be written by group or others \(mode 0777\).*chmod go-w/],
    ['writable by its group (0770)', () => { const d = fresh('group'); chmodSync(d, 0o770); return { dir: d }; }, /mode 0770.*chmod go-w/],
    ['a symlink to a world-writable dir', () => { const target = fresh('target'); chmodSync(target, 0o777); const link = join(fresh('links'), 'cache'); symlinkSync(target, link); return { dir: link }; }, /is a symlink to .*target.*, which can be written by group or others.*chmod go-w/],
    ['below a world-writable parent without the sticky bit', () => { const parent = fresh('parent'); chmodSync(parent, 0o777); return { dir: join(parent, 'cache') }; }, /\(above it\) can be written by every user \(mode 0777\).*chmod o-w/],
    [
      'owned by another user',
      () => {
        if (!isRoot) return { dir: '/usr' }; // owned by root, and the test does not run as root
        const d = fresh('theirs');
        chownSync(d, 65534, 65534);
        return { dir: d };
      },
      /owned by another user \(uid \d+\).*chown/,
    ],
  ];
  for (const [label, make, message] of refused) {
    it(`refuses a cache dir ${label}, naming the fix`, async () => {
      const { dir } = make();
      for (const how of [{ env: { SLOPGUARD_CACHE_DIR: dir }, argv: [] }, { env: {}, argv: ['--cache-dir', dir] }]) {
        const home = fresh('home');
        const r = await sg(['trusty', ...how.argv], { HOME: home, ...how.env });
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, message);
        assert.match(r.err, /--cache-dir or SLOPGUARD_CACHE_DIR/);
        assert.equal(r.out, '', 'nothing was judged');
      }
    });
  }

  it('accepts a cache dir below a sticky world-writable parent (as /tmp is)', async () => {
    const parent = fresh('sticky');
    chmodSync(parent, 0o1777);
    const r = await sg(['trusty'], { HOME: fresh('home'), SLOPGUARD_CACHE_DIR: join(parent, 'cache') });
    assert.equal(r.code, 0, r.err);
    assert.ok(existsSync(join(parent, 'cache', 'v4')));
  });

  it('refuses a relative SLOPGUARD_CACHE_DIR (it would point into the project), resolves a relative --cache-dir against the working dir', async () => {
    const project = fresh('project');
    const env = await sg(['trusty'], { HOME: fresh('home'), SLOPGUARD_CACHE_DIR: '.cache' }, project);
    assert.equal(env.code, 2);
    assert.match(env.err, /SLOPGUARD_CACHE_DIR: expected an absolute path, got "\.cache"/);
    assert.equal(existsSync(join(project, '.cache')), false);
    const flag = await sg(['trusty', '--cache-dir', 'my-cache'], { HOME: fresh('home') }, project);
    assert.equal(flag.code, 0, flag.err);
    assert.ok(readdirSync(join(project, 'my-cache', 'v4')).length > 0, 'the entries are where the user pointed');
  });

  it('a cache copied in from another user (their key) is a miss: never served offline, refetched online', async () => {
    const cache = fresh('shipped');
    const attacker = fresh('attacker-home');
    // The attacker's own run, then their edit, sealed with their own key: a valid entry for them.
    assert.equal((await sg(['ghost-pkg-zq'], { HOME: attacker, SLOPGUARD_CACHE_DIR: cache })).code, 1);
    const key = readFileSync(join(attacker, '.local', 'state', 'slopguard', 'cache-key'), 'latin1').trim();
    let forged = 0;
    for (const f of readdirSync(join(cache, 'v4'))) {
      const text = readFileSync(join(cache, 'v4', f), 'utf8');
      if (!text.includes('ghost-pkg-zq')) continue;
      const body = text.slice(text.indexOf('"entry":') + 8, -1).replace('"status":"not-found"', '"status":"found"');
      writeFileSync(join(cache, 'v4', f), `{"mac":"${createHmac('sha256', key).update(body).digest('hex')}","entry":${body}}`);
      forged++;
    }
    assert.equal(forged, 1);
    // The control: for the attacker (same key) the forged entry is served.
    assert.equal(verdicts((await sg(['ghost-pkg-zq', '--offline'], { HOME: attacker, SLOPGUARD_CACHE_DIR: cache })).out)['ghost-pkg-zq'], 'ok');
    // The victim has a key of their own: the entry is a miss.
    const victim = fresh('victim-home');
    const offline = await sg(['ghost-pkg-zq', '--offline'], { HOME: victim, SLOPGUARD_CACHE_DIR: cache });
    assert.equal(offline.code, 3, offline.err);
    assert.equal(verdicts(offline.out)['ghost-pkg-zq'], 'unknown');
    reg.clearRequests();
    const online = await sg(['ghost-pkg-zq'], { HOME: victim, SLOPGUARD_CACHE_DIR: cache });
    assert.equal(online.code, 1);
    assert.equal(verdicts(online.out)['ghost-pkg-zq'], 'block');
    assert.equal(reg.count('/ghost-pkg-zq'), 1, 'asked the registry');
  });

  it('makes the key 0600 in the user state dir, and refuses one others can read', async () => {
    const home = fresh('home');
    const cache = fresh('cache');
    assert.equal((await sg(['trusty'], { HOME: home, SLOPGUARD_CACHE_DIR: cache })).code, 0);
    const keyFile = join(home, '.local', 'state', 'slopguard', 'cache-key');
    assert.equal(readFileSync(keyFile, 'latin1').trim().length, 64);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    chmodSync(keyFile, 0o644);
    const r = await sg(['trusty'], { HOME: home, SLOPGUARD_CACHE_DIR: cache });
    assert.equal(r.code, 2);
    assert.match(r.err, /cache key file: .*cache-key: can be read by group or others \(mode 0644\).*chmod 600/);
    // XDG_STATE_HOME moves it; SLOPGUARD_CACHE_KEY_FILE names one (an organisation's shared key).
    const xdg = join(fresh('xdg'), 'state');
    assert.equal((await sg(['trusty'], { HOME: home, XDG_STATE_HOME: xdg, SLOPGUARD_CACHE_DIR: fresh('cache') })).code, 0);
    assert.ok(existsSync(join(xdg, 'slopguard', 'cache-key')));
    const shared = join(fresh('keys'), 'org-key');
    writeFileSync(shared, 'short', { mode: 0o600 });
    const short = await sg(['trusty'], { HOME: home, SLOPGUARD_CACHE_KEY_FILE: shared, SLOPGUARD_CACHE_DIR: fresh('cache') });
    assert.equal(short.code, 2);
    assert.match(short.err, /holds 5 bytes, expected at least 32/);
  });

  it('without a home to keep the key in: every package still answered, one warning, nothing cached', async () => {
    const cache = fresh('cache');
    const r = await sg(['trusty', 'ghost-pkg-zq'], { HOME: join(tmp.dir, 'no-such-home'), SLOPGUARD_CACHE_DIR: cache });
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(verdicts(r.out), { trusty: 'ok', 'ghost-pkg-zq': 'block' });
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /warning: no cache key can be kept in .*no-such-home.*continuing without the cache/);
    assert.equal(existsSync(join(tmp.dir, 'no-such-home')), false, 'a HOME that does not exist is not created');
  });
});
