import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { check, type CheckOptions } from '../../src/core/check.js';
import type { PackageFacts } from '../../src/core/types.js';
import { runWrapperWith, type WrapDeps } from '../../src/wrap/index.js';
import { tablePopular, tableResolver } from '../helpers/fake-resolver.js';
import { testIo } from '../helpers/io.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const OLD = '2015-01-01T00:00:00Z';
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

const FACTS: Record<string, Partial<PackageFacts>> = {
  'npm:express': { created: OLD, weeklyDownloads: 40_000_000, repository: 'https://example.test/express' },
  'npm:lodash': { created: OLD, weeklyDownloads: 50_000_000, repository: 'https://example.test/lodash' },
  'npm:lodahs': { status: 'not-found' },
  'npm:fresh-widget': { created: daysAgo(2), weeklyDownloads: 5_000, repository: 'https://example.test/fresh' },
  'npm:flaky': { status: 'unverified', error: 'connect ECONNREFUSED' },
  'pypi:requests': { created: OLD, weeklyDownloads: 30_000_000, repository: 'https://example.test/requests' },
  'pypi:reqeusts': { created: daysAgo(3), weeklyDownloads: 12 },
};
const POPULAR = tablePopular(
  { express: 40_000_000, lodash: 50_000_000, requests: 30_000_000 },
  {
    lodahs: { target: 'lodash', kind: 'swapped-chars', confidence: 0.95, targetDownloads: 50_000_000 },
    reqeusts: { target: 'requests', kind: 'swapped-chars', confidence: 0.95, targetDownloads: 30_000_000 },
  },
);

interface Harness {
  deps: WrapDeps;
  ran: Array<{ file: string; args: readonly string[]; env: Record<string, string | undefined> }>;
  checks: CheckOptions[];
  asked: string[];
}

function harness(opts: { found?: boolean; exit?: number } = {}): Harness {
  const resolver = tableResolver(FACTS);
  const h: Harness = {
    ran: [],
    checks: [],
    asked: resolver.asked,
    deps: {
      check: (refs, options) => {
        h.checks.push(options ?? {});
        return check(refs, { ...options, resolver, popular: POPULAR, now: () => NOW });
      },
      locate: (tool) => (opts.found === false ? undefined : `/usr/bin/${tool}`),
      run: async (file, args, env) => {
        h.ran.push({ file, args, env });
        return opts.exit ?? 0;
      },
      platform: 'linux',
    },
  };
  return h;
}

const dir = mkdtempSync(join(tmpdir(), 'slopguard-wrapper-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const io = (o: Parameters<typeof testIo>[0] = {}) => testIo({ cwd: dir, now: NOW, ...o, env: { SLOPGUARD_CACHE_DIR: join(dir, 'cache'), ...o.env } });

describe('wrapper: what passes straight through', () => {
  it('a non-install subcommand runs the tool at once, with no check and no registry request', async () => {
    const h = harness({ exit: 7 });
    const t = io();
    assert.equal(await runWrapperWith(['npm', 'run', 'build', '--', '--watch'], t.io, h.deps), 7);
    assert.deepEqual(h.ran.map((r) => [r.file, r.args]), [['/usr/bin/npm', ['run', 'build', '--', '--watch']]]);
    assert.equal(h.checks.length, 0);
    assert.equal(t.err(), '');
  });

  it('python without -m pip is not an install', async () => {
    const h = harness();
    assert.equal(await runWrapperWith(['python3', 'script.py', 'install', 'x'], io().io, h.deps), 0);
    assert.deepEqual(h.ran[0]!.args, ['script.py', 'install', 'x']);
    assert.equal(h.checks.length, 0);
  });

  it('marks the child with SLOPGUARD_WRAPPED=1; a nested call runs unchecked and silently', async () => {
    const h = harness();
    await runWrapperWith(['npm', 'install', 'lodahs'], io({ env: { SLOPGUARD_WRAPPED: '1' } }).io, h.deps);
    assert.equal(h.checks.length, 0);
    assert.equal(h.ran.length, 1);
    assert.equal(h.ran[0]!.env.SLOPGUARD_WRAPPED, '1');
  });

  it('SLOPGUARD_DISABLE=1 runs the tool unchecked and says so', async () => {
    const h = harness();
    const t = io({ env: { SLOPGUARD_DISABLE: '1' } });
    assert.equal(await runWrapperWith(['npm', 'install', 'lodahs'], t.io, h.deps), 0);
    assert.equal(h.checks.length, 0);
    assert.match(t.err(), /checks disabled by SLOPGUARD_DISABLE/);
  });

  it('a tool that is not installed exits 127', async () => {
    const h = harness({ found: false });
    const t = io();
    assert.equal(await runWrapperWith(['pnpm', 'run', 'x'], t.io, h.deps), 127);
    assert.match(t.err(), /pnpm was not found on PATH/);
  });
});

describe('wrapper: blocking', () => {
  it('a missing typo of a popular name is blocked: which, why, the suggestion; the tool never starts', async () => {
    const h = harness();
    const t = io();
    assert.equal(await runWrapperWith(['npm', 'install', 'express', 'lodahs'], t.io, h.deps), 1);
    assert.equal(h.ran.length, 0);
    assert.match(t.err(), /BLOCKED npm package `lodahs`/);
    assert.match(t.err(), /`lodahs` does not exist on npm; did you mean `lodash`\?/);
    assert.match(t.err(), /npm was not run\. If you are sure, run it again with --slopguard-allow lodahs/);
    assert.doesNotMatch(t.err(), /express/);
  });

  it('a young squat on PyPI is blocked for pip, python -m pip and uv pip', async () => {
    for (const argv of [['pip', 'install', 'reqeusts'], ['python', '-m', 'pip', 'install', 'reqeusts'], ['uv', 'pip', 'install', 'reqeusts']]) {
      const h = harness();
      const t = io();
      assert.equal(await runWrapperWith(argv, t.io, h.deps), 1, argv.join(' '));
      assert.equal(h.ran.length, 0);
      assert.match(t.err(), /BLOCKED PyPI package `reqeusts`/);
      assert.match(t.err(), /did you mean `requests`\?/);
    }
  });

  it('--slopguard-allow lets one name through loudly and is not passed to the tool', async () => {
    const h = harness();
    const t = io();
    assert.equal(await runWrapperWith(['npm', 'install', 'lodahs', '--slopguard-allow', 'lodahs', '--save-dev'], t.io, h.deps), 0);
    assert.deepEqual(h.ran[0]!.args, ['install', 'lodahs', '--save-dev']);
    assert.match(t.err(), /ALLOWED npm package `lodahs` without checking/);
    assert.ok(!h.asked.includes('npm:lodahs'), 'an allowed name is not looked up');
  });

  it('SLOPGUARD_ALLOW works too, and a bare name means the tool\'s ecosystem', async () => {
    const h = harness();
    const t = io({ env: { SLOPGUARD_ALLOW: 'reqeusts' } });
    assert.equal(await runWrapperWith(['pip', 'install', 'reqeusts'], t.io, h.deps), 0);
    assert.match(t.err(), /ALLOWED PyPI package `reqeusts`/);
  });

  it('a package that could not be checked proceeds with a loud warning, or blocks under fail-closed', async () => {
    const h = harness();
    const t = io();
    assert.equal(await runWrapperWith(['npm', 'install', 'flaky'], t.io, h.deps), 0);
    assert.match(t.err(), /NOT VERIFIED npm package `flaky`/);
    assert.match(t.err(), /could not verify 1 package; proceeding/);
    for (const variant of [{ argv: ['--slopguard-fail-closed'], env: {} }, { argv: [], env: { SLOPGUARD_FAIL_CLOSED: '1' } }]) {
      const h2 = harness();
      const t2 = io({ env: variant.env });
      assert.equal(await runWrapperWith(['npm', 'install', 'flaky', ...variant.argv], t2.io, h2.deps), 1);
      assert.equal(h2.ran.length, 0);
      assert.match(t2.err(), /BLOCKED npm package `flaky`/);
    }
  });
});

describe('wrapper: warnings', () => {
  it('off a terminal: print the warning and proceed', async () => {
    const h = harness();
    const t = io();
    assert.equal(await runWrapperWith(['npm', 'install', 'fresh-widget'], t.io, h.deps), 0);
    assert.equal(h.ran.length, 1);
    assert.match(t.err(), /WARNING npm package `fresh-widget`\n {2}`fresh-widget` was first published 2 days ago/);
  });

  it('--fail-on warn (flag or SLOPGUARD_FAIL_ON) turns the warning into a refusal', async () => {
    for (const [argv, env] of [[['--slopguard-fail-on', 'warn'], {}], [[], { SLOPGUARD_FAIL_ON: 'warn' }]] as const) {
      const h = harness();
      const t = io({ env });
      assert.equal(await runWrapperWith(['npm', 'install', 'fresh-widget', ...argv], t.io, h.deps), 1);
      assert.equal(h.ran.length, 0);
    }
  });

  it('on a terminal: ask, default no', async () => {
    for (const [answer, expected] of [['\n', 1], ['n\n', 1], ['', 1], ['y\n', 0], ['yes\n', 0]] as const) {
      const h = harness();
      const t = io({ stdin: answer, tty: true });
      (t.io.stdin as { isTTY?: boolean }).isTTY = true;
      assert.equal(await runWrapperWith(['npm', 'install', 'fresh-widget'], t.io, h.deps), expected, JSON.stringify(answer));
      assert.equal(h.ran.length, expected === 0 ? 1 : 0);
      assert.match(t.err(), /run npm anyway\? \[y\/N\]/);
    }
  });

  it('--slopguard-yes proceeds without asking; blocks still stop', async () => {
    const h = harness();
    const t = io({ stdin: '', tty: true });
    (t.io.stdin as { isTTY?: boolean }).isTTY = true;
    assert.equal(await runWrapperWith(['npm', 'install', 'fresh-widget', '--slopguard-yes'], t.io, h.deps), 0);
    assert.doesNotMatch(t.err(), /anyway\?/);
    const h2 = harness();
    assert.equal(await runWrapperWith(['npm', 'install', 'lodahs', '--slopguard-yes'], io().io, h2.deps), 1);
  });
});

describe('wrapper: what gets checked', () => {
  it('asks the registry the command names (--registry, -i/--index-url)', async () => {
    const h = harness();
    await runWrapperWith(['npm', 'install', 'express', '--registry', 'http://127.0.0.1:9/'], io().io, h.deps);
    assert.equal(h.checks[0]!.registryOverrides?.npmRegistry, 'http://127.0.0.1:9/');
    const p = harness();
    await runWrapperWith(['pip', 'install', 'requests', '-i', 'http://127.0.0.1:9/simple/'], io().io, p.deps);
    assert.equal(p.checks[0]!.env?.PIP_INDEX_URL, 'http://127.0.0.1:9/simple/');
    // --extra-index-url values join any the environment already has: pip asks all of them.
    const x = harness();
    const xio = io();
    xio.io.env.PIP_EXTRA_INDEX_URL = 'http://127.0.0.1:8/env/simple/';
    await runWrapperWith(['pip', 'install', 'requests', '--extra-index-url', 'http://127.0.0.1:9/corp/simple/'], xio.io, x.deps);
    assert.equal(x.checks[0]!.env?.PIP_EXTRA_INDEX_URL, 'http://127.0.0.1:9/corp/simple/ http://127.0.0.1:8/env/simple/');
  });

  it('npm ci reads the lockfile and blocks at file:line', async () => {
    const project = mkdtempSync(join(dir, 'ci-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { express: '^4.0.0', lodahs: '^1.0.0' } }, null, 2));
    const h = harness();
    const t = io({ cwd: project });
    t.io.cwd = project;
    assert.equal(await runWrapperWith(['npm', 'ci'], t.io, h.deps), 1);
    assert.match(t.err(), /BLOCKED npm package `lodahs` \(package\.json:\d+\)/);
    assert.deepEqual(h.asked.sort(), ['npm:express', 'npm:lodahs']);
  });

  it('pip install -r reads the requirements file', async () => {
    const project = mkdtempSync(join(dir, 'req-'));
    writeFileSync(join(project, 'requirements.txt'), 'requests==2.32.0\nreqeusts\n');
    const h = harness();
    const t = io();
    t.io.cwd = project;
    assert.equal(await runWrapperWith(['pip', 'install', '-r', 'requirements.txt'], t.io, h.deps), 1);
    assert.match(t.err(), /BLOCKED PyPI package `reqeusts` \(requirements\.txt:2\)/);
  });

  it('pip install -r reads the file whatever its name; an include of /dev/zero is refused: the install proceeds loudly, or never starts under fail-closed', async () => {
    const project = mkdtempSync(join(dir, 'refused-'));
    writeFileSync(join(project, 'deps.lock'), 'requests==2.32.0\nreqeusts\n');
    writeFileSync(join(project, 'reqs.in'), 'requests==2.32.0\n-r /dev/zero\n');
    const named = harness();
    const t = io();
    t.io.cwd = project;
    assert.equal(await runWrapperWith(['pip', 'install', '-r', 'deps.lock'], t.io, named.deps), 1);
    assert.match(t.err(), /BLOCKED PyPI package `reqeusts` \(deps\.lock:2\)/);
    for (const [argv, code, ran] of [[[], 0, 1], [['--slopguard-fail-closed'], 1, 0]] as const) {
      const h = harness();
      const t2 = io();
      t2.io.cwd = project;
      assert.equal(await runWrapperWith(['pip', 'install', '-r', 'reqs.in', ...argv], t2.io, h.deps), code, t2.err());
      assert.equal(h.ran.length, ran);
      assert.match(t2.err(), /-r \/dev\/zero: not read/);
    }
  });

  it('a bare install with no project file says nothing was checked, and runs', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const h = harness();
    const t = io();
    t.io.cwd = empty;
    assert.equal(await runWrapperWith(['npm', 'install'], t.io, h.deps), 0);
    assert.match(t.err(), /no npm-shrinkwrap\.json or package-lock\.json or package\.json in \.: the packages this command installs were not checked/);
  });

  it('bad slopguard options exit 2 and nothing runs', async () => {
    const h = harness();
    const t = io();
    assert.equal(await runWrapperWith(['npm', 'install', 'x', '--slopguard-nope'], t.io, h.deps), 2);
    assert.equal(h.ran.length, 0);
  });
});
