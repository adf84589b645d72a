import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { basePath, REPO_ROOT, skipUnless, slopguard, which, type Ran } from './tools.js';
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
