/** Name rules shared by every stage. */

/** PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** PEP 508 / core metadata name rule. */
export const PYPI_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** The key the pipeline dedupes and caches by. */
export function packageKey(ecosystem: 'npm' | 'pypi', name: string): string {
  return `${ecosystem}:${ecosystem === 'pypi' ? normalizePypiName(name) : name}`;
}
