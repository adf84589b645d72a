import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { writeData, type DataLists } from '../../src/data/lists.js';
import { testIo } from '../helpers/io.js';

/** Invented names: a small but complete data set (never names from ../shared/eval). */
function lists(day: string, npmCount: number, pypiCount: number): DataLists {
  const npm = Array.from({ length: npmCount }, (_, i) => ({ name: `zq-widget-${i}`, weekly: 10_000_000 - i * 1000 }));
  const pypiAll = Array.from({ length: pypiCount }, (_, i) => `zq-tool-${i}`);
  return { snapshotDate: day, npm, pypiRanked: pypiAll.slice(0, 50).map((name, i) => ({ name, rank: i + 1 })), pypiAll, npmSource: 'test lists', pypiSource: 'test lists' };
}

/** The same lists as a snapshot folder, the format `data update --from` reads. */
function snapshotFolder(l: DataLists): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-snapshot-'));
  writeFileSync(join(dir, 'README.md'), `# snapshot\n\nFacts taken on ${l.snapshotDate}.\n`);
  writeFileSync(join(dir, 'npm-packages.tsv'), `name\tlatest_version\tdownloads_last_month\n${l.npm.map((e) => `${e.name}\t1.0.0\t${Math.round((e.weekly ?? 0) * 4.29)}`).join('\n')}\n`);
  const ranks = new Map(l.pypiRanked.map((e) => [e.name, e.rank]));
  writeFileSync(join(dir, 'pypi-projects.tsv'), `name\tlatest_version\tmonth\trank_among_15000_most_downloaded\n${l.pypiAll.map((n) => `${n}\t1.0\t2026-11\t${ranks.get(n) ?? ''}`).join('\n')}\n`);
  return dir;
}

function installed(l: DataLists): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-installed-data-'));
  writeData(l, dir);
  return dir;
}

const NOW = new Date('2026-12-04T12:00:00Z');

describe('slopguard data status', () => {
  it('says where the lists are read from, their date and age, in text and JSON', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sg-home-'));
    const base = installed(lists('2026-06-01', 40, 200));
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'share'), SLOPGUARD_DATA_DIR: base };
    const t = testIo({ env, now: NOW });
    assert.equal(await run(['data', 'status'], t.io), 0);
    assert.match(t.out(), /npm: +2026-06-01, 186 days old, 40 popular names/);
    assert.match(t.out(), /pypi: 2026-06-01, 186 days old, 200 project names \(50 ranked\)/);
    assert.match(t.out(), /stale: older than 90 days; run `slopguard data update`/);
    const j = testIo({ env, now: NOW });
    assert.equal(await run(['data', 'status', '--format', 'json'], j.io), 0);
    const doc = JSON.parse(j.out()) as { origin: string; dir: string; stale: boolean; npm: { ageDays: number } };
    assert.equal(doc.origin, 'env');
    assert.equal(doc.dir, base);
    assert.equal(doc.stale, true);
    assert.equal(doc.npm.ageDays, 186);
  });

  it('the bundled lists are found without any setting', async () => {
    const t = testIo({ env: { HOME: mkdtempSync(join(tmpdir(), 'sg-home-')) }, now: NOW });
    assert.equal(await run(['data', 'status', '--format', 'json'], t.io), 0);
    const doc = JSON.parse(t.out()) as { origin: string; npm: { count: number } };
    assert.equal(doc.origin, 'bundled');
    assert.ok(doc.npm.count > 100_000);
  });
});

describe('slopguard data update', () => {
  it('verified newer lists are kept for this user and used from then on', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sg-home-'));
    const base = installed(lists('2026-06-01', 40, 200));
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'share'), SLOPGUARD_DATA_DIR: base };
    const t = testIo({ env, now: NOW });
    assert.equal(await run(['data', 'update', '--from', snapshotFolder(lists('2026-11-30', 60, 300))], t.io), 0, t.err());
    assert.match(t.out(), /updated .*npm 2026-06-01 -> 2026-11-30 \(60 names\), pypi 2026-06-01 -> 2026-11-30 \(300 names\)/);
    const userDir = join(home, 'share', 'slopguard', 'data');
    assert.equal((JSON.parse(readFileSync(join(userDir, 'meta.json'), 'utf8')) as { npm: { snapshotDate: string } }).npm.snapshotDate, '2026-11-30');
    const s = testIo({ env, now: NOW });
    assert.equal(await run(['data', 'status', '--format', 'json'], s.io), 0);
    const doc = JSON.parse(s.out()) as { origin: string; dir: string; stale: boolean };
    assert.equal(doc.origin, 'user');
    assert.equal(doc.dir, userDir);
    assert.equal(doc.stale, false);
  });

  it('lists that fail verification replace nothing (exit 1): too few names, older, or missing the popular names', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sg-home-'));
    const base = installed(lists('2026-06-01', 40, 200));
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'share'), SLOPGUARD_DATA_DIR: base };
    const renamed = lists('2026-11-30', 40, 200);
    renamed.npm = renamed.npm.map((e, i) => ({ ...e, name: `zq-other-${i}` }));
    const cases: Array<[string, DataLists, RegExp]> = [
      ['truncated', lists('2026-11-30', 10, 200), /holds 10 names, fewer than half of the 40/],
      ['older', lists('2026-01-01', 40, 200), /older than the one in use/],
      ['unrelated', renamed, /lacks \d+ of the 20 most popular names/],
    ];
    for (const [label, l, why] of cases) {
      const t = testIo({ env, now: NOW });
      assert.equal(await run(['data', 'update', '--from', snapshotFolder(l)], t.io), 1, label);
      assert.match(t.err(), why, label);
      assert.ok(!existsSync(join(home, 'share', 'slopguard', 'data')), `${label}: nothing was installed`);
    }
  });

  it('an unreadable snapshot folder is exit 2 naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-empty-'));
    mkdirSync(join(dir, 'sub'));
    const t = testIo({ env: { HOME: dir }, now: NOW, cwd: dir });
    assert.equal(await run(['data', 'update', '--from', 'sub'], t.io), 2);
    assert.match(t.err(), /^slopguard: sub: cannot read the new lists: .*taken on/m);
  });
});
