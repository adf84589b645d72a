import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from '../../src/reporters/index.js';
import { MARKDOWN_MARKER, mdCode, mdText, renderMarkdown } from '../../src/reporters/markdown.js';
import { sampleReport } from './sarif-fixture-report.js';

describe('Markdown reporter (PR comment)', () => {
  it('starts with the marker and a headline, then a table worst-first without ok packages', () => {
    const md = renderMarkdown(sampleReport());
    const lines = md.split('\n');
    assert.equal(lines[0], MARKDOWN_MARKER);
    assert.match(lines[1]!, /blocked 1 package$/);
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| Verdict') && !l.startsWith('| ---'));
    assert.deepEqual(rows.map((r) => r.split(' | ')[1]), ['`lodahs`', '`flaky`', '`pypi:fresh-thing`']);
    assert.match(rows[0]!, /did you mean `lodash`\?/);
    assert.match(rows[0]!, /`package\.json:12`<br>`package-lock\.json:40`<br>`package-lock\.json:90`<br>\+1 more/);
    assert.ok(!md.includes('express'));
    assert.match(md, /<details><summary>Notes<\/summary>/);
  });

  it('escapes pipes, HTML and control characters from untrusted text so the table holds', () => {
    const md = renderMarkdown(sampleReport());
    const flaky = md.split('\n').find((l) => l.includes('flaky'))!;
    assert.equal(flaky.split(/(?<!\\)\|/).length, 6, 'exactly four cells');
    assert.ok(!flaky.includes('<b>'));
    assert.match(flaky, /&lt;b&gt;/);
    assert.ok(!/[\r]/.test(md));
    assert.equal(mdText('a|b*c'), 'a\\|b\\*c');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`x'), '`` `x ``');
  });

  it('says so when nothing is wrong', () => {
    const md = renderMarkdown({ schemaVersion: 1, summary: { checked: 3, ok: 3, warn: 0, block: 0, unknown: 0 }, packages: [], notes: [] });
    assert.match(md, /no problems found/);
    assert.ok(!md.includes('| Verdict'));
  });

  it('is registered as --format markdown', () => {
    assert.equal(render(sampleReport(), 'markdown', { color: false, now: new Date() }), renderMarkdown(sampleReport()));
  });
});
