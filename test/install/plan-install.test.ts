/**
 * planInstall as the doors (and the command corpus) call it: what a command writes, how its
 * installs are grouped by registry setting, and the hook point for a resolved tree.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findInstallSteps } from '../../src/extractors/text/install-command.js';
import { planInstall, textOnlyAccess, userFiles, type PlannedInstall } from '../../src/install/index.js';
import { project } from './fixtures.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const at = (files: Record<string, string> = {}) => {
  const d = project(files);
  dirs.push(d);
  return d;
};
const names = (refs: ReadonlyArray<{ name: string }>) => refs.map((r) => r.name);

describe('planInstall', () => {
  it('lists every file the command writes, absolute, in order', async () => {
    const cwd = at();
    const plan = await planInstall(
      "echo x > a.txt && cat > sub/b.txt <<'EOF'\nflask\nEOF\necho y | sudo tee -a /etc/pip.conf >/dev/null; curl -o c.txt https://example.test/c; cd sub && cp b.txt d.txt",
      cwd,
      userFiles(cwd),
    );
    assert.deepEqual(plan.writes, [join(cwd, 'a.txt'), join(cwd, 'sub/b.txt'), '/etc/pip.conf', join(cwd, 'c.txt'), join(cwd, 'sub/d.txt')]);
    assert.equal(plan.installs.length, 0);
  });

  it('groups installs by their own registry or index, in the order first seen', async () => {
    const cwd = at();
    const plan = await planInstall('pip install reqeusts && pip install -i https://idx.example.test/simple flask && npm i lodash --registry https://npm.example.test/ && pip install requests', cwd, textOnlyAccess(cwd));
    assert.deepEqual(
      plan.groups.map((g) => [g.setting.indexUrl ?? g.setting.npmRegistry ?? 'default', names(g.refs)]),
      [
        ['default', ['reqeusts', 'requests']],
        ['https://idx.example.test/simple', ['flask']],
        ['https://npm.example.test/', ['lodash']],
      ],
    );
  });

  it('a cd gives a group of its own folder (its .npmrc and pip.conf apply)', async () => {
    const cwd = at({ 'api/x': '' });
    const plan = await planInstall('pip install flask; cd api && pip install requests', cwd, userFiles(cwd));
    assert.deepEqual(
      plan.groups.map((g) => [g.setting.cwd, names(g.refs)]),
      [
        [cwd, ['flask']],
        [join(cwd, 'api'), ['requests']],
      ],
    );
  });

  it('reads an argv (a wrapper) and shell steps (a text extractor) the same way as a string', async () => {
    const cwd = at({ 'deps.txt': 'flask\nrequests\n' });
    const fromArgv = await planInstall(['pip', 'install', '-r', 'deps.txt'], cwd, userFiles(cwd));
    const fromString = await planInstall('pip install -r deps.txt', cwd, userFiles(cwd));
    const fromSteps = await planInstall({ steps: findInstallSteps('pip install -r deps.txt', { file: 'x.sh' }) }, cwd, userFiles(cwd));
    for (const plan of [fromArgv, fromString, fromSteps]) assert.deepEqual(names(plan.groups.flatMap((g) => g.refs)), ['flask', 'requests']);
    assert.deepEqual(fromArgv.files, [join(cwd, 'deps.txt')]);
  });

  it('calls resolveTree for each install of named packages and judges what it returns', async () => {
    const cwd = at();
    const asked: PlannedInstall[] = [];
    const plan = await planInstall('npm install lodash && npm ci && pip install flask', cwd, textOnlyAccess(cwd), {
      missingFiles: 'info',
      resolveTree: async (install) => {
        asked.push(install);
        return { refs: [{ ecosystem: install.command.ecosystem, name: `${install.refs[0]?.name}-dep`, origin: { file: '<tree>' } }], notes: [] };
      },
    });
    assert.deepEqual(asked.map((i) => names(i.command.refs)), [['lodash'], ['flask']], 'not for npm ci, which names no package');
    assert.deepEqual(names(plan.groups.flatMap((g) => g.refs)), ['lodash', 'lodash-dep', 'flask', 'flask-dep']);
  });
});
