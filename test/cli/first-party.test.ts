import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, pypiProject, withFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnvIn as envFor } from '../helpers/registry-env.js';
import { repo } from '../helpers/repo.js';

const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

const FIXTURES = {
  npm: [npmPackage({ name: 'express', created: ago(5000), weeklyDownloads: 40_000_000, repository: 'r' })],
  pypi: [pypiProject({ name: 'requests', created: ago(5000), weeklyDownloads: 30_000_000, urls: { Source: 'r' } })],
};

/** FIXTURES serve both import kinds; each case asks for one of them, so the other goes unrequested. */
const SHARED_FIXTURES = { allowUnrequested: true } as const;

type Doc = { packages: Array<{ name: string; verdict: string }>; notes: Array<{ code: string; name?: string; message: string }> };

/** Every request the registry got that names `name` (any of its spellings). */
const asked = (reg: FixtureRegistry, name: string) => reg.requests.filter((r) => decodeURIComponent(r.path).toLowerCase().replace(/_/g, '-').includes(name.toLowerCase().replace(/_/g, '-')));

// [case, files of the repository, the file `text` reads, its first-party name]
const CASES: Array<[string, Record<string, string>, string, string]> = [
  ['a Python module file beside the importer', { 'settings_qz.py': 'X = 1\n', 'app.py': 'import settings_qz\nimport requests\n' }, 'app.py', 'settings_qz'],
  ['a Python package folder', { 'qzpkg/__init__.py': '', 'tools/run.py': 'from qzpkg import thing\nimport requests\n' }, 'tools/run.py', 'qzpkg'],
  ['a src/ layout package', { 'src/qzcore/__init__.py': '', 'tests/test_a.py': 'import qzcore\nimport requests\n' }, 'tests/test_a.py', 'qzcore'],
  ["the project's own [project].name", { 'pyproject.toml': '[project]\nname = "qz-tool"\n', 'bench.py': 'import qz_tool\nimport requests\n' }, 'bench.py', 'qz_tool'],
  ['a tsconfig paths alias', { 'tsconfig.json': '{ // comments allowed\n "compilerOptions": { "paths": { "@qzapp/*": ["src/*"] } } }', 'src/utils/index.ts': '', 'a.ts': "import u from '@qzapp/utils';\nimport express from 'express';\n" }, 'a.ts', '@qzapp/utils'],
  ['an exact tsconfig alias under baseUrl', { 'tsconfig.json': '{ "compilerOptions": { "baseUrl": "lib", "paths": { "qz-config": ["conf/main.ts"] } } }', 'lib/conf/main.ts': '', 'a.ts': "import c from 'qz-config';\nimport express from 'express';\n" }, 'a.ts', 'qz-config'],
  ['a module under jsconfig baseUrl', { 'jsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }', 'src/qzwidgets.js': '', 'a.js': "const w = require('qzwidgets');\nconst e = require('express');\n" }, 'a.js', 'qzwidgets'],
  ['a workspace package', { 'package.json': '{ "name": "root", "workspaces": ["packages/*"] }', 'packages/shared/package.json': '{ "name": "@qzorg/shared" }', 'a.ts': "import s from '@qzorg/shared';\nimport express from 'express';\n" }, 'a.ts', '@qzorg/shared'],
  ['a pnpm workspace package', { 'pnpm-workspace.yaml': 'packages:\n  - "libs/*"\n', 'libs/kit/package.json': '{ "name": "qz-kit" }', 'a.ts': "import k from 'qz-kit';\nimport express from 'express';\n" }, 'a.ts', 'qz-kit'],
];

describe('first-party names are never sent to a registry: slopguard text', () => {
  for (const [label, files, file, name] of CASES) {
    it(label, async () => {
      await withFixtureRegistry(FIXTURES, async (reg) => {
        const cwd = repo(files);
        const t = testIo({ env: envFor(reg, cwd), cwd });
        const code = await run(['text', file, '--format', 'json'], t.io);
        const doc = JSON.parse(t.out()) as Doc;
        assert.deepEqual(asked(reg, name), [], `${name} must not be asked`);
        assert.deepEqual(doc.packages.map((p) => p.name).filter((n) => n !== 'express' && n !== 'requests'), []);
        assert.equal(doc.packages.length, 1, 'the public import is still checked');
        assert.equal(doc.packages[0]!.verdict, 'ok');
        assert.ok(doc.notes.some((n) => n.code === 'not-registry' && n.name === name), 'a note says why it was not looked up');
        assert.equal(code, 0);
      }, SHARED_FIXTURES);
    });
  }

  it('the same import outside any repository (an agent answer) is looked up as before', async () => {
    await withFixtureRegistry({ ...FIXTURES, missing: { pypi: ['settings-qz'] } }, async (reg) => {
      const cwd = repo({ 'settings_qz.py': '', 'answer.md': '```python\nimport settings_qz\n```\n' }, false);
      const t = testIo({ env: envFor(reg, cwd), cwd });
      const code = await run(['text', 'answer.md', '--format', 'json'], t.io);
      const doc = JSON.parse(t.out()) as Doc;
      assert.equal(doc.packages.find((p) => p.name.replace(/_/g, '-') === 'settings-qz')?.verdict, 'block');
      assert.equal(code, 1);
    }, SHARED_FIXTURES);
  });

  it('an install command naming a module file is still looked up (it asks the registry explicitly)', async () => {
    await withFixtureRegistry({ ...FIXTURES, missing: { pypi: ['settings-qz'] } }, async (reg) => {
      const cwd = repo({ 'settings_qz.py': '', 'answer.md': '```sh\npip install settings-qz\n```\n' });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['text', 'answer.md', '--format', 'json'], t.io), 1);
      assert.ok(asked(reg, 'settings-qz').length > 0);
    }, SHARED_FIXTURES);
  });

  it('a catch-all alias ("*": ["vendor/*"]) covers only what is in vendor/: other imports are looked up', async () => {
    await withFixtureRegistry({ ...FIXTURES, missing: { npm: ['lodahs'] } }, async (reg) => {
      const cwd = repo({ 'tsconfig.json': '{ "compilerOptions": { "paths": { "*": ["vendor/*"] } } }', 'vendor/qzvend.js': '', 'a.ts': "import v from 'qzvend';\nimport l from 'lodahs';\n" });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['text', 'a.ts', '--format', 'json'], t.io), 1);
      const doc = JSON.parse(t.out()) as Doc;
      assert.deepEqual(doc.packages.map((p) => `${p.name}:${p.verdict}`), ['lodahs:block']);
      assert.deepEqual(asked(reg, 'qzvend'), []);
    }, SHARED_FIXTURES);
  });

  it('an install command naming a workspace package is still looked up', async () => {
    await withFixtureRegistry({ ...FIXTURES, missing: { npm: ['qz-kit'] } }, async (reg) => {
      const cwd = repo({ 'package.json': '{ "name": "root", "workspaces": ["libs/*"] }', 'libs/kit/package.json': '{ "name": "qz-kit" }', 'answer.md': '```sh\nnpm install qz-kit\n```\n' });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['text', 'answer.md', '--format', 'json'], t.io), 1);
      assert.ok(asked(reg, 'qz-kit').length > 0);
    }, SHARED_FIXTURES);
  });

  it('a broken tsconfig or pyproject is no first-party evidence: the import is looked up', async () => {
    await withFixtureRegistry({ ...FIXTURES, missing: { npm: ['@qzapp/utils'] } }, async (reg) => {
      const cwd = repo({ 'tsconfig.json': '{ "compilerOptions": ', 'pyproject.toml': '[project\n', 'a.ts': "import u from '@qzapp/utils';\n" });
      const t = testIo({ env: envFor(reg, cwd), cwd });
      assert.equal(await run(['text', 'a.ts', '--format', 'json'], t.io), 1);
      assert.ok(asked(reg, '@qzapp/utils').length > 0);
    }, SHARED_FIXTURES);
  });
});

describe('first-party names are never sent to a registry: slopguard diff --staged', () => {
  it('an import of a committed module, a package folder and a workspace package are not looked up', async () => {
    await withFixtureRegistry(FIXTURES, async (reg) => {
      const cwd = repo({}, false);
      const git = (...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' } });
      git('init', '-q');
      git('config', 'user.email', 't@example.invalid');
      git('config', 'user.name', 't');
      for (const [name, text] of Object.entries({
        'settings_qz.py': 'X = 1\n',
        'qzpkg/__init__.py': '',
        'package.json': '{ "name": "root", "workspaces": ["packages/*"] }',
        'packages/shared/package.json': '{ "name": "@qzorg/shared" }',
      })) {
        mkdirSync(join(cwd, name, '..'), { recursive: true });
        writeFileSync(join(cwd, name), text);
      }
      git('add', '.');
      git('commit', '-qm', 'base');
      writeFileSync(join(cwd, 'app.py'), 'import settings_qz\nfrom qzpkg import x\nimport requests\n');
      writeFileSync(join(cwd, 'web.ts'), "import s from '@qzorg/shared';\nimport express from 'express';\n");
      git('add', 'app.py', 'web.ts');
      const t = testIo({ env: envFor(reg, cwd), cwd });
      const code = await run(['diff', '--staged', '--format', 'json'], t.io);
      const doc = JSON.parse(t.out()) as Doc;
      for (const name of ['settings_qz', 'qzpkg', '@qzorg/shared']) assert.deepEqual(asked(reg, name), [], `${name} must not be asked`);
      assert.deepEqual(doc.packages.map((p) => p.name).sort(), ['express', 'requests']);
      assert.equal(code, 0);
    }, SHARED_FIXTURES);
  });
});
