import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';

async function help(argv: string[]): Promise<string> {
  const t = testIo();
  assert.equal(await run([...argv, '--help'], t.io), 0, argv.join(' '));
  return t.out();
}

describe('--help of the doors: what it does, how to wire it, examples', () => {
  const cases: Array<[string[], RegExp[]]> = [
    [['hook'], [/claude/, /cursor/, /git-pre-commit/, /install/, /uninstall/, /Examples:/]],
    [['hook', 'claude'], [/PreToolUse/, /\.claude\/settings\.json/, /Try it:/, /--budget/, /--on-unverified/, /--fail-closed/]],
    [['hook', 'cursor'], [/beforeShellExecution/, /\.cursor\/hooks\.json/, /Try it:/]],
    [['hook', 'codex'], [/PreToolUse/, /\.codex\/hooks\.json/, /Try it:/, /cannot ask the user/, /--on-unverified/]],
    [['hook', 'gemini'], [/BeforeTool/, /\.gemini\/settings\.json/, /run_shell_command/, /Try it:/]],
    [['hook', 'copilot'], [/preToolUse/, /\.github\/hooks/, /toolArgs/, /Try it:/]],
    [['hook', 'opencode'], [/\.opencode\/plugins\/slopguard\.js/, /throws/, /Try it:/]],
    [['hook', 'windsurf'], [/pre_run_command/, /\.windsurf\/hooks\.json/, /exit 2/, /Try it:/]],
    [['hook', 'git-pre-commit'], [/staged/, /husky/, /Exit codes/]],
    [['hook', 'install'], [/Claude Code \(PreToolUse\)/, /one of claude,\s+cursor,\s+codex,\s+gemini,\s+copilot,\s+opencode,\s+windsurf,\s+git/, /--project/, /--local/, /--user/, /--command/, /Idempotent/, /Examples:/]],
    [['hook', 'uninstall'], [/Examples:/, /restoring/]],
    [['lsp'], [/Language Server/, /Neovim/, /Helix/, /--offline/, /--debounce/]],
    [['mcp'], [/check_packages/, /check_text/, /claude mcp add slopguard -- slopguard mcp/, /\.cursor\/mcp\.json/, /config\.toml/]],
  ];
  for (const [argv, patterns] of cases) {
    it(argv.join(' '), async () => {
      const out = await help(argv);
      for (const p of patterns) assert.match(out, p);
    });
  }

  it('the top-level help lists hook, lsp and mcp', async () => {
    const out = await help([]);
    for (const c of ['hook', 'lsp', 'mcp']) assert.match(out, new RegExp(`\\n  ${c} `));
  });

  it('lsp rejects a bad --debounce (exit 2)', async () => {
    const t = testIo();
    assert.equal(await run(['lsp', '--debounce', 'soon'], t.io), 2);
    assert.match(t.err(), /--debounce/);
  });
});
