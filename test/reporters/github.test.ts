import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeData, escapeProperty, renderGithub, workflowCommand } from '../../src/reporters/github.js';
import { render } from '../../src/reporters/index.js';
import { sampleReport } from './sarif-fixture-report.js';

describe('GitHub annotations reporter', () => {
  it('escapes data and properties as the Actions runner expects', () => {
    assert.equal(escapeData('50%\r\nnext'), '50%25%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
    assert.equal(workflowCommand('error', { file: 'a,b.json', line: 3, col: undefined }, 'x'), '::error file=a%2Cb.json,line=3::x');
  });

  it('annotates a blocked package once per file, at its first line, with the reason and suggestion', () => {
    const out = renderGithub(sampleReport());
    const lodahs = out.split('\n').filter((l) => l.includes('lodahs'));
    assert.deepEqual(
      lodahs.map((l) => /^::(\w+) file=([^,]+),line=(\d+)/.exec(l)?.slice(1)),
      [['error', 'package.json', '12'], ['error', 'package-lock.json', '40'], ['error', 'packages/web app/package.json', '3']],
    );
    assert.match(lodahs[0]!, /col=5,endColumn=13,title=slopguard%3A npm package lodahs blocked::`lodahs` does not exist on npm; did you mean `lodash`\?$/);
  });

  it('warns for warn and unverified packages, errors for unreadable files, skips ok packages and info notes', () => {
    const lines = renderGithub(sampleReport()).trimEnd().split('\n');
    assert.ok(lines.some((l) => l.startsWith('::warning file=requirements.txt,line=4,') && l.includes('fresh-thing')));
    assert.ok(lines.some((l) => l.startsWith('::warning title=') && l.includes('flaky')));
    assert.ok(lines.some((l) => l.startsWith('::error file=yarn.lock,line=7,')));
    assert.ok(!lines.some((l) => l.includes('express')));
    assert.ok(!lines.some((l) => l.includes('git dependency')));
    assert.equal(lines.at(-1), 'slopguard: 4 checked: 1 ok, 1 warn, 1 block, 1 unknown');
  });

  it('cannot be tricked into a second command by registry text', () => {
    const lines = renderGithub(sampleReport()).trimEnd().split('\n');
    const flaky = lines.filter((l) => l.includes('flaky'));
    assert.equal(flaky.length, 1);
    // CR/LF never reach the output raw, so `::error::injected` stays inside the one message.
    assert.ok(!lines.some((l) => l.startsWith('::error::injected')));
    assert.match(flaky[0]!, /50%25,/);
  });

  it('is registered as --format github', () => {
    assert.equal(render(sampleReport(), 'github', { color: false, now: new Date() }), renderGithub(sampleReport()));
  });
});
