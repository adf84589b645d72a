import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InputError, UsageError } from '../../src/core/errors.js';
import { diffWantsWholeFile, extractDiff } from '../../src/extractors/text/diff.js';
import { gitDiff, gitDiffWithContents, gitRoot, gitShow, gitStagedDiff } from '../../src/sources/git.js';

/** A temporary repository with two commits, a staged change and an unstaged one. */
let repo: string;
let outside: string;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } });
}

before(() => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'slopguard-git-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'slopguard-nogit-')));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  // User config that would break naive parsing: no a/ b/ prefixes, an external diff tool.
  git('config', 'diff.noprefix', 'true');
  git('config', 'diff.external', 'false');
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ dependencies: { express: '^4.19.2', lodash: '^4.17.21' } }, null, 2) + '\n');
  writeFileSync(join(repo, 'requirements.txt'), 'flask==3.0.3\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  // Second commit: dependencies re-ordered and re-indented, one added.
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ dependencies: { lodash: '^4.17.21', zod: '^3.23.8', express: '^4.19.2' } }, null, 4) + '\n');
  writeFileSync(join(repo, 'app.py'), 'import requests\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'two');
  // Staged: a requirement; unstaged: another dependency.
  writeFileSync(join(repo, 'requirements.txt'), 'flask==3.0.3\ncelery==5.4.0\n');
  git('add', 'requirements.txt');
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ dependencies: { lodash: '^4.17.21', zod: '^3.23.8', express: '^4.19.2', nanoid: '^5.0.7' } }, null, 4) + '\n');
});

after(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const names = (r: ReturnType<typeof extractDiff>) => r.refs.map((x) => `${x.name}@${x.origin?.file}:${x.origin?.line}`).sort();

describe('git source', () => {
  it('gitRoot finds the top of the repository', async () => {
    assert.equal(await gitRoot(repo), repo);
  });

  it('gitDiff of a range, with a/ b/ prefixes whatever the config says; only the added name is new', async () => {
    const diff = await gitDiff('HEAD~1..HEAD', repo);
    assert.match(diff, /^diff --git a\/app\.py b\/app\.py$/m);
    assert.deepEqual(names(extractDiff(diff)), ['requests@app.py:1', 'zod@package.json:4']);
  });

  it('gitDiff of one revision compares it with the working tree', async () => {
    const diff = await gitDiff('HEAD', repo);
    assert.deepEqual(names(extractDiff(diff)), ['celery@requirements.txt:2', 'nanoid@package.json:6']);
  });

  it('gitStagedDiff is what the next commit records', async () => {
    assert.deepEqual(names(extractDiff(await gitStagedDiff(repo))), ['celery@requirements.txt:2']);
  });

  it('gitShow reads a file at a revision, the index with rev "", and undefined when absent', async () => {
    assert.equal(await gitShow('HEAD~1', 'requirements.txt', repo), 'flask==3.0.3\n');
    assert.equal(await gitShow('', 'requirements.txt', repo), 'flask==3.0.3\ncelery==5.4.0\n');
    assert.equal(await gitShow('HEAD~1', 'app.py', repo), undefined);
    assert.equal(await gitShow('HEAD', 'no/such/file', repo), undefined);
  });

  it('gitDiffWithContents gives whole old and new files to the diff extractor', async () => {
    const { diff, readOld, readNew } = await gitDiffWithContents('HEAD~1..HEAD', repo, diffWantsWholeFile);
    assert.match(readOld('package.json') ?? '', /"express": "\^4\.19\.2"/);
    assert.match(readNew('package.json') ?? '', /"zod"/);
    assert.equal(readOld('app.py'), undefined); // not wanted: code is read from the hunks
    assert.deepEqual(names(extractDiff(diff, { readOld, readNew })), ['requests@app.py:1', 'zod@package.json:4']);
  });

  it('gitDiffWithContents: staged (HEAD vs index) and three-dot ranges', async () => {
    const staged = await gitDiffWithContents({ staged: true }, repo, diffWantsWholeFile);
    assert.equal(staged.readNew('requirements.txt'), 'flask==3.0.3\ncelery==5.4.0\n');
    assert.equal(staged.readOld('requirements.txt'), 'flask==3.0.3\n');
    const three = await gitDiffWithContents('HEAD~1...HEAD', repo, diffWantsWholeFile);
    assert.deepEqual(names(extractDiff(three.diff, three)), ['requests@app.py:1', 'zod@package.json:4']);
  });

  it('a range starting with "-" is refused before git runs (option injection)', async () => {
    await assert.rejects(gitDiff('--output=/tmp/pwned', repo), UsageError);
    await assert.rejects(gitShow('-x', 'a', repo), UsageError);
  });

  it('an unknown revision is a UsageError carrying git\'s message', async () => {
    await assert.rejects(gitDiff('no-such-branch..HEAD', repo), (e: unknown) => e instanceof UsageError && /no-such-branch/.test((e as Error).message));
    await assert.rejects(gitShow('no-such-rev', 'package.json', repo), UsageError);
  });

  it('outside a repository: InputError', async () => {
    await assert.rejects(gitRoot(outside), InputError);
    await assert.rejects(gitStagedDiff(outside), InputError);
  });
});
