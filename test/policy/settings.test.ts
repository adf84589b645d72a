import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { loadSettings } from '../../src/policy/settings.js';

/** No user or system config of the machine's: a home and a system path that do not exist. */
const HERMETIC = { HOME: '/nonexistent-home', SLOPGUARD_SYSTEM_CONFIG: '/nonexistent-system/config.json' };
/** The project's own config is trusted in these tests (trust itself: test/policy/trust.test.ts). */
const TRUSTED = { ...HERMETIC, SLOPGUARD_TRUST_PROJECT: '1' };

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-settings-'));
  mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('settings precedence: defaults < system < project < user < env < flags', () => {
  it('uses the defaults when nothing is configured', () => {
    const s = loadSettings({}, HERMETIC, project({}));
    assert.deepEqual(s.policy.thresholds, DEFAULT_POLICY.thresholds);
    assert.equal(s.policy.failOn, 'block');
    assert.equal(s.configFile, undefined);
  });

  it('a config file overrides the defaults, env overrides the file, flags override env', () => {
    const dir = project({ '.slopguard.json': JSON.stringify({ failOn: 'warn', thresholds: { minAgeDays: 10, minWeeklyDownloads: 5 } }) });
    const fileOnly = loadSettings({}, TRUSTED, dir);
    assert.equal(fileOnly.policy.failOn, 'warn');
    assert.equal(fileOnly.policy.thresholds.minAgeDays, 10);
    const withEnv = loadSettings({}, { ...TRUSTED, SLOPGUARD_MIN_AGE_DAYS: '20', SLOPGUARD_FAIL_ON: 'block' }, dir);
    assert.equal(withEnv.policy.thresholds.minAgeDays, 20);
    assert.equal(withEnv.policy.failOn, 'block');
    assert.equal(withEnv.policy.thresholds.minWeeklyDownloads, 5, 'file values not overridden survive');
    const withFlags = loadSettings({ minAgeDays: '40', failOn: 'warn' }, { ...TRUSTED, SLOPGUARD_MIN_AGE_DAYS: '20', SLOPGUARD_FAIL_ON: 'block' }, dir);
    assert.equal(withFlags.policy.thresholds.minAgeDays, 40);
    assert.equal(withFlags.policy.failOn, 'warn');
  });

  it("the user's config beats the project's; env beats the user's; the project tightens what the user leaves", () => {
    const dir = project({ '.slopguard.json': JSON.stringify({ failOn: 'warn', thresholds: { minAgeDays: 60 } }), 'xdg/slopguard/config.json': JSON.stringify({ failOn: 'block' }) });
    const env = { ...HERMETIC, XDG_CONFIG_HOME: join(dir, 'xdg') };
    const s = loadSettings({}, env, dir);
    assert.equal(s.policy.failOn, 'block');
    assert.equal(s.policy.thresholds.minAgeDays, 60);
    assert.deepEqual(s.config?.sources.map((x) => [x.kind, x.trusted]), [['project', false], ['user', true]]);
    assert.equal(loadSettings({}, { ...env, SLOPGUARD_FAIL_ON: 'warn' }, dir).policy.failOn, 'warn');
  });

  it('finds the config upwards from a subfolder, and in package.json "slopguard"', () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'x', slopguard: { failClosed: true } }), 'packages/a/README': '' });
    const s = loadSettings({}, HERMETIC, join(dir, 'packages/a'));
    assert.equal(s.policy.failClosed, true);
    assert.equal(s.configFile, join(dir, 'package.json'));
  });

  it('--config and SLOPGUARD_CONFIG name a file explicitly', () => {
    const dir = project({ 'conf/sg.json': JSON.stringify({ severities: { 'low-downloads': 'off' } }) });
    assert.equal(loadSettings({ config: 'conf/sg.json' }, HERMETIC, dir).policy.severities['low-downloads'], 'off');
    assert.equal(loadSettings({}, { ...HERMETIC, SLOPGUARD_CONFIG: 'conf/sg.json' }, dir).policy.severities['low-downloads'], 'off');
  });

  it('allowlist entries from file, env and flags are merged, one-off ones first', () => {
    const dir = project({ '.slopguard.json': JSON.stringify({ allow: { npm: [{ name: '@corp/*', reason: 'internal scope' }] } }) });
    const s = loadSettings({ allow: ['pypi:internal-tool', 'left-pad'], trustProject: true }, { ...HERMETIC, SLOPGUARD_ALLOW: 'from-env' }, dir);
    assert.deepEqual(s.policy.allow.npm.map((e) => e.name), ['left-pad', 'from-env', '@corp/*'], 'flags, then env, then the file: the most specific reason is the one reported');
    assert.deepEqual(s.policy.allow.pypi.map((e) => e.name), ['internal-tool']);
  });

  it('registry overrides come from flags, else SLOPGUARD_* env', () => {
    const dir = project({});
    const s = loadSettings({ npmRegistry: 'http://127.0.0.1:1/' }, { ...HERMETIC, SLOPGUARD_PYPI_URL: 'http://127.0.0.1:2', SLOPGUARD_NPM_REGISTRY: 'http://127.0.0.1:3/' }, dir);
    assert.deepEqual(s.registryOverrides, { npmRegistry: 'http://127.0.0.1:1/', pypiUrl: 'http://127.0.0.1:2' });
  });

  it('cache, offline and timeout settings', () => {
    const dir = project({});
    const s = loadSettings({ cache: false, offline: true, timeout: '2.5', cacheDir: 'c' }, HERMETIC, dir);
    assert.equal(s.noCache, true);
    assert.equal(s.offline, true);
    assert.equal(s.timeoutMs, 2500);
    assert.equal(s.cacheDir, join(dir, 'c'));
    assert.equal(loadSettings({}, { ...HERMETIC, SLOPGUARD_CACHE_DIR: '/tmp/x', XDG_CACHE_HOME: '/y' }, dir).cacheDir, '/tmp/x');
    assert.equal(loadSettings({}, { ...HERMETIC, XDG_CACHE_HOME: '/y' }, dir).cacheDir, process.platform === 'linux' ? '/y/slopguard' : loadSettings({}, { ...HERMETIC, XDG_CACHE_HOME: '/y' }, dir).cacheDir);
  });
});

describe('invalid configuration names the file and the field', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown field', JSON.stringify({ failon: 'warn' }), /\.slopguard\.json: \(top level\): .*failon/],
    ['bad enum', JSON.stringify({ failOn: 'sometimes' }), /\.slopguard\.json: failOn: /],
    ['negative threshold', JSON.stringify({ thresholds: { minAgeDays: -1 } }), /thresholds\.minAgeDays/],
    ['unknown finding code', JSON.stringify({ severities: { 'not-a-code': 'off' } }), /severities/],
    ['allow entry without reason', JSON.stringify({ allow: { npm: [{ name: 'x' }] } }), /allow\.npm\.0\.reason/],
    ['bad until date', JSON.stringify({ allow: { pypi: [{ name: 'x', reason: 'r', until: 'tomorrow' }] } }), /allow\.pypi\.0\.until: expected a date/],
    ['broken JSON', '{\n  "failOn": "warn",\n  oops\n}', /\.slopguard\.json:3:3: \(json\): invalid JSON: unexpected character/],
    ['two bad keys, both named', JSON.stringify({ failOn: 'x', thresholds: { minAgeDays: 'y' } }), /failOn: [^\n]*\n[^\n]*thresholds\.minAgeDays: /],
  ];
  for (const [name, text, pattern] of cases) {
    it(name, () => {
      const dir = project({ '.slopguard.json': text });
      assert.throws(() => loadSettings({}, HERMETIC, dir), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
    });
  }

  it('a missing --config file is an error, not silently ignored', () => {
    assert.throws(() => loadSettings({ config: 'nope.json' }, HERMETIC, project({})), (e: unknown) => e instanceof ConfigError && /nope\.json: \(file\): cannot read: ENOENT/.test(e.message));
  });

  const envCases: Array<[Record<string, string>, RegExp]> = [
    [{ SLOPGUARD_FAIL_ON: 'never' }, /environment: SLOPGUARD_FAIL_ON/],
    [{ SLOPGUARD_FAIL_CLOSED: 'maybe' }, /SLOPGUARD_FAIL_CLOSED/],
    [{ SLOPGUARD_MIN_AGE_DAYS: '3.5' }, /SLOPGUARD_MIN_AGE_DAYS: expected a whole number/],
    [{ SLOPGUARD_NPM_REGISTRY: 'ftp://x' }, /SLOPGUARD_NPM_REGISTRY: expected an http\(s\) URL/],
    [{ SLOPGUARD_TIMEOUT: '0' }, /SLOPGUARD_TIMEOUT/],
  ];
  for (const [env, pattern] of envCases) {
    it(`bad env ${Object.keys(env)[0]}`, () => {
      assert.throws(() => loadSettings({}, { ...HERMETIC, ...env }, project({})), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
    });
  }

  it('bad flags', () => {
    assert.throws(() => loadSettings({ failOn: 'x' }, HERMETIC, project({})), /command line: --fail-on/);
    assert.throws(() => loadSettings({ concurrency: '0' }, HERMETIC, project({})), /--concurrency/);
  });
});

describe('cache location and shared cache URL', () => {
  it('cacheUrl: flag over SLOPGUARD_CACHE_URL over the config file; absent means disk only', () => {
    const dir = project({ '.slopguard.json': JSON.stringify({ cacheUrl: 'redis://file:6379/1' }) });
    assert.equal(loadSettings({}, {}, project({})).cacheUrl, undefined);
    // An untrusted project config may not name a shared cache (it would learn every name checked).
    assert.equal(loadSettings({}, {}, dir).cacheUrl, undefined);
    const trusted = { SLOPGUARD_TRUST_PROJECT: '1' };
    assert.equal(loadSettings({}, trusted, dir).cacheUrl, 'redis://file:6379/1');
    assert.equal(loadSettings({}, { ...trusted, SLOPGUARD_CACHE_URL: 'rediss://env:6380' }, dir).cacheUrl, 'rediss://env:6380');
    assert.equal(loadSettings({ cacheUrl: 'redis://flag:6379/0' }, { ...trusted, SLOPGUARD_CACHE_URL: 'rediss://env:6380' }, dir).cacheUrl, 'redis://flag:6379/0');
  });

  const bad: Array<[string, Parameters<typeof loadSettings>[0], Record<string, string>, Record<string, string>, RegExp]> = [
    ['an http URL on the command line', { cacheUrl: 'http://cache:6379' }, {}, {}, /command line: --cache-url: expected redis:\/\/HOST:PORT\[\/DB\] or rediss:\/\/\.\.\., got the scheme "http:"/],
    ['not a URL in the environment', {}, { SLOPGUARD_CACHE_URL: 'cache:6379' }, {}, /environment: SLOPGUARD_CACHE_URL: expected/],
    ['a path that is not a database number', { cacheUrl: 'redis://cache:6379/x/y' }, {}, {}, /database number/],
    ['a query string', {}, { SLOPGUARD_CACHE_URL: 'redis://cache:6379/0?password=hunter22' }, {}, /no query/],
    ['a number in the config file', {}, {}, { '.slopguard.json': '{"cacheUrl": 6379}' }, /\.slopguard\.json: cacheUrl: /],
    ['a relative SLOPGUARD_CACHE_DIR', {}, { SLOPGUARD_CACHE_DIR: 'node_modules/.cache/sg' }, {}, /environment: SLOPGUARD_CACHE_DIR: expected an absolute path/],
  ];
  for (const [label, flags, env, files, message] of bad) {
    it(`refuses ${label}, naming where it came from (and never echoing a password)`, () => {
      assert.throws(
        () => loadSettings(flags, env, project(files)),
        (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('hunter22'),
      );
    });
  }
});
