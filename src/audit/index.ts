/**
 * The audit log: every door calls {@link audit} once per decision. Off unless `--audit-log`,
 * SLOPGUARD_AUDIT_LOG or a trusted config's `auditLog` names a destination. Writing it never
 * changes a verdict or blocks a door: a log that cannot be written is one warning on stderr per
 * process and destination (the decision stands; see README "Audit log" for why, even under a locked
 * system policy).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../core/package-root.js';
import type { AuditLogSetting } from '../policy/settings.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { decisionOf, type AuditEntry, type AuditRecord, type Overrider } from './record.js';
import { redactCommand, redactShellCommand } from './redact-command.js';
import { recordLines } from './split.js';
import { appendLines } from './writer.js';

export { AUDIT_DECISIONS, AUDIT_DOORS, reportPackages, type AuditDecision, type AuditDoor, type AuditEntry, type AuditRecord } from './record.js';

/** What the writer needs of a door's world (a CLI Io fits). */
export interface AuditIo {
  env: Record<string, string | undefined>;
  cwd: string;
  now?: () => Date;
  stderr: { write(chunk: string): unknown };
  /** slopguard's own command line (`run` sets it). */
  argv?: readonly string[];
}

let version: string | undefined;

/** slopguard's version, from its own package.json (one home for it). */
function slopguardVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

/** Snapshot dates of the data in use; absent when it cannot be read (the record is written anyway). */
async function dataVersion(env: AuditIo['env']): Promise<AuditRecord['data'] | undefined> {
  try {
    const { resolveDataDir } = await import('../data/location.js');
    const { dataInfo } = await import('../similarity/index.js');
    const info = dataInfo({ dataDir: resolveDataDir(env) });
    return { npm: info.npm.snapshotDate, pypi: info.pypi.snapshotDate };
  } catch {
    return undefined;
  }
}

function userOf(env: AuditIo['env']): string | undefined {
  const named = env.USER || env.LOGNAME || env.USERNAME;
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `dir` with a `.git` entry (no git process: hooks stay fast). */
function repositoryOf(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

const warned = new Set<string>();

/** The full record for an entry (exported for tests of the shape). */
export async function buildRecord(entry: AuditEntry, io: AuditIo): Promise<AuditRecord> {
  const cwd = entry.cwd ?? io.cwd;
  const record: AuditRecord = {
    time: (io.now?.() ?? new Date()).toISOString(),
    door: entry.door,
    decision: decisionOf(entry),
    packages: entry.packages,
    version: slopguardVersion(),
    mode: entry.monitor ? 'monitor' : 'enforce',
    id: randomUUID(),
    cwd,
  };
  const data = await dataVersion(io.env);
  if (data) record.data = data;
  const user = userOf(io.env);
  if (user) record.user = user;
  try {
    record.host = hostname();
  } catch {
    // No host name: the record is still evidence.
  }
  const repository = repositoryOf(cwd);
  if (repository) record.repository = repository;
  if (entry.shellCommand !== undefined) record.command = redactShellCommand(entry.shellCommand);
  else if (entry.command) record.command = redactCommand(entry.command);
  const by = [...new Set(entry.packages.map((p) => p.overriddenBy).filter((b): b is Overrider => b !== undefined))];
  if (by.length) record.overriddenBy = by;
  Object.assign(record, entry.extra);
  return record;
}

/**
 * Record one decision. `sink` replaces stderr as the `stderr`/`-` destination (serve's own log).
 * Never throws: an unwritable log is a warning, once per destination and process.
 */
export async function audit(setting: AuditLogSetting | undefined, entry: AuditEntry, io: AuditIo, sink?: (line: string) => void): Promise<void> {
  if (!setting) return;
  try {
    const lines = recordLines(await buildRecord(entry, io));
    if (setting.target === 'stderr') {
      for (const line of lines) sink ? sink(line) : io.stderr.write(`${line}\n`);
      return;
    }
    appendLines(setting.target, lines, setting.maxBytes);
  } catch (e) {
    if (warned.has(setting.target)) return;
    warned.add(setting.target);
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    io.stderr.write(`slopguard: warning: ${escapeForTerminal(`cannot write the audit log ${setting.target} (${why}); decisions are not being recorded`)}\n`);
  }
}
