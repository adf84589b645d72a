import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { escapeForTerminal } from '../../src/reporters/escape.js';
import { renderJson } from '../../src/reporters/json.js';
import { reasonLine } from '../../src/reporters/messages.js';
import { renderText } from '../../src/reporters/text.js';

const NOW = new Date('2026-11-26T00:00:00Z');
const report: Report = {
  schemaVersion: 1,
  summary: { checked: 2, ok: 1, warn: 0, block: 1, unknown: 0 },
  packages: [
    {
      ecosystem: 'npm',
      name: 'lodahs',
      verdict: 'block',
      findings: [
        { code: 'not-found', severity: 'block', message: '`lodahs` does not exist on npm' },
        { code: 'typo', severity: 'block', similarTo: 'lodash', message: '`lodahs` looks like `lodash`; did you mean `lodash`?' },
      ],
      origins: [{ file: 'package.json', line: 12 }],
    },
    {
      ecosystem: 'npm',
      name: 'express',
      verdict: 'ok',
      findings: [],
      origins: [],
      facts: { status: 'found', registry: 'r', created: '2010-12-29T00:00:00Z', weeklyDownloads: 40_000_000 },
    },
  ],
  notes: [{ level: 'info', code: 'not-registry', message: 'git dependency, not looked up', origin: { file: 'package.json', line: 20 } }],
};

describe('text report', () => {
  it('shows verdict, name, reasons, facts and origins; no colour off a TTY', () => {
    const text = renderText(report, { color: false }, NOW);
    assert.match(text, /^BLOCK +npm:lodahs/m);
    assert.match(text, /- `lodahs` does not exist on npm/);
    assert.match(text, /at package\.json:12/);
    assert.match(text, /^OK +npm:express +15 years old · 40,000,000 downloads\/week/m);
    assert.match(text, /note package\.json:20: git dependency/);
    assert.match(text, /2 checked: 1 ok, 0 warn, 1 block, 0 unknown/);
    assert.doesNotMatch(text, /\u001b/);
  });

  it('uses colour when asked', () => {
    assert.match(renderText(report, { color: true }, NOW), /\u001b\[31m/);
  });

  it('can hide ok packages (wrappers)', () => {
    assert.doesNotMatch(renderText(report, { color: false, showOk: false }, NOW), /express/);
  });

  it('escapes control characters, ANSI, OSC 8 and bidi overrides from untrusted strings', () => {
    const hostile: Report = {
      ...report,
      packages: [{ ...report.packages[0]!, name: 'evil\u001b[2J\u202e', findings: [{ code: 'deprecated', severity: 'warn', message: 'x \u001b]8;;http://e\u0007link\u001b]8;;\u0007 \u200b' }] }],
    };
    const text = renderText(hostile, { color: false }, NOW);
    assert.doesNotMatch(text, /[\u001b\u0007\u202e\u200b]/);
    assert.match(text, /evil\\u\{1b\}\[2J\\u\{202e\}/);
  });
});

describe('escapeForTerminal', () => {
  it('keeps printable text, including non-Latin letters', () => {
    assert.equal(escapeForTerminal('café 日本 ok'), 'café 日本 ok');
  });
  it('escapes newlines so one finding is one line', () => {
    assert.equal(escapeForTerminal('a\nb'), 'a\\u{a}b');
  });
});

describe('JSON report', () => {
  it('is one schema-v1 document with codes, similarTo and origins', () => {
    const doc = JSON.parse(renderJson(report));
    assert.equal(doc.schemaVersion, 1);
    assert.deepEqual(doc.summary, report.summary);
    assert.equal(doc.packages[0].findings[1].similarTo, 'lodash');
    assert.deepEqual(doc.packages[0].origins, [{ file: 'package.json', line: 12 }]);
  });
  it('escapes bidi and invisible characters but stays valid JSON', () => {
    const text = renderJson({ ...report, packages: [{ ...report.packages[0]!, name: 'a\u202eb' }] });
    assert.doesNotMatch(text, /\u202e/);
    assert.equal(JSON.parse(text).packages[0].name, 'a\u202eb');
  });
});

describe('reason line for hooks and wrappers', () => {
  it('combines not-found with the suggestion', () => {
    assert.equal(reasonLine(report.packages[0]!), '`lodahs` does not exist on npm; did you mean `lodash`?');
  });
});
