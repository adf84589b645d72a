import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { RegistrySettings } from '../../src/core/types.js';
import type { Decision } from '../../src/serve/context.js';
import { ServeMetrics } from '../../src/serve/metrics.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { npmPackage, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';

/**
 * `GET /metrics` after real traffic through the guard (in-process, fixture registry): every line
 * parses as the Prometheus text format, each family has HELP and TYPE before its samples, and the
 * counters move by exactly what the requests did. The latency clock is injected (7 ms per upstream
 * exchange), so the histogram's sum is exact rather than wall time.
 */

const NOW = new Date();
const STEP_MS = 7;

/** One sample: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"/g;

/** A strict parser for the text exposition format: throws on any line it does not accept. */
function parse(text: string): { samples: Sample[]; types: Map<string, string> } {
  assert.ok(text.endsWith('\n'), 'the scrape ends with a line feed');
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helped = new Set<string>();
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'HELP') helped.add(meta[2]!);
      else {
        assert.ok(['counter', 'histogram', 'gauge', 'summary'].includes(meta[3]!), `line ${i + 1}: type ${meta[3]}`);
        assert.ok(helped.has(meta[2]!), `line ${i + 1}: TYPE after HELP`);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    assert.ok(m, `line ${i + 1} is not a sample: ${JSON.stringify(line)}`);
    const family = m[1]!.replace(/_(bucket|sum|count)$/, (s) => (types.get(m[1]!.slice(0, -s.length)) === 'histogram' ? '' : s));
    assert.ok(types.has(family), `line ${i + 1}: ${m[1]} has no TYPE before it`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(["\\n])/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const total = (samples: Sample[], name: string, where: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

describe('serve: GET /metrics', () => {
  let reg: FixtureRegistry;
  let guard: RunningServer;
  const decisions: Decision[] = [];
  let ticks = 0;

  before(async () => {
    reg = await startFixtureRegistry({
      npm: ['sg-m-one', 'sg-m-two'].map((name) => npmPackage({ name, created: '2019-01-01', weeklyDownloads: 5_000, repository: 'https://example.test/r' })),
      missing: { npm: ['sg-m-nosuch'] },
    });
    const registries: RegistrySettings = { npmRegistry: `${reg.url}/`, npmScopes: {}, npmrc: {}, npmDownloadsApi: reg.url, pypiUrl: reg.url, pypistatsApi: reg.url };
    guard = await startServer({
      port: 0,
      registries,
      check: { noCache: true, env: {}, cwd: tmpdir(), timeoutMs: 3_000, now: () => NOW },
      log: () => {},
      onDecision: (d) => void decisions.push(d),
      // Every reading is STEP_MS after the previous one: an exchange measures exactly STEP_MS.
      clock: () => (ticks += STEP_MS),
    });
  });
  after(async () => {
    await guard?.close();
    reg?.assertNoUnexpectedRequests();
    await reg?.close();
  });

  const scrape = async () => {
    const r = await fetch(`${guard.url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parse(await r.text());
  };

  it('before any traffic: every family is declared, the cache counters are 0', async () => {
    const { samples, types } = await scrape();
    assert.deepEqual([...types.entries()], [
      ['slopguard_serve_requests_total', 'counter'],
      ['slopguard_serve_decisions_total', 'counter'],
      ['slopguard_serve_verdicts_total', 'counter'],
      ['slopguard_serve_upstream_requests_total', 'counter'],
      ['slopguard_serve_upstream_duration_seconds', 'histogram'],
      ['slopguard_serve_verdict_cache_hits_total', 'counter'],
      ['slopguard_serve_verdict_cache_misses_total', 'counter'],
    ]);
    assert.equal(total(samples, 'slopguard_serve_verdict_cache_hits_total'), 0);
    assert.equal(total(samples, 'slopguard_serve_verdict_cache_misses_total'), 0);
    assert.equal(total(samples, 'slopguard_serve_upstream_requests_total'), 0);
  });

  it('counters move by what the requests did', async () => {
    const before = (await scrape()).samples;
    // Three packuments of one package (one judged, two from memory), one of another, one missing
    // name, one hostile name, one /v1/check of a name already judged, one unknown path.
    // Distinct names one after another, so no two upstream exchanges read the clock in between
    // each other's readings; then two concurrent repeats answered from memory.
    const paths = ['/npm/sg-m-one', '/npm/sg-m-two', '/npm/sg-m-nosuch', `/npm/${encodeURIComponent('evil"} 1\n# TYPE x counter\\')}`, '/nowhere'];
    const answers: Response[] = [];
    for (const p of paths) {
      const r = await fetch(`${guard.url}${p}`);
      await r.arrayBuffer();
      answers.push(r);
    }
    const repeats = await Promise.all([fetch(`${guard.url}/npm/sg-m-one`), fetch(`${guard.url}/npm/sg-m-one`)]);
    await Promise.all(repeats.map((a) => a.arrayBuffer()));
    answers.splice(1, 0, ...repeats);
    const checked = await fetch(`${guard.url}/v1/check`, { method: 'POST', body: JSON.stringify({ specs: ['npm:sg-m-two'] }) });
    assert.equal(checked.status, 200);
    await checked.arrayBuffer();
    const statuses = answers.map((a) => a.status);
    assert.deepEqual(statuses.slice(0, 4), [200, 200, 200, 200]);
    assert.deepEqual(statuses.slice(5), [400, 404]);

    const { samples } = await scrape();
    const delta = (name: string, where: Record<string, string> = {}) => total(samples, name, where) - total(before, name, where);
    assert.equal(delta('slopguard_serve_requests_total', { route: '/npm/', status: '200' }), 4);
    assert.equal(delta('slopguard_serve_requests_total', { route: '/npm/', status: String(statuses[4]) }), 1);
    assert.equal(delta('slopguard_serve_requests_total', { route: '/npm/', status: '400' }), 1);
    assert.equal(delta('slopguard_serve_requests_total', { route: 'none', status: '404' }), 1);
    assert.equal(delta('slopguard_serve_requests_total', { route: '/v1/check', status: '200' }), 1);
    // The metrics scrape before this one counted itself once it finished.
    assert.equal(delta('slopguard_serve_requests_total', { route: '/metrics', status: '200' }), 1);

    // Decisions: the same counts as the decision log, by kind.
    const byKind = new Map<string, number>();
    for (const d of decisions) byKind.set(`${d.ecosystem} ${d.decision}`, (byKind.get(`${d.ecosystem} ${d.decision}`) ?? 0) + 1);
    for (const [k, n] of byKind) {
      const [ecosystem, decision] = k.split(' ') as [string, string];
      assert.equal(total(samples, 'slopguard_serve_decisions_total', { ecosystem, decision }), n, k);
    }
    assert.equal(total(samples, 'slopguard_serve_decisions_total'), decisions.length);
    assert.equal(total(samples, 'slopguard_serve_verdicts_total', { ecosystem: 'npm', verdict: 'ok' }), decisions.filter((d) => d.verdict === 'ok').length);
    assert.ok(total(samples, 'slopguard_serve_verdicts_total', { ecosystem: 'npm', verdict: 'ok' }) >= 5, 'three + one packuments and one check were ok');
    assert.equal(total(samples, 'slopguard_serve_decisions_total', { ecosystem: 'npm', decision: 'invalid-name' }), 1, 'the hostile name was refused as invalid');
    // No package name ever becomes a label (a client could grow the scrape without bound).
    assert.ok(!samples.some((s) => Object.values(s.labels).some((v) => v.includes('sg-m-') || v.includes('evil'))));

    // Upstream: one packument per distinct valid name (the hostile one is never sent).
    assert.equal(delta('slopguard_serve_upstream_requests_total', { kind: 'npm-packument' }), 3);
    assert.equal(reg.count((r) => r.path === '/sg-m-one'), 1);
    assert.equal(delta('slopguard_serve_upstream_duration_seconds_count', { kind: 'npm-packument' }), 3);
    // The download counts are fetched beside each packument, so their clock readings interleave:
    // each exchange lasts a whole number of steps, at least one.
    // The downloads lookup is timed as one `npm-downloads` exchange (single or bulk requests).
    const downloadRequests = delta('slopguard_serve_upstream_requests_total', { kind: 'npm-downloads-bulk' }) + delta('slopguard_serve_upstream_requests_total', { kind: 'npm-downloads-single' });
    assert.equal(delta('slopguard_serve_upstream_duration_seconds_count', { kind: 'npm-downloads' }), downloadRequests);
    for (const kind of ['npm-packument', 'npm-downloads']) {
      const count = delta('slopguard_serve_upstream_duration_seconds_count', { kind });
      assert.ok(count >= 1, kind);
      const steps = (delta('slopguard_serve_upstream_duration_seconds_sum', { kind }) * 1000) / STEP_MS;
      assert.ok(Math.abs(steps - Math.round(steps)) < 1e-6 && Math.round(steps) >= count, `${kind}: ${steps} steps for ${count} exchanges`);
      assert.equal(delta('slopguard_serve_upstream_duration_seconds_bucket', { kind, le: '0.005' }), 0, 'no exchange is shorter than one step');
      assert.equal(delta('slopguard_serve_upstream_duration_seconds_bucket', { kind, le: '+Inf' }), count);
      const buckets = samples.filter((s) => s.name === 'slopguard_serve_upstream_duration_seconds_bucket' && s.labels.kind === kind).map((s) => s.value);
      assert.deepEqual(buckets, [...buckets].sort((x, y) => x - y), 'buckets are cumulative');
    }

    // Verdict memo: 3 distinct valid names judged once each (misses); sg-m-one twice more and
    // sg-m-two once more (the check) from memory. The hostile name is refused before the memo.
    assert.equal(delta('slopguard_serve_verdict_cache_misses_total'), 3);
    assert.equal(delta('slopguard_serve_verdict_cache_hits_total'), 3);
  });

  it('refuses other methods with 405', async () => {
    const r = await fetch(`${guard.url}/metrics`, { method: 'POST', body: '' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    await r.arrayBuffer();
  });
});

describe('serve metrics: label values are escaped as the format requires', () => {
  const hostile = [
    ['a double quote', 'a"b'],
    ['a backslash', 'a\\b'],
    ['a line feed', 'a\nb'],
    ['a fake sample after a brace', 'x"} 1\nslopguard_serve_requests_total{route="y'],
    ['a trailing backslash', 'end\\'],
    ['non-ASCII', 'naïve-包'],
  ] as const;
  for (const [what, value] of hostile) {
    it(`${what} round-trips and leaves every line parseable`, () => {
      const m = new ServeMetrics();
      m.requests.inc({ route: value, status: '200' });
      m.latency.observe({ kind: value }, 0.02);
      const { samples } = parse(m.render());
      const req = samples.filter((s) => s.name === 'slopguard_serve_requests_total');
      assert.deepEqual(req, [{ name: 'slopguard_serve_requests_total', labels: { route: value, status: '200' }, value: 1 }]);
      assert.equal(samples.filter((s) => s.name === 'slopguard_serve_upstream_duration_seconds_count' && s.labels.kind === value).length, 1);
    });
  }
});
