import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DATA_FILES, dataAgeDays, dataInfo, getPopularIndex } from '../../src/similarity/index.js';
import { PopularData } from '../../src/similarity/popular-data.js';
import { weeklyFromRank } from '../../src/similarity/popularity.js';
import { NPM_FIXTURE, PYPI_RANKED, PYPI_UNRANKED, fixtureDataDir } from './fixture-data.js';

const dataDir = () => fixtureDataDir();

describe('PopularIndex: popularity and existence', () => {
  it('npm popularity is the listed weekly count; unlisted names are undefined', () => {
    const npm = getPopularIndex('npm', { dataDir: dataDir() });
    assert.deepEqual(npm.popularity('lodash'), { weeklyDownloads: NPM_FIXTURE.lodash });
    assert.deepEqual(npm.popularity('@types/node'), { weeklyDownloads: NPM_FIXTURE['@types/node'] });
    assert.equal(npm.popularity('not-listed-anywhere'), undefined);
    // npm names are exact: legacy mixed-case names are other packages.
    assert.equal(npm.popularity('Lodash'), undefined);
  });

  it('npm existence is true when listed and unknown otherwise (the list holds popular names only)', () => {
    const npm = getPopularIndex('npm', { dataDir: dataDir() });
    assert.equal(npm.exists('express'), true);
    assert.equal(npm.exists('not-listed-anywhere'), undefined);
  });

  it('PyPI popularity carries the rank and an estimate from it; names are PEP 503-normalised', () => {
    const pypi = getPopularIndex('pypi', { dataDir: dataDir() });
    assert.deepEqual(pypi.popularity('PyYAML'), { rank: PYPI_RANKED.pyyaml, weeklyDownloads: weeklyFromRank(PYPI_RANKED.pyyaml!) });
    assert.deepEqual(pypi.popularity('python_dateutil'), { rank: 13, weeklyDownloads: weeklyFromRank(13) });
    assert.equal(pypi.popularity(PYPI_UNRANKED[0]!), undefined);
  });

  it('PyPI existence comes from the complete list: true or false, never unknown', () => {
    const pypi = getPopularIndex('pypi', { dataDir: dataDir() });
    for (const n of [...Object.keys(PYPI_RANKED), ...PYPI_UNRANKED]) assert.equal(pypi.exists(n), true, n);
    assert.equal(pypi.exists('Left_Pad'), true);
    for (const n of ['not-on-pypi', 'aaa', 'zzzz', 'requests2', '', 'r\u00e9quests']) assert.equal(pypi.exists(n), false, n);
  });

  it('the rank estimate falls with rank and stays positive', () => {
    assert.ok(weeklyFromRank(1) > weeklyFromRank(100));
    assert.ok(weeklyFromRank(100) > weeklyFromRank(15_000));
    assert.ok(weeklyFromRank(15_000) > 1_000);
  });

  it('one index per ecosystem and data directory', () => {
    assert.equal(getPopularIndex('npm', { dataDir: dataDir() }), getPopularIndex('npm', { dataDir: dataDir() }));
    assert.notEqual(getPopularIndex('npm', { dataDir: dataDir() }), getPopularIndex('pypi', { dataDir: dataDir() }));
  });

  it('answers the same from positional reads and from memory', () => {
    const path = join(dataDir(), DATA_FILES.popular('npm'));
    const lazy = new PopularData(path, 'npm');
    const mem = new PopularData(path, 'npm');
    mem.load();
    assert.equal(lazy.loaded, false);
    for (const n of [...Object.keys(NPM_FIXTURE), 'nope', '@types/nope']) {
      const a = lazy.find(n);
      assert.equal(a, mem.find(n), n);
      if (a >= 0) {
        assert.equal(lazy.name(a), n);
        assert.equal(lazy.weekly(a), mem.weekly(a));
      }
    }
  });
});

describe('data provenance', () => {
  it('dataInfo gives dates and counts; dataAgeDays counts from the oldest snapshot', () => {
    const info = dataInfo({ dataDir: dataDir() });
    assert.equal(info.npm.snapshotDate, '2026-11-25');
    assert.equal(info.npm.count, Object.keys(NPM_FIXTURE).length);
    assert.equal(info.pypi.count, Object.keys(PYPI_RANKED).length + PYPI_UNRANKED.length);
    assert.equal(info.pypi.ranked, Object.keys(PYPI_RANKED).length);
    assert.equal(dataAgeDays(new Date('2026-11-25T12:00:00Z'), { dataDir: dataDir() }), 0);
    assert.equal(dataAgeDays(new Date('2027-03-01T00:00:00Z'), { dataDir: dataDir() }), 96);
    assert.equal(getPopularIndex('pypi', { dataDir: dataDir() }).snapshotDate, '2026-11-25');
  });

  it('the bundled data is there and dated', () => {
    const info = dataInfo();
    assert.match(info.npm.snapshotDate, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(info.npm.count > 100_000 && info.pypi.count > 500_000);
    assert.equal(getPopularIndex('npm').exists('lodash'), true);
  });
});

describe('broken data is reported, naming the file', () => {
  const copyDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'slopguard-sim-bad-'));
    for (const f of [DATA_FILES.meta, DATA_FILES.popular('npm'), DATA_FILES.popular('pypi'), DATA_FILES.pypiNames]) copyFileSync(join(dataDir(), f), join(dir, f));
    return dir;
  };

  it('a missing directory', () => {
    const dir = join(tmpdir(), 'slopguard-no-such-dir');
    assert.throws(() => getPopularIndex('npm', { dataDir: dir }).popularity('x'), /npm-popular\.bin cannot be read/);
    assert.throws(() => dataInfo({ dataDir: dir }), /meta\.json cannot be read/);
  });

  it('a file of another kind, a truncated file, a foreign file', () => {
    const dir = copyDir();
    copyFileSync(join(dir, DATA_FILES.pypiNames), join(dir, DATA_FILES.popular('npm')));
    assert.throws(() => new PopularData(join(dir, DATA_FILES.popular('npm')), 'npm'), /name-set file where popular-index was expected/);
    const whole = readFileSync(join(dataDir(), DATA_FILES.popular('npm')));
    writeFileSync(join(dir, 'cut.bin'), whole.subarray(0, whole.length - 100));
    assert.throws(() => new PopularData(join(dir, 'cut.bin'), 'npm'), /truncated/);
    writeFileSync(join(dir, 'junk.bin'), 'hello world, not data');
    assert.throws(() => new PopularData(join(dir, 'junk.bin'), 'npm'), /not a slopguard data file/);
    assert.throws(() => new PopularData(join(dir, DATA_FILES.popular('pypi')), 'npm'), /holds pypi names/);
  });

  it('a file from a newer format version', () => {
    const dir = copyDir();
    const b = readFileSync(join(dir, DATA_FILES.popular('npm')));
    b.writeUInt32LE(99, 4);
    writeFileSync(join(dir, 'v99.bin'), b);
    assert.throws(() => new PopularData(join(dir, 'v99.bin'), 'npm'), /format version 99/);
  });
});
