import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { SlopguardFilter, type Manifest } from '../../src/verdaccio/filter.js';

/**
 * The Verdaccio filter through its public entry points: the class Verdaccio's loader builds (via
 * the CommonJS factory in verdaccio/verdaccio-slopguard) and its `filter_metadata`. The real
 * Verdaccio and npm are in test/e2e/verdaccio-plugin.test.ts; here are the paths an e2e run cannot
 * reach cheaply: unverifiable manifests, failClosed, failOn warn, partial age gating, bad config.
 */
const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function manifest(name: string, versions: Record<string, string>, extra: Record<string, unknown> = {}): Manifest {
  const times = Object.values(versions).sort();
  return {
    name,
    versions: Object.fromEntries(Object.keys(versions).map((v) => [v, { name, version: v, dist: { tarball: `http://verdaccio.test/${name}/-/${name}-${v}.tgz` } }])),
    'dist-tags': { latest: Object.keys(versions).at(-1) },
    time: { created: times[0], modified: times.at(-1), ...versions },
    ...extra,
  };
}

function filter(config: unknown) {
  const logs: string[] = [];
  const f = new SlopguardFilter(config, { logger: { warn: (fields) => logs.push(String(fields.slopguard)) } }, () => NOW);
  return { f, logs };
}

const versionsOf = (m: Manifest) => Object.keys(m.versions as object);

describe('verdaccio filter: filter_metadata', () => {
  const cases: Array<{ what: string; config: unknown; doc: Manifest; versions: string[] | 'unchanged'; log?: RegExp }> = [
    { what: 'a plain old package is served unchanged', config: {}, doc: manifest('slopguard-test-plain-widget', { '1.0.0': daysAgo(400) }), versions: ['1.0.0'] },
    { what: 'a young look-alike of lodash is refused (no versions)', config: {}, doc: manifest('lodahs', { '1.0.0': daysAgo(2) }), versions: [], log: /slopguard refused npm package `lodahs`: .*did you mean `lodash`\?/ },
    { what: 'age gate: young versions hidden, old ones kept', config: { minReleaseAgeDays: 7 }, doc: manifest('slopguard-test-plain-widget', { '1.0.0': daysAgo(400), '1.1.0': daysAgo(1) }), versions: ['1.0.0'], log: /hid 1 version of npm package `slopguard-test-plain-widget` published less than 7 days ago/ },
    { what: 'age gate: nothing old enough refused', config: { minReleaseAgeDays: 7 }, doc: manifest('slopguard-test-plain-widget', { '1.0.0': daysAgo(1) }), versions: [], log: /every version was published less than 7 days ago/ },
    { what: 'age gate: a version without a publish time is kept by default', config: { minReleaseAgeDays: 7 }, doc: { ...manifest('slopguard-test-plain-widget', { '1.0.0': daysAgo(400) }), time: { created: daysAgo(400) } }, versions: ['1.0.0'] },
    { what: 'age gate under failClosed: a version without a publish time is dropped', config: { minReleaseAgeDays: 7, failClosed: true }, doc: { ...manifest('slopguard-test-plain-widget', { '1.0.0': daysAgo(400) }), time: { created: daysAgo(400) } }, versions: [], log: /slopguard refused npm package `slopguard-test-plain-widget`/ },
    { what: 'unverifiable (versions not an object): served, with a warning in the log', config: {}, doc: { name: 'slopguard-test-odd', versions: 'nope', 'dist-tags': {} }, versions: 'unchanged', log: /slopguard served npm package `slopguard-test-odd`: unverified/ },
    { what: 'unverifiable under failClosed: refused', config: { failClosed: true }, doc: { name: 'slopguard-test-odd', versions: 'nope', 'dist-tags': {} }, versions: [], log: /could not verify npm package `slopguard-test-odd`/ },
  ];
  for (const c of cases) {
    it(c.what, async () => {
      const { f, logs } = filter(c.config);
      const out = await f.filter_metadata(c.doc);
      if (c.versions === 'unchanged') assert.equal(out, c.doc);
      else assert.deepEqual(versionsOf(out), c.versions);
      if (c.versions.length === 0) assert.deepEqual(out['dist-tags'], {}, 'no dist-tag left to resolve');
      if (c.log) assert.match(logs.join('\n'), c.log);
      else assert.deepEqual(logs, []);
    });
  }

  it('failOn warn refuses what the default policy only warns about (a package first published yesterday)', async () => {
    const doc = manifest('slopguard-test-plain-widget', { '1.0.0': daysAgo(1) });
    assert.deepEqual(versionsOf(await filter({}).f.filter_metadata(doc)), ['1.0.0']);
    assert.deepEqual(versionsOf(await filter({ failOn: 'warn' }).f.filter_metadata(doc)), []);
  });

  it('never throws (Verdaccio would serve the unfiltered manifest): a manifest with no name is refused', async () => {
    const out = await filter({}).f.filter_metadata({ versions: { '1.0.0': {} } } as Manifest);
    assert.deepEqual(versionsOf(out), []);
  });

  it('strips control characters from what it logs (a publisher picks the name)', async () => {
    const { f, logs } = filter({});
    await f.filter_metadata({ name: 'evil\u001b[31mname', versions: { '1.0.0': {} } } as Manifest);
    assert.ok(logs.length > 0 && logs.every((l) => !l.includes('\u001b')), JSON.stringify(logs));
  });

  it('does not modify the manifest it is handed (Verdaccio may hold it)', async () => {
    const doc = manifest('lodahs', { '1.0.0': daysAgo(2) });
    const copy = structuredClone(doc);
    await filter({}).f.filter_metadata(doc);
    assert.deepEqual(doc, copy);
  });
});

describe('verdaccio filter: config', () => {
  for (const [config, error] of [
    [{ minReleaseAgeDays: -1 }, /filters\.slopguard\.minReleaseAgeDays: expected a number of days >= 0, got -1/],
    [{ minReleaseAgeDays: '3' }, /minReleaseAgeDays: expected a number of days >= 0, got "3"/],
    [{ failOn: 'never' }, /filters\.slopguard\.failOn: expected block or warn, got "never"/],
    [{ failClosed: 'yes' }, /filters\.slopguard\.failClosed: expected true or false, got "yes"/],
    [['x'], /expected a mapping/],
  ] as const) {
    it(`rejects ${JSON.stringify(config)}`, () => assert.throws(() => new SlopguardFilter(config), error));
  }

  it('accepts Verdaccio\'s own keys beside its own (Verdaccio merges the filter entry into its whole config)', () => {
    assert.doesNotThrow(() => new SlopguardFilter({ storage: '/x', uplinks: {}, minReleaseAgeDays: 2 }));
    assert.doesNotThrow(() => new SlopguardFilter(null));
  });
});

describe('verdaccio filter: the CommonJS entry Verdaccio require()s', () => {
  const require = createRequire(import.meta.url);
  const factory = require('../../../verdaccio/verdaccio-slopguard/index.cjs') as (c: unknown, o: unknown) => { filter_metadata(m: Manifest): Promise<Manifest> };

  it('is a factory (config, options) => plugin whose filter_metadata judges', async () => {
    assert.equal(typeof factory, 'function');
    const plugin = factory({}, { logger: { warn() {}, error() {} } });
    assert.deepEqual(versionsOf(await plugin.filter_metadata(manifest('lodahs', { '1.0.0': new Date().toISOString() }))), []);
  });

  it('with a bad config: logs the error and refuses every package rather than serve unguarded', async () => {
    const errors: string[] = [];
    const plugin = factory({ failOn: 'never' }, { logger: { warn() {}, error: (f: { err: string }) => errors.push(f.err) } });
    const out = await plugin.filter_metadata(manifest('slopguard-test-plain-widget', { '1.0.0': daysAgo(400) }));
    assert.deepEqual(versionsOf(out), []);
    assert.match(errors.join('\n'), /filters\.slopguard\.failOn: expected block or warn/);
  });
});
