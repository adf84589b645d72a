import type { Ecosystem, EvidenceValue } from '../core/types.js';

/**
 * Phrases every message shares: registry names, counts, days, plurals. The signals' wordings
 * (src/signals/*.ts) and the reporters use these, so a count or a day reads the same everywhere.
 */

export const REGISTRY_NAME: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI' };

// Thousands separators by hand for integers: the first toLocaleString() call loads ICU's locale
// data (~50 ms, measured), more than the rest of a warm 1,000-package report's wording.
/** A count with thousands separators (`1,234,567`), without loading ICU for integers. */
export const formatCount = (v: number): string => (Number.isSafeInteger(v) ? String(v).replace(/\B(?=(\d{3})+$)/g, ',') : v.toLocaleString('en-US'));

/** An evidence count as words (`?` when the registry did not say). */
export const num = (v: EvidenceValue): string => (typeof v !== 'number' ? '?' : formatCount(v));

/** The ISO day of an evidence timestamp. */
export const day = (v: EvidenceValue): string => (typeof v === 'string' ? v.slice(0, 10) : '');

/** `one` for exactly 1, else `many`. */
export const plural = (n: EvidenceValue, one: string, many: string): string => (n === 1 ? one : many);
