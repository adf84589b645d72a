import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ExtractResult } from '../../../src/core/types.js';
import { extractText, textKindOf } from '../../../src/extractors/text/free-text.js';

/** test/fixtures/text/ in the source tree (from dist/test/extractors/text/). */
const FIXTURES = new URL('../../../../test/fixtures/text/', import.meta.url);

function run(kase: string, file: string): ExtractResult {
  return extractText({ path: file, text: readFileSync(new URL(`${kase}/${file}`, FIXTURES), 'utf8') });
}

/** `ecosystem:name@line:column` for every ref, in order. */
function at(r: ExtractResult): string[] {
  return r.refs.map((x) => `${x.ecosystem}:${x.name}@${x.origin?.line}:${x.origin?.column}`);
}

/** The text at a ref's origin, to check origins land on the name itself. */
function textAt(kase: string, file: string, line: number, column: number, length: number): string {
  const lines = readFileSync(new URL(`${kase}/${file}`, FIXTURES), 'utf8').split('\n');
  return (lines[line - 1] ?? '').slice(column - 1, column - 1 + length);
}

describe('extractText: an agent answer in Markdown', () => {
  const r = run('agent-answer', 'answer.md');

  it('finds commands in code blocks, inline code and prose lines, and imports in code blocks', () => {
    assert.deepEqual(at(r), [
      'npm:express@6:15',
      'npm:cors@6:23',
      'npm:typescript@7:10',
      'npm:@types/express@7:21',
      'npm:zod@10:36',
      'npm:prisma@10:54',
      'npm:helmet@12:13',
      'pypi:fastapi@17:33',
      'pypi:uvicorn@17:42',
      'pypi:httpx@20:15',
      'pypi:ruff@21:39',
      'pypi:PyYAML@25:8',
      'pypi:beautifulsoup4@26:6',
      'npm:express@30:22',
      'npm:zod@31:20',
    ]);
  });

  it('every origin points at the name as written (or the import name)', () => {
    for (const ref of r.refs) {
      const o = ref.origin!;
      const written = textAt('agent-answer', 'answer.md', o.line!, o.column!, o.endColumn! - o.column!);
      assert.equal(written, ref.importName ?? ref.name, JSON.stringify(ref));
    }
  });

  it('says where each came from', () => {
    assert.deepEqual([...new Set(r.refs.map((x) => x.origin?.context))], ['npm install', 'pnpm add', 'npx exec', 'pip install', 'uv add', 'import']);
    assert.deepEqual(r.notes, []);
  });
});

describe('extractText: whole files by path', () => {
  const CASES: Array<[string, string, string[]]> = [
    ['dockerfile', 'Dockerfile', ['pypi:gunicorn@6:7', 'pypi:flask@8:7', 'pypi:celery@9:25', 'pypi:redis@11:13']],
    ['github-workflow', '.github/workflows/ci.yml', ['npm:c8@10:36', 'pypi:pip@13:43', 'pypi:pytest-cov@14:23', 'pypi:tox@15:13', 'pypi:pre-commit@19:11', 'npm:eslint@20:25']],
    ['gitlab-ci', '.gitlab-ci.yml', ['pypi:poetry@3:17', 'pypi:pytest-xdist@7:30', 'pypi:coverage@10:9']],
    ['shell-script', 'setup.sh', ['npm:pnpm@4:18', 'npm:turbo@7:30', 'pypi:black@12:44']],
    ['makefile', 'Makefile', ['pypi:wheel@4:15', 'npm:prettier@7:12']],
    ['console-transcript', 'transcript.md', ['npm:left-pad@2:15', 'pypi:six@5:15', 'npm:is-odd@9:26']],
    ['unclosed-fence', 'answer.md', ['npm:axios@4:13', 'pypi:requests@5:13']],
    ['python-source', 'app.py', ['pypi:requests@11:8', 'pypi:numpy@12:8', 'pypi:scikit-learn@13:6', 'pypi:orjson@17:12']],
    ['notebook', 'analysis.ipynb', ['pypi:plotly@8:32', 'pypi:pandas@19:13', 'pypi:seaborn@20:13', 'pypi:seaborn@17:19', 'pypi:statsmodels@18:19']],
  ];
  for (const [kase, file, want] of CASES) {
    it(`${kase}: ${file}`, () => {
      const r = run(kase, file);
      assert.deepEqual(at(r), want);
      if (kase === 'notebook') return; // origins point into JSON strings, checked below
      for (const ref of r.refs) {
        const o = ref.origin!;
        assert.equal(textAt(kase, file, o.line!, o.column!, o.endColumn! - o.column!), ref.importName ?? ref.name, JSON.stringify(ref));
      }
    });
  }

  it('notebook origins point into the JSON string of the source line', () => {
    const r = run('notebook', 'analysis.ipynb');
    for (const ref of r.refs) {
      const o = ref.origin!;
      assert.equal(textAt('notebook', 'analysis.ipynb', o.line!, o.column!, o.endColumn! - o.column!), ref.importName ?? ref.name);
    }
  });

  it('a shell variable in a RUN line is noted, not looked up', () => {
    const r = run('dockerfile', 'Dockerfile');
    assert.deepEqual(
      r.notes.map((n) => [n.code, n.origin.line]),
      [['skipped', 14]],
    );
  });

  it('conda and a requirement file are not package names', () => {
    const r = extractText({ path: 'x.sh', text: 'conda install numpy\npip install -r requirements.txt' });
    assert.deepEqual(r.refs, []);
    assert.deepEqual(r.notes.map((n) => n.code), ['unsupported']);
  });

  it('textKindOf', () => {
    const kinds = ['Dockerfile', 'api.Dockerfile', 'Containerfile', 'Makefile', 'a/b.yml', 'x.yaml', 'a.ipynb', 'a.tsx', 'b.mjs', 'c.py', 'd.sh', 'README.md', '<stdin>', 'package.json', 'requirements-dev.txt'].map((p) => textKindOf(p));
    assert.deepEqual(kinds, ['dockerfile', 'dockerfile', 'dockerfile', 'makefile', 'yaml', 'yaml', 'notebook', 'js', 'js', 'python', 'shell', 'markdown', 'markdown', 'manifest', 'manifest']);
    assert.equal(textKindOf('bin/setup', '#!/usr/bin/env bash\nnpm ci'), 'shell');
    assert.equal(textKindOf('bin/tool', '#!/usr/bin/python3\nimport x'), 'python');
  });
});

describe('extractText: a manifest snippet in a notebook Markdown cell', () => {
  it('is located in the notebook, escapes in the JSON string accounted for', () => {
    const nb = JSON.stringify({ cells: [{ cell_type: 'markdown', source: ['Add to package.json:\n', '```json\n', '{"dependencies": {"express": "^4"}}\n', '```\n'] }] }, null, 1);
    const r = extractText({ path: 'x.ipynb', text: nb });
    const o = r.refs[0]?.origin;
    assert.equal(r.refs.length, 1);
    assert.equal(nb.split('\n')[o!.line! - 1]!.slice(o!.column! - 1, o!.endColumn! - 1), 'express');
  });
});

describe('extractText: manifest snippets in an answer', () => {
  const r = run('manifest-snippets', 'answer.md');

  it('reads package.json fragments, pyproject and requirements blocks at their lines', () => {
    assert.deepEqual(
      r.refs.map((x) => `${x.ecosystem}:${x.name}${x.alias ? `<-${x.alias}` : ''}${x.source ? ` [${x.source}]` : ''}@${x.origin?.line}`),
      ['npm:express@5', 'npm:string-width<-sw@6', 'npm:local [directory]@7', 'pypi:httpx@17', 'pypi:rich@18', 'pypi:numpy@25', 'pypi:pandas@26'],
    );
    assert.ok(r.refs.every((x) => x.origin?.file === 'answer.md'));
  });

  it('a snippet never makes the run fail (no error notes)', () => {
    assert.ok(r.notes.every((n) => n.level !== 'error'));
    assert.deepEqual(r.notes.map((n) => n.code), ['not-registry']);
  });

  it('a snippet too broken to parse is read line by line', () => {
    const broken = extractText({ path: 'a.md', text: '```json\n"scripts": {\n  "build": "tsc"\n},\n"devDependencies": {\n  "vitest": "^1.6.0",\n```\n' });
    assert.deepEqual(at(broken), ['npm:vitest@6:4']);
  });
});

describe('extractText: unhappy input', () => {
  it('empty text', () => assert.deepEqual(extractText({ path: 'a.md', text: '' }), { refs: [], notes: [] }));

  it('prose that merely mentions tools gives nothing', () => {
    const r = extractText({ path: 'a.md', text: 'npm is a package manager.\nUse pip when you can.\nI like yarn and bun.\n' });
    assert.deepEqual(r.refs, []);
  });

  it('a prose command stops at the first English word', () => {
    const r = extractText({ path: 'a.md', text: 'pip install requests and then run it.\nnpm install lodash.' });
    assert.deepEqual(at(r), ['pypi:requests@1:13', 'npm:lodash@2:13']);
  });

  it('a broken notebook is an error note, not a crash', () => {
    const r = extractText({ path: 'x.ipynb', text: '{"cells": [' });
    assert.deepEqual(r.notes.map((n) => [n.level, n.code]), [['error', 'malformed']]);
  });

  it('a huge single line does not hang', () => {
    const text = `\`npm install ${'a'.repeat(200_000)}\` and ${'`'.repeat(10_000)}`;
    const r = extractText({ path: 'a.md', text });
    assert.equal(r.refs.length, 0); // 200,000 characters is no npm name
    assert.equal(r.notes[0]?.code, 'invalid-name');
  });

  it('CRLF answers keep their line numbers', () => {
    const r = extractText({ path: 'a.md', text: 'Intro\r\n\r\n```bash\r\nnpm i zod\r\n```\r\n' });
    assert.deepEqual(at(r), ['npm:zod@4:7']);
  });
});
