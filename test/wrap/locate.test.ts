import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { candidateNames, findExecutable, SHIM_MARKER, selfPaths } from '../../src/wrap/locate.js';
import { parseCmdShim, UnsupportedShimError, windowsSpawnTarget } from '../../src/wrap/windows.js';

const root = mkdtempSync(join(tmpdir(), 'slopguard-locate-'));
after(() => rmSync(root, { recursive: true, force: true }));

function tool(dir: string, name: string, body = '#!/bin/sh\nexit 0\n', mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, body);
  chmodSync(p, mode);
  return p;
}

describe('findExecutable', () => {
  const real = tool(join(root, 'real'), 'npm');
  const marker = tool(join(root, 'marked'), 'npm', `#!/bin/sh\n# ${SHIM_MARKER}\nexec slopguard npm "$@"\n`);
  const linkDir = join(root, 'linked');
  mkdirSync(linkDir);
  const self = selfPaths();
  symlinkSync(self[0]!, join(linkDir, 'npm'));
  tool(join(root, 'noexec'), 'npm', '#!/bin/sh\n', 0o644);
  tool(join(root, 'listed'), 'npm');

  it('finds our own bin script (the layout tests run from)', () => {
    assert.ok(self.length >= 1);
    assert.match(self[0]!, /bin[\\/]slopguard\.js$/);
  });

  it('skips a symlink to slopguard, a marked shim, a non-executable file and SLOPGUARD_SHIM_DIRS', () => {
    const PATH = [linkDir, join(root, 'marked'), join(root, 'noexec'), join(root, 'listed'), join(root, 'real')].join(':');
    assert.equal(findExecutable('npm', { env: { PATH, SLOPGUARD_SHIM_DIRS: join(root, 'listed') }, platform: 'linux' }), real);
    assert.ok(marker);
  });

  it('skips empty and relative PATH entries (the current folder is not trusted)', () => {
    const cwdTool = tool(join(root, 'rel'), 'pip');
    const PATH = ['', '.', 'rel', join(root, 'real')].join(':');
    const prev = process.cwd();
    process.chdir(root);
    try {
      assert.equal(findExecutable('pip', { env: { PATH }, platform: 'linux' }), undefined);
    } finally {
      process.chdir(prev);
    }
    assert.ok(cwdTool);
  });

  it('returns undefined when the tool is nowhere', () => {
    assert.equal(findExecutable('no-such-tool-here', { env: { PATH: join(root, 'real') }, platform: 'linux' }), undefined);
  });
});

describe('Windows command resolution', () => {
  it('tries PATHEXT extensions, and a typed extension first', () => {
    assert.deepEqual(candidateNames('npm', 'win32', { PATHEXT: '.COM;.EXE;.CMD' }), ['npm.com', 'npm.exe', 'npm.cmd']);
    assert.deepEqual(candidateNames('npm.cmd', 'win32', { PATHEXT: '.EXE;.CMD' }), ['npm.cmd', 'npm.cmd.exe', 'npm.cmd.cmd']);
    assert.deepEqual(candidateNames('npm', 'linux', {}), ['npm']);
  });

  it("reads the Node installer's npm.cmd and runs npm-cli.js with node, never cmd.exe", () => {
    const npmCmd = [
      ':: Created by npm, please don\'t edit manually.',
      '@ECHO OFF',
      'SETLOCAL',
      'SET "NODE_EXE=%~dp0\\node.exe"',
      'SET "NPM_CLI_JS=%~dp0\\node_modules\\npm\\bin\\npm-cli.js"',
      '"%NODE_EXE%" "%NPM_CLI_JS%" %*',
    ].join('\r\n');
    const target = windowsSpawnTarget('C:\\Program Files\\nodejs\\npm.cmd', () => npmCmd, (p) => p === 'C:\\Program Files\\nodejs\\node.exe');
    assert.deepEqual(target, { file: 'C:\\Program Files\\nodejs\\node.exe', args: ['C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js'] });
  });

  it("reads npm's cmd-shim launchers (yarn, pnpm from a global prefix) and falls back to this node", () => {
    const shim = '@IF EXIST "%~dp0\\node.exe" (\r\n  "%~dp0\\node.exe"  "%~dp0\\node_modules\\pnpm\\bin\\pnpm.cjs" %*\r\n) ELSE (\r\n  @SET PATHEXT=%PATHEXT:;.JS;=;%\r\n  node  "%~dp0\\node_modules\\pnpm\\bin\\pnpm.cjs" %*\r\n)';
    assert.deepEqual(parseCmdShim(shim, 'C:\\Users\\u\\AppData\\Roaming\\npm\\pnpm.cmd'), { script: 'C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\pnpm\\bin\\pnpm.cjs' });
    const modern = '@SETLOCAL\r\n@IF EXIST "%dp0%\\node.exe" (\r\n  SET "_prog=%dp0%\\node.exe"\r\n) ELSE (\r\n  SET "_prog=node"\r\n)\r\n"%_prog%"  "%dp0%\\node_modules\\yarn\\bin\\yarn.js" %*\r\n';
    const t = windowsSpawnTarget('D:\\npm\\yarn.cmd', () => modern, () => false, 'C:\\node\\node.exe');
    assert.deepEqual(t, { file: 'C:\\node\\node.exe', args: ['D:\\npm\\node_modules\\yarn\\bin\\yarn.js'] });
  });

  it('runs an .exe directly and refuses an unknown batch file instead of using cmd.exe', () => {
    assert.deepEqual(windowsSpawnTarget('C:\\Python\\Scripts\\pip.exe', () => ''), { file: 'C:\\Python\\Scripts\\pip.exe', args: [] });
    assert.deepEqual(windowsSpawnTarget('C:\\t\\uv.cmd', () => '@"%~dp0\\bin\\uv.exe" %*'), { file: 'C:\\t\\bin\\uv.exe', args: [] });
    assert.throws(() => windowsSpawnTarget('C:\\t\\odd.bat', () => '@echo off\r\ncall something %*'), UnsupportedShimError);
  });
});
