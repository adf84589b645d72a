import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../../src/cli/run.js';
import { EXTRACTORS, isBinaryFormat } from '../../../src/extractors/index.js';
import { extractDiff, readsFragments } from '../../../src/extractors/text/diff.js';
import { pypiProject, withFixtureRegistry } from '../../fixture-registry/server.js';
import { testIo } from '../../helpers/io.js';
import { fixtureRegistryEnv } from '../../helpers/registry-env.js';

/** A hunk-only diff (no whole files: what `git diff | slopguard diff` or an agent's patch gives). */
function hunk(path: string, context: string[], added: string[]): string {
  const n = context.length;
  return [`--- a/${path}`, `+++ b/${path}`, `@@ -1,${n} +1,${n + added.length} @@`, ...context.map((l) => ` ${l}`), ...added.map((l) => `+${l}`), ''].join('\n');
}

describe('every format reads a diff fragment, or says it cannot', () => {
  it('each registered format has a line-level reading (or is read line by line, or is binary)', () => {
    const samples: Record<string, string> = {};
    for (const e of EXTRACTORS) {
      // A file name the extractor takes, to ask the registry about it as the diff reader does.
      const name = ['package.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'requirements.txt', 'pyproject.toml', 'poetry.lock', 'Pipfile', 'Pipfile.lock', 'uv.lock', 'pdm.lock', 'setup.cfg', 'setup.py'].find((f) => e.matches(f));
      samples[e.id] = name ?? '';
      const binary = name !== undefined && isBinaryFormat(name);
      assert.ok(binary || readsFragments(e.id), `${e.id} (${e.format}) reads no fragment: a hunk-only diff of it would be silently empty`);
    }
  });

  it('setup.cfg: install_requires continuation lines and extras in a hunk', () => {
    const r = extractDiff(hunk('setup.cfg', ['[options]', 'install_requires =', '    requests>=2'], ['    reqeusts>=2.0', '    flask']));
    assert.deepEqual(r.refs.map((x) => `${x.name}@${x.origin?.line}`).sort(), ['flask@5', 'reqeusts@4']);
    const extras = extractDiff(hunk('setup.cfg', ['[options.extras_require]', 'dev ='], ['    pytset>=7']));
    assert.deepEqual(extras.refs.map((x) => x.name), ['pytset']);
    assert.equal(extras.refs[0]!.origin?.context, 'extras_require.dev');
  });

  it('setup.cfg without its key in view: only lines that pin a version are taken; comments and other keys are not', () => {
    const r = extractDiff(hunk('setup.cfg', ['    requests>=2', '    flask'], ['    reqeusts==2.31', '    # a comment', 'name = my-project', '    not a requirement']));
    assert.deepEqual(r.refs.map((x) => x.name), ['reqeusts']);
  });

  it('setup.py: quoted requirements in a list, and nothing from other Python lines', () => {
    const r = extractDiff(hunk('setup.py', ['    install_requires=[', '        "requests>=2",', '    ],'], ['        "reqeusts>=2.0",', "        'flask',", '    version="1.0",', '    print("hello")']));
    assert.deepEqual(r.refs.map((x) => x.name).sort(), ['flask', 'reqeusts']);
  });

  it('through `slopguard diff`: a hunk adding a missing name to setup.cfg or setup.py blocks (exit 1)', async () => {
    await withFixtureRegistry({ pypi: [pypiProject({ name: 'requests', weeklyDownloads: 30_000_000, created: new Date(Date.now() - 5000 * 86_400_000) })], missing: { pypi: ['reqeusts'] } }, async (reg) => {
      const cwd = mkdtempSync(join(tmpdir(), 'sg-fragments-'));
      const env = fixtureRegistryEnv(reg, join(cwd, 'cache'));
      for (const diff of [
        hunk('setup.cfg', ['[options]', 'install_requires =', '    requests>=2'], ['    reqeusts>=2.0']),
        hunk('setup.py', ['    install_requires=[', '        "requests>=2",', '    ],'], ['        "reqeusts>=2.0",']),
      ]) {
        const t = testIo({ env, cwd, stdin: diff });
        assert.equal(await run(['diff', '--format', 'json'], t.io), 1, t.err());
        const doc = JSON.parse(t.out()) as { packages: Array<{ name: string; verdict: string }> };
        assert.deepEqual(doc.packages.map((p) => `${p.name}:${p.verdict}`), ['reqeusts:block']);
      }
    }, { strict: false });
  });
});
