import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { AgeGatesReport } from '../../src/core/age-gates.js';
import { npmPackage, pypiProject, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';

/**
 * The package managers' own age settings, as `check` and `scan` list them (JSON `ageGates`, the
 * text report's note and warning lines): each tool's file, key and unit, located problems for bad
 * values, each tool's precedence, the drift between tools, and hostile files (a FIFO, a link out
 * of the repository, control characters, a huge value). Every case is a fresh repository folder
 * (a `.git` stops the search there) with an empty home, so nothing of this machine leaks in.
 */

const root = mkdtempSync(join(tmpdir(), 'sg-native-age-'));
after(() => rmSync(root, { recursive: true, force: true }));
let reg: FixtureRegistry;
before(async () => {
  reg = await startFixtureRegistry({
    npm: [npmPackage({ name: 'sg-plain', created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' })],
    pypi: [pypiProject({ name: 'sg-plain-py', created: '2019-01-01', weeklyDownloads: 5_000, urls: { Source: 'https://example.test/p' } })],
  });
});
after(() => reg?.close());

let n = 0;
/** A repository folder with `files`, and an empty home beside it. */
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

function envFor(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    SLOPGUARD_NPM_REGISTRY: `${reg.url}/`,
    SLOPGUARD_NPM_DOWNLOADS_API: reg.url,
    SLOPGUARD_PYPI_URL: reg.url,
    SLOPGUARD_PYPISTATS_API: reg.url,
    // No machine-wide npm, pip or uv file: only the case's own.
    npm_config_globalconfig: join(home, 'no-global-npmrc'),
    XDG_CONFIG_DIRS: join(home, 'no-xdg-dirs'),
    ...extra,
  };
}

async function checkIn(cwd: string, home: string, env: Record<string, string> = {}, format = 'json') {
  const t = testIo({ cwd, env: envFor(home, env) });
  const code = await run(['check', '--no-cache', '--format', format, 'sg-plain'], t.io);
  return { code, out: t.out(), err: t.err() };
}

async function ageGates(cwd: string, home: string, env: Record<string, string> = {}): Promise<AgeGatesReport | undefined> {
  const r = await checkIn(cwd, home, env);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as { ageGates?: AgeGatesReport }).ageGates;
}

/** `tool scope file:line days|before` for settings, `file:line tool key: message` for problems. */
function summary(a: AgeGatesReport | undefined): string[] {
  if (!a) return [];
  return [
    ...a.settings.map((s) => `${s.tool} ${s.scope} ${s.file}${s.line ? `:${s.line}` : ''} ${s.days !== undefined ? `${Math.round(s.days * 10_000) / 10_000}d` : `before ${s.before}`}${s.effective ? '' : ' overridden'}`),
    ...a.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.tool} ${p.key}: ${p.message}`),
  ];
}

describe('native age settings: each tool\'s file, key and unit (check --format json)', () => {
  const cases: Array<[string, Record<string, string>, Record<string, string>, Array<string | RegExp>]> = [
    ['npm .npmrc days', { '.npmrc': 'registry=https://example.test/\nmin-release-age=7\n' }, {}, ['npm project .npmrc:2 7d']],
    ['npm .npmrc fraction of a day', { '.npmrc': 'min-release-age = 0.5\n' }, {}, ['npm project .npmrc:1 0.5d']],
    ['npm .npmrc repeated key: the last wins, as in npm', { '.npmrc': 'min-release-age=1\nmin-release-age=3\n' }, {}, ['npm project .npmrc:2 3d']],
    ['npm bad value', { '.npmrc': 'min-release-age=seven\n' }, {}, [/^\.npmrc:1 npm min-release-age: expected a number of days \(e\.g\. 7\), got "seven"$/]],
    ['npm negative value', { '.npmrc': 'min-release-age=-2\n' }, {}, [/^\.npmrc:1 npm min-release-age: expected a number of days/]],
    ['pnpm .npmrc minutes', { '.npmrc': 'minimum-release-age=1440\n' }, {}, ['pnpm project .npmrc:1 1d']],
    ['pnpm-workspace.yaml minutes', { 'pnpm-workspace.yaml': 'packages:\n  - apps/*\nminimumReleaseAge: 2880\n' }, {}, ['pnpm project pnpm-workspace.yaml:3 2d']],
    ['pnpm fractional minutes are not pnpm\'s', { 'pnpm-workspace.yaml': 'minimumReleaseAge: 1.5\n' }, {}, [/^pnpm-workspace\.yaml:1 pnpm minimumReleaseAge: expected a whole number of minutes/]],
    ['pnpm-workspace.yaml not YAML', { 'pnpm-workspace.yaml': 'packages:\n  - "a\nminimumReleaseAge: [\n' }, {}, [/^pnpm-workspace\.yaml:\d+ pnpm minimumReleaseAge: is not valid YAML/]],
    ['yarn minutes', { '.yarnrc.yml': 'nodeLinker: node-modules\nnpmMinimalAgeGate: 1440\n' }, {}, ['yarn project .yarnrc.yml:2 1d']],
    ['yarn duration in days', { '.yarnrc.yml': 'npmMinimalAgeGate: 3d\n' }, {}, ['yarn project .yarnrc.yml:1 3d']],
    ['yarn duration in hours, quoted', { '.yarnrc.yml': 'npmMinimalAgeGate: "12h"\n' }, {}, ['yarn project .yarnrc.yml:1 0.5d']],
    ['yarn unknown unit', { '.yarnrc.yml': 'npmMinimalAgeGate: 1x\n' }, {}, [/^\.yarnrc\.yml:1 yarn npmMinimalAgeGate: expected minutes \(e\.g\. 1440\) or a duration such as 1d, 12h or 30m, got "1x"$/]],
    ['bun seconds', { 'bunfig.toml': '[install]\nminimumReleaseAge = 259200 # 3 days\n' }, {}, ['bun project bunfig.toml:2 3d']],
    ['bun not a number', { 'bunfig.toml': '[install]\nminimumReleaseAge = "soon"\n' }, {}, [/^bunfig\.toml:2 bun minimumReleaseAge: expected a number of seconds/]],
    ['bunfig.toml not TOML', { 'bunfig.toml': '[install\nminimumReleaseAge = 1\n' }, {}, [/^bunfig\.toml:1 bun minimumReleaseAge: is not valid TOML/]],
    ['uv.toml timestamp', { 'uv.toml': 'exclude-newer = "2025-01-01T00:00:00Z"\n' }, {}, ['uv project uv.toml:1 before 2025-01-01T00:00:00.000Z']],
    ['uv.toml friendly duration', { 'uv.toml': 'exclude-newer = "7 days"\n' }, {}, ['uv project uv.toml:1 7d']],
    ['uv.toml ISO weeks', { 'uv.toml': 'exclude-newer = "P1W"\n' }, {}, ['uv project uv.toml:1 7d']],
    ['uv.toml ISO hours', { 'uv.toml': 'exclude-newer = "PT36H"\n' }, {}, ['uv project uv.toml:1 1.5d']],
    ['uv pyproject [tool.uv], two parts', { 'pyproject.toml': '[project]\nname = "x"\n\n[tool.uv]\nexclude-newer = "1 week 2 days"\n' }, {}, ['uv project pyproject.toml:5 9d']],
    ['uv.toml beats pyproject.toml in the same folder', { 'uv.toml': 'exclude-newer = "P2D"\n', 'pyproject.toml': '[tool.uv]\nexclude-newer = "P5D"\n' }, {}, ['uv project uv.toml:1 2d', 'uv project pyproject.toml:2 5d overridden']],
    ['uv impossible date', { 'uv.toml': 'exclude-newer = "2025-02-30"\n' }, {}, [/^uv\.toml:1 uv exclude-newer: expected a date \(2025-03-16\), an RFC 3339 timestamp .* got "2025-02-30"$/]],
    ['uv words', { 'uv.toml': 'exclude-newer = "yesterday"\n' }, {}, [/^uv\.toml:1 uv exclude-newer: expected a date/]],
    ['pip.conf [install] duration (PIP_CONFIG_FILE)', { '~/custom/pip.conf': '[global]\ntimeout = 5\n[install]\nuploaded-prior-to = P3D\n' }, { PIP_CONFIG_FILE: '~/custom/pip.conf' }, ['pip user ~/custom/pip.conf:4 3d']],
    ['pip.conf [global] date', { '~/.config/pip/pip.conf': '[global]\nuploaded_prior_to = 2025-03-16T00:00:00Z\n' }, {}, ['pip user ~/.config/pip/pip.conf:2 before 2025-03-16T00:00:00.000Z']],
    ['pip weeks are not pip\'s', { '~/.pip/pip.conf': '[install]\nuploaded-prior-to = P1W\n' }, {}, [/^~\/\.pip\/pip\.conf:2 pip uploaded-prior-to: expected an ISO 8601 date or datetime .* or P<days>D \(P7D\), got "P1W"$/]],
    ['environment variables, npm\'s in any case', {}, { NPM_CONFIG_MIN_RELEASE_AGE: '3', YARN_NPM_MINIMAL_AGE_GATE: '2d', UV_EXCLUDE_NEWER: '24 hours', PIP_UPLOADED_PRIOR_TO: 'P2D' }, ['npm environment NPM_CONFIG_MIN_RELEASE_AGE 3d', 'yarn environment YARN_NPM_MINIMAL_AGE_GATE 2d', 'uv environment UV_EXCLUDE_NEWER 1d', 'pip environment PIP_UPLOADED_PRIOR_TO 2d']],
    ['a bad environment variable is named', {}, { UV_EXCLUDE_NEWER: 'soon' }, [/^UV_EXCLUDE_NEWER uv UV_EXCLUDE_NEWER: expected a date/]],
    ['precedence: environment, then project, then user', { '.npmrc': 'min-release-age=7\n', '~/.npmrc': 'min-release-age=2\n' }, { npm_config_min_release_age: '1' }, ['npm environment npm_config_min_release_age 1d', 'npm project .npmrc:1 7d overridden', 'npm user ~/.npmrc:1 2d overridden']],
    ['user files: ~/.yarnrc.yml, ~/.bunfig.toml, ~/.config/uv/uv.toml, ~/.config/pnpm/rc', { '~/.yarnrc.yml': 'npmMinimalAgeGate: 60\n', '~/.bunfig.toml': '[install]\nminimumReleaseAge = 3600\n', '~/.config/uv/uv.toml': 'exclude-newer = "P1D"\n', '~/.config/pnpm/rc': 'minimum-release-age=720\n' }, {}, ['pnpm user ~/.config/pnpm/rc:1 0.5d', 'yarn user ~/.yarnrc.yml:1 0.0417d', 'bun user ~/.bunfig.toml:2 0.0417d', 'uv user ~/.config/uv/uv.toml:1 1d']],
    ['a parent folder inside the repository counts; nearest first', { '.npmrc': 'min-release-age=4\n', 'packages/app/.npmrc': 'min-release-age=2\n' }, {}, ['npm project .npmrc:1 4d']],
    ['a YAML alias bomb is named by its kind, never expanded', { '.yarnrc.yml': `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n')}\nnpmMinimalAgeGate: *m\n` }, {}, [/^\.yarnrc\.yml:14 yarn npmMinimalAgeGate: expected minutes .* got a list$/]],
    ['a huge value is cut in the message', { '.npmrc': `min-release-age=${'9'.repeat(20)}x${'a'.repeat(5000)}\n` }, {}, [/^\.npmrc:1 npm min-release-age: expected a number of days \(e\.g\. 7\), got "9{20}xa{59}"$/]],
  ];
  for (const [name, files, env, expected] of cases) {
    it(name, async () => {
      const { cwd, home } = project(files);
      const got = summary(await ageGates(cwd, home, Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/^~\//, `${home}/`)]))));
      assert.equal(got.length, expected.length, `got ${JSON.stringify(got, null, 1)}`);
      expected.forEach((e, i) => (typeof e === 'string' ? assert.equal(got[i], e) : assert.match(got[i]!, e)));
    });
  }

  it('a project with no age setting gets no ageGates field and no age lines', async () => {
    const { cwd, home } = project({ '.npmrc': 'registry=https://example.test/\n', 'package-lock.json': '{}', 'bun.lock': '' });
    assert.equal(await ageGates(cwd, home), undefined);
    const text = await checkIn(cwd, home, {}, 'text');
    assert.doesNotMatch(text.out, /age/i);
  });

  it('scan lists the settings of the folder it scans, in JSON and in text', async () => {
    const { cwd, home } = project({ 'app/package.json': '{"name":"app","dependencies":{"sg-plain":"^1.0.0"}}', 'app/.npmrc': 'min-release-age=5\n' });
    const t = testIo({ cwd, env: envFor(home) });
    assert.equal(await run(['scan', '--no-cache', '--format', 'json', 'app'], t.io), 0, t.err());
    assert.deepEqual(summary((JSON.parse(t.out()) as { ageGates?: AgeGatesReport }).ageGates), ['npm project app/.npmrc:1 5d']);
  });
});

describe('native age settings: drift between the tools of one ecosystem', () => {
  const cases: Array<[string, Record<string, string>, Array<[string, string, string[]]>, RegExp[]]> = [
    [
      'npm 7 days, pnpm 1 day, bun in use with none',
      { '.npmrc': 'min-release-age=7\n', 'pnpm-workspace.yaml': 'minimumReleaseAge: 1440\n', 'bun.lock': '{}' },
      [['npm', 'different', ['npm', 'pnpm']], ['npm', 'missing', ['bun']]],
      [/^warning age-gate drift for npm packages: npm 7 days, pnpm 1 day; each client applies only its own$/m, /^warning age-gate drift for npm packages: bun is used here with no age gate set, while npm waits 7 days, pnpm 1 day$/m],
    ],
    ['the same gate in two units is no drift', { '.npmrc': 'min-release-age=1\n', '.yarnrc.yml': 'npmMinimalAgeGate: 1d\n' }, [], []],
    ['packageManager names the tool in use', { '.npmrc': 'min-release-age=3\n', 'package.json': '{"packageManager":"yarn@4.12.0"}' }, [['npm', 'missing', ['yarn']]], [/yarn is used here with no age gate set, while npm waits 3 days/]],
    ['a date and a duration differ (uv and pip)', { 'uv.toml': 'exclude-newer = "2025-01-01"\n' }, [['pypi', 'different', ['uv', 'pip']]], [/^ {2}uv installs nothing uploaded after 2025-01-01 \(\d+ days ago\) \(exclude-newer 2025-01-01 in uv\.toml:1\)$/m, /age-gate drift for PyPI packages: uv nothing uploaded after 2025-01-01 \(\d+ days ago\), pip 2 days/]],
    ['a tool whose setting cannot be read is a problem, not "no gate"', { '.npmrc': 'min-release-age=2\n', '.yarnrc.yml': 'npmMinimalAgeGate: often\n' }, [], [/^warning \.yarnrc\.yml:1: yarn npmMinimalAgeGate: expected minutes/m]],
    ['ecosystems do not drift against each other', { '.npmrc': 'min-release-age=7\n', 'uv.toml': 'exclude-newer = "P1D"\n' }, [], []],
  ];
  for (const [name, files, drift, lines] of cases) {
    it(name, async () => {
      const { cwd, home } = project(files);
      const env: Record<string, string> = name.includes('uv and pip') ? { PIP_UPLOADED_PRIOR_TO: 'P2D' } : {};
      const a = await ageGates(cwd, home, env);
      assert.deepEqual((a?.drift ?? []).map((d) => [d.ecosystem, d.kind, d.tools]), drift);
      const text = await checkIn(cwd, home, env, 'text');
      for (const l of lines) assert.match(text.out, l);
      if (!lines.length) assert.doesNotMatch(text.out, /drift/);
    });
  }
});

describe('native age settings: hostile files', () => {
  // (A FIFO .npmrc is not used here: the registry settings loader, src/registry/npmrc.ts, reads
  // .npmrc with readFileSync and would block the whole run on it, before the age settings.)
  it('a FIFO named pnpm-workspace.yaml is refused, not read (no hang); the problem says so', async () => {
    const { cwd, home } = project({});
    execFileSync('mkfifo', [join(cwd, 'pnpm-workspace.yaml')]);
    assert.deepEqual(summary(await ageGates(cwd, home)), ['pnpm-workspace.yaml pnpm minimumReleaseAge: could not be read: is not a regular file (a device, pipe, socket or /proc entry)']);
  });

  it('a project file linking out of the repository is refused', async () => {
    const { cwd, home } = project({ '~/secret.yml': 'npmMinimalAgeGate: 9d\n' });
    symlinkSync(join(home, 'secret.yml'), join(cwd, '.yarnrc.yml'));
    assert.deepEqual(summary(await ageGates(cwd, home)), ['.yarnrc.yml yarn npmMinimalAgeGate: could not be read: is a link to a place outside the repository being checked']);
  });

  it('a file that is not UTF-8 is named, not guessed at', async () => {
    const { cwd, home } = project({});
    writeFileSync(join(cwd, 'bunfig.toml'), Buffer.from([0x5b, 0x69, 0x5d, 0x0a, 0xff, 0xfe, 0x0a]));
    const got = summary(await ageGates(cwd, home));
    assert.equal(got.length, 1, JSON.stringify(got));
    assert.match(got[0]!, /^bunfig\.toml bun minimumReleaseAge: could not be read: .*not valid UTF-8 text \(byte 5, line 2\)/);
  });

  it('control characters in a value are not echoed raw to the terminal', async () => {
    const { cwd, home } = project({ '.yarnrc.yml': 'npmMinimalAgeGate: "1d\\u001b[31mred"\n' });
    const text = await checkIn(cwd, home, {}, 'text');
    assert.doesNotMatch(text.out, /\u001b\[31m/);
    assert.match(text.out, /yarn npmMinimalAgeGate: expected minutes/);
  });

  it('the text report lists each setting under one note, overridden ones marked', async () => {
    const { cwd, home } = project({ '.npmrc': 'min-release-age=7\nminimum-release-age=1440\n', '~/.npmrc': 'min-release-age=2\n' });
    const text = await checkIn(cwd, home, {}, 'text');
    assert.match(text.out, /^note age gates of the package managers:\n {2}npm waits 7 days \(min-release-age 7 in \.npmrc:1\)\n {2}npm waits 2 days \(min-release-age 2 in ~\/\.npmrc:1, overridden\)\n {2}pnpm waits 1 day \(minimum-release-age 1440 in \.npmrc:2\)\n/m);
  });
});
