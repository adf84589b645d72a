import type { Report } from '../../src/core/types.js';

/** A report with one of each verdict, several origins, notes and hostile strings, for format tests. */
export function sampleReport(): Report {
  return {
    schemaVersion: 1,
    summary: { checked: 4, ok: 1, warn: 1, block: 1, unknown: 1 },
    packages: [
      {
        ecosystem: 'npm',
        name: 'lodahs',
        verdict: 'block',
        findings: [
          { code: 'not-found', severity: 'block', message: '`lodahs` does not exist on npm' },
          { code: 'typo', severity: 'block', similarTo: 'lodash', message: '`lodahs` looks like `lodash`; did you mean `lodash`?' },
        ],
        origins: [
          { file: 'package.json', line: 12, column: 5, endColumn: 13 },
          { file: 'package-lock.json', line: 40 },
          { file: 'package-lock.json', line: 90 },
          { file: 'packages/web app/package.json', line: 3 },
        ],
      },
      {
        ecosystem: 'pypi',
        name: 'fresh-thing',
        verdict: 'warn',
        findings: [
          { code: 'too-new', severity: 'warn', message: '`fresh-thing` was first published 2 days ago (2026-11-24); younger than 30 days' },
          { code: 'no-repository', severity: 'info', message: '`fresh-thing` names no source repository' },
        ],
        origins: [{ file: 'requirements.txt', line: 4 }],
      },
      {
        ecosystem: 'npm',
        name: 'flaky',
        verdict: 'unknown',
        findings: [{ code: 'unverified', severity: 'unknown', message: '`flaky` could not be checked on npm: 50%,\r\n::error::injected | <b>x</b>' }],
        origins: [],
      },
      { ecosystem: 'npm', name: 'express', verdict: 'ok', findings: [], origins: [{ file: 'package.json', line: 10 }] },
    ],
    notes: [
      { level: 'error', code: 'malformed', message: 'yarn.lock: unexpected token', origin: { file: 'yarn.lock', line: 7 } },
      { level: 'info', code: 'not-registry', message: 'git dependency, not looked up', origin: { file: 'package.json', line: 20 } },
    ],
  };
}
