import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ExtractResult } from '../../../src/core/types.js';
import { diffWantsWholeFile, extractDiff } from '../../../src/extractors/text/diff.js';
import { parseUnifiedDiff } from '../../../src/extractors/text/diff-parse.js';

const FIXTURES = new URL('../../../../test/fixtures/text/', import.meta.url);
const fixture = (path: string) => readFileSync(new URL(path, FIXTURES), 'utf8');
const tryFixture = (path: string) => {
  try {
    return fixture(path);
  } catch {
    return undefined;
  }
};

/** `ecosystem:name [source]@file:line`, sorted (files are independent). */
function added(r: ExtractResult): string[] {
  return r.refs.map((x) => `${x.ecosystem}:${x.name}${x.source ? ` [${x.source}]` : ''}@${x.origin?.file}:${x.origin?.line}`).sort();
}
const noteCodes = (r: ExtractResult) => r.notes.map((n) => `${n.code}@${n.origin.file}${n.origin.line ? `:${n.origin.line}` : ''}`).sort();

/** A git-style diff of one file. */
function gitDiff(path: string, hunk: string, header = ''): string {
  return `diff --git a/${path} b/${path}\n${header}--- a/${path}\n+++ b/${path}\n${hunk}`;
}

describe('extractDiff: a real git diff (fixture diff-repo)', () => {
  const diff = fixture('diff-repo/change.diff');
  const WANT = [
    'npm:eslint@package.json:17',
    'npm:expresss-validator@package.json:13',
    'npm:nanoid@util.ts:3',
    'npm:nodemon@Dockerfile:5',
    'pypi:PyYAML@app.py:3',
    'pypi:celery@requirements.txt:3',
    'pypi:numpy@helpers.py:2',
    'pypi:rich@README.md:4',
    'pypi:tool [git]@requirements.txt:4',
    'pypi:tox@.github/workflows/ci.yml:4',
  ];

  it('from the hunks alone: only what the diff adds, re-indented and re-ordered lines are not new', () => {
    const r = extractDiff(diff);
    assert.deepEqual(added(r), WANT);
    assert.deepEqual(noteCodes(r), ['ambiguous-import@app.py:4', 'binary-lockfile@bun.lockb', 'not-registry@requirements.txt:4']);
  });

  it('with the whole old and new files: the same answer', () => {
    const read: string[] = [];
    const reader = (side: string) => (p: string) => {
      const text = tryFixture(`diff-repo/${side}/${p}.fixture`);
      if (text !== undefined) read.push(`${side}/${p}`);
      return text;
    };
    const r = extractDiff(diff, { readOld: reader('old'), readNew: reader('new') });
    assert.deepEqual(added(r), WANT);
    assert.ok(read.includes('old/package.json') && read.includes('new/package.json'), `whole files were read: ${read.join(', ')}`);
  });

  it('a name moved from one file to another is not new (requests: app.py -> helpers.py)', () => {
    assert.ok(!added(extractDiff(diff)).some((x) => x.includes('requests')));
  });

  it('origins point at the name in the new file', () => {
    const r = extractDiff(diff);
    const eslint = r.refs.find((x) => x.name === 'eslint')!;
    assert.deepEqual(eslint.origin, { file: 'package.json', line: 17, column: 10, endColumn: 16, context: 'devDependencies' });
  });
});

describe('extractDiff: file-level cases', () => {
  const CASES: Array<[string, string, string[], string[]?]> = [
    ['a new file is read whole', 'diff --git a/package.json b/package.json\nnew file mode 100644\n--- /dev/null\n+++ b/package.json\n@@ -0,0 +1,3 @@\n+{\n+  "dependencies": { "left-pad": "1.3.0" }\n+}\n', ['npm:left-pad@package.json:2']],
    ['a deleted file adds nothing', 'diff --git a/requirements.txt b/requirements.txt\ndeleted file mode 100644\n--- a/requirements.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-flask\n', []],
    ['a pure rename adds nothing', 'diff --git a/req.txt b/requirements.txt\nsimilarity index 100%\nrename from req.txt\nrename to requirements.txt\n', []],
    ['a rename with an addition: origin on the new path', 'diff --git a/req.txt b/requirements/base.txt\nsimilarity index 80%\nrename from req.txt\nrename to requirements/base.txt\n--- a/req.txt\n+++ b/requirements/base.txt\n@@ -1 +1,2 @@\n flask\n+django\n', ['pypi:django@requirements/base.txt:2']],
    ['quoted paths with spaces and UTF-8', 'diff --git "a/my app/\\303\\251.py" "b/my app/\\303\\251.py"\n--- "a/my app/\\303\\251.py"\n+++ "b/my app/\\303\\251.py"\n@@ -0,0 +1 @@\n+import httpx\n', ['pypi:httpx@my app/é.py:1']],
    ['CRLF diff', gitDiff('requirements.txt', '@@ -1 +1,2 @@\n flask\n+rich\n').replace(/\n/g, '\r\n'), ['pypi:rich@requirements.txt:2']],
    ['no newline at end of file', gitDiff('requirements.txt', '@@ -1 +1 @@\n-flask\n\\ No newline at end of file\n+flask\n+typer\n\\ No newline at end of file\n'), ['pypi:typer@requirements.txt:2']],
    ['binary files are skipped', 'diff --git a/img.png b/img.png\nindex 1..2 100644\nGIT binary patch\nliteral 10\nRcmZ?wbhEHbRA6M\n\nliteral 0\nHcmV?d00001\n\ndiff --git a/r.txt b/requirements.txt\n--- a/requirements.txt\n+++ b/requirements.txt\n@@ -0,0 +1 @@\n+anyio\n', ['pypi:anyio@requirements.txt:1']],
    ['a removed line starting with "-- " is not a header', gitDiff('schema.sql.md', '@@ -1,2 +1,2 @@\n--- a comment\n+-- npm install nope\n npm i kept\n'), []],
    ['other file types are not read', gitDiff('main.go', '@@ -0,0 +1 @@\n+// npm install nope\n'), []],
    ['a line continued from context is read whole', gitDiff('Dockerfile', '@@ -1,2 +1,3 @@\n RUN pip install \\\n+    uvicorn \\\n     fastapi\n'), ['pypi:uvicorn@Dockerfile:2']],
    ['re-sorted requirements add nothing', gitDiff('requirements.txt', '@@ -1,3 +1,3 @@\n-b\n-a\n-c\n+a\n+b\n+c\n'), []],
    ['a version bump is not a new package', gitDiff('requirements.txt', '@@ -1 +1 @@\n-flask==2.0\n+flask==3.0\n'), []],
    ['a typo fix adds the fixed name', gitDiff('requirements.txt', '@@ -1 +1 @@\n-reqeusts\n+requests\n'), ['pypi:requests@requirements.txt:1']],
  ];
  for (const [what, diff, want, notes] of CASES) {
    it(what, () => {
      const r = extractDiff(diff);
      assert.deepEqual(added(r), want);
      if (notes) assert.deepEqual(noteCodes(r), notes);
    });
  }
});

describe('extractDiff: lockfile and manifest hunks read line by line', () => {
  const CASES: Array<[string, string, string, string[]]> = [
    ['package-lock v3', 'package-lock.json', '@@ -10,6 +10,11 @@\n       "version": "1.0.0"\n     },\n+    "node_modules/@scope/new-dep": {\n+      "version": "2.0.0",\n+      "resolved": "https://registry.npmjs.org/@scope/new-dep/-/new-dep-2.0.0.tgz"\n+    },\n     "node_modules/old": {\n', ['npm:@scope/new-dep@package-lock.json:12', 'npm:@scope/new-dep@package-lock.json:14']],
    ['yarn.lock', 'yarn.lock', '@@ -5,3 +5,8 @@\n   integrity sha512-x\n \n+"is-odd@^3.0.1", is-odd@^3.0.0:\n+  version "3.0.1"\n+  resolved "https://registry.yarnpkg.com/is-odd/-/is-odd-3.0.1.tgz"\n+\n', ['npm:is-odd@yarn.lock:7']],
    ['pnpm-lock v9', 'pnpm-lock.yaml', '@@ -20,3 +20,6 @@\n packages:\n \n+  nanoid@5.0.7:\n+    resolution: {integrity: sha512-x}\n+\n   zod@3.23.8:\n', ['npm:nanoid@pnpm-lock.yaml:22']],
    ['bun.lock', 'bun.lock', '@@ -8,2 +8,3 @@\n   "packages": {\n+    "hono": ["hono@4.5.0", "", {}, "sha512-x"],\n     "zod": ["zod@3.23.8", "", {}, "sha512-y"],\n', ['npm:hono@bun.lock:9']],
    ['poetry.lock', 'poetry.lock', '@@ -1,2 +1,7 @@\n [[package]]\n+name = "rich"\n+version = "13.7.1"\n+\n+[[package]]\n name = "click"\n', ['pypi:rich@poetry.lock:2']],
    ['uv.lock', 'uv.lock', '@@ -3,2 +3,5 @@\n [[package]]\n+name = "anyio"\n+version = "4.4.0"\n+\n name = "idna"\n', ['pypi:anyio@uv.lock:4']],
    ['pyproject, array entries', 'pyproject.toml', '@@ -4,3 +4,4 @@\n dependencies = [\n   "httpx>=0.27",\n+  "rich>=13",\n ]\n', ['pypi:rich@pyproject.toml:6']],
    ['pyproject, poetry table in view', 'pyproject.toml', '@@ -1,3 +1,4 @@\n [tool.poetry.dependencies]\n python = "^3.11"\n+typer = "^0.12"\n requests = "^2.31"\n', ['pypi:typer@pyproject.toml:3']],
    ['package.json, a version-like value without its section in view', 'package.json', '@@ -20,3 +20,5 @@\n     "b": "^1.0.0",\n+    "c-new": "~2.1.0",\n+    "lint": "eslint .",\n     "d": "^3.0.0"\n', ['npm:c-new@package.json:21']],
    ['Pipfile.lock', 'Pipfile.lock', '@@ -10,3 +10,8 @@\n     "default": {\n+        "attrs": {\n+            "version": "==23.2.0"\n+        },\n         "click": {\n', ['pypi:attrs@Pipfile.lock:11']],
  ];
  for (const [what, path, hunk, want] of CASES) it(what, () => assert.deepEqual(added(extractDiff(gitDiff(path, hunk))), want));
});

describe('extractDiff: patches written by agents', () => {
  it('prose around a plain ---/+++ patch, and an undercounted hunk', () => {
    const patch = 'Here is the change:\n\n--- requirements.txt\n+++ requirements.txt\n@@ -1 +1,2 @@\n flask\n+flask-cors\n+gunicorn\n\nAnd for the frontend:\n\n--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1,1 +1,2 @@\n import a from "a";\n+import axios from "axios";\n';
    const r = extractDiff(patch);
    assert.deepEqual(added(r), ['npm:axios@src/app.ts:2', 'pypi:flask-cors@requirements.txt:2', 'pypi:gunicorn@requirements.txt:3']);
    assert.deepEqual(r.notes.map((n) => [n.level, n.code]), [['warning', 'malformed']]);
  });

  it('a hunk cut short is a warning and what it holds is still read', () => {
    const r = extractDiff(gitDiff('requirements.txt', '@@ -1,5 +1,6 @@\n flask\n+rich\n'));
    assert.deepEqual(added(r), ['pypi:rich@requirements.txt:2']);
    assert.equal(r.notes[0]?.code, 'malformed');
  });

  it('input that is not a diff is an error; an empty diff is nothing', () => {
    assert.deepEqual(noteCodes(extractDiff('just some words\n')), ['malformed@<diff>:1']);
    assert.equal(extractDiff('just some words\n').notes[0]?.level, 'error');
    assert.deepEqual(extractDiff(''), { refs: [], notes: [] });
  });

  it('a hunk header alone, garbage hunk lines and huge lines do not throw', () => {
    for (const t of ['@@ -1 +1 @@', '@@ -1,2 +1,2 @@\n\u0000\u0001\n+\n', `--- a\n+++ b\n@@ -0,0 +1 @@\n+${'x'.repeat(1_000_000)}\n`, 'diff --git a b\n', 'diff --git\n--- \n+++ \n']) {
      assert.doesNotThrow(() => extractDiff(t), JSON.stringify(t.slice(0, 40)));
    }
  });
});

describe('parseUnifiedDiff', () => {
  it('statuses and paths', () => {
    const d = fixture('diff-repo/change.diff');
    const files = parseUnifiedDiff(d).files.map((f) => `${f.status} ${f.oldPath ?? '-'} -> ${f.newPath ?? '-'}${f.binary ? ' (binary)' : ''}`);
    assert.deepEqual(files, [
      'added - -> .github/workflows/ci.yml',
      'modified Dockerfile -> Dockerfile',
      'modified README.md -> README.md',
      'modified app.py -> app.py',
      'added - -> brand.png',
      'added - -> bun.lockb (binary)',
      'added - -> helpers.py',
      'deleted logo.png -> - (binary)',
      'deleted notes.txt -> -',
      'modified package.json -> package.json',
      'modified requirements.txt -> requirements.txt',
      'modified util.ts -> util.ts',
    ]);
  });

  it('diffWantsWholeFile: manifests, lockfiles and prose', () => {
    assert.deepEqual(['package.json', 'pnpm-lock.yaml', 'requirements-dev.txt', 'README.md', 'src/a.ts', 'Dockerfile'].map(diffWantsWholeFile), [true, true, true, true, false, false]);
  });
});
