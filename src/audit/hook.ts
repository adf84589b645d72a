/**
 * The agent hooks' audit record and monitor mode, kept out of hook/runner.ts (which calls these
 * two functions once each): the answer given in the protocol's terms, and the agent's command.
 */
import type { Report } from '../core/types.js';
import type { HookDecision } from '../hook/decision.js';
import { isAbsolute, resolve } from 'node:path';
import type { HookFlags } from '../hook/settings.js';
import { DEFAULT_AUDIT_LOG_MAX_BYTES, type Settings } from '../policy/settings.js';
import { MONITOR_MODE_LABEL } from '../reporters/messages.js';
import { audit, type AuditIo } from './index.js';
import { reportPackages } from './record.js';

/** Monitor mode's answer about packages: no objection; what the enforcing answer would have been goes to stderr. */
export function monitored(decision: HookDecision, io: Pick<AuditIo, 'stderr'>): HookDecision {
  if (decision.action === 'ask' || decision.action === 'deny') {
    // The reasons are already escaped (hook/decision.ts).
    const lines = decision.reasons.map((r) => `\n  - ${r}`).join('');
    io.stderr.write(`slopguard: ${MONITOR_MODE_LABEL} would have ${decision.action === 'deny' ? 'denied' : 'asked about'} this:${lines}\n`);
  }
  return { action: 'none', reasons: [] };
}

/** What the agent was about to do, from its hook input: a shell command, or the file an edit writes. */
function agentCommand(json: unknown): { shellCommand: string } | { command: string[] } | undefined {
  const o = (json ?? {}) as Record<string, unknown>;
  const ti = (o.tool_input ?? {}) as Record<string, unknown>;
  const command = typeof ti.command === 'string' ? ti.command : typeof o.command === 'string' ? o.command : undefined;
  if (command !== undefined) return { shellCommand: command };
  const file = typeof ti.file_path === 'string' ? ti.file_path : typeof o.file_path === 'string' ? o.file_path : undefined;
  const tool = typeof o.tool_name === 'string' ? o.tool_name : typeof o.hook_event_name === 'string' ? o.hook_event_name : 'edit';
  return file !== undefined ? { command: [tool, file] } : undefined;
}

/** One record for a hook call that judged something: the answer as given (`allowed`, `asked`, `refused`), or `monitored`. */
export async function auditHookDecision(
  settings: Settings,
  enforced: HookDecision,
  answer: HookDecision,
  ctx: { report: Report | undefined; hookJson: unknown; cwd: string; io: AuditIo },
): Promise<void> {
  if (!settings.auditLog) return;
  const monitor = settings.policy.mode === 'monitor';
  const judged = monitor && (enforced.action === 'ask' || enforced.action === 'deny') ? enforced : answer;
  const outcome = judged.action === 'deny' ? 'refused' : judged.action === 'ask' ? 'asked' : 'allowed';
  const command = agentCommand(ctx.hookJson);
  await audit(
    settings.auditLog,
    { door: 'hook', outcome, monitor, packages: ctx.report ? reportPackages(ctx.report) : [], cwd: ctx.cwd, ...command, extra: { answer: answer.action, ...(ctx.io.argv?.[1] ? { agent: ctx.io.argv[1] } : {}) } },
    ctx.io,
  );
}

/**
 * A hook answer given without judging anything (the input could not be read, the config is
 * broken): the merged settings are not there, so the destination comes from `--audit-log` or an
 * absolute SLOPGUARD_AUDIT_LOG only.
 */
export async function auditHookUnjudged(flags: Pick<HookFlags, 'auditLog'>, answer: HookDecision, ctx: { hookJson: unknown; io: AuditIo }): Promise<void> {
  const given = flags.auditLog ?? (ctx.io.env.SLOPGUARD_AUDIT_LOG || undefined);
  if (given === undefined) return;
  const stderr = given === '-' || given === 'stderr';
  if (!stderr && !isAbsolute(given) && flags.auditLog === undefined) return;
  const target = stderr ? 'stderr' : resolve(ctx.io.cwd, given);
  const outcome = answer.action === 'deny' ? 'refused' : answer.action === 'ask' ? 'asked' : 'allowed';
  const command = agentCommand(ctx.hookJson);
  await audit(
    { target, maxBytes: DEFAULT_AUDIT_LOG_MAX_BYTES, source: flags.auditLog !== undefined ? '--audit-log' : 'SLOPGUARD_AUDIT_LOG' },
    { door: 'hook', outcome, monitor: false, packages: [], ...command, extra: { answer: answer.action, unjudged: true, ...(ctx.io.argv?.[1] ? { agent: ctx.io.argv[1] } : {}) } },
    ctx.io,
  );
}
