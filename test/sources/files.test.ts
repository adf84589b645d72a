import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { discoverFiles, extractFiles, readDocument } from '../../src/sources/files.js';
import { DEFAULT_READ_LIMITS } from '../../src/sources/read-limits.js';

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A temporary tree: `{ 'a/package.json': '{}' }`. */
function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'sg-files-'));
  temps.push(root);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  return root;
}

const PKG = (deps: Record<string, string> = {}, extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'x', dependencies: deps, ...extra }, null, 2);

test('discoverFiles: every manifest and lockfile under a folder, skipping installed and generated folders', async () => {
  const root = tree({
    'package.json': PKG(),
    'package-lock.json': '{}',
    'packages/a/package.json': PKG(),
    'apps/web/pnpm-lock.yaml': '',
    'tools/scripts/requirements-dev.txt': '',
    'requirements/base.txt': '',
    'docs/notes.txt': '',
    'README.md': '',
    'node_modules/left-pad/package.json': PKG(),
    'packages/a/node_modules/x/package.json': PKG(),
    '.git/package.json': PKG(),
    '.venv/lib/requirements.txt': '',
    'venv/requirements.txt': '',
    'env/pyvenv.cfg': '',
    'env/lib/requirements.txt': '',
    'vendor/github.com/x/package.json': PKG(),
    'src/__pycache__/requirements.txt': '',
    'py/pyproject.toml': '',
    'py/poetry.lock': '',
  });
  const { files, notes } = await discoverFiles(['.'], { cwd: root });
  assert.deepEqual(files.sort(), [
    'apps/web/pnpm-lock.yaml',
    'package-lock.json',
    'package.json',
    'packages/a/package.json',
    'py/poetry.lock',
    'py/pyproject.toml',
    'requirements/base.txt',
    'tools/scripts/requirements-dev.txt',
  ]);
  assert.deepEqual(notes, []);
});

test('discoverFiles: folders named in .gitignore are skipped; the same names committed are walked', async () => {
  const root = tree({
    '.gitignore': '# build output\n/dist/\nbuild\n*.egg-info/\nsub/out\n!keep\n',
    'package.json': PKG(),
    'dist/package.json': PKG(),
    'build/package.json': PKG(),
    'x/build/package.json': PKG(),
    'app.egg-info/requirements.txt': '',
    'lib/dist/package.json': PKG(),
  });
  const { files } = await discoverFiles(['.'], { cwd: root });
  // `/dist/` is anchored to the root, so lib/dist is still read; `build` applies at any depth.
  assert.deepEqual(files.sort(), ['lib/dist/package.json', 'package.json']);
});

test('discoverFiles: workspaces are followed into folders the walk skips and outside the folder', async () => {
  const root = tree({
    // Written with a BOM, as some Windows editors do.
    'repo/package.json': `\ufeff${PKG({}, { workspaces: ['packages/*', 'vendor/forked', '../shared', '!packages/ignored'] })}`,
    'repo/packages/a/package.json': PKG(),
    'repo/packages/ignored/package.json': PKG(),
    'repo/vendor/forked/package.json': PKG(),
    'repo/vendor/other/package.json': PKG(),
    'shared/package.json': PKG(),
    'pnpm/pnpm-workspace.yaml': "packages:\n  - 'libs/**'\n  - '!**/test/**'\n",
    'yarn/package.json': PKG({}, { workspaces: { packages: ['modules/*'] } }),
    'yarn/.gitignore': 'modules/\n',
    'yarn/modules/m1/package.json': PKG(),
    'pnpm/package.json': PKG(),
    'pnpm/.gitignore': 'libs\n',
    'pnpm/libs/deep/nested/package.json': PKG(),
    'pnpm/libs/deep/test/fixture/package.json': PKG(),
  });
  const repo = await discoverFiles(['repo'], { cwd: root });
  // packages/ignored is still found by the ordinary walk; negations only limit what workspaces add.
  assert.deepEqual(repo.files.sort(), [
    'repo/package.json',
    'repo/packages/a/package.json',
    'repo/packages/ignored/package.json',
    'repo/vendor/forked/package.json',
    'shared/package.json',
  ]);
  const pnpm = await discoverFiles(['pnpm'], { cwd: root });
  assert.deepEqual(pnpm.files.sort(), ['pnpm/libs/deep/nested/package.json', 'pnpm/package.json']);
  // yarn's object form: { workspaces: { packages: [...] } }.
  const yarn = await discoverFiles(['yarn'], { cwd: root });
  assert.deepEqual(yarn.files.sort(), ['yarn/modules/m1/package.json', 'yarn/package.json']);
});

test('discoverFiles: a workspace outside the repository (or a link leaving it) is refused with a located, unverified note', async () => {
  const root = tree({
    'repo/.git/HEAD': 'ref: refs/heads/main\n',
    'repo/package.json': PKG({}, { workspaces: ['packages/*', '../shared', 'linked'] }),
    'repo/packages/a/package.json': PKG(),
    'shared/package.json': PKG({ 'left-pad': '1' }),
  });
  symlinkSync(join(root, 'shared'), join(root, 'repo', 'linked'));
  const { files, notes } = await discoverFiles(['repo'], { cwd: root });
  assert.deepEqual(files.sort(), ['repo/package.json', 'repo/packages/a/package.json']);
  assert.deepEqual(
    notes.map((n) => [n.code, n.unverified, n.origin.file, n.message]),
    [
      ['refused', true, 'repo/package.json', 'the workspace "../shared" is outside the repository being checked; it is not read, and the packages it names are not checked.'],
      ['refused', true, 'repo/package.json', 'the workspace "linked" is outside the repository being checked; it is not read, and the packages it names are not checked.'],
    ],
  );
});

test('discoverFiles: explicit files are taken as they are; missing paths are located errors; bun.lockb yields to bun.lock', async () => {
  const root = tree({
    'odd-name.json': '{}',
    'both/bun.lock': '{}',
    'both/bun.lockb': Buffer.from([0, 1, 2]),
    'only/bun.lockb': Buffer.from([0, 1, 2]),
  });
  const { files, notes } = await discoverFiles(['odd-name.json', 'nope', 'both', 'only'], { cwd: root });
  assert.deepEqual(files, ['odd-name.json', 'both/bun.lock', 'only/bun.lockb']);
  assert.equal(notes.length, 1);
  assert.equal(notes[0]!.code, 'unreadable');
  assert.equal(notes[0]!.level, 'error');
  assert.equal(notes[0]!.origin.file, 'nope');
});

test('discoverFiles: symlinked folders are not followed (no loops); symlinked manifests are read', async () => {
  const root = tree({ 'real/package.json': PKG() });
  symlinkSync(join(root, 'real'), join(root, 'real', 'loop'));
  symlinkSync(join(root, 'real', 'package.json'), join(root, 'package.json'));
  const { files } = await discoverFiles(['.'], { cwd: root });
  assert.deepEqual(files.sort(), ['package.json', 'real/package.json']);
});

test('readDocument: UTF-8 with or without BOM, UTF-16 with BOM, and located notes for the rest', async () => {
  const root = tree({
    'bom.txt': Buffer.from('\ufeffrequests\n', 'utf8'),
    'utf16le.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('six==1.16\n', 'utf16le')]),
    'latin1.txt': Buffer.from('ok\nna\xefve\n', 'latin1'),
    'dir/x': '',
  });
  const doc = async (path: string) => {
    const d = await readDocument(path, root);
    assert.ok('text' in d, `${path} should read: ${JSON.stringify(d)}`);
    return d;
  };
  const note = async (path: string) => {
    const n = await readDocument(path, root);
    assert.ok('code' in n, `${path} should not read`);
    return n;
  };
  assert.equal((await doc('bom.txt')).text, 'requests\n');
  assert.equal((await doc(join(root, 'utf16le.txt'))).text, 'six==1.16\n');
  assert.equal((await doc(join(root, 'utf16le.txt'))).path, 'utf16le.txt');
  const latin1 = await note('latin1.txt');
  assert.deepEqual([latin1.level, latin1.code, latin1.origin], ['error', 'unreadable', { file: 'latin1.txt', line: 2 }]);
  assert.match(latin1.message, /^latin1\.txt:2: is not valid UTF-8 text \(byte 6, line 2\)/);
  assert.match((await note('missing.txt')).message, /no such file/);
  assert.match((await note('dir')).message, /is a folder/);
});

test('readDocument: a file over the size cap is refused before it is read (a located, unverified note)', async () => {
  const root = tree({ 'package-lock.json': '' });
  // A sparse file: the size is real, the disk space is not used.
  truncateSync(join(root, 'package-lock.json'), DEFAULT_READ_LIMITS.maxFileBytes + 1);
  const n = await readDocument('package-lock.json', root);
  assert.ok('code' in n);
  assert.deepEqual([n.level, n.code, n.unverified, n.origin.file], ['warning', 'refused', true, 'package-lock.json']);
  assert.match(n.message, /over the 64 MiB cap \(SLOPGUARD_MAX_FILE_MB raises it\)/);
});

test('extractFiles: every file under a folder, origins relative to cwd, one bad file does not stop the others', async () => {
  const root = tree({
    'package.json': PKG({ 'is-number': '^7.0.0' }),
    'broken/package.json': '{ "dependencies": { "a": "1" ',
    'empty/yarn.lock': '# yarn lockfile v1\n',
    'latin1/requirements.txt': Buffer.from('na\xefve\n', 'latin1'),
    'bun/bun.lockb': Buffer.from([0xff, 0x00, 0xc3]),
  });
  const r = await extractFiles(['.'], { cwd: root });
  assert.deepEqual(r.refs.map((x) => `${x.name} ${x.origin?.file}:${x.origin?.line}`).sort(), ['a broken/package.json:1', 'is-number package.json:4']);
  assert.deepEqual(
    r.notes.map((n) => `${n.level}:${n.code} ${n.origin.file}`).sort(),
    ['error:binary-lockfile bun/bun.lockb', 'error:malformed broken/package.json', 'error:unreadable latin1/requirements.txt', 'warning:empty-lockfile empty/yarn.lock'],
  );
});

test('extractFiles: an explicit file of an unknown type is named; a missing one is unreadable', async () => {
  const root = tree({ 'Gemfile.lock': 'GEM\n' });
  const r = await extractFiles(['Gemfile.lock', 'missing/package.json'], { cwd: root });
  assert.deepEqual(r.notes.map((n) => `${n.code} ${n.origin.file}`), ['unreadable missing/package.json', 'unknown-format Gemfile.lock']);
});

test('extractFiles: requirements includes are read from disk relative to the including file, and deduplicated', async () => {
  const root = tree({
    'requirements.txt': '-r requirements/base.txt\nflask\n',
    'requirements/base.txt': '-c ../constraints.txt\nclick\n',
    'constraints.txt': 'werkzeug==3\n-r requirements.txt\n',
  });
  const r = await extractFiles(['.'], { cwd: root });
  assert.deepEqual(r.refs.map((x) => `${x.name} ${x.origin?.file}:${x.origin?.line}`).sort(), [
    'click requirements/base.txt:2',
    'flask requirements.txt:2',
    'werkzeug constraints.txt:1',
  ]);
  // The cycle (constraints.txt -> requirements.txt -> base.txt -> constraints.txt) is reported
  // once, where it closes, though all three files are also found on their own.
  assert.deepEqual(r.notes.map((n) => `${n.code} ${n.origin.file}:${n.origin.line}`), ['malformed requirements/base.txt:1']);
  assert.match(r.notes[0]!.message, /constraints\.txt -> requirements\.txt -> requirements\/base\.txt -> constraints\.txt/);
});

test('extractFiles: setup.cfg file: values are read like -r, confined to the repository', async () => {
  const root = tree({
    'outside.txt': 'SECRET=ghp_setupCfgPlanted0123456789\n',
    'repo/.git/HEAD': 'ref: refs/heads/main\n',
    'repo/setup.cfg': '[options]\ninstall_requires = file: reqs/base.in, reqs/extra.in\n\n[options.extras_require]\ndev = file: ../outside.txt\n',
    'repo/reqs/base.in': 'click\n',
    'repo/reqs/extra.in': '# extras\nrich>=13\n',
  });
  const r = await extractFiles(['repo/setup.cfg'], { cwd: root });
  assert.deepEqual(r.refs.map((x) => `${x.name} ${x.origin?.file}:${x.origin?.line}`).sort(), ['click repo/reqs/base.in:1', 'rich repo/reqs/extra.in:2']);
  assert.deepEqual(r.notes.map((n) => [n.code, n.unverified, `${n.origin.file}:${n.origin.line}`]), [['refused', true, 'repo/setup.cfg:5']]);
  assert.match(r.notes[0]!.message, /^dev = file: \.\.\/outside\.txt: not read: the file is outside the repository being checked/);
  assert.doesNotMatch(JSON.stringify(r), /ghp_setupCfgPlanted/);
});

test('extractFiles: the fixture tree reads end to end with paths relative to cwd', async () => {
  const cwd = fileURLToPath(new URL('../../../', import.meta.url));
  const dir = fileURLToPath(new URL('../../../test/fixtures/extractors/pnpm-lock/real-v9', import.meta.url));
  const r = await extractFiles([relative(cwd, dir)], { cwd });
  const files = new Set(r.refs.map((x) => x.origin?.file));
  assert.deepEqual([...files].sort(), ['test/fixtures/extractors/pnpm-lock/real-v9/package.json', 'test/fixtures/extractors/pnpm-lock/real-v9/pnpm-lock.yaml']);
  assert.ok(r.refs.some((x) => x.name === 'string-width' && x.alias === 'my-sw'));
});
