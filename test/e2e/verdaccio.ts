import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForServer } from '../helpers/wait.js';
import { sh } from './tools.js';

/**
 * A real npm registry for the end-to-end tests: Verdaccio 6.8.0 (a dev dependency) as a child
 * process on 127.0.0.1, with its config and storage in a temp folder and no uplinks, so nothing
 * it serves comes from the internet. Packages are published with the real `npm publish`, using
 * a token from Verdaccio's own user endpoint (what `npm adduser` does).
 */

const VERDACCIO = fileURLToPath(new URL('../../../node_modules/verdaccio/bin/verdaccio', import.meta.url));

export interface Verdaccio {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** An .npmrc with the publish token. */
  npmrc: string;
  /** What Verdaccio has printed so far (its log). */
  output(): string;
  publish(pkg: { name: string; version: string; files?: Record<string, string> }): void;
  stop(): Promise<void>;
}

/** Whether Verdaccio answers its ping endpoint yet. */
async function pings(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}-/ping`);
    await r.arrayBuffer();
    return r.ok;
  } catch {
    return false; // Not listening yet.
  }
}

/** Options of {@link startVerdaccio}; the defaults give the plain registry every e2e test uses. */
export interface VerdaccioOptions {
  /** More config.yaml lines (top-level keys such as `plugins:` and `filters:`), appended as they are. */
  extraConfig?: string[];
  /** What Verdaccio logs (and `output()` holds); `error` by default. */
  logLevel?: string;
  /** Another registry's URL as the uplink every package is proxied to (none by default). */
  uplink?: string;
  /** Who may read packages: `$all` (default) or `$authenticated` (a private registry: every read needs the token). */
  access?: '$all' | '$authenticated';
}

/** Start Verdaccio in `dir` and create a publishing user. */
export async function startVerdaccio(dir: string, options: VerdaccioOptions = {}): Promise<Verdaccio> {
  const { extraConfig = [], logLevel = 'error', uplink, access = '$all' } = options;
  const proxy = uplink ? ['    proxy: up'] : [];
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: 10',
      ...(uplink ? ['uplinks:', '  up:', `    url: ${uplink}`] : ['uplinks: {}']),
      'packages:',
      "  '@*/*':",
      `    access: ${access}`,
      '    publish: $authenticated',
      ...proxy,
      "  '**':",
      `    access: ${access}`,
      '    publish: $authenticated',
      ...proxy,
      `log: { type: stdout, format: json, level: ${logLevel} }`,
      ...extraConfig,
      '',
    ].join('\n'),
  );
  // A port picked just before use; Verdaccio has no "port 0" mode that reports the port back.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let output = '';
  const child = spawn(process.execPath, [VERDACCIO, '-c', config, '-l', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitForServer(() => pings(url), { what: 'verdaccio', child, log: () => output, attempts: 600, intervalMs: 100 });

  const res = await fetch(`${url}-/user/org.couchdb.user:e2e`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e', password: 'e2e-password-not-secret' }),
  });
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new Error(`verdaccio adduser failed: ${res.status} ${JSON.stringify(body)}`);
  const npmrc = join(dir, 'publish.npmrc');
  writeFileSync(npmrc, `//127.0.0.1:${port}/:_authToken=${body.token}\n`);

  return {
    url,
    npmrc,
    output: () => output,
    publish(pkg) {
      const src = join(dir, 'src', `${pkg.name.replace('/', '__')}-${pkg.version}`);
      mkdirSync(src, { recursive: true });
      writeFileSync(join(src, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, main: 'index.js', license: 'MIT' }, null, 2));
      writeFileSync(join(src, 'index.js'), `module.exports = ${JSON.stringify(pkg.name)};\n`);
      for (const [f, text] of Object.entries(pkg.files ?? {})) writeFileSync(join(src, f), text);
      const r = sh('npm', ['publish', '--registry', url, '--userconfig', npmrc, '--cache', join(dir, 'npm-cache'), '--no-update-notifier'], { cwd: src, env: { ...process.env, npm_config_audit: 'false' } });
      if (r.status !== 0) throw new Error(`npm publish ${pkg.name} failed: ${r.stderr}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
