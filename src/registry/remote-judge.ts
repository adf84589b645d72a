/**
 * Judging through a central slopguard service (`--server URL`, `SLOPGUARD_SERVER`): instead of
 * asking the registries itself, a CI job or an agent hook sends the names to the organisation's
 * `slopguard serve` (`POST /v1/check`), whose shared cache and policy answer for every runner.
 *
 * The service's answer is network input: it is checked before use (schema version, one result per
 * name asked, verdicts and severities from the known sets, strings only where strings belong), and
 * anything it does not answer, or an answer that cannot be used, makes those packages `unverified`,
 * never `ok`. Origins stay local: the service is sent names only, never file contents or paths.
 */
import type { Ecosystem, Finding, PackageResult, Verdict } from '../core/types.js';
import { FINDING_CODES } from '../core/types.js';
import { packageKey } from '../core/names.js';
import { redact, stripUserinfo } from './redact.js';

/** What the remote judge is asked about: one registry name. */
export interface RemoteQuestion {
  ecosystem: Ecosystem;
  name: string;
}

/** Options of {@link judgeRemotely}. */
export interface RemoteOptions {
  /** The service's base URL (`https://slopguard.corp.example`). */
  server: string;
  /** Milliseconds the whole request may take. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

const VERDICTS: ReadonlySet<Verdict> = new Set(['ok', 'warn', 'block', 'unknown']);
const SEVERITIES: ReadonlySet<string> = new Set(['info', 'warn', 'block', 'unknown']);
const CODES: ReadonlySet<string> = new Set(FINDING_CODES);
/** Answers past this are refused (a 20,000-name lockfile's report is a few MB). */
const MAX_ANSWER = 64 * 1024 * 1024;

/** A result nobody could give: the package is unverified, with why. */
export function unverifiedResult(q: RemoteQuestion, why: string, failClosed: boolean): PackageResult {
  const finding: Finding = { code: 'unverified', severity: failClosed ? 'block' : 'unknown', message: `\`${q.name}\` could not be checked by the slopguard server: ${why}`, evidence: { error: why } };
  return { ecosystem: q.ecosystem, name: q.name, verdict: failClosed ? 'block' : 'unknown', findings: [finding], origins: [] };
}

/** One package of the service's answer, or undefined when it is not a well-formed result. */
function readResult(x: unknown): PackageResult | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const p = x as Record<string, unknown>;
  if ((p.ecosystem !== 'npm' && p.ecosystem !== 'pypi') || typeof p.name !== 'string' || !VERDICTS.has(p.verdict as Verdict) || !Array.isArray(p.findings)) return undefined;
  const findings: Finding[] = [];
  for (const f of p.findings as unknown[]) {
    const g = f as Record<string, unknown> | null;
    if (!g || typeof g !== 'object' || !CODES.has(g.code as string) || !SEVERITIES.has(g.severity as string) || typeof g.message !== 'string') return undefined;
    const finding: Finding = { code: g.code as Finding['code'], severity: g.severity as Finding['severity'], message: g.message };
    if (typeof g.similarTo === 'string') finding.similarTo = g.similarTo;
    if (typeof g.kind === 'string') finding.kind = g.kind;
    findings.push(finding);
  }
  return { ecosystem: p.ecosystem, name: p.name, verdict: p.verdict as Verdict, findings, origins: [] };
}

/**
 * Ask the service about `questions`; a result for every one of them (unverified where the service
 * did not answer it). Never throws.
 */
export async function judgeRemotely(questions: readonly RemoteQuestion[], o: RemoteOptions, failClosed: boolean): Promise<Map<string, PackageResult>> {
  const out = new Map<string, PackageResult>();
  const all = (why: string) => {
    for (const q of questions) out.set(packageKey(q.ecosystem, q.name), unverifiedResult(q, why, failClosed));
    return out;
  };
  const base = o.server.replace(/\/+$/, '');
  const shown = stripUserinfo(base);
  let answer: unknown;
  try {
    const res = await (o.fetch ?? fetch)(`${base}/v1/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ specs: questions.map((q) => `${q.ecosystem}:${q.name}`) }),
      signal: AbortSignal.timeout(o.timeoutMs),
      redirect: 'error',
    });
    if (res.status !== 200) return all(`${shown}/v1/check answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length'));
    if (declared > MAX_ANSWER) return all(`${shown}/v1/check answered ${declared} bytes, over the ${MAX_ANSWER}-byte cap`);
    const text = await res.text();
    if (text.length > MAX_ANSWER) return all(`${shown}/v1/check answered more than ${MAX_ANSWER} bytes`);
    answer = JSON.parse(text);
  } catch (e) {
    return all(redact(`${shown}/v1/check: ${(e as Error).message}`));
  }
  const doc = answer as { schemaVersion?: unknown; packages?: unknown };
  if (!doc || doc.schemaVersion !== 1 || !Array.isArray(doc.packages)) return all(`${shown}/v1/check did not answer a schema-1 report`);
  const asked = new Set(questions.map((q) => packageKey(q.ecosystem, q.name)));
  for (const raw of doc.packages) {
    const r = readResult(raw);
    if (!r) return all(`${shown}/v1/check answered a malformed package result`);
    const key = packageKey(r.ecosystem, r.name);
    // Only what was asked: a service cannot add packages to the report.
    if (asked.has(key)) out.set(key, r);
  }
  for (const q of questions) {
    const key = packageKey(q.ecosystem, q.name);
    if (!out.has(key)) out.set(key, unverifiedResult(q, `${shown}/v1/check gave no answer for it`, failClosed));
  }
  return out;
}
