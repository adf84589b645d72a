/**
 * What the MCP tools return: a structured result (with its zod schema, published as the tools'
 * outputSchema) and a short text rendering of the same for clients that only read text.
 */
import { z } from 'zod';
import type { ExtractNote, Report, Verdict } from '../core/types.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { reasonLine, suggestionFor } from '../reporters/messages.js';

const verdict = z.enum(['ok', 'warn', 'block', 'unknown']);

/** The tools' output schema (a zod raw shape, as McpServer.registerTool takes it). */
export const CHECK_RESULT_SHAPE = {
  verdict: verdict.describe('the worst verdict: block (do not install), unknown (could not be checked), warn (look first), ok'),
  summary: z.object({ checked: z.number().int(), ok: z.number().int(), warn: z.number().int(), block: z.number().int(), unknown: z.number().int() }),
  packages: z.array(
    z.object({
      ecosystem: z.enum(['npm', 'pypi']),
      name: z.string(),
      verdict,
      reason: z.string().describe('one line to act on, e.g. "`lodsah` does not exist on npm; did you mean `lodash`?"'),
      suggestion: z.string().optional().describe('the popular package this name imitates: the one probably meant'),
      findings: z.array(z.object({ code: z.string(), severity: z.string(), message: z.string() })),
      facts: z
        .object({
          status: z.string(),
          created: z.string().optional(),
          latestVersion: z.string().optional(),
          weeklyDownloads: z.number().optional(),
          repository: z.string().optional(),
        })
        .optional(),
    }),
  ),
  notes: z.array(z.object({ level: z.string(), code: z.string(), message: z.string() })).describe('names that were not checked, and why'),
};

/** The structured result. */
export type CheckResult = z.infer<z.ZodObject<typeof CHECK_RESULT_SHAPE>>;

const RANK: Record<Verdict, number> = { ok: 0, warn: 1, unknown: 2, block: 3 };

function noteOf(n: ExtractNote): CheckResult['notes'][number] {
  return { level: n.level, code: n.code, message: n.message };
}

/** Report -> structured result. */
export function toCheckResult(report: Report): CheckResult {
  let worst: Verdict = 'ok';
  const packages = report.packages.map((p) => {
    if (RANK[p.verdict] > RANK[worst]) worst = p.verdict;
    const out: CheckResult['packages'][number] = {
      ecosystem: p.ecosystem,
      name: p.name,
      verdict: p.verdict,
      reason: reasonLine(p),
      findings: p.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
    };
    const suggestion = suggestionFor(p);
    if (suggestion) out.suggestion = suggestion;
    if (p.facts) {
      const facts: NonNullable<typeof out.facts> = { status: p.facts.status };
      if (p.facts.created) facts.created = p.facts.created;
      if (p.facts.latestVersion) facts.latestVersion = p.facts.latestVersion;
      if (p.facts.weeklyDownloads !== undefined) facts.weeklyDownloads = p.facts.weeklyDownloads;
      if (p.facts.repository) facts.repository = p.facts.repository;
      out.facts = facts;
    }
    return out;
  });
  // A name that could not even be read (`Bad Name!`, an unreadable diff) was checked by nobody:
  // the answer must not be "ok", or an agent would go on to suggest it.
  if (report.notes.some((n) => n.level === 'error') && RANK[worst] < RANK.unknown) worst = 'unknown';
  return { verdict: worst, summary: { ...report.summary }, packages, notes: report.notes.map(noteOf) };
}

const LABEL: Record<Verdict, string> = { block: 'BLOCK', unknown: 'UNKNOWN', warn: 'WARN', ok: 'OK' };

/** The same result as plain text, worst first. */
export function checkResultText(r: CheckResult): string {
  const s = r.summary;
  const lines = [`${s.checked} checked: ${s.block} block, ${s.unknown} unknown, ${s.warn} warn, ${s.ok} ok`];
  const sorted = [...r.packages].sort((a, b) => RANK[b.verdict] - RANK[a.verdict]);
  for (const p of sorted) lines.push(`${LABEL[p.verdict]} ${p.ecosystem}:${escapeForTerminal(p.name)}${p.verdict === 'ok' ? '' : `: ${escapeForTerminal(p.reason)}`}`);
  for (const n of r.notes) lines.push(`note: ${escapeForTerminal(n.message)}`);
  if (s.checked === 0 && r.notes.length === 0) lines.push('no package names found');
  return lines.join('\n');
}
