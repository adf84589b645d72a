import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { envReplace, loadRegistrySettings, npmEnvConfig } from '../../src/registry/npmrc.js';
import { tempDir } from './helpers.js';

/** A machine laid out in a temp dir: files by relative path, then settings read from it. */
interface Machine {
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** Working directory, relative to the root (default `home/project`). */
  cwd?: string;
  overrides?: Parameters<typeof loadRegistrySettings>[0]['overrides'];
}

describe('loadRegistrySettings: npm config', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('slopguard-npmrc-');
  });
  after(() => tmp.remove());
  let n = 0;

  function load(m: Machine) {
    const root = join(tmp.dir, `m${n++}`);
    for (const [rel, text] of Object.entries(m.files ?? {})) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    const cwd = join(root, m.cwd ?? 'home/project');
    mkdirSync(cwd, { recursive: true });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.env ?? {})) env[k] = v.replaceAll('<root>', root);
    return {
      root,
      settings: loadRegistrySettings({
        env,
        cwd,
        home: join(root, 'home'),
        globalNpmrc: join(root, 'etc/npmrc'),
        pipGlobalConfigs: [join(root, 'etc/pip.conf')],
        ...(m.overrides ? { overrides: m.overrides } : {}),
      }),
    };
  }

  it('defaults to the public registries', () => {
    const { settings } = load({});
    assert.deepEqual(settings, {
      npmRegistry: 'https://registry.npmjs.org/',
      npmScopes: {},
      npmrc: {},
      npmDownloadsApi: 'https://api.npmjs.org',
      pypiUrl: 'https://pypi.org',
      pypistatsApi: 'https://pypistats.org',
    });
  });

  const registryCases: Array<[string, Machine, string]> = [
    ['user ~/.npmrc', { files: { 'home/.npmrc': 'registry=https://user.example/' } }, 'https://user.example/'],
    ['global npmrc', { files: { 'etc/npmrc': 'registry=https://global.example' } }, 'https://global.example/'],
    ['user beats global', { files: { 'etc/npmrc': 'registry=https://global.example/', 'home/.npmrc': 'registry=https://user.example/' } }, 'https://user.example/'],
    [
      'project (nearest dir with package.json) beats user',
      { files: { 'home/.npmrc': 'registry=https://user.example/', 'home/project/package.json': '{}', 'home/project/.npmrc': 'registry=https://project.example/' }, cwd: 'home/project/src/deep' },
      'https://project.example/',
    ],
    [
      'a project .npmrc above the nearest package.json is not read',
      { files: { 'home/project/.npmrc': 'registry=https://outer.example/', 'home/project/pkg/package.json': '{}' }, cwd: 'home/project/pkg' },
      'https://registry.npmjs.org/',
    ],
    [
      'node_modules also marks the project',
      { files: { 'home/project/node_modules/.keep': '', 'home/project/.npmrc': 'registry=https://nm.example/' }, cwd: 'home/project' },
      'https://nm.example/',
    ],
    ['npm_config_registry beats files', { files: { 'home/project/package.json': '{}', 'home/project/.npmrc': 'registry=https://project.example/' }, env: { npm_config_registry: 'https://env.example/' } }, 'https://env.example/'],
    ['NPM_CONFIG_REGISTRY (any case)', { env: { NPM_CONFIG_REGISTRY: 'https://upper.example/' } }, 'https://upper.example/'],
    ['an empty env value is ignored', { files: { 'home/.npmrc': 'registry=https://user.example/' }, env: { npm_config_registry: '' } }, 'https://user.example/'],
    ['npm_config_userconfig moves the user file', { files: { 'home/alt.npmrc': 'registry=https://alt.example/' }, env: { npm_config_userconfig: '<root>/home/alt.npmrc' } }, 'https://alt.example/'],
    ['${VAR} in a value', { files: { 'home/.npmrc': 'registry=https://${REG_HOST}/npm/' }, env: { REG_HOST: 'mirror.example' } }, 'https://mirror.example/npm/'],
    ['the override beats everything', { files: { 'home/.npmrc': 'registry=https://user.example/' }, env: { npm_config_registry: 'https://env.example/' }, overrides: { npmRegistry: 'http://127.0.0.1:9/x' } }, 'http://127.0.0.1:9/x/'],
  ];
  for (const [title, machine, want] of registryCases) {
    it(`registry: ${title}`, () => assert.equal(load(machine).settings.npmRegistry, want));
  }

  it('reads scoped registries and nerf-darted auth, expanding ${VAR} in keys and values', () => {
    const { settings } = load({
      files: {
        'home/.npmrc': ['@corp:registry=https://npm.corp.example/api/npm', '//npm.corp.example/api/npm/:_authToken=${CORP_TOKEN}', '; a comment', 'strict-ssl=false', '//${OTHER}/:_auth=YWI6Y2Q='].join('\n'),
      },
      env: { CORP_TOKEN: 'tok-abc', OTHER: 'other.example' },
    });
    assert.deepEqual(settings.npmScopes, { '@corp': 'https://npm.corp.example/api/npm/' });
    assert.equal(settings.npmrc['//npm.corp.example/api/npm/:_authToken'], 'tok-abc');
    assert.equal(settings.npmrc['//other.example/:_auth'], 'YWI6Y2Q=');
    assert.equal(settings.npmrc['strict-ssl'], 'false');
    assert.equal(settings.npmrc['@corp:registry'], undefined, 'scopes live in npmScopes');
  });

  it('takes nerf-dart keys from the environment as written', () => {
    const { settings } = load({ env: { 'npm_config_//npm.corp.example/:_authToken': 'from-env', 'npm_config_@corp:registry': 'https://npm.corp.example' } });
    assert.equal(settings.npmrc['//npm.corp.example/:_authToken'], 'from-env');
    assert.deepEqual(settings.npmScopes, { '@corp': 'https://npm.corp.example/' });
  });

  it('takes proxies from npm config, else from the usual variables', () => {
    assert.equal(load({ env: { HTTPS_PROXY: 'http://proxy.example:3128', NO_PROXY: 'localhost' } }).settings.npmrc['https-proxy'], 'http://proxy.example:3128');
    assert.equal(load({ files: { 'home/.npmrc': 'https-proxy=http://npmproxy.example' }, env: { HTTPS_PROXY: 'http://env.example' } }).settings.npmrc['https-proxy'], 'http://npmproxy.example');
  });

  it('applies each API override alone', () => {
    const { settings } = load({ overrides: { npmDownloadsApi: 'http://127.0.0.1:1/', pypistatsApi: 'http://127.0.0.1:2' } });
    assert.equal(settings.npmDownloadsApi, 'http://127.0.0.1:1');
    assert.equal(settings.pypistatsApi, 'http://127.0.0.1:2');
    assert.equal(settings.npmRegistry, 'https://registry.npmjs.org/');
    assert.equal(settings.pypiUrl, 'https://pypi.org');
  });

  it('reads pip.conf for the private index', () => {
    const { settings } = load({ files: { 'home/.config/pip/pip.conf': '[global]\nindex-url = https://pypi.corp.example/simple\n' } });
    assert.equal(settings.pypiIndexUrl, 'https://pypi.corp.example/simple/');
  });

  it('reads extra-index-url from pip.conf (several, on continuation lines) and PIP_EXTRA_INDEX_URL', () => {
    const fromFile = load({ files: { 'home/.config/pip/pip.conf': '[global]\nextra-index-url =\n    https://a.corp.example/simple\n    https://b.corp.example/simple/\n' } }).settings;
    assert.deepEqual(fromFile.pypiExtraIndexUrls, ['https://a.corp.example/simple/', 'https://b.corp.example/simple/']);
    const fromEnv = load({ env: { PIP_EXTRA_INDEX_URL: 'https://env.corp.example/simple' } }).settings;
    assert.deepEqual(fromEnv.pypiExtraIndexUrls, ['https://env.corp.example/simple/']);
    assert.equal(load({ env: { PIP_EXTRA_INDEX_URL: 'https://x.example/simple', PIP_NO_INDEX: '1' } }).settings.pypiExtraIndexUrls, undefined, '--no-index: pip asks no index at all');
  });
});

describe('npm config details', () => {
  const expansions: Array<[string, Record<string, string>, string]> = [
    ['${A}', { A: 'x' }, 'x'],
    ['${MISSING}', {}, '${MISSING}'],
    ['${MISSING?}', {}, ''],
    ['\\${A}', { A: 'x' }, '${A}'],
    ['\\\\${A}', { A: 'x' }, '\\x'],
    ['a${A}b${B}c', { A: '1', B: '2' }, 'a1b2c'],
  ];
  for (const [input, env, want] of expansions) {
    it(`envReplace ${JSON.stringify(input)}`, () => assert.equal(envReplace(input, env), want));
  }

  it('maps npm_config_* names as npm does', () => {
    assert.deepEqual(npmEnvConfig({ npm_config_strict_ssl: 'false', NPM_CONFIG_HTTPS_PROXY: 'p', npm_config__auth: 'x', 'npm_config_//h/:_authToken': 't', npm_config_empty: '', OTHER: 'y' }), {
      'strict-ssl': 'false',
      'https-proxy': 'p',
      _auth: 'x',
      '//h/:_authToken': 't',
    });
  });
});
