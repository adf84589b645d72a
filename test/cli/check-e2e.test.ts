import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, pypiProject, startFixtureRegistry, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnv } from '../helpers/registry-env.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

/** A fresh cwd and cache per run, so nothing of the developer's machine leaks in. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cli-'));
  return { cwd: dir, cache: join(dir, 'cache') };
}

function envFor(reg: FixtureRegistry, cache: string): Record<string, string> {
  // The cache key lives in the user's state dir: one beside the cache (testIo's HOME has none).
  return fixtureRegistryEnv(reg, cache, { stateDir: join(dirname(cache), 'state') });
}

type Doc = { summary: Record<string, number>; packages: Array<{ name: string; ecosystem: string; verdict: string; findings: Array<{ code: string; similarTo?: string }> }> };

async function checkJson(argv: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; doc: Doc; err: string }> {
  const t = testIo({ env, cwd });
  const code = await run(['check', '--format', 'json', ...argv], t.io);
  return { code, doc: JSON.parse(t.out() || '{}') as Doc, err: t.err() };
}

const verdicts = (doc: Doc) => Object.fromEntries(doc.packages.map((p) => [`${p.ecosystem}:${p.name}`, [p.verdict, ...p.findings.map((f) => f.code)].join(' ')]));

const FIXTURES = {
  npm: [
    npmPackage({ name: 'express', created: ago(5000), weeklyDownloads: 40_000_000, repository: 'https://github.com/expressjs/express' }),
    npmPackage({ name: 'gone-thing', created: ago(900), unpublished: ago(3) }),
    npmPackage({ name: 'evil-thing', created: ago(400), securityHolder: true }),
    npmPackage({ name: 'fresh-thing', created: ago(6), weeklyDownloads: 7, repository: 'https://github.com/a/b' }),
  ],
  pypi: [
    pypiProject({ name: 'requests', created: ago(5000), weeklyDownloads: 30_000_000, urls: { Source: 'https://github.com/psf/requests' } }),
    pypiProject({ name: 'fresh-proj', created: ago(5), weeklyDownloads: 3, urls: { Source: 'https://github.com/a/b' } }),
  ],
  missing: { npm: ['no-such-thing-zq'], pypi: ['no-such-proj-zq'] },
};


/** FIXTURES is shared by the cases below; each asks for some of its names, so the rest go unrequested. */
const SHARED_FIXTURES = { allowUnrequested: true } as const;
describe('slopguard check against a registry on loopback (env vars)', () => {
  it('gives the right verdict and reasons on both registries', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const { cwd, cache } = sandbox();
      const { code, doc } = await checkJson(
        ['express', 'no-such-thing-zq', 'gone-thing', 'evil-thing', 'fresh-thing', 'pypi:requests', 'pypi:no-such-proj-zq', 'pypi:fresh-proj'],
        envFor(reg, cache),
        cwd,
      );
      assert.equal(code, 1);
      assert.deepEqual(verdicts(doc), {
        'npm:express': 'ok',
        'npm:no-such-thing-zq': 'block not-found',
        'npm:gone-thing': 'block unpublished',
        'npm:evil-thing': 'block security-holder',
        'npm:fresh-thing': 'warn too-new low-downloads',
        'pypi:requests': 'ok',
        'pypi:no-such-proj-zq': 'block not-found',
        'pypi:fresh-proj': 'warn too-new low-downloads',
      });
      assert.deepEqual(doc.summary, { checked: 8, ok: 2, warn: 2, block: 4, unknown: 0 });
    });
  });

  it('exit 0 for clean names, and the text report reads as sentences', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const { cwd, cache } = sandbox();
      const t = testIo({ env: envFor(reg, cache), cwd });
      assert.equal(await run(['check', 'express', 'pypi:requests'], t.io), 0);
      assert.match(t.out(), /^OK +npm:express +13 years old · [\d,]+ downloads\/week/m);
      assert.match(t.out(), /2 checked: 2 ok/);
      const w = testIo({ env: envFor(reg, cache), cwd });
      assert.equal(await run(['check', 'fresh-thing'], w.io), 0, 'a warning alone does not fail by default');
      assert.match(w.out(), /was first published 6 days ago/);
      const f = testIo({ env: envFor(reg, cache), cwd });
      assert.equal(await run(['check', '--fail-on', 'warn', 'fresh-thing'], f.io), 1);
    }, SHARED_FIXTURES);
  });
});

describe('slopguard check: text layout', () => {
  it('no line ends in padding, also for a package without facts next to longer names', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const { cwd, cache } = sandbox();
      const t = testIo({ env: envFor(reg, cache), cwd });
      assert.equal(await run(['check', 'gone-thing', 'express', 'pypi:fresh-proj'], t.io), 1);
      assert.match(t.out(), /^BLOCK +npm:gone-thing$/m);
      for (const line of t.out().split('\n')) assert.doesNotMatch(line, / $/, JSON.stringify(line));
    }, SHARED_FIXTURES);
  });
});

describe('slopguard check against a registry on loopback (flags)', () => {
  it('the documented flags point every API at the registry', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const { cwd, cache } = sandbox();
      const t = testIo({ cwd });
      const code = await run(
        ['check', '--format', 'json', '--npm-registry', reg.url, '--npm-downloads-api', reg.url, '--pypi-url', reg.url, '--pypistats-api', reg.url, '--cache-dir', cache, 'fresh-thing', 'pypi:fresh-proj'],
        t.io,
      );
      assert.equal(code, 0);
      const doc = JSON.parse(t.out()) as Doc;
      assert.deepEqual(verdicts(doc), { 'npm:fresh-thing': 'warn too-new low-downloads', 'pypi:fresh-proj': 'warn too-new low-downloads' });
      assert.ok(reg.count('/downloads/') >= 1, 'the downloads API was asked on the loopback registry');
      assert.ok(reg.count('/api/packages/') >= 1, 'pypistats was asked on the loopback registry');
    }, SHARED_FIXTURES);
  });
});

describe('look-alikes of popular packages name their target (bundled data)', () => {
  const cases: Array<[string, string]> = [
    ['lodasj', 'lodash'],
    ['expresss', 'express'],
    ['cross-env-js', 'cross-env'],
    ['@typpes/node', '@types/node'],
    ['pypi:djagno', 'django'],
    ['pypi:numpyy', 'numpy'],
  ];
  it('each is blocked with "did you mean"', async () => {
    const missing = { npm: cases.filter(([s]) => !s.startsWith('pypi:')).map(([s]) => s), pypi: cases.filter(([s]) => s.startsWith('pypi:')).map(([s]) => s.slice(5)) };
    await withFixtureRegistry({ missing }, async (reg) => {
      const { cwd, cache } = sandbox();
      const { code, doc } = await checkJson(cases.map(([s]) => s), envFor(reg, cache), cwd);
      assert.equal(code, 1);
      for (const [spec, target] of cases) {
        const name = spec.replace(/^pypi:/, '');
        const p = doc.packages.find((x) => x.name === name)!;
        assert.equal(p.verdict, 'block', spec);
        assert.equal(p.findings.find((f) => f.code === 'typo')?.similarTo, target, `${spec} -> ${target}`);
      }
    });
  });

  it('popular look-alikes of each other stay ok', async () => {
    const names = ['preact', 'react', 'ws', 'ms', 'chai', 'chalk'];
    await withFixtureRegistry({ npm: names.map((name) => npmPackage({ name, created: ago(3000), weeklyDownloads: 5_000_000, repository: 'https://github.com/x/y' })) }, async (reg) => {
      const { cwd, cache } = sandbox();
      const { code, doc } = await checkJson(names, envFor(reg, cache), cwd);
      assert.equal(code, 0, JSON.stringify(verdicts(doc)));
      assert.ok(doc.packages.every((p) => p.verdict === 'ok'));
    });
  });
});

describe('a registry that cannot be asked is never ok', () => {
  it('registry down: unknown, exit 3; --fail-closed: block, exit 1', async () => {
    const reg = await startFixtureRegistry({});
    const url = reg.url;
    await reg.close();
    const { cwd, cache } = sandbox();
    const env = { ...envFor({ url } as FixtureRegistry, cache), SLOPGUARD_TIMEOUT: '3' };
    const down = await checkJson(['some-pkg-x'], env, cwd);
    assert.equal(down.code, 3);
    assert.equal(down.doc.packages[0]!.verdict, 'unknown');
    assert.equal(down.doc.packages[0]!.findings[0]!.code, 'unverified');
    const why = (down.doc.packages[0]!.findings[0] as { message?: string }).message ?? '';
    assert.match(why, /could not be checked on npm: .*ECONNREFUSED/);
    assert.equal(why.split(`${url}/some-pkg-x`).length - 1, 1, `the URL is named once: ${why}`);
    const closed = await checkJson(['--fail-closed', 'some-pkg-x'], env, cwd);
    assert.equal(closed.code, 1);
    assert.equal(closed.doc.packages[0]!.verdict, 'block');
  });

  it('a warm cache answers when the registry is gone; --offline never asks', async () => {
    const { cwd, cache } = sandbox();
    let url = '';
    await withFixtureRegistry(FIXTURES, async (reg) => {
      url = reg.url;
      const first = await checkJson(['fresh-thing', 'no-such-thing-zq'], envFor(reg, cache), cwd);
      assert.equal(first.code, 1);
    }, SHARED_FIXTURES);
    const env = envFor({ url } as FixtureRegistry, cache);
    const again = await checkJson(['--offline', 'fresh-thing', 'no-such-thing-zq', 'never-seen-zq'], env, cwd);
    assert.deepEqual(verdicts(again.doc), {
      'npm:fresh-thing': 'warn too-new low-downloads',
      'npm:no-such-thing-zq': 'block not-found',
      'npm:never-seen-zq': 'unknown unverified',
    });
  });

  it('stdin specs, one a line, with comments', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const { cwd, cache } = sandbox();
      const t = testIo({ env: envFor(reg, cache), cwd, stdin: '# deps\nexpress\n\npypi:requests  # python\n' });
      assert.equal(await run(['check', '--stdin', '--format', 'json'], t.io), 0);
      assert.equal((JSON.parse(t.out()) as Doc).summary.checked, 2);
    }, SHARED_FIXTURES);
  });
});
