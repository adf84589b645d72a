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
