import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changesPackageJsonPolicy, protectedFile, type ProtectedKind } from '../../src/policy/protected-files.js';

const env = { HOME: '/home/u', XDG_CONFIG_HOME: '/home/u/.config', XDG_STATE_HOME: '/home/u/.local/state', SLOPGUARD_SYSTEM_CONFIG: '/etc/slopguard/config.json' };
const cwd = '/work/repo';

describe('protected files: the one list the hooks (and the shell planner) ask about', () => {
  const cases: Array<[string, ProtectedKind | undefined]> = [
    ['.slopguard.json', 'slopguard-config'],
    ['packages/a/.slopguard.json', 'slopguard-config'],
    ['/home/u/.config/slopguard/config.json', 'slopguard-config'],
    ['/etc/slopguard/config.json', 'slopguard-config'],
    ['/home/u/.local/state/slopguard/trusted.json', 'slopguard-state'],
    ['.npmrc', 'registry-config'],
    ['/home/u/.npmrc', 'registry-config'],
    ['.yarnrc.yml', 'registry-config'],
    ['.yarnrc', 'registry-config'],
    ['bunfig.toml', 'registry-config'],
    ['/home/u/.config/pip/pip.conf', 'registry-config'],
    ['C-style/pip.ini', 'registry-config'],
    ['uv.toml', 'registry-config'],
    ['.claude/settings.json', 'agent-hooks'],
    ['.claude/settings.local.json', 'agent-hooks'],
    ['/home/u/.claude/settings.json', 'agent-hooks'],
    ['.cursor/hooks.json', 'agent-hooks'],
    ['.git/hooks/pre-commit', 'git-hooks'],
    ['.git/config', 'git-hooks'],
    // Not protected: look-alike names and ordinary files.
    ['package.json', undefined],
    ['src/npmrc.ts', undefined],
    ['docs/.claude/notes.md', undefined],
    ['.claude/commands/x.md', undefined],
    ['.cursor/rules.json', undefined],
    ['.git/objects/ab/cdef', undefined],
    ['config/.git-config', undefined],
    ['/home/u/.config/slopguard/other.json', undefined],
  ];
  for (const [path, kind] of cases) {
    it(`${path} -> ${kind ?? 'not protected'}`, () => {
      const hit = protectedFile(path, cwd, env);
      assert.equal(hit?.kind, kind);
      if (hit) assert.match(hit.reason, /^it (is|sets) /);
    });
  }

  it('package.json: only an edit of the "slopguard" section counts', () => {
    const pkg = (o: object) => JSON.stringify({ name: 'x', dependencies: { a: '1' }, ...o });
    assert.equal(changesPackageJsonPolicy(pkg({}), pkg({ dependencies: { a: '2' } })), false);
    assert.equal(changesPackageJsonPolicy(pkg({}), pkg({ slopguard: { failOn: 'warn' } })), true);
    assert.equal(changesPackageJsonPolicy(pkg({ slopguard: { failOn: 'warn' } }), pkg({})), true);
    assert.equal(changesPackageJsonPolicy(undefined, pkg({ slopguard: {} })), true);
    assert.equal(changesPackageJsonPolicy(pkg({}), '{ "slopguard": { broken'), true);
  });
});
