import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pypiProject, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { buildWheel, startSimpleIndex, type SimpleIndex } from './pypi-index.js';
import { basePath, sh, skipUnless, slopguard, which } from './tools.js';

/**
 * `slopguard pip install ...` with the real pip, in a real venv, from a PEP 503 index on loopback
 * holding wheels the test builds. Facts for slopguard come from the same origin (its JSON API is
 * the fixture registry behind the index server, pypistats is the fixture registry), so the index
 * pip uses is judged as PyPI would be: `requests` (old, popular) installs; `reqeusts` (a two-day
 * old look-alike with 4 downloads, present in the index) and a name the index does not have are
 * blocked, and pip never runs.
 */
const python = which('python3');
const venvWorks = python !== undefined && sh(python, ['-c', 'import venv, ensurepip'], { cwd: tmpdir(), env: process.env }).status === 0;
const skip = skipUnless('pip end-to-end', venvWorks, python ? 'python3 has no venv/ensurepip module' : 'python3 is not installed on this machine');

describe('e2e: slopguard pip install from a PEP 503 index into a venv', { skip }, () => {
  let root: string;
  let facts: FixtureRegistry;
  let index: SimpleIndex;
  let venv: string;
  let run = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-e2e-pip-'));
    const wheels = join(root, 'wheels');
    buildWheel(python!, wheels, 'requests', '2.32.3', 'requests');
    buildWheel(python!, wheels, 'reqeusts', '0.0.1', 'reqeusts');
    facts = await startFixtureRegistry({
      pypi: [
        pypiProject({ name: 'requests', created: '2011-02-14', versions: ['2.32.3'], weeklyDownloads: 30_000_000, urls: { Source: 'https://example.test/requests' } }),
        pypiProject({ name: 'reqeusts', created: new Date(Date.now() - 2 * 86_400_000), versions: ['0.0.1'], weeklyDownloads: 4 }),
        // A project's build requirements are installed too (pip install -e . builds it).
        pypiProject({ name: 'setuptools', created: '2006-01-01', versions: ['75.0.0'], weeklyDownloads: 50_000_000, urls: { Source: 'https://example.test/setuptools' } }),
      ],
      missing: { pypi: ['slopguard-e2e-no-such-project'] },
    });
    index = await startSimpleIndex(wheels, facts.url);
    venv = join(root, 'venv');
    const made = sh(python!, ['-m', 'venv', venv], { cwd: root, env: process.env });
    assert.equal(made.status, 0, made.stderr);
  });
  after(async () => {
    await index?.close();
    facts?.assertNoUnexpectedRequests();
    await facts?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The venv's pip first on PATH; pip writes a log file (PIP_LOG) on every run it starts. */
  function env(): { env: NodeJS.ProcessEnv; pipLog: string } {
    const pipLog = join(root, `pip-${++run}.log`);
    return {
      pipLog,
      env: {
        PATH: basePath([join(venv, 'bin')]),
        HOME: join(root, 'home'),
        VIRTUAL_ENV: venv,
        PIP_LOG: pipLog,
        PIP_CONFIG_FILE: '/dev/null',
        PIP_DISABLE_PIP_VERSION_CHECK: '1',
        PIP_NO_CACHE_DIR: '1',
        SLOPGUARD_PYPI_URL: index.url,
        SLOPGUARD_PYPISTATS_API: facts.url,
        SLOPGUARD_CACHE_DIR: join(root, 'slopguard-cache'),
        NO_COLOR: '1',
      },
    };
  }

  const imports = (module: string) => sh(join(venv, 'bin', 'python'), ['-c', `import ${module}; print(${module}.NAME)`], { cwd: root, env: { PATH: basePath() } });

  it('installs a good project from the index', async () => {
    const e = env();
    const r = await slopguard(['pip', 'install', 'requests==2.32.3', '--index-url', index.indexUrl], { cwd: root, env: e.env });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(imports('requests').stdout.trim(), 'requests');
    assert.ok(existsSync(e.pipLog), 'pip ran');
    assert.doesNotMatch(r.stderr, /BLOCKED|WARNING/);
  });

  for (const [argv, name, why] of [
    [['pip', 'install', 'reqeusts', '--index-url'], 'reqeusts', /BLOCKED PyPI package `reqeusts`\n {2}.*did you mean `requests`\?/],
    [['python3', '-m', 'pip', 'install', 'slopguard-e2e-no-such-project', '-i'], 'slopguard-e2e-no-such-project', /does not exist on PyPI/],
  ] as const) {
    it(`blocks ${name} (${argv.slice(0, argv.indexOf('install')).join(' ')}): exit 1, pip never runs, nothing installed`, async () => {
      const e = env();
      const r = await slopguard([...argv, index.indexUrl], { cwd: root, env: e.env });
      assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, why);
      assert.match(r.stderr, /was not run/);
      assert.ok(!existsSync(e.pipLog), 'pip wrote no log: it never started');
      assert.notEqual(imports(name.replace(/-/g, '_')).status, 0, 'not importable');
    });
  }

  it('pip install -r checks the requirements file and blocks at its line', async () => {
    const e = env();
    writeFileSync(join(root, 'requirements.txt'), 'requests==2.32.3\nreqeusts==0.0.1\n');
    const r = await slopguard(['pip', 'install', '-r', 'requirements.txt', '--index-url', index.indexUrl], { cwd: root, env: e.env });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /BLOCKED PyPI package `reqeusts` \(requirements\.txt:2\)/);
    assert.ok(!existsSync(e.pipLog));
  });

  it('pip install -e ".[dev]" reads the project\'s dev extra: a squat there is blocked at its line, pip never starts', async () => {
    const e = env();
    const proj = join(root, 'proj-dev');
    mkdirSync(proj, { recursive: true });
    writeFileSync(
      join(proj, 'pyproject.toml'),
      '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "proj-dev"\nversion = "0.1.0"\ndependencies = ["requests==2.32.3"]\n\n[project.optional-dependencies]\ndev = ["reqeusts==0.0.1"]\n',
    );
    const r = await slopguard(['pip', 'install', '-e', '.[dev]', '--index-url', index.indexUrl], { cwd: proj, env: e.env });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /BLOCKED PyPI package `reqeusts` \(pyproject\.toml:11\)/);
    assert.doesNotMatch(r.stderr, /not a valid|invalid/);
    assert.ok(!existsSync(e.pipLog), 'pip wrote no log: it never started');
    assert.notEqual(imports('reqeusts').status, 0, 'not importable');
  });

  it('--slopguard-allow installs the name anyway, loudly', async () => {
    const e = env();
    const r = await slopguard(['pip', 'install', 'reqeusts', '--index-url', index.indexUrl, '--slopguard-allow', 'reqeusts'], { cwd: root, env: e.env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /ALLOWED PyPI package `reqeusts`/);
    assert.equal(imports('reqeusts').stdout.trim(), 'reqeusts');
  });
});
