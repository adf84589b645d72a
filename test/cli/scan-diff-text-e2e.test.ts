import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, pypiProject, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnvIn as envFor } from '../helpers/registry-env.js';

const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const FIXTURES = {
  npm: [
    npmPackage({ name: 'express', created: ago(5000), weeklyDownloads: 40_000_000, repository: 'r' }),
    npmPackage({ name: 'cors', created: ago(3000), weeklyDownloads: 15_000_000, repository: 'r' }),
  ],
  pypi: [pypiProject({ name: 'requests', created: ago(5000), weeklyDownloads: 30_000_000, urls: { Source: 'r' } })],
  missing: { npm: ['lodahs'], pypi: ['reqeusts'] },
};

type Doc = {
  packages: Array<{ name: string; verdict: string; origins: Array<{ file: string; line?: number }>; findings: Array<{ code: string; similarTo?: string }> }>;
  notes: Array<{ level: string; code: string; origin: { file: string; line?: number } }>;
};


/** FIXTURES is shared by the cases below; each asks for some of its names, so the rest go unrequested. */
const SHARED_FIXTURES = { allowUnrequested: true } as const;
describe('slopguard scan', () => {
  it('checks every manifest once, with file:line origins; a malformed file exits 2 only when nothing is blocked', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const cwd = tree({
        'package.json': '{\n  "name": "app",\n  "dependencies": {\n    "express": "^4.18.0",\n    "lodahs": "^4.17.21"\n  }\n}\n',
        'services/api/package.json': '{\n  "dependencies": { "express": "^4.18.0", "local": "file:../lib" }\n}\n',
        'worker/requirements.txt': 'requests==2.31.0\nreqeusts>=2\n',
        'node_modules/ignored/package.json': '{ "dependencies": { "never-looked-up": "1" } }',
      });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['scan', '--format', 'json'], t.io), 1);
      const doc = JSON.parse(t.out()) as Doc;
      const by = Object.fromEntries(doc.packages.map((p) => [p.name, p]));
      assert.deepEqual(Object.keys(by).sort(), ['express', 'lodahs', 'reqeusts', 'requests']);
      assert.deepEqual(by.express!.origins.map((o) => `${o.file}:${o.line}`).sort(), ['package.json:4', 'services/api/package.json:2']);
      assert.equal(by.lodahs!.verdict, 'block');
      assert.equal(by.lodahs!.findings.find((f) => f.code === 'typo')?.similarTo, 'lodash');
      assert.deepEqual(by.reqeusts!.origins.map((o) => `${o.file}:${o.line}`), ['worker/requirements.txt:2']);
      assert.ok(doc.notes.some((n) => n.code === 'not-registry' && n.origin.file === 'services/api/package.json'));
      assert.equal(reg.requests.filter((r) => r.path.includes('express') && !r.path.includes('downloads')).length, 1, 'asked once for two origins');
    }, SHARED_FIXTURES);
  });

  it('a malformed file is named with line and column and the rest is still reported', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const cwd = tree({
        'a/package.json': '{\n  "dependencies": {\n    "express": "^4"\n    "cors": "^2"\n  }\n}\n',
        'b/package.json': '{ "dependencies": { "cors": "^2" } }\n',
      });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['scan', '--all'], t.io), 2);
      assert.match(t.out(), /error a\/package\.json:4:\d+: /);
      assert.match(t.out(), /OK +npm:cors/);
    }, SHARED_FIXTURES);
  });

  it('text output lists only the problems and one summary line unless --all is given', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const cwd = tree({ 'package.json': '{ "dependencies": { "express": "^4", "cors": "^2", "lodahs": "^4" } }\n' });
      const quiet = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['scan'], quiet.io), 1);
      assert.match(quiet.out(), /^BLOCK +npm:lodahs/m);
      assert.doesNotMatch(quiet.out(), /npm:express|npm:cors/);
      assert.match(quiet.out(), /^3 checked: 2 ok, 0 warn, 1 block, 0 unknown$/m);
      const all = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['scan', '--all'], all.io), 1);
      assert.match(all.out(), /^OK +npm:express/m);
      assert.match(all.out(), /^OK +npm:cors/m);
    }, SHARED_FIXTURES);
  });

  it('every command accepts every report format', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const cwd = tree({ 'package.json': '{ "dependencies": { "lodahs": "^4" } }\n', 'answer.md': 'Run `npm install lodahs`.\n' });
      const diff = '--- a/package.json\n+++ b/package.json\n@@ -1,2 +1,5 @@\n {\n+  "dependencies": {\n+    "lodahs": "^4"\n+  }\n }\n';
      const commands: Array<[string[], string | undefined]> = [
        [['check', 'lodahs'], undefined],
        [['scan'], undefined],
        [['ci'], undefined],
        [['text', 'answer.md'], undefined],
        [['diff'], diff],
      ];
      const shapes: Record<string, RegExp> = {
        json: /"schemaVersion": ?1/,
        sarif: /"version": ?"2\.1\.0"/,
        github: /^::error /m,
        markdown: /lodahs/,
        text: /^BLOCK +npm:lodahs/m,
        junit: /<failure type="not-found/,
      };
      for (const [argv, stdin] of commands) {
        for (const [format, shape] of Object.entries(shapes)) {
          const t = testIo({ env: envFor(reg, cwd), cwd, ...(stdin === undefined ? {} : { stdin }) });
          assert.equal(await run([...argv, '--format', format], t.io), 1, `${argv[0]} --format ${format}: ${t.err()}`);
          assert.match(t.out(), shape, `${argv[0]} --format ${format}`);
        }
      }
    }, { strict: false });
  });

  it('a note names its place once, in every format that prints the place itself', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const cwd = tree({ 'requirements.txt': 'requests==2.31.0\nthis is not valid ???\n' });
      const text = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['scan'], text.io), 2);
      assert.match(text.out(), /^error requirements\.txt:2:\d+: cannot read "this is not valid \?\?\?"/m);
      for (const format of ['github', 'markdown']) {
        const t = testIo({ env: envFor(reg, cwd), cwd });
        await run(['ci', '--format', format], t.io);
        assert.match(t.out(), /cannot read "this is not valid/, format);
        assert.doesNotMatch(t.out(), /requirements\.txt:2:\d+: cannot read/, `${format} repeats the place`);
      }
    }, SHARED_FIXTURES);
  });

  it('an empty lockfile is said out loud', async () => {
    await withFixtureRegistry({}, async (reg) => {
      const cwd = tree({ 'package-lock.json': '{ "name": "x", "lockfileVersion": 3, "packages": { "": { "name": "x" } } }\n' });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      await run(['scan', 'package-lock.json'], t.io);
      assert.match(t.out(), /package-lock\.json.*(no packages|zero packages|empty)/i);
    });
  });

  it('a path that does not exist is named as typed', async () => {
    const cwd = tree({});
    const t = testIo({ cwd });
    assert.equal(await run(['scan', '/nonexistent-sg-path'], t.io), 2);
    assert.match(t.out(), /^error \/nonexistent-sg-path: no such file or folder$/m);
  });

  it('a named file of unknown type exits 2 naming it', async () => {
    const cwd = tree({ 'notes.docx': 'x' });
    const t = testIo({ cwd });
    assert.equal(await run(['scan', 'notes.docx'], t.io), 2);
    assert.match(t.out() + t.err(), /notes\.docx/);
  });
});

describe('slopguard diff', () => {
  function repo(): string {
    const cwd = tree({ 'package.json': '{\n  "dependencies": {\n    "express": "^4.18.0"\n  }\n}\n', 'requirements.txt': 'requests==2.31.0\n' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'one');
    // Re-indented and re-sorted: express moves but is not new; lodahs and reqeusts are.
    writeFileSync(join(cwd, 'package.json'), '{\n  "dependencies": {\n      "lodahs": "^4.17.21",\n      "express": "^4.18.0"\n  }\n}\n');
    writeFileSync(join(cwd, 'requirements.txt'), 'reqeusts>=2\nrequests==2.31.0\n');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qam', 'two');
    return cwd;
  }

  it('--git judges only what the range adds', async () => {
    await withFixtureRegistry({ missing: FIXTURES.missing }, async (reg) => {
      const cwd = repo();
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['diff', '--git', 'HEAD~1..HEAD', '--format', 'json'], t.io), 1);
      const doc = JSON.parse(t.out()) as Doc;
      assert.deepEqual(doc.packages.map((p) => `${p.name}@${p.origins[0]?.file}:${p.origins[0]?.line}`).sort(), ['lodahs@package.json:3', 'reqeusts@requirements.txt:1']);
    });
  });

  it('reads a patch on stdin', async () => {
    await withFixtureRegistry({ missing: FIXTURES.missing }, async (reg) => {
      const cwd = repo();
      const patch = execFileSync('git', ['diff', 'HEAD~1', 'HEAD'], { cwd }).toString();
      const t = testIo({ env: envFor(reg, cwd), cwd, stdin: patch });
      assert.equal(await run(['diff', '--format', 'json'], t.io), 1);
      assert.deepEqual((JSON.parse(t.out()) as Doc).packages.map((p) => p.name).sort(), ['lodahs', 'reqeusts']);
    });
  });

  it('a bad range is a usage error', async () => {
    const cwd = repo();
    const t = testIo({ cwd });
    assert.equal(await run(['diff', '--git', '--output=/tmp/x'], t.io), 2);
  });
});

describe('slopguard text', () => {
  it("checks install commands and imports in an agent's answer, with line numbers", async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const cwd = tree({
        'answer.md': 'Install it:\n\n```bash\nnpm install express lodahs\npip install reqeusts\n```\n\n```python\nimport requests\n```\n',
      });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['text', 'answer.md', '--format', 'json'], t.io), 1);
      const doc = JSON.parse(t.out()) as Doc;
      const lines = Object.fromEntries(doc.packages.map((p) => [p.name, p.origins.map((o) => o.line)]));
      assert.deepEqual(lines, { express: [4], lodahs: [4], reqeusts: [5], requests: [9] });
    }, SHARED_FIXTURES);
  });

  it('a missing file exits 2', async () => {
    const t = testIo({ cwd: tree({}) });
    assert.equal(await run(['text', 'nope.md'], t.io), 2);
    assert.match(t.err(), /nope\.md: no such file/);
  });
});
