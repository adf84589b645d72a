import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { check } from '../../src/core/check.js';
import { runWrapperWith, type WrapDeps } from '../../src/wrap/index.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';

/**
 * The wrapper's install guard (src/wrap/guard.ts) through runWrapperWith, with the real check()
 * and the real guard in front of the loopback fixture registry. The package manager is the one
 * injected part: a client that asks the guard what the test says (as npm asks for each package of
 * the tree) and exits as npm would. The real clients are in test/e2e/wrap-guard.test.ts.
 */

const NOW = new Date('2026-11-26T12:00:00Z');

interface Ran {
  args: readonly string[];
  env: Record<string, string | undefined>;
  /** What the guard answered the fake client, per path. */
  answers: Record<string, number>;
}

describe('wrapper: the install guard', () => {
  let root: string;
  let registry: FixtureRegistry;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'slopguard-wrap-guard-unit-'));
    // A document the guard can serve but not judge (its versions are not an object): served with the unverified header.
    const empty = npmPackage({ name: 'sg-unit-no-versions', created: '2019-01-01', weeklyDownloads: 5_000 });
    empty.packument.versions = 'not an object';
    registry = await startFixtureRegistry({
      npm: [npmPackage({ name: 'express', created: '2010-12-29', weeklyDownloads: 40_000_000, repository: 'https://example.test/express' }), empty],
      missing: { npm: ['sg-unit-missing-dep'] },
    });
  });
  after(async () => {
    await registry?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A project folder and a wrapper whose "package manager" fetches `asks` from the guard it is pointed at. */
  function harness(o: { asks?: string[]; exitOnRefusal?: number; env?: Record<string, string>; files?: Record<string, string>; guardFails?: boolean } = {}) {
    const dir = mkdtempSync(join(root, 'p-'));
    for (const [f, text] of Object.entries(o.files ?? {})) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    const ran: Ran[] = [];
    const deps: WrapDeps = {
      check,
      locate: (tool) => `/usr/bin/${tool}`,
      run: async (_file, args, env) => {
        const r: Ran = { args, env, answers: {} };
        ran.push(r);
        let failed = false;
        for (const name of o.asks ?? []) {
          const res = await fetch(`${env.npm_config_registry}${name}`, { headers: { 'user-agent': 'npm/11.0.0 node/v20' } });
          await res.arrayBuffer();
          r.answers[name] = res.status;
          if (res.status >= 400) failed = true;
        }
        return failed ? (o.exitOnRefusal ?? 1) : 0;
      },
      platform: 'linux',
      ...(o.guardFails ? { guard: async () => Promise.reject(new Error('listen EADDRINUSE 127.0.0.1')) } : {}),
    };
    const t = testIo({
      cwd: dir,
      now: NOW,
      env: {
        HOME: join(dir, 'home'),
        npm_config_registry: `${registry.url}/`,
        // Where slopguard looks names up is not where the guard fetches from: the tool's own registry is.
        SLOPGUARD_NPM_REGISTRY: registry.url,
        SLOPGUARD_NPM_DOWNLOADS_API: registry.url,
        SLOPGUARD_PYPI_URL: registry.url,
        SLOPGUARD_PYPISTATS_API: registry.url,
        SLOPGUARD_CACHE_DIR: join(dir, 'cache'),
        XDG_STATE_HOME: join(dir, 'state'),
        ...o.env,
      },
    });
    return { t, ran, deps, dir };
  }

  const guardUrl = /^http:\/\/127\.0\.0\.1:\d+\/npm\/$/;

  it('points the npm family and pip at the guard, never uv; leaves pip\'s extra indexes alone; closes the guard after the run', async () => {
    const h = harness({ env: { PIP_EXTRA_INDEX_URL: 'https://extra.example.test/simple/' } });
    let healthy = 0;
    const run = h.deps.run;
    h.deps.run = async (file, args, env, cwd, io) => {
      healthy = (await fetch(`${env.npm_config_registry!.replace(/\/npm\/$/, '')}/healthz`)).status;
      return run(file, args, env, cwd, io);
    };
    assert.equal(await runWrapperWith(['npm', 'install', 'express'], h.t.io, h.deps), 0, h.t.err());
    const env = h.ran[0]!.env;
    assert.match(env.npm_config_registry!, guardUrl);
    for (const k of ['NPM_CONFIG_REGISTRY', 'YARN_NPM_REGISTRY_SERVER', 'YARN_REGISTRY', 'BUN_CONFIG_REGISTRY']) assert.equal(env[k], env.npm_config_registry, k);
    assert.equal(env.PIP_INDEX_URL, env.npm_config_registry!.replace(/\/npm\/$/, '/pypi/simple/'));
    assert.equal(env.PIP_EXTRA_INDEX_URL, 'https://extra.example.test/simple/', 'extra indexes stay the user\'s');
    assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('UV_')), []);
    assert.equal(env.SLOPGUARD_WRAPPED, '1');
    assert.equal(healthy, 200, 'the guard answered during the run');
    await assert.rejects(fetch(`${env.npm_config_registry}express`), 'the guard is closed after the run');
  });

  it('points `uv pip install` (no lockfile) at the guard through UV_DEFAULT_INDEX and UV_INDEX_URL; leaves uv\'s extra indexes alone', async () => {
    const h = harness({ env: { UV_EXTRA_INDEX_URL: 'https://extra.example.test/simple/' } });
    assert.equal(await runWrapperWith(['uv', 'pip', 'install', 'express', '--slopguard-allow', 'express'], h.t.io, h.deps), 0, h.t.err());
    const env = h.ran[0]!.env;
    assert.match(env.UV_DEFAULT_INDEX ?? '', /^http:\/\/127\.0\.0\.1:\d+\/pypi\/simple\/$/);
    assert.equal(env.UV_INDEX_URL, env.UV_DEFAULT_INDEX);
    assert.equal(env.UV_EXTRA_INDEX_URL, 'https://extra.example.test/simple/');
    assert.doesNotMatch(h.t.err(), /note:/);
  });

  for (const [label, argv, env, files, note] of [
    ['not an install', ['npm', 'run', 'build'], {}, {}, undefined],
    ['--slopguard-no-guard', ['npm', 'install', 'express', '--slopguard-no-guard'], {}, {}, undefined],
    ['SLOPGUARD_GUARD=0', ['npm', 'install', 'express'], { SLOPGUARD_GUARD: '0' }, {}, undefined],
    ['a nested wrapped run (SLOPGUARD_WRAPPED=1)', ['npm', 'install', 'express'], { SLOPGUARD_WRAPPED: '1' }, {}, undefined],
    ['SLOPGUARD_DISABLE=1', ['npm', 'install', 'express'], { SLOPGUARD_DISABLE: '1' }, {}, undefined],
    ['uv add (uv.lock would record the index URL)', ['uv', 'add', 'express', '--slopguard-allow', 'express'], {}, {}, undefined],
    ['poetry (its sources are in pyproject.toml)', ['poetry', 'add', 'express', '--slopguard-allow', 'express'], {}, {}, undefined],
    ['--registry on the command line', ['npm', 'install', 'express', '--registry', 'http://127.0.0.1:9/', '--slopguard-allow', 'express'], {}, {}, /note: --registry on the command line: npm asks that registry directly/],
    ['pip -i on the command line', ['pip', 'install', '-i', 'http://127.0.0.1:9/simple/', 'express', '--slopguard-allow', 'express'], {}, {}, /note: --index-url on the command line: pip asks that index directly/],
    ['yarn with npmRegistryServer in .yarnrc.yml', ['yarn', 'add', 'express'], {}, { '.yarnrc.yml': 'npmRegistryServer: "https://npm.example.test"\n' }, /\.yarnrc\.yml sets npmRegistryServer: yarn was run without the install guard/],
    ['yarn with YARN_NPM_REGISTRY_SERVER', ['yarn', 'add', 'express'], { YARN_NPM_REGISTRY_SERVER: 'https://npm.example.test' }, {}, /YARN_NPM_REGISTRY_SERVER is set/],
    ['yarn when the npm registry needs credentials (yarn 1 would not send them to the upstream\'s tarballs)', ['yarn', 'add', 'express', '--slopguard-allow', 'express'], { npm_config_registry: 'http://127.0.0.1:9/' }, { 'home/.npmrc': '//127.0.0.1:9/:_authToken=secret-token-1\n' }, /note: your npm registry needs credentials \(\.npmrc\), which yarn 1 sends only to the registry it is pointed at: yarn was run without the install guard/],
    ['bun when the npm registry needs credentials', ['bun', 'add', 'express', '--slopguard-allow', 'express'], { npm_config_registry: 'http://user:pw@127.0.0.1:9/' }, {}, /note: your npm registry needs credentials \(\.npmrc\), which bun sends only/],
    ['pip when its index URL carries credentials', ['pip', 'install', 'express', '--slopguard-allow', 'express'], { PIP_INDEX_URL: 'http://user:secret-token-2@127.0.0.1:9/simple/' }, {}, /note: your pip index URL carries credentials, which pip sends only to the index it is pointed at: pip was run without the install guard/],
    ['bun with a registry in bunfig.toml', ['bun', 'add', 'express'], {}, { 'bunfig.toml': '[install]\nregistry = "https://npm.example.test"\n' }, /bunfig\.toml sets a registry: bun was run without the install guard/],
  ] as const) {
    it(`runs without a guard: ${label}`, async () => {
      const h = harness({ env, files });
      const code = await runWrapperWith(argv, h.t.io, h.deps);
      assert.ok(code === 0 || code === 1, h.t.err());
      if (!h.ran.length) return assert.fail(`the tool did not run: ${h.t.err()}`);
      const got = h.ran[0]!.env;
      for (const k of ['npm_config_registry', 'PIP_INDEX_URL', 'BUN_CONFIG_REGISTRY']) assert.doesNotMatch(got[k] ?? '', /\/npm\/$|\/pypi\/simple\/$/, `${k} is not the guard's`);
      assert.ok(!h.ran[0]!.args.includes('--slopguard-no-guard'), 'slopguard\'s flag is not passed on');
      if (note) assert.match(h.t.err(), note);
      else assert.doesNotMatch(h.t.err(), /note:/);
    });
  }

  it('says what the guard refused during the run (a transitive name that does not exist) and exits 1, though the client said little', async () => {
    const h = harness({ asks: ['express', 'sg-unit-missing-dep'] });
    assert.equal(await runWrapperWith(['npm', 'install', 'express'], h.t.io, h.deps), 1);
    assert.deepEqual(h.ran[0]!.answers, { express: 200, 'sg-unit-missing-dep': 403 });
    const err = h.t.err();
    assert.match(err, /slopguard: BLOCKED npm package `sg-unit-missing-dep` \(transitive\)\n {2}`sg-unit-missing-dep` does not exist on npm/);
    assert.match(err, /slopguard: the install guard refused 1 package during the run \(above\); npm did not complete the install\. If you are sure, run it again with --slopguard-allow sg-unit-missing-dep\n$/);
  });

  it('exits 1 even when the client went on without the refused package (an optional dependency)', async () => {
    const h = harness({ asks: ['sg-unit-missing-dep'], exitOnRefusal: 0 });
    assert.equal(await runWrapperWith(['npm', 'install', 'express'], h.t.io, h.deps), 1);
    assert.match(h.t.err(), /npm finished without it\./);
  });

  it('a package the guard served although it could not judge it is listed after the run; the tool\'s exit status stands', async () => {
    const h = harness({ asks: ['express', 'sg-unit-no-versions'] });
    assert.equal(await runWrapperWith(['npm', 'install', 'express'], h.t.io, h.deps), 0, h.t.err());
    assert.deepEqual(h.ran[0]!.answers, { express: 200, 'sg-unit-no-versions': 200 });
    const err = h.t.err();
    assert.match(err, /slopguard: NOT VERIFIED npm package `sg-unit-no-versions` \(transitive\)\n {2}.*no versions/);
    assert.match(err, /slopguard: could not verify 1 package npm fetched; it went on \(SLOPGUARD_FAIL_CLOSED=1 refuses them instead\)\n$/);
    assert.doesNotMatch(err, /express/, 'the pre-checked package is not said again');
  });

  it('monitor mode (SLOPGUARD_MODE=monitor): the guard refuses nothing, and lists what it would have refused', async () => {
    const h = harness({ asks: ['sg-unit-missing-dep'], env: { SLOPGUARD_MODE: 'monitor' } });
    // The client hears the upstream's 404 (nothing judged is refused), fails as npm would, and its status stands.
    assert.equal(await runWrapperWith(['npm', 'install', 'express'], h.t.io, h.deps), 1, h.t.err());
    assert.deepEqual(h.ran[0]!.answers, { 'sg-unit-missing-dep': 404 });
    const err = h.t.err();
    assert.match(err, /slopguard: WOULD BLOCK npm package `sg-unit-missing-dep` \(transitive\)\n {2}`sg-unit-missing-dep` does not exist on npm/);
    assert.match(err, /MONITOR MODE, nothing refused: the install guard would have refused the packages above\n$/);
    assert.doesNotMatch(err, /install guard refused/);
  });

  it('--slopguard-allow lets the transitive name through the guard too', async () => {
    const h = harness({ asks: ['sg-unit-missing-dep'] });
    await runWrapperWith(['npm', 'install', 'express', '--slopguard-allow', 'sg-unit-missing-dep'], h.t.io, h.deps);
    // Allowed, so judged no further; the upstream does not have it, and the client hears its 404.
    assert.deepEqual(h.ran[0]!.answers, { 'sg-unit-missing-dep': 404 });
    assert.doesNotMatch(h.t.err(), /BLOCKED|install guard refused/);
  });

  for (const [label, flags, expectStatus, expectLine] of [
    ['by default an unreachable upstream fails the fetch (502) and is said', [], 502, /slopguard: NOT VERIFIED npm package `express` \(during the install\)\n {2}could not get npm package `express` from the upstream registry/],
    ['under fail-closed it is refused as unverified (503)', ['--slopguard-fail-closed'], 503, /slopguard: NOT VERIFIED npm package `sg-wrapper-late-dependency` \(transitive\)\n {2}.*refused because fail-closed is on/],
  ] as const) {
    it(`a package the guard cannot judge during the run: ${label}`, async () => {
      const name = flags.length ? 'sg-wrapper-late-dependency' : 'express';
      const h = harness({ asks: [name], env: { npm_config_registry: 'http://127.0.0.1:9/', SLOPGUARD_TIMEOUT: '1' } });
      // The pre-check judged `express` against the fixture (SLOPGUARD_NPM_REGISTRY); the guard's upstream, the tool's registry, is down.
      assert.equal(await runWrapperWith(['npm', 'install', 'express', ...flags], h.t.io, h.deps), 1, h.t.err());
      assert.equal(h.ran[0]!.answers[name], expectStatus);
      assert.match(h.t.err(), expectLine);
    });
  }

  it('yarn with no registry configured gets a guard in front of yarn\'s own default registry (yarn.lock keeps registry.yarnpkg.com); npm, and yarn with one, the npm config\'s', async () => {
    const asked: Array<string | undefined> = [];
    const record = (h: ReturnType<typeof harness>) => {
      h.deps.guard = async (_check, _onEvent, npmRegistry) => {
        asked.push(npmRegistry);
        throw new Error('not started in this test');
      };
      return h;
    };
    const noRegistry = { npm_config_registry: undefined as unknown as string };
    for (const [argv, env] of [
      [['yarn', 'add', 'express', '--slopguard-allow', 'express'], noRegistry],
      [['yarn', 'add', 'express', '--slopguard-allow', 'express'], {}],
      [['npm', 'install', 'express', '--slopguard-allow', 'express'], noRegistry],
    ] as const) {
      const h = record(harness({ env }));
      await runWrapperWith(argv, h.t.io, h.deps);
    }
    assert.deepEqual(asked, ['https://registry.yarnpkg.com/', undefined, undefined]);
  });

  it('a guard that cannot start: a warning and the pre-check only by default; under fail-closed the tool is not run', async () => {
    const soft = harness({ guardFails: true });
    assert.equal(await runWrapperWith(['npm', 'install', 'express'], soft.t.io, soft.deps), 0);
    assert.equal(soft.ran.length, 1);
    assert.match(soft.t.err(), /slopguard: warning: the install guard did not start \(listen EADDRINUSE 127\.0\.0\.1\); running npm with the checks above only/);
    const hard = harness({ guardFails: true });
    assert.equal(await runWrapperWith(['npm', 'install', 'express', '--slopguard-fail-closed'], hard.t.io, hard.deps), 1);
    assert.equal(hard.ran.length, 0);
    assert.match(hard.t.err(), /npm was not run: the install guard did not start \(listen EADDRINUSE 127\.0\.0\.1\), and fail-closed is on/);
  });
});
