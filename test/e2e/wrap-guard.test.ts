import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npmPackage, pypiProject, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { buildWheel, startSimpleIndex, type SimpleIndex } from './pypi-index.js';
import { basePath, REPO_ROOT, sh, skipUnless, slopguard, which, type Ran } from './tools.js';
import { startVerdaccio, type Verdaccio } from './verdaccio.js';

/**
 * `slopguard <client> add x` runs the client through the wrapper's ephemeral registry guard
 * (src/wrap/guard.ts), with the real npm, pnpm, yarn 1, yarn 4 and bun against Verdaccio on loopback.
 *
 *   left-pad 1.3.0          popular (the bundled list knows it)
 *   left-padd 1.0.0         a fresh look-alike with 3 downloads: the guard refuses it
 *   sg-good-wrapper 1.0.0   depends on left-pad: installs
 *   sg-pad-wrapper 1.0.0    depends on left-padd: the transitive squat
 *
 * The pre-check sees only the typed name (`sg-pad-wrapper`, a warning off a terminal goes on); the
 * squat is met only when the client asks for it, so each refusal here is the guard's. The clients
 * are pointed at Verdaccio the way users point them (npm_config_registry, as an .npmrc line would);
 * the wrapper puts the guard in front of it.
 *
 * For each client: a good install succeeds and writes the same lockfile as the same install run
 * directly (no guard URL in it: the guard's port is dead after the run); the transitive squat fails
 * the run with slopguard's reason on the wrapper's stderr (even where the client prints only a
 * status line), exit 1, no node_modules/left-padd and no lockfile entry. With npm: the opt-outs
 * (`--slopguard-no-guard`, SLOPGUARD_GUARD=0) let the squat through, which proves the guard was what
 * stopped it.
 */

const npm = which('npm');
const NODE_BIN = join(REPO_ROOT, 'node_modules', '.bin');
const YARN_CLASSIC = join(REPO_ROOT, 'node_modules', 'yarn', 'bin', 'yarn.js');
const YARN_BERRY = join(REPO_ROOT, 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js');

interface Client {
  label: string;
  /** The command as typed after `slopguard`. */
  argv(pkg: string): string[];
  lockfile: string;
  available: boolean;
  missing: string;
  /** Project files the client needs. */
  setup?(dir: string, cache: string): void;
  /** Variables for this client (its cache), for both the direct and the wrapped run. */
  env(cache: string): Record<string, string>;
  /** Variables only the direct run needs to reach Verdaccio (yarn 4 does not read npm_config_registry). */
  directEnv?(registry: string): Record<string, string>;
}

const CLIENTS: Client[] = [
  {
    label: 'npm',
    argv: (p) => ['npm', 'install', '--no-audit', '--no-fund', p],
    lockfile: 'package-lock.json',
    available: npm !== undefined,
    missing: 'npm is not on PATH',
    env: (cache) => ({ npm_config_cache: cache }),
  },
  {
    label: 'pnpm',
    argv: (p) => ['pnpm', 'add', p],
    lockfile: 'pnpm-lock.yaml',
    available: existsSync(join(NODE_BIN, 'pnpm')),
    missing: 'node_modules/.bin/pnpm is not installed',
    env: (cache) => ({ npm_config_store_dir: join(cache, 'store'), npm_config_cache_dir: cache, npm_config_package_import_method: 'copy' }),
  },
  {
    label: 'yarn 1',
    argv: (p) => ['yarn', 'add', '--no-progress', '--non-interactive', p],
    lockfile: 'yarn.lock',
    available: existsSync(YARN_CLASSIC),
    missing: 'node_modules/yarn (yarn 1) is not installed',
    env: (cache) => ({ YARN_CACHE_FOLDER: cache }),
  },
  {
    label: 'yarn 4',
    argv: (p) => ['yarn', 'add', p],
    lockfile: 'yarn.lock',
    available: existsSync(YARN_BERRY),
    missing: 'node_modules/@yarnpkg/cli-dist is not installed',
    setup(dir, cache) {
      writeFileSync(join(dir, '.yarnrc.yml'), ['nodeLinker: node-modules', 'enableTelemetry: false', 'enableGlobalCache: false', 'npmMinimalAgeGate: 0', `cacheFolder: ${JSON.stringify(cache)}`, ''].join('\n'));
      writeFileSync(join(dir, 'yarn.lock'), '');
    },
    env: () => ({ YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', YARN_ENABLE_PROGRESS_BARS: 'false' }),
    directEnv: (registry) => ({ YARN_NPM_REGISTRY_SERVER: registry, YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1' }),
  },
  {
    label: 'bun',
    argv: (p) => ['bun', 'add', '--no-progress', p],
    lockfile: 'bun.lock',
    available: existsSync(join(NODE_BIN, 'bun')),
    missing: 'node_modules/.bin/bun is not installed',
    env: (cache) => ({ BUN_INSTALL_CACHE_DIR: cache }),
  },
];

/** The program `name` in a PATH (the direct run must start what the wrapper would start). */
function onPath(name: string, path: string): string {
  for (const dir of path.split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`${name} is not on ${path}`);
}

/** Run a program directly (the "without slopguard" install), asynchronously: Verdaccio answers from this process's children. */
function direct(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

describe('e2e: the wrappers run the client through the install guard (npm, pnpm, yarn 1, yarn 4, bun)', { skip: skipUnless('wrapper guard end-to-end', npm !== undefined, 'npm is not on PATH') }, () => {
  let root: string;
  let verdaccio: Verdaccio;
  let downloads: FixtureRegistry;
  let n = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-wrap-guard-'));
    verdaccio = await startVerdaccio(join(root, 'verdaccio'));
    verdaccio.publish({ name: 'left-pad', version: '1.3.0' });
    verdaccio.publish({ name: 'left-padd', version: '1.0.0' });
    const wrapper = (name: string, dep: string) => ({ name, version: '1.0.0', files: { 'package.json': JSON.stringify({ name, version: '1.0.0', main: 'index.js', license: 'MIT', dependencies: { [dep]: '^1.0.0' } }) } });
    verdaccio.publish(wrapper('sg-good-wrapper', 'left-pad'));
    verdaccio.publish(wrapper('sg-pad-wrapper', 'left-padd'));
    downloads = await startFixtureRegistry({
      npm: [
        npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 1_290_000 }),
        npmPackage({ name: 'left-padd', created: new Date(), weeklyDownloads: 3 }),
        npmPackage({ name: 'sg-good-wrapper', created: '2019-01-01', weeklyDownloads: 50_000 }),
        npmPackage({ name: 'sg-pad-wrapper', created: '2019-01-01', weeklyDownloads: 50_000 }),
      ],
    });
    // The clients by the names the wrapper looks up; yarn 1 and 4 each in a folder of their own.
    for (const [folder, file, target] of [
      ['bin', 'pnpm', join(NODE_BIN, 'pnpm')],
      ['bin', 'bun', join(NODE_BIN, 'bun')],
    ] as const) {
      mkdirSync(join(root, folder), { recursive: true });
      if (existsSync(target)) symlinkSync(target, join(root, folder, file));
    }
    for (const [folder, script] of [['yarn1', YARN_CLASSIC], ['yarn4', YARN_BERRY]] as const) {
      mkdirSync(join(root, folder), { recursive: true });
      writeFileSync(join(root, folder, 'yarn'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`);
      chmodSync(join(root, folder, 'yarn'), 0o755);
    }
    writeFileSync(join(root, 'empty.npmrc'), '');
  });

  after(async () => {
    await verdaccio?.stop();
    downloads?.assertNoUnexpectedRequests();
    await downloads?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A fresh project (always named `app`, so two installs' lockfiles compare byte for byte) and its environment. */
  function project(client: Client): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = join(root, `p${++n}`);
    const cache = join(root, `cache${n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, license: 'MIT' }, null, 2)}\n`);
    client.setup?.(dir, cache);
    const yarnDir = client.label === 'yarn 1' ? 'yarn1' : 'yarn4';
    return {
      dir,
      env: {
        PATH: basePath([join(root, 'bin'), join(root, yarnDir)]),
        HOME: join(root, 'home'),
        npm_config_userconfig: join(root, 'empty.npmrc'),
        npm_config_registry: verdaccio.url,
        npm_config_update_notifier: 'false',
        npm_config_fetch_retries: '0',
        NO_COLOR: '1',
        CI: '1',
        SLOPGUARD_CACHE_DIR: join(root, `slopguard-cache${n}`),
        SLOPGUARD_NPM_DOWNLOADS_API: downloads.url,
        XDG_STATE_HOME: join(root, 'state'),
        ...client.env(cache),
      },
    };
  }

  /** Whether `name` was installed anywhere in the project (pnpm keeps dependencies of dependencies in node_modules/.pnpm). */
  const installed = (dir: string, name: string) => existsSync(join(dir, 'node_modules', name, 'package.json')) || (existsSync(join(dir, 'node_modules', '.pnpm')) && readdirSync(join(dir, 'node_modules', '.pnpm')).some((e) => e.startsWith(`${name}@`)));
  const lockOf = (dir: string, client: Client) => (existsSync(join(dir, client.lockfile)) ? readFileSync(join(dir, client.lockfile), 'utf8') : undefined);

  for (const client of CLIENTS) {
    describe(client.label, { skip: skipUnless(`wrapper guard ${client.label}`, client.available, client.missing) }, () => {
      it('installs a good package with a good dependency; the lockfile is the one a direct install writes (no guard URL)', async () => {
        const plain = project(client);
        const d = await direct(client.argv('sg-good-wrapper').map((w, i) => (i === 0 ? onPath(w, plain.env.PATH!) : w)), plain.dir, { ...plain.env, ...client.directEnv?.(verdaccio.url) });
        assert.equal(d.status, 0, `direct install: ${d.stdout}\n${d.stderr}`);
        const wrapped = project(client);
        const r = await slopguard(client.argv('sg-good-wrapper'), { cwd: wrapped.dir, env: wrapped.env });
        assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /note:|did not start/, 'the guard ran');
        assert.ok(installed(wrapped.dir, 'left-pad'), 'the dependency was installed');
        const lock = lockOf(wrapped.dir, client);
        assert.ok(lock, `${client.lockfile} written`);
        assert.doesNotMatch(lock, /\/npm\/|__archiveUrl|127\.0\.0\.1%3A/, 'no guard URL (nor an archive URL) in the lockfile');
        assert.equal(lock, lockOf(plain.dir, client), 'the same lockfile as without slopguard');
      });

      it('refuses a good package whose dependency is a squat: slopguard\'s reason on stderr, exit 1, nothing of the squat installed or locked', async () => {
        const p = project(client);
        const r = await slopguard(client.argv('sg-pad-wrapper'), { cwd: p.dir, env: p.env });
        const out = `${r.stdout}\n${r.stderr}`;
        assert.equal(r.status, 1, out);
        assert.match(r.stderr, /slopguard: BLOCKED npm package `left-padd` \(transitive\)\n {2}.*did you mean `left-pad`\?/, out);
        assert.match(r.stderr, /the install guard refused 1 package during the run \(above\); .*--slopguard-allow left-padd/, out);
        assert.ok(!installed(p.dir, 'left-padd'), 'the squat was not installed');
        const lock = lockOf(p.dir, client);
        if (lock !== undefined) assert.doesNotMatch(lock, /left-padd/);
      });
    });
  }

  for (const [label, extra, env] of [
    ['--slopguard-no-guard', ['--slopguard-no-guard'], {}],
    ['SLOPGUARD_GUARD=0', [], { SLOPGUARD_GUARD: '0' }],
  ] as const) {
    it(`${label} runs npm with the pre-check only: the transitive squat is installed (the guard was what stopped it)`, async () => {
      const p = project(CLIENTS[0]!);
      const r = await slopguard(['npm', 'install', '--no-audit', '--no-fund', ...extra, 'sg-pad-wrapper'], { cwd: p.dir, env: { ...p.env, ...env } });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.ok(installed(p.dir, 'left-padd'), 'without the guard npm installed the squat');
      assert.doesNotMatch(r.stderr, /left-padd/);
    });
  }
});

/**
 * A private registry: Verdaccio that serves nothing without the token, which is in the user's
 * .npmrc (`//host:port/:_authToken=…`). The guard asks it with that token; npm takes its tarballs
 * from it directly, with its own .npmrc auth; pnpm takes them through the guard. yarn 1 and bun send
 * the token only to the registry they are pointed at, so they would get 401 for the upstream's
 * tarballs: they run without the guard and say so. yarn 4 reads its auth from .yarnrc.yml, not
 * .npmrc, and is not part of this case.
 */
describe('e2e: the install guard in front of a private registry (auth from the user\'s .npmrc)', { skip: skipUnless('wrapper guard private registry', npm !== undefined, 'npm is not on PATH') }, () => {
  let root: string;
  let verdaccio: Verdaccio;
  let downloads: FixtureRegistry;
  let n = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-wrap-guard-auth-'));
    verdaccio = await startVerdaccio(join(root, 'verdaccio'), { access: '$authenticated' });
    verdaccio.publish({ name: 'left-pad', version: '1.3.0' });
    verdaccio.publish({ name: 'sg-good-wrapper', version: '1.0.0', files: { 'package.json': JSON.stringify({ name: 'sg-good-wrapper', version: '1.0.0', main: 'index.js', license: 'MIT', dependencies: { 'left-pad': '^1.0.0' } }) } });
    downloads = await startFixtureRegistry({
      npm: [npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 1_290_000 }), npmPackage({ name: 'sg-good-wrapper', created: '2019-01-01', weeklyDownloads: 50_000 })],
    });
    mkdirSync(join(root, 'bin'));
    for (const tool of ['pnpm', 'bun']) if (existsSync(join(NODE_BIN, tool))) symlinkSync(join(NODE_BIN, tool), join(root, 'bin', tool));
    writeFileSync(join(root, 'bin', 'yarn'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(YARN_CLASSIC)} "$@"\n`);
    chmodSync(join(root, 'bin', 'yarn'), 0o755);
    // The user's .npmrc: the registry and its token (yarn 1 sends it only with always-auth, even without slopguard).
    writeFileSync(join(root, 'user.npmrc'), `registry=${verdaccio.url}\nalways-auth=true\n${readFileSync(verdaccio.npmrc, 'utf8')}`);
  });

  after(async () => {
    await verdaccio?.stop();
    downloads?.assertNoUnexpectedRequests();
    await downloads?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the registry refuses a read without the token (the case is real)', async () => {
    // A connection of its own (no pooled keep-alive socket from an earlier test's server).
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${verdaccio.url}left-pad`, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).once('error', reject);
    });
    assert.equal(status, 401);
  });

  for (const client of CLIENTS.filter((c) => c.label !== 'yarn 4')) {
    // yarn 1 and bun would not send the token to the upstream's tarball URLs: they run without the guard, and say so.
    const unguarded = client.label === 'yarn 1' || client.label === 'bun';
    it(`${client.label}: a good install with its dependency succeeds${unguarded ? ' (without the guard, said in a note)' : ''}; no guard URL in the lockfile`, { skip: skipUnless(`wrapper guard private registry ${client.label}`, client.available, client.missing) }, async () => {
      const dir = join(root, `p${++n}`);
      const cache = join(root, `cache${n}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, license: 'MIT' }, null, 2)}\n`);
      const r = await slopguard(client.argv('sg-good-wrapper'), {
        cwd: dir,
        env: {
          PATH: basePath([join(root, 'bin')]),
          HOME: join(root, 'home'),
          npm_config_userconfig: join(root, 'user.npmrc'),
          npm_config_update_notifier: 'false',
          npm_config_fetch_retries: '0',
          NO_COLOR: '1',
          CI: '1',
          SLOPGUARD_CACHE_DIR: join(root, `slopguard-cache${n}`),
          SLOPGUARD_NPM_DOWNLOADS_API: downloads.url,
          XDG_STATE_HOME: join(root, 'state'),
          ...client.env(cache),
        },
      });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /did not start|NOT VERIFIED/, r.stderr);
      if (unguarded) assert.match(r.stderr, /slopguard: note: your npm registry needs credentials \(\.npmrc\), which (yarn 1|bun) sends only to the registry it is pointed at: (yarn|bun) was run without the install guard/);
      else assert.doesNotMatch(r.stderr, /note:/, r.stderr);
      assert.ok(existsSync(join(dir, 'node_modules', 'sg-good-wrapper', 'package.json')), 'installed');
      const lock = readFileSync(join(dir, client.lockfile), 'utf8');
      assert.doesNotMatch(lock, /\/npm\//, 'no guard URL in the lockfile');
    });
  }
});

/** A wheel whose METADATA requires `requires` (buildWheel's wheels have no dependencies). */
const WHEEL_WITH_REQUIREMENT = `
import base64, hashlib, sys, zipfile
out, dist, version, module, requires = sys.argv[1:6]
norm = dist.replace('-', '_')
info = f'{norm}-{version}.dist-info'
files = {
    f'{module}/__init__.py': f'NAME = {dist!r}\\n',
    f'{info}/METADATA': f'Metadata-Version: 2.1\\nName: {dist}\\nVersion: {version}\\nRequires-Dist: {requires}\\n',
    f'{info}/WHEEL': 'Wheel-Version: 1.0\\nGenerator: slopguard-e2e\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
record = []
for name, text in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()
    record.append(f'{name},sha256={digest},{len(text.encode())}')
record.append(f'{info}/RECORD,,')
files[f'{info}/RECORD'] = '\\n'.join(record) + '\\n'
with zipfile.ZipFile(out, 'w') as z:
    for name, text in files.items():
        z.writestr(name, text)
`;

const python = which('python3');
const venvWorks = python !== undefined && sh(python, ['-c', 'import venv, ensurepip'], { cwd: tmpdir(), env: process.env }).status === 0;

/**
 * `slopguard pip install x` runs pip through the guard's PyPI index (PIP_INDEX_URL), from a PEP 503
 * folder index (test/e2e/pypi-index.ts) whose JSON API is the fixture registry:
 *   requests 2.32.3               old and popular: installs
 *   reqeusts 0.0.1                a two-day-old look-alike with 4 downloads
 *   slopguard-e2e-wrapper 1.0.0   old, requires reqeusts: the transitive squat
 * pip itself says only "No matching distribution found for reqeusts" (the guard's reason needs -vv),
 * so the wrapper's line is the only place the reason is read.
 */
describe('e2e: slopguard pip install runs pip through the install guard', { skip: skipUnless('wrapper guard pip end-to-end', venvWorks, python ? 'python3 has no venv/ensurepip module' : 'python3 is not installed on this machine') }, () => {
  let root: string;
  let facts: FixtureRegistry;
  let index: SimpleIndex;
  let venv: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-wrap-guard-pip-'));
    const wheels = join(root, 'wheels');
    buildWheel(python!, wheels, 'requests', '2.32.3', 'requests');
    buildWheel(python!, wheels, 'reqeusts', '0.0.1', 'reqeusts');
    const made = sh(python!, ['-c', WHEEL_WITH_REQUIREMENT, join(wheels, 'slopguard_e2e_wrapper-1.0.0-py3-none-any.whl'), 'slopguard-e2e-wrapper', '1.0.0', 'slopguard_e2e_wrapper', 'reqeusts'], { cwd: root, env: process.env });
    assert.equal(made.status, 0, made.stderr);
    facts = await startFixtureRegistry(
      {
        pypi: [
          pypiProject({ name: 'requests', created: '2011-02-14', versions: ['2.32.3'], weeklyDownloads: 30_000_000, urls: { Source: 'https://example.test/requests' } }),
          pypiProject({ name: 'reqeusts', created: new Date(Date.now() - 2 * 86_400_000), versions: ['0.0.1'], weeklyDownloads: 4 }),
          pypiProject({ name: 'slopguard-e2e-wrapper', created: '2020-01-01', versions: ['1.0.0'], weeklyDownloads: 5_000, urls: { Source: 'https://example.test/w' } }),
        ],
      },
      { strict: false },
    );
    index = await startSimpleIndex(wheels, facts.url);
    venv = join(root, 'venv');
    const v = sh(python!, ['-m', 'venv', venv], { cwd: root, env: process.env });
    assert.equal(v.status, 0, v.stderr);
  });

  after(async () => {
    await index?.close();
    await facts?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const env = (): NodeJS.ProcessEnv => ({
    PATH: basePath([join(venv, 'bin')]),
    HOME: join(root, 'home'),
    PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_CACHE_DIR: '1',
    PIP_RETRIES: '0',
    NO_COLOR: '1',
    // "PyPI" here is the folder index (its /simple/) with the fixture's JSON API behind it.
    SLOPGUARD_PYPI_URL: index.url,
    SLOPGUARD_PYPISTATS_API: facts.url,
    SLOPGUARD_NPM_DOWNLOADS_API: facts.url,
    SLOPGUARD_CACHE_DIR: join(root, 'slopguard-cache'),
    XDG_STATE_HOME: join(root, 'state'),
  });
  const installed = (module: string) => sh(join(venv, 'bin', 'python'), ['-c', `import ${module}`], { cwd: root, env: { PATH: basePath() } }).status === 0;

  it('installs a good project through the guard', async () => {
    const r = await slopguard(['pip', 'install', 'requests==2.32.3'], { cwd: root, env: env() });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(installed('requests'));
    // pip reached the index only through the guard: without it pip would have asked pypi.org, which is unreachable here.
    assert.ok(index.requests.some((p) => p.startsWith('/simple/requests')), index.requests.join('\n'));
  });

  it('refuses an old project that requires a squat: the reason on stderr (pip says only "no matching distribution"), exit 1, nothing installed', async () => {
    const r = await slopguard(['pip', 'install', 'slopguard-e2e-wrapper'], { cwd: root, env: env() });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 1, out);
    assert.match(r.stderr, /No matching distribution found for reqeusts/);
    assert.match(r.stderr, /slopguard: BLOCKED PyPI package `reqeusts` \(transitive\)\n {2}.*did you mean `requests`\?/, out);
    assert.match(r.stderr, /the install guard refused 1 package during the run \(above\); pip did not complete the install\. If you are sure, run it again with --slopguard-allow reqeusts/);
    assert.ok(!installed('slopguard_e2e_wrapper') && !installed('reqeusts'), 'nothing installed');
  });
});
