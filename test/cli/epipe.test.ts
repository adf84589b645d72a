import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));

describe('bin/slopguard.js as a process', () => {
  it('stops quietly when the reader of its output goes away (`slopguard ... | head`)', async () => {
    // Many names offline: a long report, written after the reader has already closed the pipe.
    const names = Array.from({ length: 3000 }, (_, i) => `zz-epipe-${i}`).join('\n');
    const child = spawn(process.execPath, [BIN, 'check', '--stdin', '--offline', '--no-cache'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.end(names);
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.doesNotMatch(stderr, /EPIPE|Error|at /, stderr);
    assert.notEqual(code, null);
  });
});
