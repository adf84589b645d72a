import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { startEphemeralGuard } from '../../src/serve/ephemeral.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { testIo } from '../helpers/io.js';

/**
 * `slopguard shell-init <shell> --server URL`: variables that point every client at a running
 * `slopguard serve`. bash really sources the output, and npm (`npm config get registry`) and pip
 * (`pip config list`) are asked what they now use; hostile URLs are refused or quoted; the
 * guard's /healthz is asked first (a warning when it does not answer as a guard, never a failure).
 */

const root = mkdtempSync(join(tmpdir(), 'sg-shell-init-server-'));
let guard: RunningServer;
before(async () => {
  guard = await startServer({ port: 0, log: () => {}, check: { noCache: true, env: {}, cwd: root } });
});
after(async () => {
  await guard?.close();
  rmSync(root, { recursive: true, force: true });
});

async function shellInit(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const t = testIo();
  const code = await run(['shell-init', ...argv], t.io);
  return { code, out: t.out(), err: t.err() };
}

/** Source `init` in bash, then run `script`; a clean environment with npm and pip on PATH. */
function inBash(init: string, script: string, env: Record<string, string> = {}) {
  const file = join(root, `init-${Math.random().toString(36).slice(2)}.bash`);
  writeFileSync(file, init);
  const path = [dirname(process.execPath), ...(process.env.PATH ?? '').split(':')].join(':');
  return spawnSync('bash', ['-c', `. ${file}\n${script}`], { encoding: 'utf8', cwd: root, env: { PATH: path, HOME: root, PIP_CONFIG_FILE: '/dev/null', ...env } });
}

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('shell-init --server', () => {
  it('bash: npm and pip see the guard; extra indexes are cleared; slopguard_off undoes it', async () => {
    const r = await shellInit(['bash', '--server', guard.url]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '', 'a healthy guard: no warning');
    assert.doesNotMatch(r.out, /__slopguard_run|npm\(\)/, 'variables, not wrapper functions');
    const sh = inBash(r.out, 'npm config get registry\nenv | grep -E "^(PIP|UV|YARN|BUN)_" | grep -v "^PIP_CONFIG_FILE=" | sort\necho "extra=${PIP_EXTRA_INDEX_URL-unset}"\nslopguard_off\nnpm config get registry\necho "after=${PIP_INDEX_URL-unset}"', { PIP_EXTRA_INDEX_URL: 'https://elsewhere.example/simple/' });
    assert.equal(sh.status, 0, sh.stderr);
    const lines = sh.stdout.trim().split('\n');
    assert.equal(lines[0], `${guard.url}/npm/`);
    assert.deepEqual(lines.slice(1, 9), [
      `BUN_CONFIG_REGISTRY=${guard.url}/npm/`,
      `PIP_INDEX_URL=${guard.url}/pypi/simple/`,
      `UV_DEFAULT_INDEX=${guard.url}/pypi/simple/`,
      `UV_INDEX_URL=${guard.url}/pypi/simple/`,
      `YARN_NPM_REGISTRY_SERVER=${guard.url}/npm/`,
      `YARN_REGISTRY=${guard.url}/npm/`,
      'YARN_UNSAFE_HTTP_WHITELIST=127.0.0.1',
      'extra=unset',
    ]);
    assert.equal(lines[9], 'https://registry.npmjs.org/', 'slopguard_off: npm back to its default');
    assert.equal(lines[10], 'after=unset');
  });

  it('pip reads the exported index', { skip: !have('pip') && 'pip is not installed' }, async () => {
    const r = await shellInit(['bash', '--server', guard.url, '--no-health-check']);
    const sh = inBash(r.out, 'pip config list');
    assert.equal(sh.status, 0, sh.stderr);
    assert.match(sh.stdout, new RegExp(`^:env:\\.index-url='${guard.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pypi/simple/'$`, 'm'));
  });

  it('a base path is kept; https needs no plain-http allow list', async () => {
    const r = await shellInit(['bash', '--server', 'https://guard.example/slopguard', '--no-health-check']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^export npm_config_registry='https:\/\/guard\.example\/slopguard\/npm\/'$/m);
    assert.match(r.out, /^export PIP_INDEX_URL='https:\/\/guard\.example\/slopguard\/pypi\/simple\/'$/m);
    assert.doesNotMatch(r.out, /YARN_UNSAFE_HTTP_WHITELIST/);
  });

  it('a URL with shell syntax in its path is exported byte for byte, never run', async () => {
    const marker = join(root, 'pwned');
    const url = `http://127.0.0.1:9/a'$(touch ${marker})'\`touch ${marker}\`/`;
    const r = await shellInit(['bash', '--server', url, '--no-health-check']);
    assert.equal(r.code, 0, r.err);
    const sh = inBash(r.out, 'printf %s "$npm_config_registry"');
    assert.equal(sh.status, 0, sh.stderr);
    assert.equal(sh.stdout, `${new URL(url).href}npm/`);
    assert.equal(existsSync(marker), false);
  });

  for (const [url, message] of [
    ['ftp://guard.example/', /--server: expected an http:\/\/ or https:\/\/ URL, got ftp:\/\//],
    ['file:///etc/passwd', /--server: expected an http:\/\/ or https:\/\/ URL, got file:\/\//],
    ['javascript:alert(1)', /--server: expected an http:\/\/ or https:\/\/ URL, got javascript:\/\//],
    ['guard.example:4874', /--server: expected an http:\/\/ or https:\/\/ URL/],
    ['not a url', /--server: expected the URL of a running slopguard serve, such as http:\/\/127\.0\.0\.1:4874, got "not a url"/],
    ['http://user:secret@guard.example/', /--server: the URL must not carry a user name or password/],
    ['http://guard.example/?token=1', /--server: the URL must not have a query or fragment/],
    ['http://guard.example/#x', /--server: the URL must not have a query or fragment/],
  ] as const) {
    it(`refuses ${url} (exit 2, nothing printed)`, async () => {
      const r = await shellInit(['bash', '--server', url]);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /secret/);
      assert.equal(r.out, '');
    });
  }

  describe('the health check', () => {
    let other: Server;
    let hits = 0;
    let otherUrl = '';
    before(async () => {
      other = createServer((_req, res) => {
        hits++;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => other.close(() => resolve())));

    it('a guard that is down: a warning on stderr, the variables still printed, exit 0', async () => {
      const down = createServer();
      await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => down.close(() => resolve()));
      const r = await shellInit(['bash', '--server', url]);
      assert.equal(r.code, 0);
      assert.match(r.err, new RegExp(`^slopguard: warning: the slopguard guard at ${url}/ did not answer /healthz \\(ECONNREFUSED\\); the variables point at it anyway, so installs fail until it runs\\n$`));
      assert.match(r.out, /^export npm_config_registry=/m);
    });

    it('a server that is not a guard is named as such; --no-health-check asks nothing', async () => {
      const r = await shellInit(['bash', '--server', otherUrl]);
      assert.equal(r.code, 0);
      assert.match(r.err, /did not answer \/healthz \(it answered, but not as a slopguard guard does\)/);
      const before = hits;
      const quiet = await shellInit(['bash', '--server', otherUrl, '--no-health-check']);
      assert.equal(quiet.err, '');
      assert.equal(hits, before);
    });
  });

  it('fish, zsh and PowerShell get their own syntax, with the same variables', async () => {
    const fish = await shellInit(['fish', '--server', guard.url, '--no-health-check']);
    assert.match(fish.out, new RegExp(`^set -gx npm_config_registry '${guard.url}/npm/'$`, 'm'));
    assert.match(fish.out, /^set -e PIP_EXTRA_INDEX_URL$/m);
    assert.match(fish.out, /^function slopguard_off$/m);
    const zsh = await shellInit(['zsh', '--server', guard.url, '--no-health-check']);
    assert.match(zsh.out, new RegExp(`^export UV_DEFAULT_INDEX='${guard.url}/pypi/simple/'$`, 'm'));
    const ps = await shellInit(['powershell', '--server', `${guard.url}/it's`, '--no-health-check']);
    assert.match(ps.out, new RegExp(`^\\$env:PIP_INDEX_URL = '${guard.url}/it''s/pypi/simple/'$`, 'm'));
    assert.match(ps.out, /^Remove-Item -Path Env:UV_EXTRA_INDEX_URL -ErrorAction SilentlyContinue$/m);
    assert.match(ps.out, /^function global:Disable-Slopguard \{$/m);
  });

  it('without --server it still prints the wrapper functions', async () => {
    const r = await shellInit(['bash']);
    assert.match(r.out, /^npm\(\) \{ __slopguard_run npm "\$@"; \}$/m);
  });

  it('the wrappers\' ephemeral guard sets the same variables as before the table was shared', async () => {
    const g = await startEphemeralGuard({ log: () => {}, check: { noCache: true, env: {}, cwd: root } });
    try {
      assert.deepEqual(g.env, {
        npm_config_registry: g.npmRegistry,
        NPM_CONFIG_REGISTRY: g.npmRegistry,
        YARN_NPM_REGISTRY_SERVER: g.npmRegistry,
        YARN_REGISTRY: g.npmRegistry,
        YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
        BUN_CONFIG_REGISTRY: g.npmRegistry,
        PIP_INDEX_URL: g.pypiIndexUrl,
        PIP_EXTRA_INDEX_URL: '',
        UV_DEFAULT_INDEX: g.pypiIndexUrl,
        UV_INDEX_URL: g.pypiIndexUrl,
        UV_EXTRA_INDEX_URL: '',
      });
    } finally {
      await g.close();
    }
  });
});
