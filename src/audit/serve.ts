/**
 * `serve`'s audit records: one per judged package request (a packument, a tarball, a simple
 * page), from the guard's own decision data (serve/context.ts `Decision`). Written in the
 * background so a request never waits for the log; {@link ServeAuditor.flush} waits for the rest
 * before the guard says it stopped.
 */
import type { Decision } from '../serve/context.js';
import type { Settings } from '../policy/settings.js';
import { fails } from '../policy/verdict.js';
import { audit, type AuditIo } from './index.js';
import type { AuditPackage } from './record.js';

/** Feeds the guard's decisions to the audit log. */
export interface ServeAuditor {
  onDecision(d: Decision): void;
  flush(): Promise<void>;
}

/** An auditor for these settings; `log` is serve's own log (the `stderr`/`-` destination). */
export function serveAuditor(settings: Pick<Settings, 'policy' | 'auditLog'>, io: AuditIo, log: (line: string) => void): ServeAuditor {
  const pending = new Set<Promise<void>>();
  const monitor = settings.policy.mode === 'monitor';
  return {
    onDecision(d) {
      if (!settings.auditLog) return;
      const served = d.decision === 'allowed' || d.decision === 'unverified';
      // Served although enforcing would have refused: monitor mode (serve/refusal.ts) let it through.
      const wouldRefuse = !served || (monitor && d.verdict !== undefined && (fails(d.verdict, settings.policy) || (d.verdict === 'unknown' && settings.policy.failClosed)));
      const pkg: AuditPackage = { ecosystem: d.ecosystem, name: d.name, verdict: d.verdict ?? 'unknown', codes: d.codes ?? [] };
      if (served && d.codes?.includes('allowlisted')) pkg.overriddenBy = 'allow entry';
      const p = audit(settings.auditLog, { door: 'serve', outcome: wouldRefuse ? 'refused' : 'allowed', monitor, packages: [pkg], extra: { what: d.what, status: d.status } }, io, log).finally(() => pending.delete(p));
      pending.add(p);
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}
