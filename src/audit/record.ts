/**
 * The audit record: one JSON object per line for every decision of every door. Its shape is a
 * contract (README "Audit log"): fields are only ever added.
 */
import type { Ecosystem, PackageResult, Report, RunMode, Verdict } from '../core/types.js';

/** What a door did (contract). `overridden`: let through because an allow entry or a one-off allow said so; `monitored`: monitor mode let through what would have been refused or asked. */
export const AUDIT_DECISIONS = ['allowed', 'refused', 'asked', 'overridden', 'monitored'] as const;
/** One of {@link AUDIT_DECISIONS}. */
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/** Every door that decides (contract). */
export const AUDIT_DOORS = ['check', 'scan', 'ci', 'diff', 'text', 'wrap', 'hook', 'lsp', 'mcp', 'serve'] as const;
/** One of {@link AUDIT_DOORS}. */
export type AuditDoor = (typeof AUDIT_DOORS)[number];

/** Who let a package through without its checks: a one-off allow or an allow entry. */
export const OVERRIDERS = ['--allow', '--slopguard-allow', 'SLOPGUARD_ALLOW', 'allow entry'] as const;
/** One of {@link OVERRIDERS}. */
export type Overrider = (typeof OVERRIDERS)[number];

/** One judged package in a record. */
export interface AuditPackage {
  ecosystem: Ecosystem;
  name: string;
  verdict: Verdict;
  /** Finding codes (`typo`, `not-found`, `allowlisted`, ...), in the report's order. */
  codes: string[];
  /** The specs it was asked with (`lodash@^4`, `requests==2.32`) when they say more than the name. */
  specs?: string[];
  /** Set when the package was let through unchecked by an allow: who said so, and their reason. */
  overriddenBy?: Overrider;
  reason?: string;
}

/** One line of the audit log. */
export interface AuditRecord {
  /** ISO 8601, UTC. */
  time: string;
  door: AuditDoor;
  decision: AuditDecision;
  packages: AuditPackage[];
  /** slopguard's version. */
  version: string;
  /** Snapshot dates of the popular-name data the judgement used (data/meta.json). */
  data?: { npm?: string; pypi?: string };
  mode: RunMode;
  /** Identifies a decision whose packages were split over several lines (`part` of `parts`). */
  id: string;
  part?: number;
  parts?: number;
  user?: string;
  host?: string;
  cwd: string;
  /** The git repository the door worked in (its top folder), when there is one. */
  repository?: string;
  /** The command, tokens and secrets redacted: slopguard's own argv, a wrapped tool's, an agent's command. */
  command?: string[];
  /** Who overrode a check in this decision (unique, in order). */
  overriddenBy?: Overrider[];
  /** Exit status of the CLI or wrapper. */
  exit?: number;
  /** The hook's answer in its own terms (`none`, `warn`, `ask`, `deny`), the agent it answered. */
  answer?: string;
  agent?: string;
  /** The hook answered without judging (unreadable input, a broken config): `packages` is empty. */
  unjudged?: true;
  /** serve: what was asked (`packument`, `tarball`, `simple`, ...) and the HTTP status answered. */
  what?: string;
  status?: number;
}

/** What a door knows about one decision; the writer adds the rest (time, user, versions, ...). */
export interface AuditEntry {
  door: AuditDoor;
  /** Whether, enforcing, the door would refuse or ask; monitor mode turns both into `monitored`. */
  outcome: 'allowed' | 'refused' | 'asked';
  monitor: boolean;
  packages: AuditPackage[];
  /** The command as given (argv); redacted when the record is built. */
  command?: readonly string[];
  /** Or a shell command line (an agent's Bash call), redacted word by word. */
  shellCommand?: string;
  cwd?: string;
  /** Which flag a one-off allow on the command line was (`--allow`, or the wrapper's `--slopguard-allow`). */
  oneOffFlag?: '--allow' | '--slopguard-allow';
  extra?: Partial<Pick<AuditRecord, 'exit' | 'answer' | 'agent' | 'unjudged' | 'what' | 'status'>>;
}

/** The decision of an entry: monitor mode first, then refusal/ask, then overrides. */
export function decisionOf(entry: Pick<AuditEntry, 'outcome' | 'monitor' | 'packages'>): AuditDecision {
  if (entry.outcome !== 'allowed') return entry.monitor ? 'monitored' : entry.outcome;
  return entry.packages.some((p) => p.overriddenBy) ? 'overridden' : 'allowed';
}

// The reasons src/policy/settings.ts gives one-off allows; anything else came from an allow entry.
const ONE_OFF_REASONS: Record<string, 'flag' | 'SLOPGUARD_ALLOW'> = { 'allowed on the command line': 'flag', 'allowed by SLOPGUARD_ALLOW': 'SLOPGUARD_ALLOW' };

/** A report's packages as audit entries. */
export function auditPackages(packages: readonly PackageResult[], oneOffFlag: '--allow' | '--slopguard-allow' = '--allow'): AuditPackage[] {
  return packages.map((p) => {
    const out: AuditPackage = { ecosystem: p.ecosystem, name: p.name, verdict: p.verdict, codes: p.findings.map((f) => f.code) };
    const specs = (p.specs ?? []).filter((s) => s !== p.name);
    if (specs.length) out.specs = specs.slice(0, 5);
    const allowed = p.findings.find((f) => f.code === 'allowlisted');
    if (allowed) {
      const reason = String(allowed.evidence?.reason ?? '');
      const by = ONE_OFF_REASONS[reason];
      out.overriddenBy = by === 'flag' ? oneOffFlag : by === 'SLOPGUARD_ALLOW' ? 'SLOPGUARD_ALLOW' : 'allow entry';
      if (reason) out.reason = reason;
    }
    return out;
  });
}

/** The packages of a report (helper for the doors that have one). */
export function reportPackages(report: Pick<Report, 'packages'>, oneOffFlag?: '--allow' | '--slopguard-allow'): AuditPackage[] {
  return auditPackages(report.packages, oneOffFlag);
}
