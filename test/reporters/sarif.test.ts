import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINDING_CODES } from '../../src/core/types.js';
import { render } from '../../src/reporters/index.js';
import { artifactUri, fingerprint, renderSarif } from '../../src/reporters/sarif.js';
import { sampleReport } from './sarif-fixture-report.js';
import { sarifValidator } from './sarif-schema.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine?: number; startColumn?: number } } }>;
  partialFingerprints: Record<string, string>;
}
interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; help: { text: string } }> } };
    results: SarifResult[];
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }>;
  }>;
}

const parse = (s: string) => JSON.parse(s) as SarifLog;

describe('SARIF reporter', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    const errors = sarifValidator()(parse(renderSarif(sampleReport(), { root: '/repo' })));
    assert.deepEqual(errors, []);
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const log = parse(renderSarif(sampleReport()));
    delete (log.runs[0]!.results[0] as Partial<SarifResult>).message;
    assert.notDeepEqual(sarifValidator()(log), []);
  });

  it('has one rule per finding code, each with help text; ruleIndex points at the rule', () => {
    const run = parse(renderSarif(sampleReport())).runs[0]!;
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), [...FINDING_CODES]);
    for (const r of run.tool.driver.rules) assert.ok(r.help.text.length > 20, r.id);
    for (const res of run.results) assert.equal(run.tool.driver.rules[res.ruleIndex]!.id, res.ruleId);
  });

  it('locates each finding once per file at its first line, with repo-relative encoded URIs', () => {
    const run = parse(renderSarif(sampleReport())).runs[0]!;
    const notFound = run.results.filter((r) => r.ruleId === 'not-found');
    assert.deepEqual(
      notFound.map((r) => [r.locations![0]!.physicalLocation.artifactLocation.uri, r.locations![0]!.physicalLocation.region?.startLine]),
      [['package.json', 12], ['package-lock.json', 40], ['packages/web%20app/package.json', 3]],
    );
    assert.equal(notFound[0]!.locations![0]!.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(notFound[0]!.level, 'error');
    assert.equal(run.results.find((r) => r.ruleId === 'too-new')!.level, 'warning');
    assert.equal(run.results.find((r) => r.ruleId === 'unverified')!.level, 'warning');
    // Info findings and ok packages are not alerts.
    assert.equal(run.results.filter((r) => r.ruleId === 'no-repository').length, 0);
    assert.equal(run.results.filter((r) => r.message.text.includes('express')).length, 0);
    // A package found nowhere in a file still gets a (location-less) result.
    assert.equal(run.results.find((r) => r.ruleId === 'unverified')!.locations, undefined);
  });

  it('fingerprints depend on ecosystem, name, code and file, never on the line', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.packages[0]!.origins[0]!.line = 99;
    const fa = parse(renderSarif(a)).runs[0]!.results.map((r) => r.partialFingerprints['slopguard/v1']);
    const fb = parse(renderSarif(b)).runs[0]!.results.map((r) => r.partialFingerprints['slopguard/v1']);
    assert.deepEqual(fa, fb);
    assert.equal(new Set(fa).size, fa.length, 'each result has its own fingerprint');
    const p = { ecosystem: 'npm' as const, name: 'x' };
    assert.notEqual(fingerprint(p, 'typo', 'a/package.json'), fingerprint(p, 'typo', 'b/package.json'));
    assert.notEqual(fingerprint(p, 'typo', 'package.json'), fingerprint({ ecosystem: 'pypi', name: 'x' }, 'typo', 'package.json'));
    assert.notEqual(fingerprint(p, 'typo', 'package.json'), fingerprint(p, 'not-found', 'package.json'));
  });

  it('makes absolute paths under the root relative, and others file:// URIs', () => {
    assert.deepEqual(artifactUri('/repo/sub/package.json', '/repo'), { uri: 'sub/package.json', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactUri('/elsewhere/package.json', '/repo'), { uri: 'file:///elsewhere/package.json' });
    assert.deepEqual(artifactUri('./a/b#c.txt'), { uri: 'a/b%23c.txt', uriBaseId: '%SRCROOT%' });
  });

  it('reports unreadable files as tool notifications and marks the run unsuccessful', () => {
    const inv = parse(renderSarif(sampleReport())).runs[0]!.invocations[0]!;
    assert.equal(inv.executionSuccessful, false);
    assert.ok(inv.toolExecutionNotifications.some((n) => n.level === 'error' && /unexpected token/.test(n.message.text)));
  });

  it('is registered as --format sarif, and an empty report is still a valid log', () => {
    const empty = render({ schemaVersion: 1, summary: { checked: 0, ok: 0, warn: 0, block: 0, unknown: 0 }, packages: [], notes: [] }, 'sarif', { color: false, now: new Date() });
    const log = parse(empty);
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(log.runs[0]!.results, []);
    assert.deepEqual(sarifValidator()(log), []);
  });
});
