import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { auditReport } from '../audit/report.js';
import { InputError } from '../core/errors.js';
import type { Report } from '../core/types.js';
import type { Settings } from '../policy/settings.js';
import { render } from '../reporters/index.js';
import { useColor, type Io } from './io.js';
import type { CommonFlags } from './options.js';

/** The report commands: each is a door of the audit log. */
export type ReportDoor = 'check' | 'scan' | 'ci' | 'diff' | 'text';

/**
 * Render the report in the chosen format to stdout or --output, record the decision in the
 * audit log, and return the exit code. Text output lists only the problems and the summary
 * unless `--all` is given (a 1,000-package lockfile is otherwise 2,000 lines of "ok"); `listOk`
 * is the command's own default (`check` lists the names the user typed).
 */
export async function emitReport(report: Report, flags: CommonFlags, settings: Settings, io: Io, door: ReportDoor, listOk = false): Promise<number> {
  // Monitor mode says so in every report: text in its summary line, JSON in a top-level field.
  if (settings.policy.mode === 'monitor') report = { ...report, mode: 'monitor' };
  const format = flags.format ?? 'text';
  const toFile = flags.output !== undefined;
  const color = !toFile && format === 'text' && useColor(io.stdout, io.env, flags.color === false ? false : undefined);
  const text = render(report, format, { color, now: io.now?.() ?? new Date(), root: io.cwd, showOk: flags.all ?? listOk });
  if (toFile) {
    const path = resolve(io.cwd, flags.output!);
    try {
      writeFileSync(path, text);
    } catch (e) {
      throw new InputError(flags.output!, `cannot write the report: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  } else {
    io.stdout.write(text);
  }
  // Warnings about slopguard itself (stale data, a broken cache) already reached stderr as they
  // happened, through checkOptionsFor's `warn`; printing report.warnings again said each twice.
  // Monitor mode exits 0 where a finding would have failed the run (unreadable input still exits 2).
  return auditReport(settings, door, report, io, { exitField: true, ...(io.argv ? { command: ['slopguard', ...io.argv] } : {}) });
}
