/**
 * Which installs a door resolves the tree of (install/tree-option.ts): the environment's and the
 * flag's choice per door, and the commands already typed as `slopguard <tool> …`, which the
 * planner reads (their typed names judged) and marks wrapped, so that no door resolves what the
 * wrapper's install guard will judge as it installs.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { planInstall, textOnlyAccess } from '../../src/install/index.js';
import { guardCovers, hookTreeChoice, treeChoiceFromEnv, treeResolver, wrapperTreeChoice, type TreeChoice } from '../../src/install/tree-option.js';
import { project } from './fixtures.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const shown = (c: TreeChoice | undefined) => (c === undefined ? 'unset' : c === 'off' ? 'off' : [...c.ecosystems].sort().join(','));

describe('the tree choice', () => {
  const table: Array<[value: string | undefined, env: string, hook: string, wrapper: string]> = [
    [undefined, 'unset', 'npm,pypi', 'off'],
    ['', 'unset', 'npm,pypi', 'off'],
    ['0', 'off', 'off', 'off'],
    ['off', 'off', 'off', 'off'],
    ['FALSE', 'off', 'off', 'off'],
    ['1', 'npm,pypi', 'npm,pypi', 'npm,pypi'],
    ['yes', 'npm,pypi', 'npm,pypi', 'npm,pypi'],
    ['npm', 'npm', 'npm', 'npm'],
    [' PyPI ', 'pypi', 'pypi', 'pypi'],
    ['npm,pypi', 'npm,pypi', 'npm,pypi', 'npm,pypi'],
    // A value it does not know must not quietly turn the check off.
    ['nmp', 'npm,pypi', 'npm,pypi', 'npm,pypi'],
    ['npm,cargo', 'npm,pypi', 'npm,pypi', 'npm,pypi'],
  ];
  for (const [value, env, hook, wrapper] of table) {
    it(`SLOPGUARD_RESOLVE_TREE=${JSON.stringify(value)}: env ${env}, hooks ${hook}, wrappers ${wrapper}`, () => {
      const e = value === undefined ? {} : { SLOPGUARD_RESOLVE_TREE: value };
      assert.equal(shown(treeChoiceFromEnv(e)), env);
      assert.equal(shown(hookTreeChoice(e)), hook);
      assert.equal(shown(wrapperTreeChoice(e)), wrapper);
    });
  }

  it('the hook flag --no-resolve-tree wins over the environment', () => {
    assert.equal(shown(hookTreeChoice({ SLOPGUARD_RESOLVE_TREE: '1' }, false)), 'off');
    assert.equal(shown(hookTreeChoice({}, true)), 'npm,pypi');
    assert.equal(treeResolver({}, () => 1000, {}, 'off'), undefined);
  });
});

describe('commands typed through the wrapper', () => {
  const table: Array<[command: string, typed: string[], guarded: boolean[]]> = [
    ['slopguard npm install left-pad', ['left-pad'], [true]],
    ['slopguard pnpm add left-pad', ['left-pad'], [true]],
    ['./node_modules/.bin/slopguard yarn add left-pad', ['left-pad'], [true]],
    ['/usr/local/bin/slopguard pip install requests', ['requests'], [true]],
    ['slopguard python3 -m pip install requests', ['requests'], [true]],
    ['sudo -E slopguard npm i -g left-pad', ['left-pad'], [true]],
    ['cd app && slopguard npm install left-pad && npm test', ['left-pad'], [true]],
    // The runner fetches slopguard itself (its name is judged); the rest is the wrapper's.
    ['npx slopguard npm install left-pad', ['slopguard', 'left-pad'], [true, true]],
    ['npx --yes slopguard@latest pip install requests', ['slopguard', 'requests'], [true, true]],
    ['pnpm dlx slopguard npm i left-pad', ['slopguard', 'left-pad'], [true, true]],
    ['npm exec slopguard -- npm install left-pad', ['slopguard', 'left-pad'], [true, true]],
    ['bunx slopguard bun add left-pad', ['slopguard', 'left-pad'], [true, true]],
    // slopguard's own options are not the tool's: `--slopguard-allow x` names no package.
    ['slopguard npm install left-pad --slopguard-allow lodahs --slopguard-yes', ['left-pad'], [true]],
    ['slopguard npm install left-pad --slopguard-allow=lodahs', ['left-pad'], [true]],
    // Run without the guard: the wrapper will not see the tree.
    ['slopguard npm install left-pad --slopguard-no-guard', ['left-pad'], [false]],
    ['SLOPGUARD_GUARD=0 slopguard npm install left-pad', ['left-pad'], [false]],
    ['npx slopguard npm install left-pad --slopguard-no-guard', ['slopguard', 'left-pad'], [false, false]],
  ];
  for (const [command, typed, guarded] of table) {
    it(`${command}: judges ${typed.join(', ')}; wrapped, guard ${guarded.join('/')}`, async () => {
      const cwd = project();
      dirs.push(cwd);
      const plan = await planInstall(command, cwd, textOnlyAccess(cwd), { missingFiles: 'info' });
      assert.deepEqual(plan.installs.flatMap((i) => i.refs.map((r) => r.name)), typed);
      assert.deepEqual(plan.installs.map((i) => i.command.wrapped?.guard), guarded);
    });
  }

  it('not a wrapped install: slopguard commands that are not a package tool, and plain installs', async () => {
    const cwd = project();
    dirs.push(cwd);
    for (const command of ['slopguard check left-pad', 'slopguard scan', 'slopguard hook claude', 'slopguard slopguard npm i x', 'echo slopguard npm i x']) {
      const plan = await planInstall(command, cwd, textOnlyAccess(cwd), { missingFiles: 'info' });
      assert.deepEqual(plan.installs.map((i) => i.command.wrapped), [], command);
    }
    const plain = await planInstall('npm install left-pad', cwd, textOnlyAccess(cwd));
    assert.equal(plain.installs[0]?.command.wrapped, undefined);
  });

  const covers: Array<[label: string, cmd: Parameters<typeof guardCovers>[0], env: Record<string, string>, covered: boolean]> = [
    ['wrapped npm', { tool: 'npm', subcommand: 'install', wrapped: { guard: true } }, {}, true],
    ['wrapped pip', { tool: 'pip', subcommand: 'install', wrapped: { guard: true } }, {}, true],
    ['wrapped uv pip install (no lockfile: guarded like pip)', { tool: 'uv', subcommand: 'pip install', wrapped: { guard: true } }, {}, true],
    ['not wrapped', { tool: 'npm', subcommand: 'install' }, {}, false],
    ['wrapped, --slopguard-no-guard', { tool: 'npm', subcommand: 'install', wrapped: { guard: false } }, {}, false],
    ['wrapped, the agent runs with SLOPGUARD_GUARD=0', { tool: 'npm', subcommand: 'install', wrapped: { guard: true } }, { SLOPGUARD_GUARD: '0' }, false],
    ['wrapped uv add (the guard does not run for uv project commands)', { tool: 'uv', subcommand: 'add', wrapped: { guard: true } }, {}, false],
    ['wrapped, --registry on the command (the tool asks it directly)', { tool: 'npm', subcommand: 'install', wrapped: { guard: true }, registry: 'https://r.example/' }, {}, false],
    ['wrapped, -i on the command', { tool: 'pip', subcommand: 'install', wrapped: { guard: true }, indexUrl: 'https://i.example/simple/' }, {}, false],
  ];
  for (const [label, cmd, env, covered] of covers) {
    it(`the install guard covers it: ${label} -> ${covered}`, () => assert.equal(guardCovers(cmd, env), covered));
  }

  it('the planner asks the resolver; the resolver declines what the guard covers, with no note', async () => {
    const cwd = project();
    dirs.push(cwd);
    const resolveTree = treeResolver({ PATH: '' }, () => 10_000, {}, hookTreeChoice({}));
    const wrapped = await planInstall('slopguard npm install left-pad', cwd, textOnlyAccess(cwd), { missingFiles: 'info', resolveTree: resolveTree! });
    assert.deepEqual(wrapped.notes, []);
    // Control: the same install typed plainly is resolved (here npm is not on PATH, so it says so).
    const plain = await planInstall('npm install left-pad', cwd, textOnlyAccess(cwd), { missingFiles: 'info', resolveTree: resolveTree! });
    assert.match(plain.notes.map((n) => n.message).join('\n'), /npm is not installed here[\s\S]*Run it as `slopguard npm install left-pad` instead/);
    const off = await planInstall('npm install left-pad', cwd, textOnlyAccess(cwd), { missingFiles: 'info', resolveTree: treeResolver({ PATH: '' }, () => 10_000, {}, { ecosystems: new Set(['pypi']) })! });
    assert.deepEqual(off.notes, []);
  });
});
