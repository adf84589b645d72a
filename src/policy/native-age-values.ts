/**
 * The value of each package manager's age setting, read as that tool reads it, into days (a
 * relative gate) or an absolute cutoff. Units differ on purpose of no one: npm counts days, pnpm
 * minutes, yarn minutes or a duration, bun seconds, uv and pip a date or a duration.
 *
 * Checked against each tool's documentation and source (2026):
 * - npm `min-release-age`: a number of days (npm 11.10+; fractions allowed, npm multiplies by a day).
 * - pnpm `minimumReleaseAge` (pnpm-workspace.yaml) / `minimum-release-age` (.npmrc): whole minutes (pnpm 10.16+).
 * - yarn `npmMinimalAgeGate`: a DURATION setting in minutes (yarn 4.10+): a bare number is minutes,
 *   a string may carry a unit (`1d`, `12h`, `30m`; yarn 4.15's default is `1d`).
 * - bun `[install] minimumReleaseAge`: seconds (bun 1.3+).
 * - uv `exclude-newer`: an RFC 3339 timestamp or a local date, or (uv 0.9.17+) a duration,
 *   friendly (`7 days`, `1 week`, `24 hours`) or ISO 8601 (`P7D`, `PT24H`).
 * - pip `uploaded-prior-to` (pip 26+): an ISO 8601 date or datetime, or `P<n>D` (whole days only).
 *
 * Every regex here is anchored and has no nested quantifier (linear on any input).
 */

/** What one value means: a relative gate in days, or an absolute cutoff. */
export type AgeValue = { days: number } | { before: Date } | { problem: string };

const MINUTE_DAYS = 1 / (24 * 60);
/**
 * The value as the problem quotes it: strings cut to 80 characters, numbers and booleans as
 * written, anything else by its kind only (a YAML alias can make a small file a huge structure).
 */
function show(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw.slice(0, 80));
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (raw === null) return 'null';
  return Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'a mapping' : typeof raw;
}

/** A plain non-negative decimal (`7`, `0.5`), or undefined. */
function decimal(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw !== 'string' || !/^\s*\d+(?:\.\d+)?\s*$/.test(raw)) return undefined;
  return Number(raw);
}

/** A plain non-negative whole number, or undefined. */
function whole(raw: unknown): number | undefined {
  const n = decimal(raw);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/** npm `min-release-age`: days. */
export function npmDays(raw: unknown): AgeValue {
  const n = decimal(raw);
  return n === undefined ? { problem: `expected a number of days (e.g. 7), got ${show(raw)}` } : { days: n };
}

/** pnpm `minimumReleaseAge` / `minimum-release-age`: minutes. */
export function pnpmMinutes(raw: unknown): AgeValue {
  const n = whole(raw);
  return n === undefined ? { problem: `expected a whole number of minutes (e.g. 1440 for a day), got ${show(raw)}` } : { days: n * MINUTE_DAYS };
}

/** Seconds per duration unit (the friendly spellings uv's jiff and yarn accept). */
const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
  w: 604_800, wk: 604_800, wks: 604_800, week: 604_800, weeks: 604_800,
  // Calendar units have no fixed length; uv measures them on the calendar, this is close.
  mo: 2_592_000, month: 2_592_000, months: 2_592_000,
  y: 31_536_000, yr: 31_536_000, yrs: 31_536_000, year: 31_536_000, years: 31_536_000,
};

/** `7 days`, `1 week 2 days`, `12h`, `1d 12h`: days, or undefined. */
function friendlyDays(text: string): number | undefined {
  const parts = text.trim().toLowerCase().split(/\s*,\s*|\s+(?=\d)/);
  if (!parts.length || text.length > 100) return undefined;
  let seconds = 0;
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(part);
    const unit = m ? UNIT_SECONDS[m[2]!] : undefined;
    if (!m || unit === undefined) return undefined;
    seconds += Number(m[1]) * unit;
  }
  return seconds / 86_400;
}

/** ISO 8601 `P7D`, `P1W`, `PT24H`, `P1DT12H`: days, or undefined. */
function isoDurationDays(text: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text.trim());
  if (!m || m.slice(1).every((g) => g === undefined) || /T$/.test(text.trim())) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((g) => Number(g ?? 0)) as [number, number, number, number, number];
  return w * 7 + d + h / 24 + min / 1440 + s / 86_400;
}

/** yarn `npmMinimalAgeGate`: minutes, or a duration with a unit. */
export function yarnGate(raw: unknown): AgeValue {
  const minutes = decimal(raw);
  if (minutes !== undefined) return { days: minutes * MINUTE_DAYS };
  const days = typeof raw === 'string' ? friendlyDays(raw) : undefined;
  return days === undefined ? { problem: `expected minutes (e.g. 1440) or a duration such as 1d, 12h or 30m, got ${show(raw)}` } : { days };
}

/** bun `[install] minimumReleaseAge`: seconds. */
export function bunSeconds(raw: unknown): AgeValue {
  const n = decimal(raw);
  return n === undefined ? { problem: `expected a number of seconds (e.g. 604800 for a week), got ${show(raw)}` } : { days: n / 86_400 };
}

/** RFC 3339 / ISO 8601 date or datetime (`2025-03-16`, `2025-03-16T12:30:00Z`, `2025-03-16 12:30:00+05:00`). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A date or datetime, checked field by field (Date.parse rolls 2023-02-30 over to March). */
function absolute(text: string): Date | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7) as string[];
  const nums = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  if (nums[1] < 1 || nums[1] > 12 || nums[2] < 1 || nums[3] > 23 || nums[4] > 59 || nums[5] > 60) return undefined;
  const daysInMonth = new Date(Date.UTC(nums[0], nums[1], 0)).getUTCDate();
  if (nums[2] > daysInMonth) return undefined;
  // A date or datetime without a zone is the machine's local time, as uv and pip read it.
  const iso = m[4] === undefined ? `${text.trim()}T00:00:00` : text.trim().replace(' ', 'T');
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** uv `exclude-newer`: a date, a timestamp, or a duration. */
export function uvExcludeNewer(raw: unknown): AgeValue {
  if (raw instanceof Date) return { before: raw };
  if (typeof raw === 'string') {
    const at = absolute(raw);
    if (at) return { before: at };
    const days = isoDurationDays(raw) ?? friendlyDays(raw);
    if (days !== undefined) return { days };
  }
  return { problem: `expected a date (2025-03-16), an RFC 3339 timestamp (2025-03-16T00:00:00Z) or a duration (7 days, P7D), got ${show(raw)}` };
}

/** pip `uploaded-prior-to`: a date or datetime, or `P<n>D`. */
export function pipUploadedPriorTo(raw: unknown): AgeValue {
  if (typeof raw === 'string') {
    const at = absolute(raw);
    if (at) return { before: at };
    const m = /^P(\d+)D$/.exec(raw.trim());
    if (m) return { days: Number(m[1]) };
  }
  return { problem: `expected an ISO 8601 date or datetime (2025-03-16T00:00:00Z) or P<days>D (P7D), got ${show(raw)}` };
}
