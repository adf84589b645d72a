import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { SLOPGUARD_BIN } from '../e2e/tools.js';
import { testIo } from '../helpers/io.js';

/**
 * `slopguard serve` without --min-release-age takes the strictest of the package managers' own
 * age settings for the folder it starts in and the user, and says which on stderr; the flag and
 * SLOPGUARD_MIN_RELEASE_AGE still win; a setting it cannot read stops the start (exit 2). Real
 * `slopguard serve` processes on --port 0, in front of the fixture registry.
 */

const HOUR = 3_600_000;
const root = mkdtempSync(join(tmpdir(), 'sg-serve-native-age-'));
let reg: FixtureRegistry;
before(async () => {
  // 2.0.0 is 36 hours old: a 1-day gate serves it, a 2-day gate does not.
  reg = await startFixtureRegistry({
    npm: [npmPackage({ name: 'sg-aged', created: '2019-01-01', versions: ['1.0.0', '2.0.0'], published: new Date(Date.now() - 36 * HOUR), weeklyDownloads: 5_000, repository: 'https://example.test/r' })],
  });
});
after(async () => {
  await reg?.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
function project(files: Record<string, string>): { cwd: string; home: string } {
  const base = join(root, String(n++));
  const cwd = join(base, 'repo');
  const home = join(base, 'home');
  mkdirSync(join(cwd, '.git'), { recursive: true });
  mkdirSync(home, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    const p = rel.startsWith('~/') ? join(home, rel.slice(2)) : join(cwd, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return { cwd, home };
}

const baseEnv = (home: string) => ({ PATH: process.env.PATH, HOME: home, NO_COLOR: '1', npm_config_globalconfig: join(home, 'none'), XDG_CONFIG_DIRS: join(home, 'none') });

/** Start `slopguard serve` in `cwd`, fetch sg-aged's packument, stop it; its versions and stderr. */
async function serveOnce(cwd: string, home: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ versions: string[]; latest: string; stderr: string }> {
  const child = spawn(process.execPath, [SLOPGUARD_BIN, 'serve', '--port', '0', '--npm-registry', `${reg.url}/`, '--npm-downloads-api', reg.url, '--no-cache', ...args], {
    cwd,
    env: { ...baseEnv(home), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: string) => {
        stderr += d;
        const m = /slopguard serve: listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const doc = (await (await fetch(`${url}/npm/sg-aged`)).json()) as { versions: Record<string, unknown>; 'dist-tags': { latest: string } };
    return { versions: Object.keys(doc.versions), latest: doc['dist-tags'].latest, stderr };
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  }
}

describe('serve: the default age gate is the strictest native setting', () => {
  it('takes the strictest (a user file here), says which on stderr, and gates by it', async () => {
    // npm itself uses the project's 0 here; the project may only tighten, so the user's 2 days stand.
    const { cwd, home } = project({ '.npmrc': 'min-release-age=0\n', 'pnpm-workspace.yaml': 'minimumReleaseAge: 1440\n', '~/.npmrc': 'min-release-age=2\n' });
    const r = await serveOnce(cwd, home);
    assert.deepEqual([r.versions, r.latest], [['1.0.0'], '1.0.0']);
    assert.match(r.stderr, /^slopguard serve: age gate 2 days, the strictest native setting found: npm min-release-age 2 in ~\/\.npmrc:1 \(--min-release-age overrides it\)$/m);
  });

  it('a one-day native gate serves the 36-hour-old version', async () => {
    const { cwd, home } = project({ 'pnpm-workspace.yaml': 'packages: []\nminimumReleaseAge: 1440\n' });
    const r = await serveOnce(cwd, home);
    assert.deepEqual([r.versions, r.latest], [['1.0.0', '2.0.0'], '2.0.0']);
    assert.match(r.stderr, /^slopguard serve: age gate 1 day, the strictest native setting found: pnpm minimumReleaseAge 1440 in pnpm-workspace\.yaml:2 /m);
  });

  for (const [how, args, env] of [
    ['--min-release-age 0', ['--min-release-age', '0'], {}],
    ['SLOPGUARD_MIN_RELEASE_AGE=0', [], { SLOPGUARD_MIN_RELEASE_AGE: '0' }],
  ] as const) {
    it(`${how} wins over the native settings (and they are not read)`, async () => {
      const { cwd, home } = project({ '.npmrc': 'min-release-age=5\n', '.yarnrc.yml': 'npmMinimalAgeGate: broken\n' });
      const r = await serveOnce(cwd, home, [...args], env);
      assert.deepEqual(r.versions, ['1.0.0', '2.0.0']);
      assert.doesNotMatch(r.stderr, /age gate|strictest/);
    });
  }

  it('a fixed date (uv exclude-newer) is said, not used as an age; no setting at all says nothing', async () => {
    const dated = project({ 'uv.toml': 'exclude-newer = "2024-06-01T00:00:00Z"\n' });
    const r = await serveOnce(dated.cwd, dated.home);
    assert.deepEqual(r.versions, ['1.0.0', '2.0.0']);
    assert.match(r.stderr, /^slopguard serve: uv exclude-newer 2024-06-01T00:00:00Z in uv\.toml:1 is a fixed date, not an age; uv applies it itself and the guard does not$/m);
    const none = project({ '.npmrc': 'registry=https://example.test/\n' });
    assert.doesNotMatch((await serveOnce(none.cwd, none.home)).stderr, /age/);
  });

  it('a setting it cannot read stops the start with exit 2, located, before listening', async () => {
    const { cwd, home } = project({ '.npmrc': 'min-release-age=7\n', 'bunfig.toml': '[install]\nminimumReleaseAge = "a week"\n' });
    const t = testIo({ cwd, env: { HOME: home, npm_config_globalconfig: join(home, 'none'), XDG_CONFIG_DIRS: join(home, 'none') } });
    assert.equal(await run(['serve', '--port', '0', '--no-cache'], t.io), 2);
    assert.match(t.err(), /cannot choose the default age gate: bunfig\.toml:2: bun minimumReleaseAge: expected a number of seconds \(e\.g\. 604800 for a week\), got "a week"\. Fix the setting, or pass --min-release-age DAYS \(0: off\)/);
    assert.doesNotMatch(t.err(), /listening on/);
  });
});

describe('serve: config minReleaseAgeDays', () => {
  it('the user\'s config key wins over the native settings and is said on stderr', async () => {
    const { cwd, home } = project({ '.npmrc': 'min-release-age=1\n', '~/.config/slopguard/config.json': '{ "minReleaseAgeDays": 2 }\n' });
    const r = await serveOnce(cwd, home);
    assert.deepEqual(r.versions, ['1.0.0']);
    assert.match(r.stderr, /^slopguard serve: age gate 2 days, from minReleaseAgeDays in .*\/home\/\.config\/slopguard\/config\.json \(--min-release-age overrides it\)$/m);
    assert.doesNotMatch(r.stderr, /strictest native setting/);
  });

  it('an untrusted project config may raise the gate but not lower it', async () => {
    const raise = project({ '.slopguard.json': '{ "minReleaseAgeDays": 2 }\n' });
    assert.deepEqual((await serveOnce(raise.cwd, raise.home)).versions, ['1.0.0']);
    const lower = project({ '.slopguard.json': '{ "minReleaseAgeDays": 0 }\n', '~/.config/slopguard/config.json': '{ "minReleaseAgeDays": 2 }\n' });
    // The user's config comes after the project's and is trusted: 2 days.
    assert.deepEqual((await serveOnce(lower.cwd, lower.home)).versions, ['1.0.0']);
  });

  it('a locked system config\'s gate is a floor: --min-release-age 0 does not lower it', async () => {
    const { cwd, home } = project({ '~/system.json': '{ "locked": true, "minReleaseAgeDays": 2 }\n' });
    const r = await serveOnce(cwd, home, ['--min-release-age', '0'], { SLOPGUARD_SYSTEM_CONFIG: join(home, 'system.json') });
    assert.deepEqual(r.versions, ['1.0.0']);
    assert.match(r.stderr, /^slopguard serve: age gate 2 days, not 0 days: the locked system config .*system\.json sets minReleaseAgeDays 2$/m);
  });

  it('a bad value in the config is exit 2, naming the file and the field', async () => {
    const { cwd, home } = project({ '.slopguard.json': '{ "minReleaseAgeDays": "a week" }\n' });
    const t = testIo({ cwd, env: { HOME: home } });
    assert.equal(await run(['serve', '--port', '0', '--no-cache'], t.io), 2);
    assert.match(t.err(), /\.slopguard\.json.*minReleaseAgeDays/);
    assert.doesNotMatch(t.err(), /listening on/);
  });
});
