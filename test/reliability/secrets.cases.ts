/**
 * Secrets: tokens from .npmrc and credentials in pip's index URL go only to the registry they
 * belong to, never into output (errors and debug output included) and never into the cache.
 *
 * Runs the real executable with a fresh HOME, so the user files are the ones the test wrote and
 * nothing of the developer's own configuration takes part.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startFixtureRegistry, type FixtureRegistry, type RecordedRequest } from '../fixture-registry/server.js';
import { healthyNpm, healthyPypi } from './fixtures.js';
import { listFiles, parseReport, spawnCli, tally, tempDir } from './harness.js';

const TOKEN = 'npm_SLOPGUARDsecretTOKEN0123456789abcdef';
const PIP_PASSWORD = 'pip-s3cret-PASSWORD-42';
const URL_PASSWORD = 'url-hunter2-PASSWORD';

/** Every form a secret might leak in. */
function forms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

/** Whether a request carried `secret` anywhere (path, any header, Basic auth decoded). */
function carries(r: RecordedRequest, secret: string): boolean {
  const text = [r.path, ...Object.values(r.headers).flat()].join('\n');
  const basic = /Basic\s+(\S+)/i.exec(String(r.headers.authorization ?? ''));
  const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
  return forms(secret).some((f) => text.includes(f) || decoded.includes(f));
}

/** A sandbox: HOME with the given config files, a project dir, a cache dir. */
function sandbox(files: Record<string, string>): { home: string; cwd: string; cache: string; env: Record<string, string> } {
  const root = tempDir('secrets');
  const home = join(root, 'home');
  const cwd = join(root, 'proj');
  const cache = join(root, 'cache');
  for (const d of [home, cwd]) mkdirSync(d, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), text);
  }
  const env = {
    HOME: home,
    SLOPGUARD_CACHE_DIR: cache,
    // Keep the machine's global npmrc and pip config out of the run.
    npm_config_globalconfig: join(root, 'no-global-npmrc'),
    XDG_CONFIG_DIRS: join(root, 'no-xdg'),
    XDG_CONFIG_HOME: join(home, '.config'),
  };
  return { home, cwd, cache, env };
}

/** No secret in the output, in any cache file, or in a request to a registry it does not belong to. */
function assertNoLeak(secret: string, out: string, cache: string, others: FixtureRegistry[]): void {
  for (const f of forms(secret)) assert.ok(!out.includes(f), `the secret was printed: ${out.slice(0, 3000)}`);
  for (const file of listFiles(cache)) {
    const text = readFileSync(join(cache, file), 'utf8');
    for (const f of forms(secret)) assert.ok(!text.includes(f), `the secret was cached in ${file}`);
  }
  for (const reg of others) {
    const leaked = reg.requests.filter((r) => carries(r, secret) || r.headers.authorization !== undefined);
    assert.deepEqual(leaked.map((r) => r.path), [], `credentials reached ${reg.url}`);
  }
}

describe('secrets: npm tokens go only to their registry', { concurrency: 2 }, () => {
  it('the .npmrc token reaches the registry it is keyed to, not the downloads API on another port', async () => {
    tally.secrets++;
    const reg = await startFixtureRegistry({ npm: [healthyNpm('express')] }, { token: TOKEN });
    const other = await startFixtureRegistry({ npm: [healthyNpm('express')], pypi: [healthyPypi('requests')] });
    try {
      const sb = sandbox({ '.npmrc': `registry=${reg.url}/\n//127.0.0.1:${reg.port}/:_authToken=${TOKEN}\n` });
      for (const debug of ['', '1']) {
        const env = { ...sb.env, SLOPGUARD_NPM_DOWNLOADS_API: other.url, SLOPGUARD_PYPI_URL: other.url, SLOPGUARD_PYPISTATS_API: other.url, SLOPGUARD_DEBUG: debug };
        const r = await spawnCli(['check', 'express', 'pypi:requests', '--format', 'json'], { env, cwd: sb.cwd });
        const report = parseReport(r);
        assert.equal(report.packages.find((p) => p.name === 'express')?.facts?.status, 'found', r.err);
        assertNoLeak(TOKEN, r.out + r.err, sb.cache, [other]);
      }
      const npmRequests = reg.requests.filter((q) => q.path.startsWith('/express'));
      assert.ok(npmRequests.length > 0);
      for (const q of npmRequests) assert.equal(q.headers.authorization, `Bearer ${TOKEN}`);
      reg.assertNoUnexpectedRequests();
    } finally {
      await Promise.all([reg.close(), other.close()]);
    }
  });

  it('a scoped registry on another port gets no token keyed to the default registry, and its names never reach the downloads API', async () => {
    tally.secrets++;
    const reg = await startFixtureRegistry({ npm: [healthyNpm('express')] }, { token: TOKEN });
    const scoped = await startFixtureRegistry({ npm: [healthyNpm('@corp/internal-lib')] });
    const downloads = await startFixtureRegistry({ npm: [healthyNpm('express')] });
    try {
      const sb = sandbox({ '.npmrc': `registry=${reg.url}/\n@corp:registry=${scoped.url}/\n//127.0.0.1:${reg.port}/:_authToken=${TOKEN}\n` });
      const env = { ...sb.env, SLOPGUARD_NPM_DOWNLOADS_API: downloads.url, SLOPGUARD_PYPI_URL: downloads.url, SLOPGUARD_PYPISTATS_API: downloads.url };
      const r = await spawnCli(['check', 'express', '@corp/internal-lib', '--format', 'json'], { env, cwd: sb.cwd });
      const report = parseReport(r);
      assert.equal(report.packages.find((p) => p.name === '@corp/internal-lib')?.facts?.status, 'found', r.err);
      assertNoLeak(TOKEN, r.out + r.err, sb.cache, [scoped, downloads]);
      assert.equal(downloads.requests.filter((q) => q.path.includes('corp')).length, 0, 'a private package name was sent to the public downloads API');
      assert.ok(scoped.count('/@corp') > 0);
    } finally {
      await Promise.all([reg.close(), scoped.close(), downloads.close()]);
    }
  });

  it('a redirect from the token registry to another host is refused: the token never follows', async () => {
    tally.secrets++;
    const other = await startFixtureRegistry({ npm: [healthyNpm('express')] }, { strict: false });
    const reg = await startFixtureRegistry({ npm: [healthyNpm('express')], faults: [{ name: 'express', api: 'npm', kind: 'redirect', location: `${other.url}/express`, status: 301 }] }, { token: TOKEN, strict: false });
    try {
      const sb = sandbox({ '.npmrc': `registry=${reg.url}/\n//127.0.0.1:${reg.port}/:_authToken=${TOKEN}\n` });
      const env = { ...sb.env, SLOPGUARD_NPM_DOWNLOADS_API: other.url, SLOPGUARD_PYPI_URL: other.url, SLOPGUARD_PYPISTATS_API: other.url, SLOPGUARD_DEBUG: '1' };
      const r = await spawnCli(['check', 'express', '--format', 'json', '--timeout', '3'], { env, cwd: sb.cwd });
      assert.equal(r.code, 3, r.err);
      assert.equal(parseReport(r).packages[0]?.verdict, 'unknown');
      assertNoLeak(TOKEN, r.out + r.err, sb.cache, [other]);
      assert.equal(other.count('/express'), 0, 'the cross-host redirect was followed');
    } finally {
      await Promise.all([reg.close(), other.close()]);
    }
  });

  it('user:pass@ in a registry URL, _auth and _password: never printed, cached or sent elsewhere, also in errors', async () => {
    tally.secrets++;
    const reg = await startFixtureRegistry({ npm: [healthyNpm('express')], faults: [{ name: 'express', api: 'npm', kind: 'status', status: 503 }] }, { strict: false });
    const other = await startFixtureRegistry({}, { strict: false });
    try {
      const auth = Buffer.from(`alice:${PIP_PASSWORD}`).toString('base64');
      const sb = sandbox({ '.npmrc': `//127.0.0.1:${reg.port}/:_auth=${auth}\n//127.0.0.1:${reg.port}/:_password=${Buffer.from(PIP_PASSWORD).toString('base64')}\n` });
      const registry = `http://bob:${URL_PASSWORD}@127.0.0.1:${reg.port}/`;
      const env = { ...sb.env, SLOPGUARD_NPM_REGISTRY: registry, SLOPGUARD_NPM_DOWNLOADS_API: other.url, SLOPGUARD_PYPI_URL: other.url, SLOPGUARD_PYPISTATS_API: other.url, SLOPGUARD_DEBUG: '1' };
      for (const format of ['json', 'text']) {
        const r = await spawnCli(['check', 'express', '--format', format, '--timeout', '3'], { env, cwd: sb.cwd });
        assert.equal(r.code, 3, r.err);
        for (const secret of [URL_PASSWORD, PIP_PASSWORD, auth]) assertNoLeak(secret, r.out + r.err, sb.cache, [other]);
      }
    } finally {
      await Promise.all([reg.close(), other.close()]);
    }
  });
});

describe('secrets: CI report formats', () => {
  it('a failing registry with user:pass@ and an .npmrc token: nothing of either in SARIF, GitHub annotations or Markdown', async () => {
    tally.secrets++;
    const reg = await startFixtureRegistry({ npm: [healthyNpm('express')], faults: [{ name: 'express', api: 'npm', kind: 'status', status: 503 }] }, { strict: false });
    const other = await startFixtureRegistry({}, { strict: false });
    try {
      const sb = sandbox({ '.npmrc': `//127.0.0.1:${reg.port}/:_authToken=${TOKEN}\n` });
      writeFileSync(join(sb.cwd, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { express: '^4.0.0' } }));
      const env = { ...sb.env, SLOPGUARD_NPM_REGISTRY: `http://bob:${URL_PASSWORD}@127.0.0.1:${reg.port}/`, SLOPGUARD_NPM_DOWNLOADS_API: other.url, SLOPGUARD_PYPI_URL: other.url, SLOPGUARD_PYPISTATS_API: other.url, SLOPGUARD_DEBUG: '1' };
      for (const format of ['sarif', 'github', 'markdown']) {
        const r = await spawnCli(['ci', '--format', format, '--timeout', '3'], { env, cwd: sb.cwd });
        // The 503 makes express unverified: its (redacted) error is in the report, so the test reads real error text.
        assert.match(r.out, /express/, `${format}: the report does not mention the package:\n${r.out.slice(0, 1500)}\n${r.err}`);
        assert.match(r.out, /could not be checked|unverified|503/i, `${format}: no error text in the report`);
        for (const secret of [TOKEN, URL_PASSWORD]) assertNoLeak(secret, r.out + r.err, sb.cache, [other]);
      }
    } finally {
      await Promise.all([reg.close(), other.close()]);
    }
  });
});

describe('secrets: pip index credentials', () => {
  it('a private index with credentials in pip.conf: only the index gets them; pypistats and PyPI never hear the private name', async () => {
    tally.secrets++;
    const index = await startFixtureRegistry({ pypi: [healthyPypi('corp-internal-tools')] }, { strict: false });
    const publicSide = await startFixtureRegistry({}, { strict: false });
    try {
      const indexUrl = `http://alice:${PIP_PASSWORD}@127.0.0.1:${index.port}/private/simple/`;
      const sb = sandbox({ '.config/pip/pip.conf': `[global]\nindex-url = ${indexUrl}\n` });
      const env = { ...sb.env, SLOPGUARD_NPM_REGISTRY: `${publicSide.url}/`, SLOPGUARD_NPM_DOWNLOADS_API: publicSide.url, SLOPGUARD_PYPI_URL: publicSide.url, SLOPGUARD_PYPISTATS_API: publicSide.url, SLOPGUARD_DEBUG: '1' };
      const r = await spawnCli(['check', 'pypi:corp-internal-tools', '--format', 'json'], { env, cwd: sb.cwd });
      const report = parseReport(r);
      assert.equal(report.packages[0]?.facts?.status, 'found', `${r.out}\n${r.err}`);
      assertNoLeak(PIP_PASSWORD, r.out + r.err, sb.cache, [publicSide]);
      assert.equal(publicSide.requests.length, 0, `the private name reached the public side: ${publicSide.requests.map((q) => q.path).join(', ')}`);
      const asked = index.requests.filter((q) => q.path.includes('corp-internal-tools'));
      assert.ok(asked.length > 0);
      for (const q of asked) assert.ok(carries(q, PIP_PASSWORD), 'the index was asked without its credentials');
    } finally {
      await Promise.all([index.close(), publicSide.close()]);
    }
  });

  it('PIP_INDEX_URL credentials in an error (index down) are redacted', async () => {
    tally.secrets++;
    const index = await startFixtureRegistry({ pypi: [healthyPypi('corp-internal-tools')], faults: [{ name: 'corp-internal-tools', kind: 'reset' }] }, { strict: false });
    try {
      const sb = sandbox({});
      const env = { ...sb.env, PIP_INDEX_URL: `http://alice:${PIP_PASSWORD}@127.0.0.1:${index.port}/private/simple/`, SLOPGUARD_PYPI_URL: index.url, SLOPGUARD_PYPISTATS_API: index.url, SLOPGUARD_DEBUG: '1' };
      for (const format of ['json', 'text']) {
        const r = await spawnCli(['check', 'pypi:corp-internal-tools', '--format', format, '--timeout', '3'], { env, cwd: sb.cwd });
        assert.notEqual(r.code, 0);
        assertNoLeak(PIP_PASSWORD, r.out + r.err, sb.cache, []);
      }
    } finally {
      await index.close();
    }
  });
});
