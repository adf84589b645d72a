/**
 * The wrappers never use a shell: arguments holding spaces, quotes, `;`, `|`, `$(...)`,
 * backticks, redirections, globs and newlines reach the package manager unchanged, and nothing
 * in them is ever executed by slopguard. A fake package manager on PATH records the argv it got;
 * the payloads try to create a marker file, which must never appear.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { healthyNpm, healthyPypi } from './fixtures.js';
import { cli, fakeTools, listFiles, registryEnv, spawnCli, tally, tempDir } from './harness.js';

/** Arguments that a shell would act on; `M` is replaced by the marker path. */
const PAYLOADS = [
  '$(touch M)', '`touch M`', '; touch M', '| touch M', '&& touch M', '|| touch M', '\ntouch M\n', '>M', '2>M', '<(touch M)',
  "'single quoted'", '"double quoted"', 'with spaces here', 'tab\there', '*', '~', '$HOME', '${PATH}', '\\', "it's", '-',
  'a;b|c&d', '!!', '#not-a-comment', '%PATH%', '^&calc', '\u001b[31mred', '',
];

interface Sandbox {
  root: string;
  marker: string;
  argvOut: string;
  env: Record<string, string>;
}

function sandbox(reg: FixtureRegistry): Sandbox {
  const root = tempDir('wrap');
  const bin = join(root, 'bin');
  fakeTools(bin, ['npm', 'npx', 'yarn', 'pnpm', 'pip', 'pip3', 'uv', 'poetry', 'pipx']);
  const marker = join(root, 'pwned');
  const argvOut = join(root, 'argv.jsonl');
  const home = join(root, 'home');
  mkdirSync(home);
  // /usr/bin and /bin stay on PATH so that `touch` would work if anything ever reached a shell.
  const env = { ...registryEnv(reg, join(root, 'cache')), PATH: `${bin}:/usr/bin:/bin`, ARGV_OUT: argvOut, HOME: home, npm_config_globalconfig: join(root, 'none') };
  return { root, marker, argvOut, env };
}

function recorded(sb: Sandbox): Array<{ tool: string; argv: string[] }> {
  if (!existsSync(sb.argvOut)) return [];
  return readFileSync(sb.argvOut, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { tool: string; argv: string[] });
}

describe('wrappers: no shell, arguments byte for byte', { concurrency: 2 }, () => {
  const withReg = async (fn: (r: FixtureRegistry) => Promise<void>) => {
    const reg = await startFixtureRegistry({ npm: [healthyNpm('express')], pypi: [healthyPypi('requests')] }, { strict: false });
    try {
      await fn(reg);
    } finally {
      await reg.close();
    }
  };

  // Commands that are not installs pass straight through; installs are checked first.
  const commands: Array<[string, (p: string[]) => string[]]> = [
    ['npm run (not an install)', (p) => ['npm', 'run', 'build', '--', ...p]],
    ['npm install of a real package, payloads after --', (p) => ['npm', 'install', 'express', '--', ...p]],
    ['npx of a real package with payload arguments', (p) => ['npx', 'express', ...p]],
    ['pip install of a real package with payload option values', (p) => ['pip', 'install', 'requests', ...p.map((x) => `--global-option=${x}`)]],
    ['pip list (not an install)', (p) => ['pip', 'list', ...p]],
    ['yarn run', (p) => ['yarn', 'run', 'x', ...p]],
  ];

  for (const [label, argvOf] of commands) {
    it(`${label}: the tool gets exactly its argv, nothing is executed`, async (t) => {
      await withReg(async (r) => {
        const sb = sandbox(r);
        const payloads = PAYLOADS.map((p) => p.replace(/M/g, sb.marker));
        tally.secrets++;
        tally.hostile += payloads.length;
        const argv = argvOf(payloads);
        const before = listFiles(sb.root);
        const res = await spawnCli(argv, { env: sb.env, cwd: sb.root });
        assert.equal(existsSync(sb.marker), false, 'a payload was executed');
        const runs = recorded(sb);
        t.diagnostic(`exit ${res.code}, tool ran ${runs.length} time(s)`);
        if (res.code === 0) {
          assert.equal(runs.length, 1, `${res.err}`);
          assert.equal(runs[0]!.tool, argv[0]);
          assert.deepEqual(runs[0]!.argv, argv.slice(1), 'the arguments were changed on the way');
        } else {
          // Refusing is allowed (a payload read as a package name); running something else is not.
          assert.equal(runs.length, 0, `slopguard exited ${res.code} but the tool ran: ${JSON.stringify(runs)}`);
          assert.ok(res.code === 1 || res.code === 2, `exit ${res.code}: ${res.err}`);
        }
        assert.doesNotMatch(res.err, /internal error/);
        // Nothing new but what the tool and the cache wrote (the cache's key lives in the user's state dir).
        const added = listFiles(sb.root).filter((f) => !before.includes(f) && f !== 'argv.jsonl' && !f.startsWith('cache/') && f !== 'home/.local/state/slopguard/cache-key');
        assert.deepEqual(added, []);
      });
    });
  }

  it('payloads as package names: refused or looked up as names, never executed', async () => {
    await withReg(async (r) => {
      const sb = sandbox(r);
      for (const tool of ['npm', 'pip']) {
        for (const p of PAYLOADS.map((x) => x.replace(/M/g, sb.marker))) {
          tally.hostile++;
          const before = recorded(sb).length;
          const res = await cli([tool, 'install', p], { env: sb.env, cwd: sb.root });
          assert.equal(existsSync(sb.marker), false, `${tool} install ${JSON.stringify(p)} executed something`);
          assert.doesNotMatch(res.err, /internal error/);
          const runs = recorded(sb).slice(before);
          // If the tool ran, it got the argument as one word, unchanged; if not, slopguard said why.
          if (runs.length) assert.deepEqual(runs, [{ tool, argv: ['install', p] }]);
          else assert.ok(res.code !== 0 && res.err.length > 0, `${tool} install ${JSON.stringify(p)}: exit ${res.code}, nothing said`);
        }
      }
    });
  });

  it('text with install commands full of substitutions is read, never run', async () => {
    await withReg(async (r) => {
      const sb = sandbox(r);
      const text = PAYLOADS.map((p) => `npm install express ${p.replace(/M/g, sb.marker)}\npip install "requests${p.replace(/M/g, sb.marker)}"\n`).join('');
      tally.hostile++;
      writeFileSync(join(sb.root, 'answer.md'), text);
      const res = await spawnCli(['text', 'answer.md', '--format', 'json'], { env: sb.env, cwd: sb.root });
      assert.equal(existsSync(sb.marker), false);
      assert.deepEqual(recorded(sb), [], 'reading text ran a package manager');
      assert.doesNotMatch(res.err, /internal error/);
    });
  });
});
