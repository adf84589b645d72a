import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../../src/core/check.js';
import { DEFAULT_POLICY } from '../../src/policy/defaults.js';
import { exitCodeFor } from '../../src/policy/verdict.js';
import type { PackageFacts, PackageRef, Policy } from '../../src/core/types.js';
import { tablePopular, tableResolver } from '../helpers/fake-resolver.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const OLD: Partial<PackageFacts> = { created: daysAgo(4000), weeklyDownloads: 5_000_000, repository: 'https://github.com/x/y', latestVersion: '1.0.0' };
const popular = tablePopular(
  { lodash: 60_000_000, express: 40_000_000, requests: 30_000_000 },
  {
    lodahs: { target: 'lodash', kind: 'swapped-chars', confidence: 0.95, targetDownloads: 60_000_000 },
    'tiny-lib2': { target: 'tiny-lib', kind: 'version-suffix', confidence: 0.9, targetDownloads: 300_000 },
  },
);

async function judgeOne(facts: Partial<PackageFacts>, name = 'pkg', policy: Policy = DEFAULT_POLICY, eco: 'npm' | 'pypi' = 'npm') {
  const resolver = tableResolver({ [`${eco}:${name}`]: facts });
  const report = await check([{ ecosystem: eco, name }], { resolver, popular, policy, now: () => NOW });
  return report.packages[0]!;
}

describe('check(): one verdict per package, from its facts', () => {
  const cases: Array<[string, Partial<PackageFacts>, string, string[]]> = [
    ['old popular package', OLD, 'ok', []],
    ['nonexistent name', { status: 'not-found' }, 'block', ['not-found']],
    ['unpublished tombstone', { status: 'unpublished', unpublishedAt: daysAgo(3) }, 'block', ['unpublished']],
    ['security placeholder', { ...OLD, securityHolder: true, latestVersion: '0.0.1-security' }, 'block', ['security-holder']],
    ['created last week, handful of downloads', { created: daysAgo(6), weeklyDownloads: 7, repository: 'r' }, 'warn', ['too-new', 'low-downloads']],
    ['registry unreachable', { status: 'unverified', error: 'ECONNREFUSED' }, 'unknown', ['unverified']],
    ['deprecated everywhere', { ...OLD, deprecated: 'use other' }, 'warn', ['deprecated']],
    ['empty deprecation string is not deprecated', { ...OLD, deprecated: '' }, 'ok', []],
    ['young package with install script', { ...OLD, created: daysAgo(40), installScripts: ['postinstall'] }, 'warn', ['install-script']],
    ['old popular package with install script is fine', { ...OLD, installScripts: ['install'] }, 'ok', []],
    ['no repository is only context', { ...OLD, repository: undefined }, 'ok', ['no-repository']],
    ['downloads unknown stay unknown (no low-downloads)', { ...OLD, weeklyDownloads: undefined }, 'ok', []],
    ['yanked latest release', { ...OLD, yanked: true }, 'warn', ['yanked']],
    ['archived PyPI project', { ...OLD, projectStatus: 'archived' }, 'warn', ['deprecated']],
  ];
  for (const [name, facts, verdict, codes] of cases) {
    it(name, async () => {
      const p = await judgeOne(facts);
      assert.equal(p.verdict, verdict);
      assert.deepEqual(p.findings.map((f) => f.code), codes);
      for (const f of p.findings) assert.ok(f.message.length > 10, `finding ${f.code} has wording`);
    });
  }

  it('never says ok for a package nobody could check, even with every other signal off', async () => {
    const policy: Policy = { ...DEFAULT_POLICY, severities: { ...DEFAULT_POLICY.severities, 'not-found': 'off', 'no-repository': 'off' } };
    const p = await judgeOne({ status: 'unverified', error: 'timeout' }, 'pkg', policy);
    assert.equal(p.verdict, 'unknown');
  });

  it('failClosed turns unverified into a block', async () => {
    const p = await judgeOne({ status: 'unverified' }, 'pkg', { ...DEFAULT_POLICY, failClosed: true });
    assert.equal(p.verdict, 'block');
    assert.equal(p.findings[0]!.severity, 'block');
  });

  it('a typo of a popular package blocks and names the target', async () => {
    const p = await judgeOne({ status: 'not-found' }, 'lodahs');
    assert.equal(p.verdict, 'block');
    const typo = p.findings.find((f) => f.code === 'typo');
    assert.equal(typo?.similarTo, 'lodash');
    assert.match(typo!.message, /did you mean `lodash`/);
  });

  it('an old look-alike less than typoPopularityRatio times smaller only warns', async () => {
    const p = await judgeOne({ ...OLD, weeklyDownloads: 5_000 }, 'tiny-lib2');
    assert.equal(p.verdict, 'warn');
    assert.equal(p.findings.find((f) => f.code === 'typo')?.severity, 'warn');
  });

  it('a young look-alike blocks even with some downloads', async () => {
    const p = await judgeOne({ ...OLD, created: daysAgo(20), weeklyDownloads: 5_000 }, 'tiny-lib2');
    assert.equal(p.findings.find((f) => f.code === 'typo')?.severity, 'block');
  });

  it('a look-alike with an audience of its own is a peer, not a squat', async () => {
    const p = await judgeOne({ ...OLD, weeklyDownloads: 20_000_000 }, 'lodahs');
    assert.equal(p.verdict, 'ok');
  });

  it('severities can be changed or turned off by policy', async () => {
    const policy: Policy = { ...DEFAULT_POLICY, severities: { ...DEFAULT_POLICY.severities, 'too-new': 'block', 'low-downloads': 'off' } };
    const p = await judgeOne({ created: daysAgo(2), weeklyDownloads: 1, repository: 'r' }, 'pkg', policy);
    assert.equal(p.verdict, 'block');
    assert.deepEqual(p.findings.map((f) => f.code), ['too-new']);
  });

  it('thresholds come from policy', async () => {
    const policy: Policy = { ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, minAgeDays: 3, minWeeklyDownloads: 5 } };
    const p = await judgeOne({ created: daysAgo(6), weeklyDownloads: 7, repository: 'r' }, 'pkg', policy);
    assert.equal(p.verdict, 'ok');
  });
});

describe('check(): grouping, allowlist, notes, exit codes', () => {
  it('asks once per distinct package and keeps every origin', async () => {
    const resolver = tableResolver({ 'npm:express': OLD, 'pypi:Requests': OLD });
    const refs: PackageRef[] = [
      { ecosystem: 'npm', name: 'express', origin: { file: 'a/package.json', line: 3 } },
      { ecosystem: 'npm', name: 'express', spec: '^4', origin: { file: 'b/package.json', line: 9 } },
      { ecosystem: 'pypi', name: 'Requests', origin: { file: 'requirements.txt', line: 1 } },
      { ecosystem: 'pypi', name: 'requests', origin: { file: 'pyproject.toml', line: 7 } },
    ];
    const report = await check(refs, { resolver, popular, now: () => NOW });
    assert.deepEqual(resolver.asked, ['npm:express', 'pypi:Requests']);
    assert.equal(report.summary.checked, 2);
    assert.deepEqual(report.packages[0]!.origins.map((o) => `${o.file}:${o.line}`), ['a/package.json:3', 'b/package.json:9']);
    assert.deepEqual(report.packages[0]!.specs, ['^4']);
    assert.equal(report.packages[1]!.origins.length, 2);
  });

  it('non-registry refs are not looked up', async () => {
    const resolver = tableResolver({});
    const report = await check([{ ecosystem: 'npm', name: 'local', source: 'file' }], { resolver, popular, now: () => NOW });
    assert.equal(report.packages.length, 0);
    assert.deepEqual(resolver.asked, []);
  });

  it('allowlisted names are not looked up; scope globs work; expired entries are reported and ignored', async () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      allow: {
        npm: [
          { name: '@corp/*', reason: 'internal registry' },
          { name: 'old-thing', reason: 'legacy', until: '2026-01-01' },
        ],
        pypi: [{ name: 'Internal_Tool', reason: 'ours' }],
      },
    };
    const resolver = tableResolver({ 'npm:old-thing': { status: 'not-found' } });
    const report = await check(
      [
        { ecosystem: 'npm', name: '@corp/ui' },
        { ecosystem: 'npm', name: 'old-thing' },
        { ecosystem: 'pypi', name: 'internal-tool' },
      ],
      { resolver, popular, policy, now: () => NOW },
    );
    assert.deepEqual(resolver.asked, ['npm:old-thing']);
    assert.deepEqual(report.packages.map((p) => [p.name, p.verdict, p.findings[0]?.code]), [
      ['@corp/ui', 'ok', 'allowlisted'],
      ['old-thing', 'block', 'not-found'],
      ['internal-tool', 'ok', 'allowlisted'],
    ]);
    assert.deepEqual(report.expiredAllowlist?.map((e) => e.name), ['old-thing']);
  });

  it('invalid names are never looked up and make an error note', async () => {
    const resolver = tableResolver({});
    const report = await check([{ ecosystem: 'npm', name: '@/x' }, { ecosystem: 'pypi', name: '-bad-' }], { resolver, popular, now: () => NOW });
    assert.deepEqual(resolver.asked, []);
    assert.equal(report.notes.filter((n) => n.code === 'invalid-name' && n.level === 'error').length, 2);
    assert.equal(exitCodeFor(report, DEFAULT_POLICY), 2);
  });

  it('exit codes: 1 for a block, 3 for unknown only, 0 when clean, warn fails only with failOn warn', async () => {
    const run = async (table: Record<string, Partial<PackageFacts>>) => {
      const resolver = tableResolver(table);
      const refs = Object.keys(table).map((k) => ({ ecosystem: k.split(':')[0] as 'npm', name: k.split(':')[1]! }));
      return check(refs, { resolver, popular, now: () => NOW });
    };
    assert.equal(exitCodeFor(await run({ 'npm:a': OLD }), DEFAULT_POLICY), 0);
    assert.equal(exitCodeFor(await run({ 'npm:a': OLD, 'npm:b': { status: 'not-found' }, 'npm:c': { status: 'unverified' } }), DEFAULT_POLICY), 1);
    assert.equal(exitCodeFor(await run({ 'npm:a': OLD, 'npm:c': { status: 'unverified' } }), DEFAULT_POLICY), 3);
    const warnOnly = await run({ 'npm:a': { ...OLD, deprecated: 'x' } });
    assert.equal(exitCodeFor(warnOnly, DEFAULT_POLICY), 0);
    assert.equal(exitCodeFor(warnOnly, { failOn: 'warn' }), 1);
  });

  it('reports progress for each package', async () => {
    const seen: string[] = [];
    const resolver = tableResolver({ 'npm:a': OLD, 'npm:b': OLD });
    await check([{ ecosystem: 'npm', name: 'a' }, { ecosystem: 'npm', name: 'b' }], { resolver, popular, now: () => NOW, onProgress: (d, t) => seen.push(`${d}/${t}`) });
    assert.deepEqual(seen, ['1/2', '2/2']);
  });

  it('string inputs are read as command-line specs', async () => {
    const resolver = tableResolver({ 'npm:express': OLD, 'pypi:requests': OLD });
    const report = await check(['express@^4', 'pypi:requests==2.0'], { resolver, popular, now: () => NOW });
    assert.deepEqual(report.packages.map((p) => [p.ecosystem, p.name, p.specs]), [
      ['npm', 'express', ['^4']],
      ['pypi', 'requests', ['==2.0']],
    ]);
  });
});

describe('check(): offline PyPI name list', () => {
  it('a PyPI name absent from the complete list is not-found when PyPI cannot be reached', async () => {
    const pop = (e: 'npm' | 'pypi') => ({ ...tablePopular({ requests: 1 })(e), exists: (n: string) => n === 'requests' });
    const resolver = tableResolver({ 'pypi:reqests-x': { status: 'unverified', error: 'ENOTFOUND' }, 'pypi:requests': { status: 'unverified', error: 'ENOTFOUND' } });
    const report = await check([{ ecosystem: 'pypi', name: 'reqests-x' }, { ecosystem: 'pypi', name: 'requests' }], { resolver, popular: pop, now: () => NOW });
    assert.equal(report.packages[0]!.verdict, 'block');
    assert.equal(report.packages[0]!.findings[0]!.code, 'not-found');
    assert.match(report.packages[0]!.findings[0]!.message, /bundled list/);
    assert.equal(report.packages[1]!.verdict, 'unknown', 'existing in the list is not the same as safe');
  });

  it('not with private extra indexes configured: the name may be theirs, so it stays unknown', async () => {
    const pop = (e: 'npm' | 'pypi') => ({ ...tablePopular({})(e), exists: () => false });
    const resolver = tableResolver({ 'pypi:corp-only-x': { status: 'unverified', error: 'ENOTFOUND', extraIndexes: true } });
    const report = await check([{ ecosystem: 'pypi', name: 'corp-only-x' }], { resolver, popular: pop, now: () => NOW });
    assert.equal(report.packages[0]!.verdict, 'unknown');
    assert.ok(!report.packages[0]!.findings.some((f) => f.code === 'not-found'));
  });
});
