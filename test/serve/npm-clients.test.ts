import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistrySettings } from '../../src/core/types.js';
import { startEphemeralGuard, type EphemeralGuard } from '../../src/serve/ephemeral.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { basePath, REPO_ROOT, runAsync, skipUnless, which, type Ran } from '../e2e/tools.js';
import { startVerdaccio, type Verdaccio } from '../e2e/verdaccio.js';

/**
 * Real package managers installing through `slopguard serve` (in-process, as the wrappers will
 * start it) from a real registry (Verdaccio 6.8 on loopback, no uplinks).
 *
 * Packages, all published seconds ago:
 *   left-pad 1.3.0       a popular name (the bundled list knows it): too new, a warning, served
 *   left-padd 1.0.0      a fresh look-alike of left-pad with 3 downloads: refused
 *   sg-pad-wrapper 1.0.0 depends on left-padd: the transitive squat, refused when fetched
 * Download counts come from the fixture registry (strict: any other name asked fails the test).
 *
 * For each client (npm, pnpm, yarn classic, yarn berry, bun): a good install succeeds; a missing
 * name, the squat, the transitive squat and (through a guard with --min-release-age 1) a package
 * with no version old enough fail with slopguard's sentence in the client's own output; no lockfile
 * names a refused package; with the upstream down the install fails.
 */

const NODE_BIN = join(REPO_ROOT, 'node_modules', '.bin');
const npm = which('npm');
const YARN_CLASSIC = join(REPO_ROOT, 'node_modules', 'yarn', 'bin', 'yarn.js');

interface Client {
  label: string;
  /** argv to add one package. */
  add(pkg: string): string[];
  lockfile: string;
  available: boolean;
  missing: string;
  /** Extra files the project needs (yarn berry's .yarnrc.yml). */
  setup?(dir: string, registry: string, cache: string): void;
  /**
   * What the client prints for a refused transitive dependency, when it is not slopguard's
   * sentence: yarn 1 swallows the error of a dependency's packument request and reports the
   * package as missing (the guard's log line has the reason).
   */
  transitive?: RegExp;
  /**
   * bun prints only `error: GET <url> - 403`: neither the body nor the reason phrase. For it the
   * test checks that line, and slopguard's sentence in the guard's log (which the wrappers print
   * beside the client's output).
   */
  statusOnly?: true;
  env?(cache: string): Record<string, string>;
}

const CLIENTS: Client[] = [
  {
    label: 'npm',
    add: (p) => [npm ?? 'npm', 'install', '--no-audit', '--no-fund', p],
    lockfile: 'package-lock.json',
    available: npm !== undefined,
    missing: 'npm is not on PATH',
    env: (cache) => ({ npm_config_cache: cache }),
  },
  {
    label: 'pnpm',
    add: (p) => [join(NODE_BIN, 'pnpm'), 'add', p],
    lockfile: 'pnpm-lock.yaml',
    available: existsSync(join(NODE_BIN, 'pnpm')),
    missing: 'node_modules/.bin/pnpm is not installed',
    env: (cache) => ({ npm_config_store_dir: join(cache, 'store'), npm_config_cache_dir: cache, npm_config_package_import_method: 'copy' }),
  },
  {
    label: 'yarn classic',
    // node_modules/.bin/yarn links to whichever of yarn 1 and berry was linked last: name the file.
    add: (p) => [process.execPath, YARN_CLASSIC, 'add', '--no-progress', '--non-interactive', p],
    lockfile: 'yarn.lock',
    available: existsSync(YARN_CLASSIC),
    missing: 'node_modules/yarn (yarn 1) is not installed',
    env: (cache) => ({ YARN_CACHE_FOLDER: cache }),
    transitive: /Couldn't find package "left-padd@\^1\.0\.0" required by "sg-pad-wrapper"/,
  },
  {
    label: 'yarn berry',
    add: (p) => [process.execPath, join(REPO_ROOT, 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js'), 'add', p],
    lockfile: 'yarn.lock',
    available: existsSync(join(REPO_ROOT, 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js')),
    missing: 'node_modules/@yarnpkg/cli-dist is not installed',
    setup(dir, _registry, cache) {
      writeFileSync(join(dir, '.yarnrc.yml'), ['nodeLinker: node-modules', 'enableTelemetry: false', 'enableGlobalCache: false', 'npmMinimalAgeGate: 0', `cacheFolder: ${JSON.stringify(cache)}`, ''].join('\n'));
      writeFileSync(join(dir, 'yarn.lock'), '');
    },
    env: () => ({ YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', YARN_ENABLE_PROGRESS_BARS: 'false' }),
  },
  {
    label: 'bun',
    add: (p) => [join(NODE_BIN, 'bun'), 'add', '--no-progress', p],
    lockfile: 'bun.lock',
    available: existsSync(join(NODE_BIN, 'bun')),
    missing: 'node_modules/.bin/bun is not installed',
    env: (cache) => ({ BUN_INSTALL_CACHE_DIR: cache }),
    statusOnly: true,
  },
];

/** A client command, killed if it runs past 4 minutes. */
const run = (argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> => runAsync(argv[0]!, argv.slice(1), { cwd, env, killAfterMs: 240_000 });

/** Every client's output, kept for the README's "what each client prints" table. */
export const outputs: Record<string, string> = {};

describe('serve: real npm clients install through the guard from Verdaccio', { skip: skipUnless('serve npm-client end-to-end', npm !== undefined, 'npm is not on PATH') }, () => {
  let root: string;
  let verdaccio: Verdaccio;
  let downloads: FixtureRegistry;
  let guard: EphemeralGuard;
  let youngGuard: EphemeralGuard;
  let downGuard: EphemeralGuard;
  const log: string[] = [];
  let n = 0;

  const registries = (npmRegistry: string): RegistrySettings => ({
    npmRegistry,
    npmScopes: {},
    npmrc: {},
    npmDownloadsApi: downloads.url,
    pypiUrl: downloads.url,
    pypistatsApi: downloads.url,
  });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-serve-clients-'));
    verdaccio = await startVerdaccio(join(root, 'verdaccio'));
    verdaccio.publish({ name: 'left-pad', version: '1.3.0' });
    verdaccio.publish({ name: 'left-padd', version: '1.0.0' });
    verdaccio.publish({
      name: 'sg-pad-wrapper',
      version: '1.0.0',
      files: { 'package.json': JSON.stringify({ name: 'sg-pad-wrapper', version: '1.0.0', main: 'index.js', license: 'MIT', dependencies: { 'left-padd': '^1.0.0' } }) },
    });
    downloads = await startFixtureRegistry({
      npm: [
        npmPackage({ name: 'left-pad', created: '2014-03-14', weeklyDownloads: 1_290_000 }),
        npmPackage({ name: 'left-padd', created: new Date(), weeklyDownloads: 3 }),
        npmPackage({ name: 'sg-pad-wrapper', created: new Date(), weeklyDownloads: 40 }),
      ],
      missing: { npm: ['sg-no-such-package-e2e'] },
    });
    const check = { noCache: true, env: {}, cwd: root };
    guard = await startEphemeralGuard({ registries: registries(verdaccio.url), check, log: (l) => void log.push(l) });
    youngGuard = await startEphemeralGuard({ registries: registries(verdaccio.url), check, minReleaseAgeDays: 1, log: (l) => void log.push(l) });
    // A port nothing listens on: the upstream is down.
    downGuard = await startEphemeralGuard({ registries: registries('http://127.0.0.1:9/'), check: { ...check, timeoutMs: 2_000 }, log: (l) => void log.push(l) });
  });

  after(async () => {
    await Promise.all([guard?.close(), youngGuard?.close(), downGuard?.close()]);
    await verdaccio?.stop();
    // Only the names the fixtures know (or declare missing) were asked about.
    downloads?.assertNoUnexpectedRequests();
    await downloads?.close();
    if (root) rmSync(root, { recursive: true, force: true });
    // Kept (merged across runs of single clients) for the README's "what each client prints".
    const file = join(tmpdir(), 'slopguard-serve-client-outputs.json');
    const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    writeFileSync(file, JSON.stringify({ ...old, ...outputs }, null, 2));
  });

  /** A fresh project and cache, and an install of `pkg` through `g`. */
  async function install(client: Client, g: EphemeralGuard, pkg: string): Promise<{ dir: string; r: Ran; out: string }> {
    const dir = join(root, `p${++n}`);
    const cache = join(root, `cache${n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `app-${n}`, version: '1.0.0', private: true, license: 'MIT' }, null, 2)}\n`);
    client.setup?.(dir, g.npmRegistry, cache);
    writeFileSync(join(root, 'empty.npmrc'), '');
    const env: NodeJS.ProcessEnv = {
      PATH: basePath(),
      HOME: join(root, 'home'),
      npm_config_userconfig: join(root, 'empty.npmrc'),
      npm_config_update_notifier: 'false',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      CI: '1',
      // A 502 is final here: clients' retry back-off (pnpm waits 10 s, then a minute) only slows the test.
      npm_config_fetch_retries: '0',
      ...g.env,
      ...client.env?.(cache),
    };
    const r = await run(client.add(pkg), dir, env);
    return { dir, r, out: `${r.stdout}\n${r.stderr}` };
  }

  it('npm ci from a lockfile naming a squat\'s tarball is refused at the tarball (no packument is asked)', { skip: npm === undefined }, async () => {
    const npmClient = CLIENTS[0]!;
    const { dir, r, out } = await install(npmClient, guard, 'left-pad');
    assert.equal(r.status, 0, out);
    const lockPath = join(dir, 'package-lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    const good = lock.packages['node_modules/left-pad'];
    assert.match(good.resolved, /\/npm\/left-pad\/-\/left-pad-1\.3\.0\.tgz$/, 'the lockfile records the guard\'s tarball URL');
    // Someone hand-edits the lockfile (or a merge brings it in): the squat, with its real integrity.
    const squat = (await (await fetch(`${verdaccio.url}left-padd`)).json()) as { versions: Record<string, { dist: { integrity: string } }> };
    lock.packages['node_modules/left-padd'] = { version: '1.0.0', resolved: good.resolved.replace(/left-pad\/-\/left-pad-1\.3\.0/, 'left-padd/-/left-padd-1.0.0'), integrity: squat.versions['1.0.0']!.dist.integrity };
    lock.packages[''].dependencies = { ...lock.packages[''].dependencies, 'left-padd': '^1.0.0' };
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, 'left-padd': '^1.0.0' } }, null, 2));
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const ci = await run([npm!, 'ci', '--no-audit', '--no-fund'], dir, { PATH: basePath(), HOME: join(root, 'home'), npm_config_userconfig: join(root, 'empty.npmrc'), npm_config_cache: join(root, `ci-cache-${++n}`), npm_config_fetch_retries: '0', ...guard.env });
    const ciOut = `${ci.stdout}\n${ci.stderr}`;
    outputs['npm ci: a lockfile naming a squat'] = ciOut;
    assert.notEqual(ci.status, 0, ciOut);
    assert.match(ciOut, /403 Forbidden - GET http:\/\/127\.0\.0\.1:\d+\/npm\/left-padd\/-\/left-padd-1\.0\.0\.tgz - slopguard refused npm package `left-padd`/);
    assert.ok(!existsSync(join(dir, 'node_modules', 'left-padd')), 'the squat was not installed');
    assert.ok(log.some((l) => /403 blocked npm left-padd \(tarball\)/.test(l)));
  });

  for (const client of CLIENTS) {
    describe(client.label, { skip: skipUnless(`serve ${client.label}`, client.available, client.missing) }, () => {
      it('installs a good package (left-pad) through the guard', async () => {
        const { dir, r, out } = await install(client, guard, 'left-pad');
        assert.equal(r.status, 0, out);
        assert.equal(JSON.parse(readFileSync(join(dir, 'node_modules', 'left-pad', 'package.json'), 'utf8')).version, '1.3.0');
        assert.ok(existsSync(join(dir, client.lockfile)), `${client.lockfile} written`);
        // The tarball came through the guard: the decision log has it.
        assert.ok(log.some((l) => /200 allowed npm left-pad \(tarball\)/.test(l)), log.join('\n'));
      });

      for (const [label, pkg, g, why] of [
        ['a name that does not exist', 'sg-no-such-package-e2e', () => guard, /slopguard refused npm package `sg-no-such-package-e2e`: `sg-no-such-package-e2e` does not exist on npm/],
        ['a fresh squat of a popular name', 'left-padd', () => guard, /slopguard refused npm package `left-padd`: .*did you mean `left-pad`\?/],
        ['a good package depending on a squat', 'sg-pad-wrapper', () => guard, client.transitive ?? /slopguard refused npm package `left-padd`/],
        ['a package with no version old enough (--min-release-age 1)', 'left-pad', () => youngGuard, /slopguard refused npm package `left-pad`: every version was published less than 1 day ago/],
      ] as const) {
        it(`refuses ${label} with slopguard's reason in ${client.label}'s output; no lockfile names it`, async () => {
          const { dir, r, out } = await install(client, g(), pkg);
          outputs[`${client.label}: ${label}`] = out;
          assert.notEqual(r.status, 0, out);
          const logged = () => `${out}\n--- guard log:\n${log.slice(-8).join('\n')}`;
          if (why === client.transitive) assert.ok(log.some((l) => /403 blocked npm left-padd/.test(l)), 'the guard refused it (and logged why)');
          if (client.statusOnly) {
            const refusedName = pkg === 'sg-pad-wrapper' ? 'left-padd' : pkg;
            assert.match(out, new RegExp(`GET http://127\\.0\\.0\\.1:\\d+/npm/${refusedName} - 403`), logged());
            assert.ok(log.some((l) => why.test(l)), logged());
          } else {
            assert.match(out, why, logged());
          }
          const lock = join(dir, client.lockfile);
          if (existsSync(lock)) assert.doesNotMatch(readFileSync(lock, 'utf8'), /left-padd|sg-no-such-package-e2e/);
          if (label.startsWith('a package with no version')) assert.ok(!existsSync(join(dir, 'node_modules', 'left-pad')), 'nothing installed');
          assert.ok(!existsSync(join(dir, 'node_modules', 'left-padd')), 'the squat was not installed');
        });
      }

      it('fails the install when the upstream is down (502, never a 200)', async () => {
        const { dir, r, out } = await install(client, downGuard, 'left-pad');
        outputs[`${client.label}: upstream down`] = out;
        assert.notEqual(r.status, 0, out);
        assert.ok(!existsSync(join(dir, 'node_modules', 'left-pad')), out);
        assert.match(out, /502|slopguard could not get npm package `left-pad`/);
        const lock = join(dir, client.lockfile);
        if (existsSync(lock)) assert.doesNotMatch(readFileSync(lock, 'utf8'), /left-pad@/);
        void readdirSync;
      });
    });
  }
});
