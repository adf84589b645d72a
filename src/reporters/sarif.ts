import { escapeJsonInvisibles } from './escape.js';
import type * as Crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lazyRequire } from '../core/lazy-require.js';
import { packageRoot } from '../core/package-root.js';
import type { ExtractNote, Finding, FindingCode, Origin, PackageResult, Report } from '../core/types.js';
import { FINDING_CODES } from '../core/types.js';
import { DEFAULT_SEVERITIES } from '../policy/defaults.js';
import { expiredAllowMessage, REGISTRY_NAME, RULE_TEXT } from './messages.js';
import { noteMessage } from './note-message.js';

// Every report format is loaded with the reporters; only SARIF needs hashing (~5 ms to load).
const crypto = lazyRequire<typeof Crypto>('node:crypto');

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
 *
 * - one rule per finding code, with a short description and help text (what it means, what to do);
 * - one result per (package, finding, file), located at the first line the package appears in that
 *   file, with a repo-relative URI under `%SRCROOT%`;
 * - `partialFingerprints` from ecosystem + name + code + file only (never the line), so an alert stays
 *   the same alert when lines move and code scanning does not close and reopen it.
 */

/** SARIF levels for the default severities: the rule's level follows policy/defaults.ts. */
const SARIF_LEVEL = { block: 'error', warn: 'warning', info: 'note', off: 'none' } as const;

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** slopguard's own version, for `tool.driver.version`. */
function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

type Level = 'error' | 'warning' | 'note';

function levelOf(severity: Finding['severity'] | ExtractNote['level']): Level | undefined {
  if (severity === 'block' || severity === 'error') return 'error';
  if (severity === 'warn' || severity === 'unknown' || severity === 'warning') return 'warning';
  if (severity === 'info') return 'note';
  return undefined;
}

/** Pseudo-files (`<stdin>`, `<args>`) have no place in a repository. */
function isPseudoFile(file: string): boolean {
  return file.startsWith('<') && file.endsWith('>');
}

/**
 * A repository-relative URI (`packages/api/package.json`, segments percent-encoded) for a path as
 * the report has it; paths outside `root` become `file://` URIs.
 */
export function artifactUri(file: string, root?: string): { uri: string; uriBaseId?: string } {
  let path = file;
  if (isAbsolute(path)) {
    const rel = root ? relative(root, path) : '';
    if (!root || rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(path).href };
    path = rel;
  }
  const segments = path.split(sep).join('/').split('/').filter((s) => s !== '' && s !== '.');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function location(o: Origin, root?: string): Record<string, unknown> {
  const region: Record<string, number> = {};
  if (o.line) region.startLine = o.line;
  if (o.line && o.column) region.startColumn = o.column;
  if (o.line && o.column && o.endColumn && o.endColumn > o.column) region.endColumn = o.endColumn;
  const physical: Record<string, unknown> = { artifactLocation: artifactUri(o.file, root) };
  if (Object.keys(region).length) physical.region = region;
  return { physicalLocation: physical };
}

/** Stable across runs and line moves: what the alert is about, and in which file. */
export function fingerprint(p: Pick<PackageResult, 'ecosystem' | 'name'>, code: FindingCode, file: string): string {
  return crypto().createHash('sha256').update(`${p.ecosystem}\u0000${p.name}\u0000${code}\u0000${file}`).digest('hex').slice(0, 32);
}

/** The first origin in each distinct file, in report order. */
function firstPerFile(origins: readonly Origin[]): Origin[] {
  const seen = new Map<string, Origin>();
  for (const o of origins) if (!isPseudoFile(o.file) && !seen.has(o.file)) seen.set(o.file, o);
  return [...seen.values()];
}

function resultsFor(p: PackageResult, ruleIndex: Map<FindingCode, number>, root?: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const files = firstPerFile(p.origins);
  for (const f of p.findings) {
    const level = levelOf(f.severity);
    // Info findings (allowlisted, no-repository) are context; alerts are for what needs a decision.
    if (!level || level === 'note') continue;
    const properties: Record<string, unknown> = { ecosystem: p.ecosystem, package: p.name, verdict: p.verdict, severity: f.severity };
    if (f.similarTo) properties.similarTo = f.similarTo;
    const base = {
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code),
      level,
      message: { text: `${REGISTRY_NAME[p.ecosystem]} package: ${f.message}` },
      properties,
    };
    if (files.length === 0) {
      out.push({ ...base, partialFingerprints: { 'slopguard/v1': fingerprint(p, f.code, '') } });
      continue;
    }
    for (const o of files) {
      out.push({ ...base, locations: [location(o, root)], partialFingerprints: { 'slopguard/v1': fingerprint(p, f.code, artifactUri(o.file, root).uri) } });
    }
  }
  return out;
}

function notification(n: ExtractNote, root?: string): Record<string, unknown> {
  const located = !isPseudoFile(n.origin.file);
  // With a location attached, the message need not repeat it.
  const out: Record<string, unknown> = { level: levelOf(n.level) ?? 'note', message: { text: located ? noteMessage(n) : n.message }, descriptor: { id: n.code } };
  if (located) out.locations = [location(n.origin, root)];
  return out;
}

/** Render a report as a SARIF 2.1.0 log (one run), newline-terminated JSON. */
export function renderSarif(report: Report, ctx: { root?: string } = {}): string {
  const rules = FINDING_CODES.map((code) => {
    const t = RULE_TEXT[code];
    return {
      id: code,
      name: t.name,
      shortDescription: { text: t.short },
      fullDescription: { text: t.help },
      help: { text: t.help, markdown: `**${t.short}.** ${t.help}` },
      defaultConfiguration: { level: SARIF_LEVEL[DEFAULT_SEVERITIES[code]] },
      properties: { tags: ['security', 'supply-chain'] },
    };
  });
  const ruleIndex = new Map(FINDING_CODES.map((c, i) => [c, i] as const));
  const results = report.packages.flatMap((p) => resultsFor(p, ruleIndex, ctx.root));
  const notifications = report.notes.map((n) => notification(n, ctx.root));
  for (const e of report.expiredAllowlist ?? []) notifications.push({ level: 'warning', message: { text: expiredAllowMessage(e) }, descriptor: { id: 'expired-allow' } });
  for (const w of report.warnings ?? []) notifications.push({ level: 'warning', message: { text: w } });
  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'slopguard', semanticVersion: toolVersion(), rules } },
        invocations: [{ executionSuccessful: !report.notes.some((n) => n.level === 'error'), toolExecutionNotifications: notifications }],
        results,
        properties: { summary: report.summary, ...(report.mode ? { mode: report.mode } : {}) },
      },
    ],
  };
  // Registry text (deprecation messages) may carry bidi overrides and C1 controls, which
  // JSON.stringify leaves raw: escape them as the JSON report does, for whoever cats the file.
  return `${escapeJsonInvisibles(JSON.stringify(log, null, 2))}\n`;
}
