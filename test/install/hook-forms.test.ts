/**
 * Every install form the planner reads, through the Claude Code hook's documented JSON on stdin
 * (run(['hook', 'claude'])), against the loopback fixture registry: invented bad names must be
 * stopped (deny, or ask when slopguard could not see the packages), good controls must get no
 * objection at all.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, pypiProject, startFixtureRegistry } from '../fixture-registry/server.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';
import { packageJson, packageLock, planFixtures, project, pyproject } from './fixtures.js';

interface Answer {
  decision: 'deny' | 'ask' | 'none' | 'warn';
  reason: string;
}

let reg: DoorRegistry;
const dirs: string[] = [];
before(async () => {
  reg = await startDoorRegistry(planFixtures());
});
after(async () => {
  await reg.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function claude(command: string, cwd: string, mode = 'default', env: Record<string, string> = {}): Promise<Answer> {
  const input = { session_id: 's', transcript_path: '/tmp/t.jsonl', cwd, permission_mode: mode, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' };
  const t = testIo({ env: { ...reg.env, ...env }, stdin: JSON.stringify(input), now: NOW, cwd });
  const code = await run(['hook', 'claude'], t.io);
  assert.equal(code, 0, t.err());
  const out = t.out().trim();
  if (!out) return { decision: 'none', reason: '' };
  const json = JSON.parse(out) as { hookSpecificOutput?: { permissionDecision: 'deny' | 'ask'; permissionDecisionReason: string }; systemMessage?: string };
  if (json.hookSpecificOutput) return { decision: json.hookSpecificOutput.permissionDecision, reason: json.hookSpecificOutput.permissionDecisionReason };
  return { decision: 'warn', reason: json.systemMessage ?? '' };
}

function at(files: Record<string, string> = {}): string {
  const d = project(files);
  dirs.push(d);
  return d;
}

interface Case {
  name: string;
  command: string;
  files?: Record<string, string>;
  expect: Answer['decision'];
  /** The reason must say this (the bad name, or why nothing could be checked). */
  says?: RegExp;
}

const SHELL_FORMS: Case[] = [
  { name: 'heredoc to bash', command: "bash <<'SH'\nset -e\nnpm install lodahs\nSH", expect: 'deny', says: /`lodahs` does not exist on npm/ },
  { name: 'heredoc to sh -s', command: 'sh -s <<EOF\npip install reqeusts\nEOF', expect: 'deny', says: /`reqeusts` does not exist on PyPI/ },
  { name: 'heredoc to bash -s with arguments', command: "bash -s -- --flag <<'EOF'\nnpm i quantix-fetchr-kit\nEOF", expect: 'deny', says: /quantix-fetchr-kit/ },
  { name: 'heredoc to zsh', command: "zsh <<'EOF'\ncd /tmp && pip3 install torchlyte-extras-zz\nEOF", expect: 'deny', says: /torchlyte-extras-zz/ },
  { name: 'heredoc to dash, indented with <<-', command: "dash <<-'EOF'\n\tnpm install lodahs\n\tEOF", expect: 'deny', says: /lodahs/ },
  { name: 'literal text piped to sh', command: "echo 'npm install lodahs' | sh", expect: 'deny', says: /lodahs/ },
  { name: 'pip -r /dev/stdin from a heredoc', command: 'pip install -r /dev/stdin <<EOF\nrequests==2.32.3\nreqeusts\nEOF', expect: 'deny', says: /`reqeusts`/ },
  { name: 'pip -r /dev/stdin including a file on disk', command: 'pip install -r /dev/stdin <<EOF\nflask\n-r base.txt\nEOF', files: { 'base.txt': 'reqeusts\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'pip -r - from printf', command: "printf 'reqeusts\\n' | pip install -r -", expect: 'deny', says: /`reqeusts`/ },
  { name: 'pip -r /dev/fd/0 from cat heredoc', command: "cat <<'EOF' | python -m pip install -r /dev/fd/0\ntorchlyte-extras-zz>=1\nEOF", expect: 'deny', says: /torchlyte-extras-zz/ },
  { name: 'pip -r - from a here-string', command: "pip install -r - <<< 'reqeusts'", expect: 'deny', says: /reqeusts/ },
  { name: 'echo >> requirements.txt then -r', command: 'echo reqeusts >> requirements.txt && pip install -r requirements.txt', files: { 'requirements.txt': 'requests\n' }, expect: 'deny', says: /`reqeusts`/ },
  { name: 'cat > requirements.txt heredoc then -r', command: 'cat > requirements.txt <<EOF\nflask\nreqeusts\nEOF\npip install -r requirements.txt', expect: 'deny', says: /`reqeusts`/ },
  { name: 'printf > reqs.txt then -r', command: "printf 'requests\\ntorchlyte-extras-zz\\n' > reqs.txt && pip install -r reqs.txt", expect: 'deny', says: /torchlyte-extras-zz/ },
  { name: 'tee from a heredoc then -r', command: "tee reqs.txt >/dev/null <<'EOF'\nreqeusts\nEOF\npip install -r reqs.txt", expect: 'deny', says: /reqeusts/ },
  { name: 'echo | tee -a then -r', command: 'echo reqeusts | tee -a requirements.txt && pip install -r requirements.txt', files: { 'requirements.txt': 'requests\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'a written file included by another', command: "echo reqeusts > extra.txt; pip install -r main.txt", files: { 'main.txt': 'requests\n-r extra.txt\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'cp a file over requirements.txt, then -r', command: 'cp ml.txt requirements.txt && pip install -r requirements.txt', files: { 'ml.txt': 'reqeusts\n', 'requirements.txt': 'flask\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'cat a file onto the end of requirements.txt, then -r', command: 'cat extra.txt >> requirements.txt && pip install -r requirements.txt', files: { 'extra.txt': 'reqeusts\n', 'requirements.txt': 'flask\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'cd sub && pip install -r', command: 'cd sub && pip install -r ml.txt', files: { 'sub/ml.txt': 'reqeusts\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'cd inside bash -c', command: 'bash -c "cd sub; pip install -r ml.txt"', files: { 'sub/ml.txt': 'reqeusts\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'a cd inside ( … ) ends with the subshell', command: '(cd sub && make); pip install -r ml.txt', files: { 'ml.txt': 'reqeusts\n', 'sub/ml.txt': 'flask\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'a cd inside bash -c does not move the parent', command: "bash -c 'cd sub' && pip install -r ml.txt", files: { 'ml.txt': 'reqeusts\n', 'sub/ml.txt': 'flask\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'cat file | xargs npm install', command: 'cat pkgs.txt | xargs -n1 npm install', files: { 'pkgs.txt': 'express\nlodahs\n' }, expect: 'deny', says: /lodahs/ },
  { name: 'pip -r /dev/stdin < file', command: 'pip install -r /dev/stdin < reqs.txt', files: { 'reqs.txt': 'reqeusts\n' }, expect: 'deny', says: /reqeusts/ },
  { name: 'cat file | pip -r -', command: 'cat reqs.txt | pip install -r -', files: { 'reqs.txt': 'torchlyte-extras-zz\n' }, expect: 'deny', says: /torchlyte-extras-zz/ },
  { name: 'echo | xargs npm install', command: 'echo lodahs | xargs npm install', expect: 'deny', says: /lodahs/ },
  { name: 'printf | xargs -n1 pip install', command: "printf 'flask\\nreqeusts\\n' | xargs -n1 pip install", expect: 'deny', says: /reqeusts/ },
  { name: 'echo | xargs -I{} npm i {}', command: 'echo quantix-fetchr-kit | xargs -I{} npm i {} --save', expect: 'deny', says: /quantix-fetchr-kit/ },
  { name: '-r of any file name', command: 'pip install -r deps.txt', files: { 'deps.txt': 'requests\nreqeusts\n' }, expect: 'deny', says: /reqeusts/ },
  { name: '-c of any file name', command: 'pip install flask -c pins.cfg', files: { 'pins.cfg': 'reqeusts==1.0\n' }, expect: 'deny', says: /reqeusts/ },
];

const UNVERIFIED_FORMS: Case[] = [
  { name: '$VAR package argument', command: 'npm install $PKG', expect: 'ask', says: /not checked: .*\$PKG/ },
  { name: '$(…) package argument', command: 'pip install $(cat list.txt)', expect: 'ask', says: /only known when the shell runs it/ },
  { name: 'backtick package argument', command: 'npm i `cat pkgs`', expect: 'ask', says: /only known when the shell runs it/ },
  { name: 'requirements from a process substitution', command: 'pip install -r <(echo reqeusts)', expect: 'ask', says: /requirements file .* is only known when the shell runs it/ },
  { name: 'requirements file named by a variable', command: 'pip install -r "$REQS"', expect: 'ask', says: /only known when the shell runs it/ },
  { name: 'missing requirements file', command: 'pip install -r nowhere.txt', expect: 'ask', says: /nowhere\.txt .* does not exist/ },
  { name: 'requirements file that is a folder', command: 'pip install -r sub', files: { 'sub/x': '' }, expect: 'ask', says: /sub is a folder/ },
  { name: 'a device is never read', command: 'pip install -r /dev/zero', expect: 'ask', says: /not a regular file/ },
  { name: 'xargs fed by a command', command: "find . -name '*.pkg' | xargs npm install", expect: 'ask', says: /xargs .*standard input/ },
  { name: 'xargs fed by a file that is not there', command: 'cat pkgs.txt | xargs npm install', expect: 'ask', says: /xargs .*standard input/ },
  { name: '-r /dev/stdin fed by curl', command: 'curl -s https://example.test/r.txt | pip install -r /dev/stdin', expect: 'ask', says: /pipe whose text is only known/ },
  { name: 'a file downloaded, then -r', command: 'curl -o r.txt https://example.test/r.txt && pip install -r r.txt', expect: 'ask', says: /r\.txt is written earlier in this command/ },
  { name: 'cd to a variable, then -r', command: 'cd "$APP" && pip install -r requirements.txt', expect: 'ask', says: /`cd` to a folder only known/ },
  { name: 'remote requirements file', command: 'pip install -r https://example.test/requirements.txt', expect: 'ask', says: /remote requirement files are not fetched/ },
  { name: 'conda', command: 'conda install -y numpy', expect: 'ask', says: /conda install installs from conda channels/ },
  { name: 'mamba', command: 'mamba install -c conda-forge torchlyte-extras-zz', expect: 'ask', says: /mamba install installs from conda channels/ },
  { name: 'micromamba create', command: 'micromamba create -n x python', expect: 'ask', says: /micromamba create/ },
  { name: 'brew', command: 'brew install wget', expect: 'ask', says: /brew install installs from Homebrew/ },
  { name: 'malformed package.json on bare install', command: 'npm install', files: { 'package.json': '{ "dependencies": ' }, expect: 'ask', says: /package\.json/ },
];

const PROJECT_FORMS: Case[] = [
  {
    name: 'stale lockfile: a new package.json name',
    command: 'npm install',
    files: { 'package.json': packageJson({ lodash: '^4.17.21', lodahs: '^1.0.0' }), 'package-lock.json': packageLock({ lodash: '4.17.21' }, { lodash: '^4.17.21' }) },
    expect: 'deny',
    says: /lodahs/,
  },
  {
    name: 'stale lockfile through pnpm install reads package.json',
    command: 'pnpm install',
    files: { 'package.json': packageJson({ express: '^4.0.0', 'quantix-fetchr-kit': '1' }) },
    expect: 'deny',
    says: /quantix-fetchr-kit/,
  },
  { name: 'bare yarn reads package.json', command: 'yarn', files: { 'package.json': packageJson({ lodahs: '^1.0.0' }) }, expect: 'deny', says: /lodahs/ },
  { name: 'bun install reads package.json', command: 'bun install', files: { 'package.json': packageJson({ lodahs: '^1.0.0' }) }, expect: 'deny', says: /lodahs/ },
  {
    name: 'npm ci on a bad lockfile',
    command: 'npm ci',
    files: { 'package.json': packageJson({ lodash: '^4.17.21' }), 'package-lock.json': packageLock({ lodash: '4.17.21', 'quantix-fetchr-kit': '1.0.0' }) },
    expect: 'deny',
    says: /quantix-fetchr-kit/,
  },
  { name: 'npm ci with no lockfile reads package.json', command: 'npm ci', files: { 'package.json': packageJson({ lodahs: '^1.0.0' }) }, expect: 'deny', says: /lodahs/ },
  {
    name: 'npm ci ignores package.json when the lockfile is there',
    command: 'npm ci',
    files: { 'package.json': packageJson({ lodahs: '^1.0.0' }), 'package-lock.json': packageLock({ lodash: '4.17.21' }) },
    expect: 'none',
  },
  {
    name: '--frozen-lockfile reads the lockfile only',
    command: 'npm install --frozen-lockfile',
    files: { 'package.json': packageJson({ lodash: '^4.17.21' }), 'package-lock.json': packageLock({ lodash: '4.17.21', lodahs: '1.0.0' }) },
    expect: 'deny',
    says: /lodahs/,
  },
  { name: 'uv sync on a bad pyproject', command: 'uv sync', files: { 'pyproject.toml': pyproject(['flask>=3', 'reqeusts>=1']) }, expect: 'deny', says: /reqeusts/ },
  { name: 'npm install in a workspace folder reads the root project', command: 'cd packages/app && npm install', files: { 'package.json': packageJson({ lodahs: '^1.0.0' }), 'packages/app/src/index.js': '' }, expect: 'deny', says: /lodahs/ },
  { name: 'uv run finds the project in a parent folder', command: 'cd scripts && uv run report.py', files: { 'pyproject.toml': pyproject(['reqeusts']), 'scripts/report.py': '' }, expect: 'deny', says: /reqeusts/ },
  { name: 'uv sync --directory sub', command: 'uv sync --directory sub', files: { 'sub/pyproject.toml': pyproject(['torchlyte-extras-zz']) }, expect: 'deny', says: /torchlyte-extras-zz/ },
  { name: 'poetry install', command: 'poetry install', files: { 'pyproject.toml': pyproject(['reqeusts']) }, expect: 'deny', says: /reqeusts/ },
  { name: 'pip install -e ".[dev]" reads the dev extra', command: 'pip install -e ".[dev]"', files: { 'pyproject.toml': pyproject(['flask'], ['reqeusts']) }, expect: 'deny', says: /reqeusts/ },
  { name: 'pip install .[dev]', command: 'pip install .[dev]', files: { 'pyproject.toml': pyproject(['flask'], ['torchlyte-extras-zz']) }, expect: 'deny', says: /torchlyte-extras-zz/ },
  { name: 'pip install . in a cd', command: 'cd svc && pip install .', files: { 'svc/pyproject.toml': pyproject(['reqeusts']) }, expect: 'deny', says: /reqeusts/ },
];

const GOOD: Case[] = [
  { name: 'typed good names', command: 'npm install lodash express && pip install requests flask', expect: 'none' },
  { name: 'good heredoc to bash', command: "bash <<'SH'\nnpm install lodash\nSH", expect: 'none' },
  { name: 'good stdin requirements', command: 'pip install -r /dev/stdin <<EOF\nrequests\nflask\nEOF', expect: 'none' },
  { name: 'good cat file | xargs', command: 'cat pkgs.txt | xargs npm install', files: { 'pkgs.txt': 'lodash express\n' }, expect: 'none' },
  { name: 'good xargs', command: 'echo lodash express | xargs npm install', expect: 'none' },
  { name: 'good written requirements', command: 'cat > requirements.txt <<EOF\nrequests\nEOF\npip install -r requirements.txt', expect: 'none' },
  { name: 'good cd sub', command: 'cd sub && pip install -r ml.txt', files: { 'sub/ml.txt': 'flask\n' }, expect: 'none' },
  { name: 'good cp over requirements.txt', command: 'cp ml.txt requirements.txt && pip install -r requirements.txt', files: { 'ml.txt': 'flask\n', 'requirements.txt': 'reqeusts\n' }, expect: 'none' },
  { name: 'bare npm install in an empty folder installs nothing', command: 'npm install', expect: 'none' },
  { name: 'npm ci in an empty folder installs nothing', command: 'npm ci', expect: 'none' },
  { name: 'uv run outside any project', command: 'uv run python -c "print(1)"', expect: 'none' },
  { name: 'good cd inside a subshell', command: '(cd sub && pip install -r ml.txt)', files: { 'ml.txt': 'reqeusts\n', 'sub/ml.txt': 'flask\n' }, expect: 'none' },
  { name: 'good deps.txt', command: 'pip install -r deps.txt', files: { 'deps.txt': 'requests\n' }, expect: 'none' },
  {
    name: 'lockfile that matches package.json',
    command: 'npm install',
    files: { 'package.json': packageJson({ lodash: '^4.17.0' }), 'package-lock.json': packageLock({ lodash: '4.17.21' }, { lodash: '^4.17.0' }) },
    expect: 'none',
  },
  { name: 'good npm ci', command: 'npm ci', files: { 'package.json': packageJson({ lodash: '^4.17.21' }), 'package-lock.json': packageLock({ lodash: '4.17.21', express: '4.21.0' }) }, expect: 'none' },
  { name: 'good uv sync', command: 'uv sync', files: { 'pyproject.toml': pyproject(['flask', 'requests']) }, expect: 'none' },
  { name: 'good pip install -e .[dev]', command: 'pip install -e ".[dev]"', files: { 'pyproject.toml': pyproject(['flask'], ['requests']) }, expect: 'none' },
  { name: 'writes with no install', command: 'echo hello > notes.txt && cat notes.txt | wc -l', expect: 'none' },
  { name: 'apt-get is the distribution\'s (not judged)', command: 'sudo apt-get install -y curl', expect: 'none' },
  { name: 'non-install tool commands', command: 'npm run build && pip list && git status', expect: 'none' },
  { name: 'a heredoc to cat is not a script', command: "cat <<'EOF' > notes.md\nnpm install lodahs\nEOF", expect: 'none' },
];

describe('install planner through the Claude Code hook', () => {
  for (const [title, cases] of [
    ['what the shell would run', SHELL_FORMS],
    ['what cannot be read is not clean', UNVERIFIED_FORMS],
    ['what the install adds', PROJECT_FORMS],
    ['good controls are never stopped', GOOD],
  ] as const) {
    describe(title, () => {
      for (const c of cases) {
        it(`${c.name}: ${c.expect}`, async () => {
          const cwd = at(c.files);
          const a = await claude(c.command, cwd);
          assert.equal(a.decision, c.expect, `${c.command}\n${a.reason}`);
          if (c.says) assert.match(a.reason, c.says);
        });
      }
    });
  }

  it('pip install -e ".[dev]" does not call `.[dev]` an invalid name', async () => {
    const cwd = at({ 'pyproject.toml': pyproject(['flask'], ['reqeusts']) });
    const a = await claude('pip install -e ".[dev]"', cwd);
    assert.doesNotMatch(a.reason, /invalid|not a valid/);
  });

  it('xargs fed by a file is about the unseen arguments, not a bare install of the project', async () => {
    const a = await claude("find . -name '*.pkg' | xargs npm install", at());
    assert.equal(a.decision, 'ask');
    assert.doesNotMatch(a.reason, /package\.json/);
  });

  it('a command over the size limit is not read, and asks', async () => {
    const a = await claude(`npm install lodash ${'x'.repeat(1024 * 1024 + 10)}`, at());
    assert.equal(a.decision, 'ask');
    assert.match(a.reason, /over the 1024 KiB slopguard reads/);
  });

  it('the registry of no fixture was asked anything unexpected', () => {
    reg.registry.assertNoUnexpectedRequests();
  });
});

describe('per-command registry and index settings', () => {
  it('--registry on one npm install does not vouch for another command’s names', async () => {
    const priv = await startFixtureRegistry({ npm: [npmPackage({ name: 'corp-widget-sdk', created: '2024-01-01', weeklyDownloads: 500, repository: 'corp/sdk' })] });
    reg.registry.addMissing('npm', 'corp-widget-sdk'); // the public downloads API has no data for it
    try {
      reg.registry.clearRequests();
      const a = await claude(`npm install lodahs && npm install --registry ${priv.url}/ corp-widget-sdk`, at());
      assert.equal(a.decision, 'deny');
      assert.match(a.reason, /lodahs/);
      assert.doesNotMatch(a.reason, /corp-widget-sdk/);
      assert.equal(priv.count('/lodahs'), 0, 'the squat was judged against the default registry only');
      assert.equal(reg.registry.count('/corp-widget-sdk'), 0, 'the private name was judged against its own registry');
      priv.assertNoUnexpectedRequests();
    } finally {
      await priv.close();
    }
  });

  it('pip install <squat> && pip install -i <other index> <name>: each against its own index', async () => {
    const other = await startFixtureRegistry({ pypi: [pypiProject({ name: 'corp-flaskish', created: '2024-01-01', weeklyDownloads: 50 })] });
    reg.registry.addMissing('pypi', 'corp-flaskish');
    try {
      reg.registry.clearRequests();
      const a = await claude(`pip install reqeusts && pip install -i ${other.url}/simple corp-flaskish`, at());
      assert.equal(a.decision, 'deny', a.reason);
      assert.match(a.reason, /reqeusts/);
      assert.doesNotMatch(a.reason, /corp-flaskish/);
      assert.equal(other.count(/reqeusts/), 0, 'the squat was not looked up on the other index');
      assert.ok(other.count(/corp-flaskish/) > 0, 'the other index was asked about its own name');
      other.assertNoUnexpectedRequests();
    } finally {
      await other.close();
    }
  });
});

describe('Claude Code permission modes', () => {
  it('bypassPermissions turns an ask into a deny (nobody would see the question)', async () => {
    const cwd = at();
    const normal = await claude('npm i fresh-helper-kit', cwd);
    assert.equal(normal.decision, 'ask');
    const bypass = await claude('npm i fresh-helper-kit', cwd, 'bypassPermissions');
    assert.equal(bypass.decision, 'deny');
    assert.match(bypass.reason, /bypassPermissions/);
    const unverified = await claude('npm install $PKG', cwd, 'bypassPermissions');
    assert.equal(unverified.decision, 'deny');
    assert.match(unverified.reason, /could not check what it would install, and nobody would see the question/);
    assert.doesNotMatch(unverified.reason, /failing closed/, 'the user did not ask to fail closed');
    assert.doesNotMatch(unverified.reason, /Use the intended package name/, 'no advice about a name nobody judged');
  });

  it('acceptEdits and plan modes still ask; a clean command is still no objection', async () => {
    const cwd = at();
    assert.equal((await claude('npm i fresh-helper-kit', cwd, 'acceptEdits')).decision, 'ask');
    assert.equal((await claude('npm i fresh-helper-kit', cwd, 'plan')).decision, 'ask');
    assert.equal((await claude('npm i lodash', cwd, 'bypassPermissions')).decision, 'none');
  });
});
