/**
 * Hooks answer within their budget, the subject included: a subject that never comes (planning
 * or reading stuck), a subject that uses up most of the budget before a hanging registry, and a
 * registry that accepts and never answers. What could not be completed is unverified (the user's
 * --on-unverified, ask by default), never allow and never silence. The budget runs on a timer
 * the tests drive, so nothing here waits on the wall clock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { BudgetTimer } from '../../src/hook/budget.js';
import { CLAUDE_PROTOCOL } from '../../src/hook/claude.js';
import { runAgentHook, type HookSubject } from '../../src/hook/runner.js';
import { testIo } from '../helpers/io.js';
import { NOW, startDoorRegistry, type DoorRegistry } from './fixtures.js';

/** A clock that moves only when told; `after()` fires once the clock passes its deadline. */
function manualTimer() {
  let t = 0;
  const waiting: Array<{ at: number; fire: () => void }> = [];
  const timer: BudgetTimer & { advance(ms: number): void; armed(): number } = {
    now: () => t,
    after(ms) {
      let fire!: () => void;
      const expired = new Promise<void>((resolve) => (fire = resolve));
      const w = { at: t + ms, fire };
      waiting.push(w);
      return { expired, cancel: () => void waiting.splice(waiting.indexOf(w) >>> 0, 1) };
    },
    advance(ms) {
      t += ms;
      for (const w of waiting.filter((x) => x.at <= t)) w.fire();
    },
    armed: () => waiting.length,
  };
  return timer;
}

let reg: DoorRegistry;
let project: string;
before(async () => {
  reg = await startDoorRegistry(undefined, { strict: false });
  project = mkdtempSync(join(tmpdir(), 'slopguard-budget-'));
});
after(async () => {
  await reg.close();
  rmSync(project, { recursive: true, force: true });
});

const input = (command: string) => JSON.stringify({ hook_event_name: 'PreToolUse', cwd: project, tool_name: 'Bash', tool_input: { command } });

async function callHook(subject: typeof CLAUDE_PROTOCOL.subject, timer: BudgetTimer, args: { onUnverified?: string; budget?: string } = {}, env = reg.env) {
  const t = testIo({ env, stdin: input('npm install lodash'), now: NOW, cwd: project });
  const code = await runAgentHook({ ...CLAUDE_PROTOCOL, subject }, args, t.io, timer);
  const out = t.out();
  return { code, out, err: t.err(), json: out.trim() ? (JSON.parse(out) as { hookSpecificOutput?: { permissionDecision: string; permissionDecisionReason: string }; systemMessage?: string }) : undefined };
}

describe('hook budget: the whole call, subject included', () => {
  const answers: Array<[string | undefined, (j: NonNullable<Awaited<ReturnType<typeof callHook>>['json']>) => void]> = [
    [undefined, (j) => assert.equal(j.hookSpecificOutput?.permissionDecision, 'ask')],
    ['ask', (j) => assert.equal(j.hookSpecificOutput?.permissionDecision, 'ask')],
    ['deny', (j) => assert.equal(j.hookSpecificOutput?.permissionDecision, 'deny')],
    // "allow" lets it through with a warning to the user, never Claude's "allow" (and never silence).
    ['allow', (j) => assert.match(j.systemMessage ?? '', /let this tool call through without checking it/)],
  ];
  for (const [onUnverified, expect] of answers) {
    it(`a subject that never comes: answered at the budget as unverified (--on-unverified ${onUnverified ?? 'default'})`, async () => {
      const timer = manualTimer();
      let asked = false;
      const never = () => {
        asked = true;
        // The budget is armed before the subject is asked for; run it out now.
        queueMicrotask(() => timer.advance(10_000));
        return new Promise<HookSubject | undefined>(() => undefined);
      };
      const r = await callHook(never, timer, onUnverified ? { onUnverified } : {});
      assert.ok(asked);
      assert.equal(r.code, 0);
      assert.ok(r.json, 'the hook answered something');
      assert.notEqual(r.json.hookSpecificOutput?.permissionDecision, 'allow');
      expect(r.json);
      const text = r.json.hookSpecificOutput?.permissionDecisionReason ?? r.json.systemMessage ?? '';
      assert.match(text, /could not work out what this call installs within the 10 s time budget/);
      assert.equal(timer.armed(), 0, 'the budget timer was cancelled');
    });
  }

  it('with the real clock, a subject stuck on a promise that never settles still gets an answer (the budget keeps the process alive)', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const runner = fileURLToPath(new URL('../../src/hook/runner.js', import.meta.url));
    const claude = fileURLToPath(new URL('../../src/hook/claude.js', import.meta.url));
    const script = `
      const { runAgentHook } = await import(${JSON.stringify(runner)});
      const { CLAUDE_PROTOCOL } = await import(${JSON.stringify(claude)});
      const { Readable } = await import('node:stream');
      const io = { stdout: process.stdout, stderr: process.stderr, stdin: Readable.from([Buffer.from(process.env.HOOK_INPUT)]), env: { HOME: '/nonexistent-home' }, cwd: process.cwd() };
      process.exitCode = await runAgentHook({ ...CLAUDE_PROTOCOL, subject: () => new Promise(() => {}) }, { budget: '0.2', cache: false }, io);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', HOOK_INPUT: input('npm install lodash') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    assert.equal((JSON.parse(out) as { hookSpecificOutput?: { permissionDecision: string } }).hookSpecificOutput?.permissionDecision, 'ask', `${out}\n${err}`);
  });

  it('a subject that takes most of the budget leaves the check only what is left (a hanging registry cannot outlast it)', { timeout: 6_000 }, async () => {
    const hanging = await startDoorRegistry(undefined, { strict: false });
    hanging.registry.addFault({ name: 'lodash', api: 'npm', kind: 'hang' });
    try {
      const timer = manualTimer();
      const slowPlan = async (i: Parameters<typeof CLAUDE_PROTOCOL.subject>[0], cwd: string, env: Parameters<typeof CLAUDE_PROTOCOL.subject>[2]) => {
        const s = await CLAUDE_PROTOCOL.subject(i, cwd, env);
        // 50 ms of the 10 s budget left: the check's lookups get that as their timeout (the manual
        // budget timer itself never fires here, so only that bound can end the hang in time).
        timer.advance(9_950);
        return s;
      };
      const r = await callHook(slowPlan, timer, {}, hanging.env);
      assert.equal(r.json?.hookSpecificOutput?.permissionDecision, 'ask');
      assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /lodash/);
      // What the check had: the 50 ms left, not the whole 10 s.
      assert.match(r.json!.hookSpecificOutput!.permissionDecisionReason, /lodash` could not be checked on npm: .*no complete answer within \d{1,2} ms/);
    } finally {
      await hanging.close();
    }
  });

  it('a registry that accepts and never answers: the Claude hook asks (or denies), never allows', async () => {
    const hanging = await startDoorRegistry(undefined, { strict: false });
    hanging.registry.addFault({ name: 'lodash', api: 'npm', kind: 'hang' });
    try {
      for (const [args, decision] of [
        [[], 'ask'],
        [['--on-unverified', 'deny'], 'deny'],
        [['--fail-closed'], 'deny'],
      ] as const) {
        const t = testIo({ env: hanging.env, stdin: input('npm install lodash'), now: NOW, cwd: project });
        assert.equal(await run(['hook', 'claude', '--budget', '0.3', ...args], t.io), 0);
        const j = JSON.parse(t.out()) as { hookSpecificOutput?: { permissionDecision: string; permissionDecisionReason: string } };
        assert.equal(j.hookSpecificOutput?.permissionDecision, decision, t.out());
        assert.match(j.hookSpecificOutput!.permissionDecisionReason, /lodash.*could not be checked/);
      }
    } finally {
      await hanging.close();
    }
  });
});
