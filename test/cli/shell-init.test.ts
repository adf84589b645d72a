import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { ROUTED_TOOLS, shellInitScript } from '../../src/wrap/shell-init.js';
import { testIo } from '../helpers/io.js';

const root = mkdtempSync(join(tmpdir(), 'slopguard-shell-init-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A fake program that appends its name and argv (JSON) to a log file. */
function recorder(dir: string, name: string, log: string): void {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify([${JSON.stringify(name)}, ...process.argv.slice(2)]) + '\\n');\n`);
  chmodSync(p, 0o755);
}

function which(shell: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function calls(log: string): string[][] {
  try {
    return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  } catch {
    return [];
  }
}

/** Run `script` in `shell` after loading the init script, with fake slopguard and tools first on PATH. */
function inShell(shell: string, init: string, script: string, log: string, env: Record<string, string> = {}) {
  const bin = join(root, `bin-${shell}`);
  recorder(bin, 'slopguard', log);
  for (const t of ['npm', 'pip']) recorder(bin, t, log);
  const initFile = join(root, `init.${shell}`);
  writeFileSync(initFile, init);
  const load = shell === 'fish' ? `source ${initFile}` : `. ${initFile}`;
  return spawnSync(shell, ['-c', `${load}\n${script}`], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: root, ...env },
  });
}

const ARGS_SCRIPT = `npm install 'a b' '$(id)' '\`id\`' ';' 'x|y'`;
const EXPECTED_ARGS = ['install', 'a b', '$(id)', '`id`', ';', 'x|y'];

describe('slopguard shell-init', () => {
  it('prints functions for every routed tool; rejects an unknown shell with exit 2', async () => {
    const t = testIo();
    assert.equal(await run(['shell-init', 'bash'], t.io), 0);
    for (const tool of ROUTED_TOOLS) assert.match(t.out(), new RegExp(`^${tool}\\(\\) \\{ __slopguard_run ${tool} "\\$@"; \\}$`, 'm'));
    const bad = testIo();
    assert.equal(await run(['shell-init', 'tcsh'], bad.io), 2);
    assert.match(bad.err(), /Allowed choices are bash, zsh, fish, powershell/);
  });

  it('--help shows how to enable and disable it', async () => {
    const t = testIo();
    assert.equal(await run(['shell-init', '--help'], t.io), 0);
    assert.match(t.out(), /eval "\$\(slopguard shell-init bash\)"/);
    assert.match(t.out(), /SLOPGUARD_DISABLE=1/);
    assert.match(t.out(), /slopguard_off/);
  });

  for (const shell of ['bash', 'zsh'] as const) {
    const path = which(shell);
    it(`${shell}: plain npm goes through slopguard with its arguments intact; command npm, SLOPGUARD_DISABLE, SLOPGUARD_WRAPPED and slopguard_off bypass it`, { skip: path ? false : `${shell} is not installed on this machine` }, () => {
      const log = join(root, `${shell}.log`);
      const init = shellInitScript(shell);
      const r = inShell(shell, init, `${ARGS_SCRIPT}\npip list\ncommand npm direct\nSLOPGUARD_DISABLE=1 npm disabled\nSLOPGUARD_DISABLE=0 npm zero\nSLOPGUARD_WRAPPED=1 npm nested\nslopguard_off\nnpm off\ntype pip >/dev/null 2>&1 && echo still-defined`, log);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(calls(log), [
        ['slopguard', 'npm', ...EXPECTED_ARGS],
        ['slopguard', 'pip', 'list'],
        ['npm', 'direct'],
        ['npm', 'disabled'],
        ['slopguard', 'npm', 'zero'],
        ['npm', 'nested'],
        ['npm', 'off'],
      ]);
      // `type pip` still finds the fake pip binary; what matters is that the function is gone.
      const fnGone = inShell(shell, init, 'slopguard_off\ntype __slopguard_run >/dev/null 2>&1 && echo defined || echo gone', join(root, `${shell}-2.log`));
      assert.equal(fnGone.stdout.trim(), 'gone');
    });
  }

  const fish = which('fish');
  it('fish: the same routing and bypasses', { skip: fish ? false : 'fish is not installed on this machine' }, () => {
    const log = join(root, 'fish.log');
    const r = inShell('fish', shellInitScript('fish'), `${ARGS_SCRIPT}\ncommand npm direct\nSLOPGUARD_DISABLE=1 npm disabled\nslopguard_off\nnpm off`, log);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(calls(log), [['slopguard', 'npm', ...EXPECTED_ARGS], ['npm', 'direct'], ['npm', 'disabled'], ['npm', 'off']]);
  });

  it('powershell: defines a global function per tool, a bypass and Disable-Slopguard (syntax checked only where pwsh exists)', () => {
    const ps = shellInitScript('powershell');
    for (const tool of ROUTED_TOOLS) assert.ok(ps.includes(`function global:${tool} { __SlopguardRun '${tool}' @args }`), tool);
    assert.match(ps, /function global:Disable-Slopguard/);
    assert.match(ps, /SLOPGUARD_DISABLE/);
    assert.match(ps, /-CommandType Application/);
    const pwsh = which('pwsh');
    if (pwsh) {
      const r = spawnSync(pwsh, ['-NoProfile', '-Command', `${ps}\nGet-Command npm | Select-Object -ExpandProperty CommandType`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Function/);
    }
  });
});
