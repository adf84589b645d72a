/**
 * The source of the OpenCode plugin `slopguard hook install opencode` writes. OpenCode loads every
 * .js file in `.opencode/plugins/` (and `~/.config/opencode/plugins/`) with Bun at start-up.
 *
 * The plugin holds no judgement of its own: before each `bash` tool call it runs the hook command
 * (`<invocation> hook opencode`, through the platform shell as every agent runs its hook commands),
 * sends it the call as JSON on stdin and does what it answers (src/hook/opencode.ts): throws for
 * "deny", which is how an OpenCode plugin stops a tool call, warns for "warn". When slopguard
 * cannot be run or answers nonsense, the call goes ahead with a warning, unless
 * SLOPGUARD_FAIL_CLOSED is set, as for the other hooks.
 */

/** The first line of the file: how install and uninstall recognise a plugin file as ours. */
export const OPENCODE_PLUGIN_MARKER = '// slopguard OpenCode plugin';

/** Milliseconds the plugin waits for slopguard: the 10 s check budget plus start-up, with room to spare. */
export const OPENCODE_HOOK_TIMEOUT_MS = 30_000;

/** The plugin file's text for a hook command line. */
export function openCodePlugin(hookCommand: string): string {
  return `${OPENCODE_PLUGIN_MARKER}: written by \`slopguard hook install opencode\`; \`slopguard hook uninstall opencode\` removes it.
// Before each bash tool call it asks slopguard about the packages the command would install, and
// stops the call (by throwing) when slopguard says so. Edits here are replaced on the next install.
import { spawn } from 'node:child_process';

const COMMAND = ${JSON.stringify(hookCommand)};
const TIMEOUT_MS = ${OPENCODE_HOOK_TIMEOUT_MS};
const FAIL_CLOSED = /^(1|true|yes|on)$/i.test((process.env.SLOPGUARD_FAIL_CLOSED ?? '').trim());

function askSlopguard(payload, cwd) {
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let child;
    try {
      child = spawn(COMMAND, { shell: true, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ problem: String(e?.message ?? e) });
      return;
    }
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ problem: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return resolve({ problem: \`\${COMMAND} \${signal ? 'was stopped (' + signal + ')' : 'exited with ' + code}: \${err.trim().slice(0, 500)}\` });
      try {
        const answer = JSON.parse(out);
        if (answer && ['none', 'warn', 'deny'].includes(answer.action)) return resolve(answer);
      } catch {}
      resolve({ problem: \`unreadable answer from \${COMMAND}: \${out.slice(0, 200)}\` });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(payload));
  });
}

export const SlopguardPlugin = async ({ directory }) => ({
  'tool.execute.before': async (input, output) => {
    if (input.tool !== 'bash') return;
    const answer = await askSlopguard({ tool: input.tool, args: output.args, directory, sessionID: input.sessionID }, directory);
    if (answer.problem) {
      if (FAIL_CLOSED) throw new Error(\`slopguard could not check this command (failing closed): \${answer.problem}\`);
      console.warn(\`slopguard: warning: could not check this command; allowed unchecked: \${answer.problem}\`);
      return;
    }
    if (answer.action === 'deny') throw new Error(answer.message);
    if (answer.action === 'warn') console.warn(answer.message);
  },
});
`;
}
