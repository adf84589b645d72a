import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistrySettings } from '../../src/core/types.js';
import { startEphemeralGuard, type EphemeralGuard } from '../../src/serve/ephemeral.js';
import { pypiProject, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { buildWheel, startSimpleIndex, type SimpleIndex } from '../e2e/pypi-index.js';
import { basePath, runAsync, sh, skipUnless, which, type Ran } from '../e2e/tools.js';

/**
 * The real pip, in a real venv, installing through `slopguard serve` from a PEP 503 folder index
 * (test/e2e/pypi-index.ts; its JSON API is the fixture registry, so the guard judges the index as
 * it would judge PyPI).
 *
 *   requests 2.32.3               old and popular: installs
 *   reqeusts 0.0.1                a two-day-old look-alike with 4 downloads: refused
 *   slopguard-e2e-wrapper 1.0.0   old, requires reqeusts: the transitive squat, refused
 *   slopguard-e2e-aged 1.0.0/2.0.0  2.0.0 uploaded today: --min-release-age 1 installs 1.0.0
 *   slopguard-e2e-fresh 1.0.0     uploaded today: --min-release-age 1 refuses the project
 *
 * pip prints why an index page failed only with -vv ("Could not fetch URL …: 403 Client Error:
 * <reason phrase> …"); by default it says "from versions: none". The refusals are run with -vv
 * and the default output is checked once.
 */
const python = which('python3');
const venvWorks = python !== undefined && sh(python, ['-c', 'import venv, ensurepip'], { cwd: tmpdir(), env: process.env }).status === 0;
const skip = skipUnless('serve pip end-to-end', venvWorks, python ? 'python3 has no venv/ensurepip module' : 'python3 is not installed on this machine');
skipUnless('serve uv end-to-end', which('uv') !== undefined, 'uv is not installed on this machine');

const run = (argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> => runAsync(argv[0]!, argv.slice(1), { cwd, env });

describe('serve: pip installs through the guard from a PEP 503 index', { skip }, () => {
  let root: string;
  let facts: FixtureRegistry;
  let index: SimpleIndex;
  let venv: string;
  let guard: EphemeralGuard;
  let youngGuard: EphemeralGuard;
  let downGuard: EphemeralGuard;
  const log: string[] = [];
  const outputs: Record<string, string> = {};

  const registries = (pypiUrl: string): RegistrySettings => ({ npmRegistry: 'http://127.0.0.1:9/', npmScopes: {}, npmrc: {}, npmDownloadsApi: facts.url, pypiUrl, pypistatsApi: facts.url });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-serve-pip-'));
    const wheels = join(root, 'wheels');
    buildWheel(python!, wheels, 'requests', '2.32.3', 'requests');
    buildWheel(python!, wheels, 'reqeusts', '0.0.1', 'reqeusts');
    buildWheel(python!, wheels, 'slopguard-e2e-aged', '1.0.0', 'slopguard_e2e_aged');
    buildWheel(python!, wheels, 'slopguard-e2e-aged', '2.0.0', 'slopguard_e2e_aged');
    buildWheel(python!, wheels, 'slopguard-e2e-fresh', '1.0.0', 'slopguard_e2e_fresh');
    buildWheel(python!, wheels, 'slopguard-e2e-wrapper', '1.0.0', 'slopguard_e2e_wrapper', ['reqeusts']);
    const now = new Date();
    facts = await startFixtureRegistry({
      pypi: [
        pypiProject({ name: 'requests', created: '2011-02-14', versions: ['2.32.3'], weeklyDownloads: 30_000_000, urls: { Source: 'https://example.test/requests' } }),
        pypiProject({ name: 'reqeusts', created: new Date(Date.now() - 2 * 86_400_000), versions: ['0.0.1'], weeklyDownloads: 4 }),
        pypiProject({ name: 'slopguard-e2e-wrapper', created: '2020-01-01', versions: ['1.0.0'], weeklyDownloads: 5_000, urls: { Source: 'https://example.test/w' } }),
        // Two files per release, so the JSON API names the wheel the index serves (its upload time is the gate's).
        pypiProject({ name: 'slopguard-e2e-aged', created: '2020-01-01', versions: [{ version: '1.0.0', uploaded: '2020-01-01', files: 2 }, { version: '2.0.0', uploaded: now, files: 2 }], weeklyDownloads: 5_000, urls: { Source: 'https://example.test/a' } }),
        pypiProject({ name: 'slopguard-e2e-fresh', created: now, versions: [{ version: '1.0.0', uploaded: now, files: 2 }], weeklyDownloads: 5_000, urls: { Source: 'https://example.test/f' } }),
      ],
      missing: { pypi: ['slopguard-e2e-no-such-project'] },
    }, { strict: false });
    index = await startSimpleIndex(wheels, facts.url);
    venv = join(root, 'venv');
    const v = sh(python!, ['-m', 'venv', venv], { cwd: root, env: process.env });
    assert.equal(v.status, 0, v.stderr);
    const check = { noCache: true, env: {}, cwd: root };
    const onLog = (l: string) => void log.push(l);
    guard = await startEphemeralGuard({ registries: registries(index.url), check, log: onLog });
    youngGuard = await startEphemeralGuard({ registries: registries(index.url), check, minReleaseAgeDays: 1, log: onLog });
    downGuard = await startEphemeralGuard({ registries: registries('http://127.0.0.1:9'), check: { ...check, timeoutMs: 2_000 }, log: onLog });
  });

  after(async () => {
    await Promise.all([guard?.close(), youngGuard?.close(), downGuard?.close()]);
    await index?.close();
    await facts?.close();
    if (root) rmSync(root, { recursive: true, force: true });
    const file = join(tmpdir(), 'slopguard-serve-client-outputs.json');
    const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    writeFileSync(file, JSON.stringify({ ...old, ...outputs }, null, 2));
  });

  const pip = (g: EphemeralGuard, args: string[]) =>
    run([join(venv, 'bin', 'python'), '-m', 'pip', 'install', '--no-cache-dir', '--retries', '0', '--timeout', '5', ...args], root, {
      PATH: basePath([join(venv, 'bin')]),
      HOME: join(root, 'home'),
      PIP_CONFIG_FILE: '/dev/null',
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      NO_COLOR: '1',
      ...g.env,
    });
  const installed = (module: string) => sh(join(venv, 'bin', 'python'), ['-c', `import ${module}, importlib.metadata as m; print(m.version(${JSON.stringify(module.replace(/_/g, '-'))}))`], { cwd: root, env: { PATH: basePath() } });

  it('installs a good project (requests) through the guard', async () => {
    const r = await pip(guard, ['requests==2.32.3']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(installed('requests').stdout.trim(), '2.32.3');
    assert.ok(log.some((l) => /200 allowed pypi requests \(simple\)/.test(l)), log.join('\n'));
  });

  for (const [label, project, g, why] of [
    ['a name that does not exist', 'slopguard-e2e-no-such-project', () => guard, /slopguard refused PyPI package `slopguard-e2e-no-such-project`: `slopguard-e2e-no-such-project` does not exist on PyPI/],
    ['a squat of a popular name', 'reqeusts', () => guard, /slopguard refused PyPI package `reqeusts`: .*did you mean `requests`\?/],
    ['an old project requiring a squat', 'slopguard-e2e-wrapper', () => guard, /slopguard refused PyPI package `reqeusts`/],
    ['a project with no release old enough (--min-release-age 1)', 'slopguard-e2e-fresh', () => youngGuard, /slopguard refused PyPI package `slopguard-e2e-fresh`: every version was published less than 1 day ago/],
  ] as const) {
    it(`refuses ${label}; pip -vv prints slopguard's reason; nothing installed`, async () => {
      const r = await pip(g(), ['-vv', project]);
      const out = `${r.stdout}\n${r.stderr}`;
      outputs[`pip -vv: ${label}`] = out.split('\n').filter((l) => /slopguard|ERROR/.test(l)).join('\n');
      assert.notEqual(r.status, 0, out);
      assert.match(out, why, `${out}\n--- guard log:\n${log.slice(-5).join('\n')}`);
      assert.notEqual(installed(project.replace(/-/g, '_')).status, 0, 'not installed');
      assert.notEqual(installed('reqeusts').status, 0, 'the squat was not installed');
    });
  }

  it('without -v pip says only that no version was found (the reason is in the guard log)', async () => {
    const r = await pip(guard, ['reqeusts']);
    const out = `${r.stdout}\n${r.stderr}`;
    outputs['pip: a squat of a popular name'] = out;
    assert.notEqual(r.status, 0, out);
    assert.match(out, /No matching distribution found for reqeusts/);
    assert.ok(log.some((l) => /403 blocked pypi reqeusts \(simple\).*did you mean `requests`/.test(l)), log.join('\n'));
  });

  it('--min-release-age 1 removes the release uploaded today: pip installs the older one', async () => {
    const r = await pip(youngGuard, ['slopguard-e2e-aged']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(installed('slopguard_e2e_aged').stdout.trim(), '1.0.0');
    assert.ok(log.some((l) => /200 allowed pypi slopguard-e2e-aged \(simple\).*age gate removed 1/.test(l)), log.join('\n'));
  });

  it('fails the install when the upstream is down', async () => {
    const r = await pip(downGuard, ['-vv', '--ignore-installed', 'requests==2.32.3']);
    const out = `${r.stdout}\n${r.stderr}`;
    outputs['pip -vv: upstream down'] = out.split('\n').filter((l) => /slopguard|ERROR/.test(l)).join('\n');
    assert.notEqual(r.status, 0, out);
    assert.match(out, /502/);
  });
});
