import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { decodeText } from '../../src/sources/decode.js';
import { ReadBudget, diskAccess, gitAccess, overlayAccess, type FileReadResult } from '../../src/sources/file-access.js';
import { DEFAULT_READ_LIMITS, readLimits } from '../../src/sources/read-limits.js';
import { readRootFor, repositoryRootOf } from '../../src/sources/repo-root.js';
import { createRepo } from '../cli/ci-repo.js';

let base: string;
let root: string;
let outside: string;

before(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'sg-access-')));
  root = join(base, 'repo');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'requirements.txt'), 'flask\n');
  writeFileSync(join(root, 'sub', 'ten.txt'), '0123456789');
  writeFileSync(join(outside, 'secret.txt'), 'TOKEN=sg-planted-outside\n');
  symlinkSync(join(root, 'requirements.txt'), join(root, 'inside-link.txt'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'outside-link.txt'));
  symlinkSync('/proc/self/environ', join(root, 'env-link.txt'));
  symlinkSync('/dev/zero', join(root, 'zero-link.txt'));
  spawnSync('mkfifo', [join(root, 'pipe.txt')]);
});
after(() => rmSync(base, { recursive: true, force: true }));

/** `[ok, reason]` of a read, with the text when it was read. */
const brief = (r: FileReadResult) => (r.ok ? ['ok', r.bytes.toString('utf8')] : ['refused', r.reason]);

describe('diskAccess', () => {
  it('reads regular files inside the root, relative to the root or to `from`, shown relative to the display base', async () => {
    const a = diskAccess({ root, displayBase: base });
    assert.deepEqual(brief(await a.readFile('requirements.txt')), ['ok', 'flask\n']);
    assert.deepEqual(brief(await a.readFile('ten.txt', { from: join(root, 'sub') })), ['ok', '0123456789']);
    const r = await a.readFile(join(root, 'sub', 'ten.txt'));
    assert.ok(r.ok);
    assert.equal(r.path, 'repo/sub/ten.txt');
    assert.equal(r.abs, join(root, 'sub', 'ten.txt'));
  });

  it('refuses by a table of hostile paths, without reading them', async () => {
    const a = diskAccess({ root });
    const cases: Array<[string, string, string]> = [
      // path, expected reason, why
      ['inside-link.txt', 'ok', 'a link whose target stays inside is followed'],
      ['outside-link.txt', 'outside-root', 'a link leaving the repository'],
      ['env-link.txt', 'outside-root', 'a committed link to /proc/self/environ'],
      ['zero-link.txt', 'outside-root', 'a link to /dev/zero'],
      ['../outside/secret.txt', 'outside-root', 'a relative path leaving the root'],
      [join(outside, 'secret.txt'), 'outside-root', 'an absolute path outside the root'],
      ['/proc/self/environ', 'outside-root', 'the runner environment'],
      ['pipe.txt', 'not-regular', 'a FIFO (would hang a read)'],
      ['sub', 'directory', 'a folder'],
      ['nope.txt', 'missing', 'nothing there'],
    ];
    for (const [path, expected, why] of cases) {
      const r = await a.readFile(path);
      assert.equal(r.ok ? 'ok' : r.reason, expected, `${path}: ${why}`);
      if (!r.ok) assert.doesNotMatch(r.message, /sg-planted|TOKEN/, `${path}: a refusal never quotes content`);
    }
    assert.equal(await a.kind('outside-link.txt'), 'refused');
    assert.equal(await a.kind('pipe.txt'), 'refused');
    assert.equal(await a.kind('sub'), 'directory');
    assert.equal(await a.kind('nope.txt'), 'missing');
    assert.equal(await a.kind('inside-link.txt'), 'file');
  });

  it('a path the user chose may lie outside the root, but devices, /proc and FIFOs stay refused, and links inside the root stay confined', async () => {
    const a = diskAccess({ root });
    assert.deepEqual(brief(await a.readFile(join(outside, 'secret.txt'), { userChosen: true })), ['ok', 'TOKEN=sg-planted-outside\n']);
    for (const path of ['/proc/self/environ', '/dev/zero', '/dev/stdin', join(root, 'pipe.txt')]) {
      const r = await a.readFile(path, { userChosen: true });
      assert.equal(r.ok ? 'ok' : r.reason, 'not-regular', path);
    }
    // Typed, but inside the repository: the repository's link does not become the user's choice.
    assert.equal((await a.readFile(join(root, 'outside-link.txt'), { userChosen: true })).ok, false);
    assert.equal((await a.readFile(join(root, 'env-link.txt'), { userChosen: true })).ok, false);
  });

  it('a per-file cap and a run budget shared by every port of the run', async () => {
    const capped = diskAccess({ root, limits: { maxFileBytes: 9 } });
    const r = await capped.readFile('sub/ten.txt');
    assert.equal(r.ok ? 'ok' : r.reason, 'too-large');
    assert.match(!r.ok ? r.message : '', /over the .* MiB cap \(SLOPGUARD_MAX_FILE_MB raises it\)/);
    const budget = new ReadBudget(16);
    const one = diskAccess({ root, budget });
    const two = diskAccess({ root: join(root, 'sub'), budget });
    assert.equal((await one.readFile('sub/ten.txt')).ok, true);
    const over = await two.readFile('ten.txt');
    assert.equal(over.ok ? 'ok' : over.reason, 'budget');
    assert.match(!over.ok ? over.message : '', /SLOPGUARD_READ_BUDGET_MB/);
    // What was refused is not counted: a smaller file still fits.
    assert.equal((await one.readFile('requirements.txt')).ok, true);
    assert.equal(budget.spent, 16);
  });
});

describe('overlayAccess', () => {
  it('serves overlaid text inside the root (or for a path the user chose), and the port below for the rest', async () => {
    const secret = join(outside, 'secret.txt');
    const over = overlayAccess(diskAccess({ root }), new Map([
      [join(root, 'new.txt'), 'written\n'],
      [secret, 'open in the editor\n'],
    ]));
    assert.deepEqual(brief(await over.readFile('new.txt')), ['ok', 'written\n']);
    assert.equal(await over.kind('new.txt'), 'file');
    // An include cannot reach an open document outside the repository.
    assert.deepEqual(brief(await over.readFile(secret)), ['refused', 'outside-root']);
    assert.deepEqual(brief(await over.readFile(secret, { userChosen: true })), ['ok', 'open in the editor\n']);
    assert.deepEqual(brief(await over.readFile('requirements.txt')), ['ok', 'flask\n']);
  });
});

describe('gitAccess', () => {
  it('reads the revision, follows links only inside its tree, and never reads the disk', async () => {
    const repo = createRepo(join(base, 'git'));
    repo.write({ 'requirements.txt': 'flask\n', 'sub/base.txt': 'click\n' });
    symlinkSync('sub/base.txt', join(repo.dir, 'inside.txt'));
    symlinkSync('/proc/self/environ', join(repo.dir, 'env.txt'));
    symlinkSync('../../outside/secret.txt', join(repo.dir, 'sub', 'up.txt'));
    repo.commit('base');
    repo.write({ 'requirements.txt': 'changed on disk\n' });
    const a = gitAccess('HEAD', repo.dir);
    const cases: Array<[string, string[]]> = [
      ['requirements.txt', ['ok', 'flask\n']],
      ['inside.txt', ['ok', 'click\n']],
      ['env.txt', ['refused', 'outside-root']],
      ['sub/up.txt', ['refused', 'outside-root']],
      ['../outside/secret.txt', ['refused', 'outside-root']],
      ['sub', ['refused', 'directory']],
      ['nope.txt', ['refused', 'missing']],
    ];
    for (const [path, expected] of cases) assert.deepEqual(brief(await a.readFile(path)), expected, path);
    assert.equal(await a.kind('sub'), 'directory');
    assert.equal(await a.kind('env.txt'), 'refused');
    const capped = await gitAccess('HEAD', repo.dir, { limits: { maxFileBytes: 3 } }).readFile('requirements.txt');
    assert.equal(capped.ok ? 'ok' : capped.reason, 'too-large');
  });
});

describe('read limits, decoding and the root', () => {
  it('reads SLOPGUARD_MAX_FILE_MB and SLOPGUARD_READ_BUDGET_MB; a bad value names the variable', () => {
    assert.deepEqual(readLimits({}), DEFAULT_READ_LIMITS);
    assert.deepEqual(readLimits({ SLOPGUARD_MAX_FILE_MB: '1', SLOPGUARD_READ_BUDGET_MB: '2.5' }), { maxFileBytes: 1024 * 1024, totalBytes: 2.5 * 1024 * 1024 });
    for (const bad of ['0', '-1', 'lots', 'Infinity']) {
      assert.throws(() => readLimits({ SLOPGUARD_MAX_FILE_MB: bad }), (e: unknown) => e instanceof UsageError && /SLOPGUARD_MAX_FILE_MB/.test(e.message), bad);
    }
  });

  it('decodes UTF-8 and UTF-16 with BOMs, and locates invalid UTF-8', () => {
    assert.equal(decodeText(Buffer.from('\ufeffa\n'), 'x'), 'a\n');
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('b\n', 'utf16le').swap16()]), 'x'), 'b\n');
    assert.throws(() => decodeText(Buffer.from([0x61, 0x0a, 0xc3]), 'x.txt'), /x\.txt:2: is not valid UTF-8 text \(byte 3, line 2\)/);
  });

  it('the root is the repository holding the path, else the working directory when it holds the path, else the folder', async () => {
    const repo = createRepo(join(base, 'rooted'));
    mkdirSync(join(repo.dir, 'deep', 'er'), { recursive: true });
    assert.equal(await repositoryRootOf(join(repo.dir, 'deep', 'er')), repo.dir);
    assert.equal(await readRootFor(join(repo.dir, 'deep', 'er'), base), repo.dir);
    assert.equal(await readRootFor(join(root, 'requirements.txt'), base), base);
    assert.equal(await readRootFor(join(root, 'requirements.txt'), outside), root);
  });
});
