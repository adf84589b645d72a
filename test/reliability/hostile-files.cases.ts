/**
 * Hostile files through the CLI: huge inputs (a 200 MB lockfile, a 1M-line diff; half that in the
 * quick run, see size.ts) in bounded memory, deeply nested JSON/YAML/TOML and a YAML alias bomb, invalid UTF-8, NUL bytes, BOMs and
 * CRLF, and paths in diffs that are only names (nothing read or written outside the cache and
 * the files a command is told to write).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { assertInert, cli, listFiles, parseReport, spawnCli, tally, tempDir } from './harness.js';
import { sized } from './size.js';

const PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));
/** Peak RSS allowed for the huge-input runs: generous, but far below "read it all into a tree". */
const RSS_LIMIT_MB = 1_500;

/** Env for an offline run in a sandbox: nothing is looked up, nothing outside `root` is touched. */
function offlineEnv(root: string): Record<string, string> {
  mkdirSync(join(root, 'home'), { recursive: true });
  return { HOME: join(root, 'home'), SLOPGUARD_CACHE_DIR: join(root, 'cache'), SLOPGUARD_OFFLINE: '1', npm_config_globalconfig: join(root, 'none'), XDG_CONFIG_HOME: join(root, 'home') };
}

/** Write `count` chunks from `chunk(i)` to `file` without holding the whole file in memory. */
function writeStreamed(file: string, head: string, count: number, chunk: (i: number) => string, tail: string): number {
  const fd = openSync(file, 'w');
  let bytes = writeSync(fd, head);
  let buf = '';
  for (let i = 0; i < count; i++) {
    buf += chunk(i);
    if (buf.length > 1 << 20) {
      bytes += writeSync(fd, buf);
      buf = '';
    }
  }
  bytes += writeSync(fd, buf + tail);
  closeSync(fd);
  return bytes;
}

async function measured(args: string[], root: string, opts: { stdinFile?: string; cwd?: string; env?: Record<string, string> } = {}) {
  const rssFile = join(root, 'rss');
  const env = { ...offlineEnv(root), SLOPGUARD_RSS_OUT: rssFile, ...opts.env };
  const stdin = opts.stdinFile ? readFileSync(opts.stdinFile, 'utf8') : undefined;
  const r = await spawnCli(args, { env, cwd: opts.cwd ?? root, nodeArgs: ['--import', PROBE], timeoutMs: 300_000, ...(stdin !== undefined ? { stdin } : {}) });
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  return { ...r, rssMb };
}

function assertNoCrash(r: { code: number; signal?: NodeJS.Signals | null; err: string }): void {
  assert.equal(r.signal ?? null, null, `killed by ${r.signal}`);
  assert.ok([0, 1, 2, 3].includes(r.code), `exit ${r.code}: ${r.err.slice(0, 2000)}`);
  assert.doesNotMatch(r.err, /internal error|FATAL ERROR|heap out of memory|Maximum call stack/);
}

/** Bytes of padding per entry of the huge lockfile (1,000 entries): 100 MB quick, 200 MB full; both over the 64 MiB cap. */
const HUGE_PAD = sized(100_000, 200_000);
/** Lines of the huge diff. */
const HUGE_DIFF_LINES = sized(500_000, 1_000_000);

describe('hostile files: huge inputs in bounded memory', () => {
  it(`a ${HUGE_PAD / 1000} MB package-lock.json`, async (t) => {
    tally.hostile++;
    const root = tempDir('huge');
    const file = join(root, 'package-lock.json');
    const pad = 'x'.repeat(HUGE_PAD);
    const bytes = writeStreamed(
      file,
      '{"name":"huge","lockfileVersion":3,"requires":true,"packages":{"":{"name":"huge","version":"1.0.0"}',
      1000,
      (i) => `,"node_modules/huge-fixture-${i}":{"version":"1.0.0","resolved":"https://registry.npmjs.org/huge-fixture-${i}/-/huge-fixture-${i}-1.0.0.tgz","license":"${pad}"}`,
      '}}',
    );
    assert.ok(bytes > 1000 * HUGE_PAD && bytes > 64 * 1024 * 1024);
    // Over the default 64 MiB cap: refused before a byte is read, a located note, exit 3.
    const refused = await spawnCli(['scan', file, '--format', 'json', '--no-progress'], { env: offlineEnv(root), cwd: root });
    assertNoCrash(refused);
    assert.equal(refused.code, 3, refused.err);
    assert.deepEqual(parseReport(refused).notes.map((n) => [n.code, n.unverified, n.origin.file]), [['refused', true, 'package-lock.json']]);
    // With the cap raised, the file is read in bounded memory.
    const r = await measured(['scan', file, '--format', 'json', '--no-progress'], root, { env: { SLOPGUARD_MAX_FILE_MB: '256' } });
    t.diagnostic(`exit ${r.code}, peak RSS ${r.rssMb.toFixed(0)} MB, ${(r.ms / 1000).toFixed(1)} s`);
    assertNoCrash(r);
    assert.ok(r.rssMb < RSS_LIMIT_MB, `peak RSS ${r.rssMb.toFixed(0)} MB`);
    if (r.code !== 2) assert.equal(parseReport(r).packages.length, 1000);
  });

  it(`a ${HUGE_DIFF_LINES.toLocaleString('en')}-line diff on stdin`, async (t) => {
    tally.hostile++;
    const root = tempDir('huge');
    const file = join(root, 'big.diff');
    const head =
      'diff --git a/package.json b/package.json\n--- a/package.json\n+++ b/package.json\n@@ -1,3 +1,5 @@\n {\n   "dependencies": {\n+    "express": "^4.0.0",\n+    "lodash": "^4.17.0",\n     "react": "^18.0.0"\n' +
      `diff --git a/notes.txt b/notes.txt\nnew file mode 100644\n--- /dev/null\n+++ b/notes.txt\n@@ -0,0 +1,${HUGE_DIFF_LINES} @@\n`;
    writeStreamed(file, head, HUGE_DIFF_LINES, (i) => `+line ${i} of a very long generated file with some words in it\n`, '');
    const r = await measured(['diff', '--format', 'json', '--no-progress'], root, { stdinFile: file });
    t.diagnostic(`exit ${r.code}, peak RSS ${r.rssMb.toFixed(0)} MB, ${(r.ms / 1000).toFixed(1)} s`);
    assertNoCrash(r);
    assert.ok(r.rssMb < RSS_LIMIT_MB, `peak RSS ${r.rssMb.toFixed(0)} MB`);
    const names = parseReport(r).packages.map((p) => p.name);
    assert.ok(names.includes('express') && names.includes('lodash'), JSON.stringify(names));
  });
});

/** Packages in the large uv.lock (each is judged, offline: the cost grows with the count). */
const UV_PACKAGES = sized(5_000, 50_000);
/**
 * Lines of the ever-deeper yarn.lock, line i indented 2i columns: the file grows with the square,
 * so the full size stays under the default 64 MiB file cap (a refused file would test nothing).
 */
const YARN_DEPTH = sized(2_000, 7_000);
/** Nested block maps in the deep pnpm-lock.yaml, line i indented i columns (the square again). */
const YAML_DEPTH = sized(3_000, 10_000);

/** Deeply nested and explosive documents, by file name. */
const NESTED: Array<[string, string, () => string]> = [
  ['package.json', 'JSON, 100k nested arrays', () => `{"dependencies":${'['.repeat(100_000)}}`],
  ['package-lock.json', 'JSON, 50k nested objects', () => `{"lockfileVersion":3,"packages":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`],
  ['pnpm-lock.yaml', 'YAML, 100k nested flow sequences', () => `lockfileVersion: '9.0'\npackages: ${'['.repeat(100_000)}`],
  ['pnpm-lock.yaml', `YAML, ${YAML_DEPTH / 1000}k nested block maps`, () => `lockfileVersion: '9.0'\n${Array.from({ length: YAML_DEPTH }, (_, i) => `${' '.repeat(i)}a${i}:`).join('\n')}\n`],
  [
    'pnpm-lock.yaml',
    'YAML alias bomb (billion laughs)',
    () => {
      const lines = ["lockfileVersion: '9.0'", 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
      lines.push('packages:', '  /x@1.0.0: *a11', 'importers:', '  .: {dependencies: *a11}');
      return `${lines.join('\n')}\n`;
    },
  ],
  ['pyproject.toml', 'TOML, 100k nested arrays', () => `[project]\ndependencies = ${'['.repeat(100_000)}\n`],
  ['poetry.lock', 'TOML, 20k nested inline tables', () => `[[package]]\nname = "x"\nversion = "1"\nsource = ${'{a = '.repeat(20_000)}1${'}'.repeat(20_000)}\n`],
  ['uv.lock', `TOML, ${UV_PACKAGES / 1000}k packages`, () => `version = 1\n${Array.from({ length: UV_PACKAGES }, (_, i) => `[[package]]\nname = "p${i}"\nversion = "1"\nsource = { registry = "https://pypi.org/simple" }\n`).join('')}`],
  ['yarn.lock', `yarn, ${(2 * YARN_DEPTH) / 1000}k-column indentation`, () => `# yarn lockfile v1\n${Array.from({ length: YARN_DEPTH }, (_, i) => `${' '.repeat(i * 2)}"a${i}@^1":`).join('\n')}\n`],
  ['requirements.txt', 'requirements, 100k continuation lines', () => `${'x \\\n'.repeat(100_000)}==1\n`],
];

describe('hostile files: deep nesting and alias bombs are malformed notes, not crashes', { concurrency: 2 }, () => {
  for (const [name, label, make] of NESTED) {
    it(`${name}: ${label}`, async () => {
      tally.hostile++;
      const root = tempDir('nested');
      writeFileSync(join(root, name), make());
      const r = await cli(['scan', name, '--format', 'json', '--no-progress'], { env: offlineEnv(root), cwd: root });
      assertNoCrash(r);
      // Read, not refused by the file-size cap: a refused document would not test the parser.
      if (r.out) assert.deepEqual(parseReport(r).notes.filter((n) => n.code === 'refused'), []);
    });
  }
});

/** Byte-level trouble, each in a requirements.txt and a package.json. */
const BYTES: Array<[string, (s: string) => Buffer]> = [
  ['a UTF-8 BOM and CRLF line ends', (s) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s.replace(/\n/g, '\r\n'))])],
  ['lone CR line ends', (s) => Buffer.from(s.replace(/\n/g, '\r'))],
  ['NUL bytes between lines', (s) => Buffer.from(s.replace(/\n/g, '\n\u0000\n'))],
  ['invalid UTF-8 bytes', (s) => Buffer.concat([Buffer.from(s), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x0a])])],
  ['a UTF-16LE BOM and text', (s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
  ['ANSI escapes and bidi overrides in comments', (s) => Buffer.from(s.replace(/\n/, '\n# \u001b]8;;http://x\u0007\u202eevil\u001b[2J\n'))],
];

const DOCS: Record<string, string> = {
  'requirements.txt': 'requests==2.31.0\nflask>=2\n',
  'package.json': '{\n  "dependencies": {\n    "express": "^4.0.0",\n    "lodash": "^4.17.0"\n  }\n}\n',
};

describe('hostile files: BOMs, CRLF, NUL, invalid UTF-8', { concurrency: 2 }, () => {
  for (const [label, encode] of BYTES) {
    for (const [name, text] of Object.entries(DOCS)) {
      it(`${name} with ${label}`, async () => {
        tally.hostile++;
        const root = tempDir('bytes');
        writeFileSync(join(root, name), encode(text));
        for (const format of ['json', 'text']) {
          const r = await cli(['scan', name, '--format', format, '--no-progress'], { env: offlineEnv(root), cwd: root });
          assertNoCrash(r);
          assertInert(r.out, false, `${format} stdout`);
          assertInert(r.err, false, `${format} stderr`);
          if (format === 'json') {
            const report: Report = parseReport(r);
            // Never silence: either the names were read or a note says why not.
            assert.ok(report.packages.length > 0 || report.notes.some((n) => n.level === 'error'), JSON.stringify(report.notes));
            if (/BOM and CRLF|lone CR/.test(label)) {
              const lines = report.packages.map((p) => p.origins[0]?.line);
              assert.deepEqual(lines, name === 'package.json' ? [3, 4] : [1, 2], `${label}: origins ${JSON.stringify(report.packages.map((p) => p.origins))}`);
            }
          }
        }
      });
    }
  }
});

describe('hostile files: paths in diffs are only names', () => {
  it('../../etc/passwd, absolute and traversing paths: nothing outside the cache and --output is written or read', async () => {
    tally.hostile++;
    const root = tempDir('paths');
    const cwd = join(root, 'a', 'b');
    mkdirSync(cwd, { recursive: true });
    // Files a traversal would reach: their contents must not leak into the report.
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'passwd'), 'requests==2.31.0\nsecret-only-in-passwd==1\n');
    writeFileSync(join(root, 'abs-requirements.txt'), 'secret-only-on-disk==1\n');
    const diff = [
      'diff --git a/../../etc/passwd b/../../etc/passwd',
      '--- a/../../etc/passwd',
      '+++ b/../../etc/passwd',
      '@@ -1,1 +1,2 @@',
      ' requests==2.31.0',
      '+flask==2.0',
      `diff --git a${root}/abs-requirements.txt b${root}/abs-requirements.txt`,
      `--- a${root}/abs-requirements.txt`,
      `+++ ${root}/abs-requirements.txt`,
      '@@ -1,1 +1,2 @@',
      ' secret-only-on-disk==1',
      '+django==4.0',
      'diff --git a/../../../../../../../tmp/requirements.txt b/../../../../../../../tmp/requirements.txt',
      '--- /dev/null',
      '+++ b/../../../../../../../tmp/requirements.txt',
      '@@ -0,0 +1,1 @@',
      '+numpy==1.0',
      'diff --git a/~/.npmrc b/~/.npmrc',
      '--- a/~/.npmrc',
      '+++ b/~/.npmrc',
      '@@ -0,0 +1,1 @@',
      '+//registry.npmjs.org/:_authToken=x',
      '',
    ].join('\n');
    writeFileSync(join(cwd, 'agent.patch'), diff);
    const before = listFiles(root);
    const r = await cli(['diff', 'agent.patch', '--format', 'json', '--output', 'report.json'], { env: offlineEnv(root), cwd });
    assertNoCrash(r);
    const after = listFiles(root);
    const added = after.filter((f) => !before.includes(f));
    // The cache and its key (in the user's state dir) aside, only the report --output names.
    assert.deepEqual(added.filter((f) => !f.startsWith('cache/') && f !== 'home/.local/state/slopguard/cache-key'), ['a/b/report.json']);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as Report;
    const names = report.packages.map((p) => p.name);
    for (const secret of ['secret-only-in-passwd', 'secret-only-on-disk']) assert.ok(!names.includes(secret), `${secret} was read from disk: ${JSON.stringify(names)}`);
    for (const f of before) assert.ok(after.includes(f));
    assert.equal(readFileSync(join(root, 'etc', 'passwd'), 'utf8'), 'requests==2.31.0\nsecret-only-in-passwd==1\n');
  });
});

describe('hostile files: reads the trust boundary refuses', () => {
  const SECRET = 'ghp_reliabilityPlanted0123456789abcdef';
  // Nothing else in the project names a package, so without the refusal the run would be clean (exit 0).
  /** name, the files of the project (a string: a file; `-> target`: a symlink; `fifo`: a named pipe), the refused notes expected. */
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['a symlink requirements-env.txt -> /proc/self/environ', { 'requirements-env.txt': '-> /proc/self/environ' }, ['requirements-env.txt']],
    ['requirements.txt symlinked outside the project', { 'requirements.txt': '-> ../outside.txt' }, ['requirements.txt']],
    ['-r /proc/self/environ', { 'requirements.txt': '# pinned\n-r /proc/self/environ\n' }, ['requirements.txt:2']],
    ['-c ../outside.txt', { 'requirements.txt': '-c ../outside.txt\n' }, ['requirements.txt:1']],
    ['-r /dev/zero', { 'requirements.txt': '-r /dev/zero\n' }, ['requirements.txt:1']],
    ['a FIFO include', { 'requirements.txt': '# dev\n-r pipe.in\n', 'pipe.in': 'fifo' }, ['requirements.txt:2']],
    ['a FIFO named requirements-dev.txt', { 'requirements-dev.txt': 'fifo', 'requirements.txt': '# none\n' }, ['requirements-dev.txt']],
  ];
  type Format = 'json' | 'text' | 'markdown' | 'sarif' | 'github';
  const FORMATS: readonly Format[] = ['json', 'text', 'markdown', 'sarif', 'github'];
  for (const [index, [name, files, refused]] of cases.entries()) {
    // JSON always (it names the refused notes); the quick run adds one other format per case, a
    // different one each, so every format still meets a refusal; the full run every format.
    const formats = sized<readonly Format[]>(['json', FORMATS[1 + (index % (FORMATS.length - 1))]!], FORMATS);
    it(`${name}: refused with a located note, exit 3, no byte of it in any output (${formats.join(', ')})`, async () => {
      tally.hostile++;
      const root = tempDir('refused');
      const project = join(root, 'project');
      mkdirSync(project);
      writeFileSync(join(root, 'outside.txt'), `SECRET=${SECRET}\nflask\n`);
      for (const [path, body] of Object.entries(files)) {
        if (body === 'fifo') assert.equal(spawnSync('mkfifo', [join(project, path)]).status, 0);
        else if (body.startsWith('-> ')) symlinkSync(body.slice(3), join(project, path));
        else writeFileSync(join(project, path), body);
      }
      for (const format of formats) {
        const r = await spawnCli(['ci', '--format', format, '--no-progress'], { env: { ...offlineEnv(root), SG_RELIABILITY_SECRET: SECRET }, cwd: project, timeoutMs: 60_000 });
        assertNoCrash(r);
        assert.equal(r.code, 3, `${format}: ${r.err}`);
        assert.ok(!(r.out + r.err).includes(SECRET), `${format} carries the planted secret`);
        if (format === 'json') assert.deepEqual(parseReport(r).notes.filter((n) => n.code === 'refused' && n.unverified).map((n) => `${n.origin.file}${n.origin.line ? `:${n.origin.line}` : ''}`), refused);
      }
    });
  }
});
