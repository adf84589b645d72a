/**
 * Which installs take the lockfile only is each tool's own (`lockfileOnly` in src/tools/): a
 * flag one package manager honours is not read into another. Through the Claude Code hook, on a
 * project whose package.json gained a name its lockfile lacks: where the tool installs the
 * lockfile exactly (and refuses a stale one) only the lockfile is judged; `npm install` with a flag
 * npm does not have re-resolves the manifest, so the new name is judged too.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';
import { packageJson, packageLock, planFixtures, project } from '../install/fixtures.js';

let reg: DoorRegistry;
before(async () => {
  reg = await startDoorRegistry(planFixtures());
});
after(async () => {
  await reg.close();
});

const YARN_LOCK = '# yarn lockfile v1\n\n\nlodash@^4.17.21:\n  version "4.17.21"\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz"\n';
const MANIFEST = packageJson({ lodash: '^4.17.21', lodahs: '^1.0.0' });

async function decision(command: string, files: Record<string, string>): Promise<string> {
  const cwd = project(files);
  const input = { session_id: 's', transcript_path: '/tmp/t.jsonl', cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' };
  const t = testIo({ env: reg.env, stdin: JSON.stringify(input), now: NOW, cwd });
  assert.equal(await run(['hook', 'claude'], t.io), 0, t.err());
  rmSync(cwd, { recursive: true, force: true });
  const out = t.out().trim();
  return out ? (JSON.parse(out) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision : 'none';
}

describe('lockfile-only installs, per tool', () => {
  const npmFiles = { 'package.json': MANIFEST, 'package-lock.json': packageLock({ lodash: '4.17.21' }, { lodash: '^4.17.21' }) };
  const yarnFiles = { 'package.json': MANIFEST, 'yarn.lock': YARN_LOCK };
  const cases: Array<[command: string, files: Record<string, string>, expect: string]> = [
    // npm has no --frozen-lockfile: it installs as plain `npm install` does, lodahs included.
    ['npm install --frozen-lockfile', npmFiles, 'deny'],
    ['npm install', npmFiles, 'deny'],
    // npm ci and yarn's frozen installs refuse a lockfile that lacks lodahs: they install only what it locks.
    ['npm ci', npmFiles, 'none'],
    ['yarn install --frozen-lockfile', yarnFiles, 'none'],
    ['yarn install --immutable', yarnFiles, 'none'],
    ['yarn install', yarnFiles, 'deny'],
  ];
  for (const [command, files, expect] of cases) {
    it(`${command}: ${expect}`, async () => {
      assert.equal(await decision(command, files), expect);
    });
  }
});
