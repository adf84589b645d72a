import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { sentences } from '../../src/reporters/messages.js';
import { npmPackage, withFixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnv } from '../helpers/registry-env.js';

const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

describe('wording: reasons read as sentences', () => {
  it('a clause that ends in a question mark gets no full stop after it', () => {
    assert.equal(sentences(['did you mean `lodash`?', 'it is 2 days old']), 'did you mean `lodash`? it is 2 days old');
    assert.equal(sentences(['it does not exist', 'it is 2 days old']), 'it does not exist. it is 2 days old');
    assert.equal(sentences(['one']), 'one');
  });

  it('no door prints "?." after a did-you-mean (Claude hook, wrapper-style reason lines)', async () => {
    // A young, barely downloaded look-alike: typo first, then too-new and low-downloads.
    await withFixtureRegistry({ npm: [npmPackage({ name: 'lodahs', created: ago(2), weeklyDownloads: 3 })] }, async (reg) => {
      const cwd = mkdtempSync(join(tmpdir(), 'sg-wording-'));
      const env = fixtureRegistryEnv(reg, join(cwd, 'cache'));
      const input = { hook_event_name: 'PreToolUse', cwd, tool_name: 'Bash', tool_input: { command: 'npm install lodahs' } };
      const t = testIo({ env, cwd, stdin: JSON.stringify(input) });
      assert.equal(await run(['hook', 'claude'], t.io), 0);
      const reason = (JSON.parse(t.out()) as { hookSpecificOutput: { permissionDecisionReason: string } }).hookSpecificOutput.permissionDecisionReason;
      assert.match(reason, /did you mean `lodash`\?/);
      assert.doesNotMatch(reason, /\?\./);
      for (const format of ['github', 'markdown', 'text']) {
        const c = testIo({ env, cwd });
        assert.equal(await run(['check', 'lodahs', '--format', format], c.io), 1);
        assert.doesNotMatch(c.out(), /`\?\./, format);
      }
    });
  });

  it('a denial for a registry that did not answer advises trying again, not renaming', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sg-wording-'));
    // Port 9 (discard) refuses connections on loopback: the lookup fails at once.
    const env = {
      SLOPGUARD_NPM_REGISTRY: 'http://127.0.0.1:9/',
      SLOPGUARD_NPM_DOWNLOADS_API: 'http://127.0.0.1:9',
      SLOPGUARD_CACHE_DIR: join(cwd, 'cache'),
    };
    const input = { hook_event_name: 'PreToolUse', cwd, tool_name: 'Bash', tool_input: { command: 'npm install some-unlisted-name-x' } };
    const t = testIo({ env, cwd, stdin: JSON.stringify(input) });
    assert.equal(await run(['hook', 'claude', '--fail-closed'], t.io), 0);
    const out = JSON.parse(t.out()) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    assert.equal(out.hookSpecificOutput.permissionDecision, 'deny');
    assert.match(out.hookSpecificOutput.permissionDecisionReason, /could not check/);
    assert.match(out.hookSpecificOutput.permissionDecisionReason, /try again/);
    assert.doesNotMatch(out.hookSpecificOutput.permissionDecisionReason, /intended package name/);
  });
});

describe('wording: every format and door says the same things', () => {
  it('an expired allow entry is reported in text, markdown, github and sarif', async () => {
    const { renderText } = await import('../../src/reporters/text.js');
    const { RENDERERS, REPORT_FORMATS } = await import('../../src/reporters/index.js');
    const report = {
      schemaVersion: 1 as const,
      summary: { checked: 0, ok: 0, warn: 0, block: 0, unknown: 0 },
      packages: [],
      notes: [],
      expiredAllowlist: [{ ecosystem: 'npm' as const, name: 'old-thing', reason: 'legacy', until: '2026-01-01' }],
    };
    assert.match(renderText(report, { color: false }), /old-thing.*expired on 2026-01-01/);
    for (const format of REPORT_FORMATS) {
      if (format === 'json') continue;
      const out = RENDERERS[format](report, { color: false, now: new Date('2026-12-01T00:00:00Z') });
      assert.match(out, /old-thing/, format);
      assert.match(out, /2026-01-01/, format);
    }
  });

  it('a space in a name is called a space, not a non-ASCII look-alike', async () => {
    const t = testIo();
    assert.equal(await run(['check', 'ex press'], t.io), 2);
    assert.match(t.err(), /contains a space/);
    assert.doesNotMatch(t.err(), /ASCII/);
  });
});
