import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';

/** The description paragraph: the lines between "Usage:" and the first section heading. */
function description(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Usage:')) + 1;
  const end = lines.findIndex((l, i) => i > start && /^[A-Z][A-Za-z ]*:$/.test(l));
  return lines.slice(start, end).filter((l) => l.trim() !== '');
}

describe('--help descriptions wrap as one paragraph', () => {
  // Hard line breaks inside a description were wrapped again at 80 columns, leaving a ragged
  // block of long and very short lines ("...monorepos with several" / "lockfiles work) and ...").
  for (const command of ['check', 'scan', 'diff', 'text', 'ci', 'wrap', 'shell-init', 'lsp', 'mcp', 'serve']) {
    it(command, async () => {
      const t = testIo();
      assert.equal(await run([command, '--help'], t.io), 0);
      const para = description(t.out());
      assert.ok(para.length > 0, 'has a description');
      for (const line of para.slice(0, -1)) assert.ok(line.length >= 60, `a short line inside the paragraph: ${JSON.stringify(line)}`);
    });
  }
});

describe('one flag table: a shared flag reads the same in every command', () => {
  // Two hand-kept tables once said different things for --timeout ("network time budget per
  // request" in hooks, "seconds one package lookup may take" elsewhere) and repeated defaults.
  const helpOf = async (argv: string[]) => {
    const t = testIo();
    assert.equal(await run([...argv, '--help'], t.io), 0);
    return t.out();
  };
  /** The help text of one flag, joined over its wrapped lines. */
  const flagHelp = (help: string, flag: string) => {
    const lines = help.split('\n');
    const i = lines.findIndex((l) => l.trimStart().startsWith(flag));
    assert.ok(i >= 0, `${flag} is listed`);
    const out = [lines[i]!.trim().slice(flag.length)];
    for (let j = i + 1; j < lines.length && /^\s{10,}\S/.test(lines[j]!) && !/^\s+-/.test(lines[j]!); j++) out.push(lines[j]!.trim());
    return out.join(' ').replace(/\s+/g, ' ').trim();
  };
  const commands = [['check'], ['scan'], ['diff'], ['text'], ['ci'], ['lsp'], ['mcp'], ['serve'], ['hook', 'claude']];
  for (const flag of ['--timeout <seconds>', '--concurrency <n>', '--fail-on <level>', '--fail-closed', '--min-age-days <days>', '--server <url>']) {
    it(flag, async () => {
      const texts = new Map<string, string>();
      for (const c of commands) texts.set(c.join(' '), flagHelp(await helpOf(c), flag));
      assert.equal(new Set(texts.values()).size, 1, `differs: ${JSON.stringify([...texts])}`);
    });
  }
  it('defaults in the help come from policy/defaults.ts', async () => {
    const { DEFAULT_NETWORK, DEFAULT_POLICY } = await import('../../src/policy/defaults.js');
    const help = await helpOf(['check']);
    assert.match(flagHelp(help, '--timeout <seconds>'), new RegExp(`\\(default ${DEFAULT_NETWORK.timeoutMs / 1000}\\)`));
    assert.match(flagHelp(help, '--concurrency <n>'), new RegExp(`\\(default ${DEFAULT_NETWORK.concurrency}\\)`));
    assert.match(flagHelp(help, '--min-age-days <days>'), new RegExp(`\\(default ${DEFAULT_POLICY.thresholds.minAgeDays}\\)`));
  });
  it('report flags only where there is a report', async () => {
    assert.match(await helpOf(['check']), /--format <format>/);
    for (const c of [['lsp'], ['mcp'], ['serve'], ['hook', 'claude']]) assert.doesNotMatch(await helpOf(c), /--format <format>/, c.join(' '));
  });
});
