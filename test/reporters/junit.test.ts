import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { which } from '../e2e/tools.js';

const HOSTILE = 'evil</testcase><testcase name="x"/>]]>&\u001b[31m\u0007\ud800';

const REPORT: Report = {
  schemaVersion: 1,
  summary: { checked: 4, ok: 1, warn: 1, block: 1, unknown: 1 },
  packages: [
    { ecosystem: 'npm', name: 'lodahs', verdict: 'block', findings: [{ code: 'not-found', severity: 'block', message: `\`lodahs\` does not exist on npm ${HOSTILE}` }], origins: [{ file: 'package.json', line: 5 }] },
    { ecosystem: 'npm', name: 'express', verdict: 'ok', findings: [], origins: [{ file: 'package.json', line: 4 }] },
    { ecosystem: 'pypi', name: 'fresh-thing', verdict: 'warn', findings: [{ code: 'too-new', severity: 'warn', message: 'first published 3 days ago' }], origins: [] },
    { ecosystem: 'pypi', name: 'unasked', verdict: 'unknown', findings: [{ code: 'unverified', severity: 'unknown', message: 'could not be checked on PyPI' }], origins: [] },
  ],
  notes: [{ level: 'error', code: 'refused', message: 'requirements.txt:3: -r /proc/self/environ is outside the repository', origin: { file: 'requirements.txt', line: 3 }, unverified: true }],
};

/** Python's own XML parser reads the document: proof it is well-formed, whatever the strings held. */
const PARSE = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
out = {"root": root.tag, "attrs": root.attrib, "cases": []}
for s in root.iter("testsuite"):
    for c in s.iter("testcase"):
        kinds = [k.tag for k in c]
        out["cases"].append({"suite": s.get("name"), "name": c.get("name"), "kinds": kinds, "message": next((k.get("message") for k in c if k.get("message")), None)})
print(json.dumps(out))
`;

describe('JUnit XML report', () => {
  const python = which('python3');
  it('is well-formed for a real XML parser, with block as failure, unknown and unreadable input as error, warn passing', { skip: python ? false : 'python3 is not installed' }, () => {
    const xml = renderJunit(REPORT);
    const r = spawnSync(python!, ['-c', PARSE], { input: xml, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { root: string; attrs: Record<string, string>; cases: Array<{ suite: string; name: string; kinds: string[]; message: string | null }> };
    assert.equal(doc.root, 'testsuites');
    assert.deepEqual(doc.attrs, { name: 'slopguard', tests: '5', failures: '1', errors: '2' });
    const by = new Map(doc.cases.map((c) => [c.name, c]));
    assert.deepEqual(by.get('lodahs')?.kinds, ['failure']);
    assert.deepEqual(by.get('express')?.kinds, []);
    assert.deepEqual(by.get('fresh-thing')?.kinds, ['system-out']);
    assert.deepEqual(by.get('unasked')?.kinds, ['error']);
    assert.deepEqual(by.get('requirements.txt:3')?.kinds, ['error']);
    // The hostile text arrives as text: no extra test case, no raw escape or bell.
    assert.equal(doc.cases.length, 5);
    assert.match(by.get('lodahs')!.message!, /evil<\/testcase>/);
    assert.doesNotMatch(xml, /\u001b|\u0007|\ud800/);
  });

  it('an empty report is still a document', () => {
    assert.match(renderJunit({ schemaVersion: 1, summary: { checked: 0, ok: 0, warn: 0, block: 0, unknown: 0 }, packages: [], notes: [] }), /<testsuites name="slopguard" tests="0" failures="0" errors="0"><\/testsuites>/);
  });
});
