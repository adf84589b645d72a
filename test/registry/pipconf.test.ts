import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPipConfig, parseConfigParser, type PipConfig } from '../../src/registry/pipconf.js';
import { tempDir } from './helpers.js';

interface Case {
  files?: Record<string, string>;
  env?: Record<string, string>;
  want: Partial<PipConfig>;
}

describe('pip configuration', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('slopguard-pip-');
  });
  after(() => tmp.remove());
  let n = 0;

  function load(c: Omit<Case, 'want'>): PipConfig {
    const root = join(tmp.dir, `m${n++}`);
    for (const [rel, text] of Object.entries(c.files ?? {})) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.env ?? {})) env[k] = v.replaceAll('<root>', root);
    return loadPipConfig({ env, home: join(root, 'home'), platform: 'linux', globalConfigs: [join(root, 'etc/xdg/pip/pip.conf'), join(root, 'etc/pip.conf')] });
  }

  const cases: Array<[string, Case]> = [
    ['nothing configured', { want: { indexUrl: undefined, extraIndexUrls: [], noIndex: false } }],
    ['user file (XDG default)', { files: { 'home/.config/pip/pip.conf': '[global]\nindex-url = https://u.example/simple' }, want: { indexUrl: 'https://u.example/simple' } }],
    ['XDG_CONFIG_HOME moves the user file', { files: { 'xdg/pip/pip.conf': '[global]\nindex-url = https://xdg.example/simple' }, env: { XDG_CONFIG_HOME: '<root>/xdg' }, want: { indexUrl: 'https://xdg.example/simple' } }],
    [
      'the new user file beats the legacy ~/.pip one',
      { files: { 'home/.pip/pip.conf': '[global]\nindex-url = https://legacy.example/', 'home/.config/pip/pip.conf': '[global]\nindex-url = https://new.example/' }, want: { indexUrl: 'https://new.example/' } },
    ],
    ['global file', { files: { 'etc/pip.conf': '[global]\nindex-url = https://g.example/' }, want: { indexUrl: 'https://g.example/' } }],
    ['user beats global', { files: { 'etc/pip.conf': '[global]\nindex-url = https://g.example/', 'home/.config/pip/pip.conf': '[global]\nindex-url = https://u.example/' }, want: { indexUrl: 'https://u.example/' } }],
    [
      'site ($VIRTUAL_ENV) beats user',
      { files: { 'home/.config/pip/pip.conf': '[global]\nindex-url = https://u.example/', 'venv/pip.conf': '[global]\nindex-url = https://site.example/' }, env: { VIRTUAL_ENV: '<root>/venv' }, want: { indexUrl: 'https://site.example/' } },
    ],
    [
      'PIP_CONFIG_FILE beats site and skips the user file',
      {
        files: { 'home/.config/pip/pip.conf': '[global]\nextra-index-url = https://user-extra.example/', 'venv/pip.conf': '[global]\nindex-url = https://site.example/', 'custom.conf': '[global]\nindex-url = https://custom.example/' },
        env: { VIRTUAL_ENV: '<root>/venv', PIP_CONFIG_FILE: '<root>/custom.conf' },
        want: { indexUrl: 'https://custom.example/', extraIndexUrls: [] },
      },
    ],
    ['PIP_CONFIG_FILE=/dev/null turns files off', { files: { 'home/.config/pip/pip.conf': '[global]\nindex-url = https://u.example/' }, env: { PIP_CONFIG_FILE: '/dev/null' }, want: { indexUrl: undefined } }],
    [
      '[install] beats [global], even from an earlier file',
      { files: { 'home/.config/pip/pip.conf': '[install]\nindex-url = https://install.example/', 'venv/pip.conf': '[global]\nindex-url = https://global.example/' }, env: { VIRTUAL_ENV: '<root>/venv' }, want: { indexUrl: 'https://install.example/' } },
    ],
    ['PIP_INDEX_URL beats every file', { files: { 'home/.config/pip/pip.conf': '[install]\nindex-url = https://file.example/' }, env: { PIP_INDEX_URL: 'https://env.example/simple' }, want: { indexUrl: 'https://env.example/simple' } }],
    ['PIP_EXTRA_INDEX_URL is whitespace-separated', { env: { PIP_EXTRA_INDEX_URL: 'https://a.example/simple https://b.example/simple' }, want: { extraIndexUrls: ['https://a.example/simple', 'https://b.example/simple'] } }],
    [
      'multi-line extra-index-url and underscores in names',
      { files: { 'home/.config/pip/pip.conf': '[global]\nextra_index_url =\n    https://one.example/simple\n    https://two.example/simple\ntimeout = 60\n' }, want: { extraIndexUrls: ['https://one.example/simple', 'https://two.example/simple'] } },
    ],
    ['no-index', { files: { 'home/.config/pip/pip.conf': '[global]\nno-index = true\nindex-url = https://x.example/' }, want: { noIndex: true } }],
  ];
  for (const [title, c] of cases) {
    it(title, () => {
      const got = load(c);
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k as keyof PipConfig], v, k);
    });
  }
});

describe('configparser dialect', () => {
  it('reads sections, both separators, comments and continuation lines', () => {
    const parsed = parseConfigParser(['# comment', '[global]', 'Index-URL: https://a.example/', '; another', 'extra-index-url = x', '  y', '', '[install]', 'trusted-host=h'].join('\n'));
    assert.deepEqual([...parsed.keys()], ['global', 'install']);
    assert.equal(parsed.get('global')!.get('index-url'), 'https://a.example/');
    assert.equal(parsed.get('global')!.get('extra-index-url'), 'x\ny');
    assert.equal(parsed.get('install')!.get('trusted-host'), 'h');
  });

  it('ignores keys outside any section and lines it cannot read', () => {
    const parsed = parseConfigParser('orphan = 1\n[global]\njust text\n=nokey\nok = yes');
    assert.deepEqual([...parsed.get('global')!.entries()], [['ok', 'yes']]);
  });
});
