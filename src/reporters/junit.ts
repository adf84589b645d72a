import type { ExtractNote, PackageResult, Report } from '../core/types.js';
import { escapeForTerminal } from './escape.js';
import { expiredAllowMessage, MONITOR_MODE_LABEL, REGISTRY_NAME, reasonLine } from './messages.js';
import { noteMessage } from './note-message.js';
import { formatOrigin } from './text.js';

/**
 * JUnit XML, the report GitLab (`artifacts:reports:junit`), Jenkins, Azure Pipelines, CircleCI and
 * most CI systems show as a test summary: one test suite per ecosystem, one test case per package.
 *
 * - block: a `<failure>` (the job's "failed tests");
 * - unknown: an `<error>` (the test could not run: the registry was not asked);
 * - warn: passes, with the reason in `<system-out>` (a warning must not read as a failed test);
 * - ok: passes.
 * Notes (unreadable files, refusals) are test cases of their own in a `slopguard.inputs` suite:
 * an error note is an `<error>`, so a file nobody could read never reads as a green run.
 *
 * Written by hand rather than with an XML library (xmlbuilder2, fast-xml-parser): the format is five
 * elements, and what matters is escaping, which is done here once for every string.
 */

/** Characters XML 1.0 cannot carry at all (even escaped): shown as visible escapes instead. */
const NOT_XML = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/** Text or attribute value safe inside XML: control characters made visible, markup escaped. */
export function xmlText(s: string): string {
  return escapeForTerminal(s)
    .replace(NOT_XML, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const attr = (name: string, value: string | number) => `${name}="${xmlText(String(value))}"`;

function caseFor(p: PackageResult): string {
  const where = p.origins.filter((o) => !o.file.startsWith('<')).map(formatOrigin);
  const open = `    <testcase ${attr('classname', `slopguard.${p.ecosystem}`)} ${attr('name', p.name)}${where[0] ? ` ${attr('file', where[0])}` : ''}>`;
  const reason = reasonLine(p);
  const detail = [reason, ...(where.length ? [`at ${where.slice(0, 10).join(', ')}${where.length > 10 ? ` (+${where.length - 10} more)` : ''}`] : [])].join('\n');
  const codes = p.findings.filter((f) => f.severity === p.verdict || (p.verdict === 'unknown' && f.code === 'unverified')).map((f) => f.code);
  switch (p.verdict) {
    case 'block':
      return `${open}\n      <failure ${attr('type', codes.join(' ') || 'block')} ${attr('message', reason)}>${xmlText(detail)}</failure>\n    </testcase>`;
    case 'unknown':
      return `${open}\n      <error ${attr('type', 'unverified')} ${attr('message', reason)}>${xmlText(detail)}</error>\n    </testcase>`;
    case 'warn':
      return `${open}\n      <system-out>${xmlText(`warning: ${detail}`)}</system-out>\n    </testcase>`;
    case 'ok':
      return `${open.slice(0, -1)}/>`;
  }
}

function noteCase(n: ExtractNote): string {
  const open = `    <testcase ${attr('classname', 'slopguard.inputs')} ${attr('name', formatOrigin(n.origin))}>`;
  const message = noteMessage(n);
  if (n.level === 'error' || n.unverified) return `${open}\n      <error ${attr('type', n.code)} ${attr('message', message)}>${xmlText(message)}</error>\n    </testcase>`;
  return `${open}\n      <system-out>${xmlText(`${n.level}: ${message}`)}</system-out>\n    </testcase>`;
}

function suite(name: string, cases: string[], counts: { failures: number; errors: number }): string {
  const head = `  <testsuite ${attr('name', name)} ${attr('tests', cases.length)} ${attr('failures', counts.failures)} ${attr('errors', counts.errors)} skipped="0">`;
  return cases.length ? `${head}\n${cases.join('\n')}\n  </testsuite>` : `${head}</testsuite>`;
}

/** Render a report as JUnit XML. */
export function renderJunit(report: Report): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const eco of ['npm', 'pypi'] as const) {
    const packages = report.packages.filter((p) => p.ecosystem === eco);
    if (packages.length === 0) continue;
    const f = packages.filter((p) => p.verdict === 'block').length;
    const e = packages.filter((p) => p.verdict === 'unknown').length;
    suites.push(suite(`slopguard: ${REGISTRY_NAME[eco]} packages`, packages.map(caseFor), { failures: f, errors: e }));
    tests += packages.length;
    failures += f;
    errors += e;
  }
  const notes = report.notes.filter((n) => n.level !== 'info');
  const expired = (report.expiredAllowlist ?? []).map(
    (a) => `    <testcase ${attr('classname', 'slopguard.config')} ${attr('name', `allow ${a.ecosystem}:${a.name}`)}>\n      <system-out>${xmlText(`warning: ${expiredAllowMessage(a)}`)}</system-out>\n    </testcase>`,
  );
  if (notes.length || expired.length) {
    const e = notes.filter((n) => n.level === 'error' || n.unverified).length;
    suites.push(suite('slopguard: inputs', [...notes.map(noteCase), ...expired], { failures: 0, errors: e }));
    tests += notes.length + expired.length;
    errors += e;
  }
  // Monitor mode: the findings are reported as they are, and the suite's name says nothing was refused.
  const name = report.mode === 'monitor' ? `slopguard (${MONITOR_MODE_LABEL.replace(/:$/, '')})` : 'slopguard';
  const head = `<testsuites ${attr('name', name)} ${attr('tests', tests)} ${attr('failures', failures)} ${attr('errors', errors)}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${suites.length ? `${head}\n${suites.join('\n')}\n</testsuites>` : `${head}</testsuites>`}\n`;
}
