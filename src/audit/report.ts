/**
 * The audit record of a door that produces a report (check, scan, ci, diff, text, LSP, MCP): the
 * decision is the exit status's, as the CLI would give it (`refused` for 1, 3 and 2 alike: a CI
 * gate fails on each), `monitored` when monitor mode let it pass.
 */
import { EXIT, type Report } from '../core/types.js';
import type { Settings } from '../policy/settings.js';
import { exitCodeFor } from '../policy/verdict.js';
import { audit, type AuditIo } from './index.js';
import { reportPackages, type AuditDoor } from './record.js';

/** The exit status a report gives under the settings' mode: monitor mode turns 1 and 3 into 0 (2, a broken input, stays). */
export function modeExit(report: Pick<Report, 'packages' | 'notes'>, settings: Pick<Settings, 'policy'>): { enforced: number; exit: number; monitor: boolean } {
  const enforced = exitCodeFor(report, settings.policy);
  const monitor = settings.policy.mode === 'monitor';
  const exit = monitor && (enforced === EXIT.FAIL || enforced === EXIT.UNVERIFIED) ? EXIT.OK : enforced;
  return { enforced, exit, monitor };
}

/** Record a report's decision; returns the exit status (see {@link modeExit}). */
export async function auditReport(settings: Pick<Settings, 'policy' | 'auditLog'>, door: AuditDoor, report: Report, io: AuditIo, opts: { command?: readonly string[]; cwd?: string; exitField?: boolean } = {}): Promise<number> {
  const { enforced, exit, monitor } = modeExit(report, settings);
  await audit(
    settings.auditLog,
    {
      door,
      outcome: enforced === EXIT.OK ? 'allowed' : 'refused',
      monitor,
      packages: reportPackages(report),
      ...(opts.command ? { command: opts.command } : {}),
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.exitField ? { extra: { exit } } : {}),
    },
    io,
  );
  return exit;
}
