import type { Report } from '../core/types.js';
import { escapeJsonInvisibles } from './escape.js';

/** JSON schema v1: exactly one document, newline-terminated. */
export function renderJson(report: Report): string {
  return `${escapeJsonInvisibles(JSON.stringify(report, null, 2))}\n`;
}
