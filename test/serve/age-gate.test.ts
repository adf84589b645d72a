import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateJsonApi, gateNpmDocument, gateSimpleHtml, gateSimpleJson, uploadTimesFromJsonApi } from '../../src/serve/age-gate.js';

/** The age gate on each document shape, with a pinned cutoff (no clock). */
const CUTOFF = Date.parse('2026-12-01T00:00:00Z');
const OLD = '2026-11-01T00:00:00.000Z';
const YOUNG = '2026-12-03T00:00:00.000Z';

describe('age gate: npm packuments', () => {
  const doc = {
    name: 'p',
    'dist-tags': { latest: '2.0.0', next: '3.0.0-rc.1', legacy: '1.0.0' },
    versions: { '1.0.0': { version: '1.0.0' }, '1.1.0': { version: '1.1.0' }, '2.0.0': { version: '2.0.0' }, '3.0.0-rc.1': { version: '3.0.0-rc.1' }, '0.9.0': { version: '0.9.0' } },
    time: { created: OLD, modified: YOUNG, '1.0.0': OLD, '1.1.0': '2026-11-02T00:00:00.000Z', '2.0.0': YOUNG, '3.0.0-rc.1': YOUNG },
  };
  for (const [label, dropUnknown, kept, removed] of [
    ['keeps a version without a time by default', false, ['1.0.0', '1.1.0', '0.9.0'], ['2.0.0', '3.0.0-rc.1']],
    ['drops it under --fail-closed', true, ['1.0.0', '1.1.0'], ['2.0.0', '3.0.0-rc.1', '0.9.0']],
  ] as const) {
    it(label, () => {
      const g = gateNpmDocument(doc, { cutoffMs: CUTOFF, dropUnknown });
      assert.deepEqual(Object.keys(g.doc.versions as object), kept);
      assert.deepEqual(g.removed, removed);
      assert.deepEqual(g.unknown, ['0.9.0']);
      // Tags on removed versions move to the newest remaining release; others stay.
      assert.deepEqual(g.doc['dist-tags'], { latest: '1.1.0', next: '1.1.0', legacy: '1.0.0' });
      assert.equal((g.doc.time as Record<string, string>)['2.0.0'], undefined);
      assert.equal((g.doc.time as Record<string, string>).created, OLD);
    });
  }
  it('leaves the shared input document unmodified, and returns it as is when nothing is young', () => {
    const before = JSON.stringify(doc);
    gateNpmDocument(doc, { cutoffMs: CUTOFF, dropUnknown: true });
    assert.equal(JSON.stringify(doc), before);
    const g = gateNpmDocument(doc, { cutoffMs: Date.parse('2027-01-01'), dropUnknown: false });
    assert.equal(g.doc, doc);
    assert.equal(g.kept, 5);
  });
  it('counts nothing kept when every version is young', () => {
    const g = gateNpmDocument({ versions: { '1.0.0': {} }, time: { '1.0.0': YOUNG }, 'dist-tags': { latest: '1.0.0' } }, { cutoffMs: CUTOFF, dropUnknown: false });
    assert.equal(g.kept, 0);
    assert.deepEqual(g.doc['dist-tags'], {});
  });
});

describe('age gate: PyPI pages', () => {
  const jsonApi = {
    info: { version: '2.0' },
    releases: {
      '1.0': [{ filename: 'p-1.0.tar.gz', upload_time_iso_8601: OLD }],
      '2.0': [{ filename: 'p-2.0.tar.gz', upload_time_iso_8601: YOUNG }, { filename: 'p-2.0-py3-none-any.whl', upload_time_iso_8601: YOUNG }],
    },
    urls: [{ filename: 'p-2.0.tar.gz' }],
  };
  it('reads upload times by file name from the JSON API', () => {
    assert.deepEqual([...uploadTimesFromJsonApi(jsonApi).keys()], ['p-1.0.tar.gz', 'p-2.0.tar.gz', 'p-2.0-py3-none-any.whl']);
  });
  it('gates a PEP 503 HTML page by anchor text', () => {
    const html = '<html><body>\n<a href="/f/p-1.0.tar.gz#sha256=aa">p-1.0.tar.gz</a><br>\n<a href="/f/p-2.0.tar.gz#sha256=bb">p-2.0.tar.gz</a><br/>\n<a href="/f/p-3.0.tar.gz">p-3.0.tar.gz</a>\n</body></html>';
    const g = gateSimpleHtml(html, uploadTimesFromJsonApi(jsonApi), { cutoffMs: CUTOFF, dropUnknown: false });
    assert.deepEqual(g.removed, ['p-2.0.tar.gz']);
    assert.deepEqual(g.unknown, ['p-3.0.tar.gz']);
    assert.match(g.doc, /p-1\.0\.tar\.gz/);
    assert.doesNotMatch(g.doc, /p-2\.0/);
    assert.equal(gateSimpleHtml(html, uploadTimesFromJsonApi(jsonApi), { cutoffMs: CUTOFF, dropUnknown: true }).kept, 1);
  });
  it('gates a PEP 691 JSON page by upload-time, falling back to the JSON API times', () => {
    const page = { files: [{ filename: 'p-1.0.tar.gz', 'upload-time': OLD }, { filename: 'p-2.0.tar.gz' }, { filename: 'p-2.0-py3-none-any.whl', 'upload-time': YOUNG }] };
    const g = gateSimpleJson(page, uploadTimesFromJsonApi(jsonApi), { cutoffMs: CUTOFF, dropUnknown: false });
    assert.deepEqual((g.doc.files as Array<{ filename: string }>).map((f) => f.filename), ['p-1.0.tar.gz']);
  });
  it('gates the JSON API: young files out, info.version and urls moved to the newest remaining release', () => {
    const g = gateJsonApi(jsonApi, { cutoffMs: CUTOFF, dropUnknown: false });
    assert.deepEqual(Object.keys(g.doc.releases as object), ['1.0']);
    assert.equal((g.doc.info as { version: string }).version, '1.0');
    assert.deepEqual(g.doc.urls, [{ filename: 'p-1.0.tar.gz', upload_time_iso_8601: OLD }]);
  });
});
