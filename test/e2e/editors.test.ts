/**
 * The README's editor set-ups, in real editors: Neovim (Debian 12 ships 0.7.2; the 0.11+ file is
 * used when the installed Neovim has `vim.lsp.config`) and Emacs with eglot. Each opens a
 * package.json naming a missing look-alike and must show slopguard's diagnostic, with
 * `slopguard` found on PATH exactly as the set-up files say. The files in editors/ are the ones
 * the README points at, so what users copy is what is tested.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { REPO_ROOT, SLOPGUARD_BIN, sh, skipUnless, which } from './tools.js';

let work: string;
let reg: FixtureRegistry;
let env: NodeJS.ProcessEnv;

const PACKAGE_JSON = '{\n  "dependencies": {\n    "lodahs": "^4"\n  }\n}\n';

/** Run a program to completion (asynchronously: the fixture registry lives in this process). */
function runProgram(file: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'sg-editors-'));
  // `slopguard` on PATH, as the set-ups expect: this checkout's command.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'slopguard'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(SLOPGUARD_BIN)} "$@"\n`);
  chmodSync(join(bin, 'slopguard'), 0o755);
  reg = await startFixtureRegistry({ missing: { npm: ['lodahs'] } }, { strict: false });
  env = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: join(work, 'home'),
    SLOPGUARD_NPM_REGISTRY: `${reg.url}/`,
    SLOPGUARD_NPM_DOWNLOADS_API: reg.url,
    SLOPGUARD_CACHE_DIR: join(work, 'cache'),
    TERM: 'dumb',
  };
  mkdirSync(env.HOME!);
});

after(async () => {
  await reg?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('editors: the README set-ups show slopguard diagnostics', () => {
  const nvim = which('nvim');
  it('Neovim', { skip: skipUnless('Neovim set-up', nvim !== undefined, 'nvim is not installed (apt-get install neovim)') }, async () => {
    const version = sh(nvim!, ['--version'], { cwd: work, env }).stdout.split('\n')[0] ?? '';
    const [, major, minor] = /v(\d+)\.(\d+)/.exec(version) ?? [];
    const modern = Number(major) > 0 || Number(minor) >= 11;
    const config = join(REPO_ROOT, 'editors', modern ? 'neovim.lua' : 'neovim-0.7.lua');
    const project = join(work, 'nvim-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), PACKAGE_JSON);
    const out = join(work, 'nvim-diagnostics.json');
    // Poll for diagnostics (no fixed sleep): the editor quits as soon as slopguard's arrive.
    const probe =
      `lua local t = 0; local function poll() local d = vim.diagnostic.get(0); ` +
      `if #d > 0 or t > 200 then vim.fn.writefile({vim.fn.json_encode(vim.tbl_map(function(x) return {message = x.message, lnum = x.lnum, source = x.source} end, d))}, ${JSON.stringify(out)}); vim.cmd('qa!') ` +
      `else t = t + 1; vim.defer_fn(poll, 100) end end; poll()`;
    const r = await runProgram(nvim!, ['--headless', '-u', config, 'package.json', '-c', probe], project);
    assert.equal(r.status, 0, `${version}: ${r.stderr}`);
    const diagnostics = JSON.parse(readFileSync(out, 'utf8')) as Array<{ message: string; lnum: number; source: string }>;
    assert.ok(diagnostics.length > 0, `${version}: no diagnostics`);
    assert.equal(diagnostics[0]!.source, 'slopguard');
    assert.equal(diagnostics[0]!.lnum, 2, 'the line of "lodahs" (0-based)');
    assert.match(diagnostics[0]!.message, /`lodahs` does not exist on npm; did you mean `lodash`\?/);
  });

  const emacs = which('emacs');
  it('Emacs (eglot)', { skip: skipUnless('Emacs set-up', emacs !== undefined, 'emacs is not installed (apt-get install emacs-nox elpa-eglot)') }, async () => {
    const project = join(work, 'emacs-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), PACKAGE_JSON);
    const out = join(work, 'emacs-diagnostics.txt');
    const script = `
(progn
  (package-initialize)
  (load ${JSON.stringify(join(REPO_ROOT, 'editors', 'slopguard-eglot.el'))})
  (find-file ${JSON.stringify(join(project, 'package.json'))})
  ;; eglot-ensure connects from post-command-hook, which batch mode never runs: connect as it would.
  (unless (eglot-current-server) (apply #'eglot (eglot--guess-contact)))
  ;; Batch mode has no idle time for flymake's own timer: ask it to collect while waiting.
  (let ((end (+ (float-time) 30)))
    (while (and (< (float-time) end) (null (flymake-diagnostics)))
      (accept-process-output nil 0.2)
      (flymake-start)))
  (let ((found (mapcar (lambda (d) (format "%d\\t%s\\n" (line-number-at-pos (flymake-diagnostic-beg d)) (flymake-diagnostic-text d)))
                       (flymake-diagnostics))))
    (with-temp-file ${JSON.stringify(out)} (apply #'insert found)))
  (kill-emacs 0))`;
    const r = await runProgram(emacs!, ['--batch', '--no-site-file', '--eval', script], project);
    assert.equal(r.status, 0, r.stderr);
    const lines = readFileSync(out, 'utf8').trim().split('\n').filter(Boolean);
    assert.ok(lines.length > 0, `no diagnostics; emacs said: ${r.stderr.slice(-2000)}`);
    const [line, text] = lines[0]!.split('\t');
    assert.equal(line, '3');
    assert.match(text!, /`lodahs` does not exist on npm; did you mean `lodash`\?/);
  });
});
