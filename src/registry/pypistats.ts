/**
 * pypistats.org last-week downloads, within its published limit of 5 requests a second and 30 a
 * minute per IP. Over the limit, or after a 429, counts are simply unknown: downloads never make
 * a lookup fail, and hammering a free service to fill in a number is not worth a ban.
 */
import { normalizePypiName } from '../core/names.js';
import { RegistryError, type HttpClient } from './http.js';

/** The service's limits, and how long a caller may wait for a slot. */
export interface PypistatsLimits {
  perSecond: number;
  perMinute: number;
  /** A slot further away than this is not waited for: the count is unknown. */
  maxWaitMs: number;
}

export const PYPISTATS_LIMITS: PypistatsLimits = { perSecond: 5, perMinute: 30, maxWaitMs: 2_000 };

/** Sliding-window limiter: reserves send times so concurrent callers never exceed the limits. */
export class SlidingWindowLimiter {
  readonly #sent: number[] = [];
  constructor(readonly limits: PypistatsLimits) {}

  /** Reserve a send time; returns the delay to wait, or undefined when the next slot is too far. */
  reserve(now: number): number | undefined {
    const sent = this.#sent;
    while (sent.length && sent[0]! <= now - 60_000) sent.shift();
    let at = now;
    const { perSecond, perMinute } = this.limits;
    if (sent.length >= perMinute) at = Math.max(at, sent[sent.length - perMinute]! + 60_000);
    if (sent.length >= perSecond) at = Math.max(at, sent[sent.length - perSecond]! + 1_000);
    // Reservations only move forward, so the list stays sorted.
    at = Math.max(at, sent[sent.length - 1] ?? at);
    if (at - now > this.limits.maxWaitMs) return undefined;
    sent.push(at);
    return at - now;
  }
}

/** Why a count is missing, for a one-time warning. */
export type PypistatsGap = 'rate-limited' | 'limit-reached' | 'error';

/** Client for `<api>/api/packages/<name>/recent`. */
export class PypistatsClient {
  readonly #limiter: SlidingWindowLimiter;
  #blockedUntil = 0;

  constructor(
    readonly http: HttpClient,
    readonly api: string,
    limits: PypistatsLimits = PYPISTATS_LIMITS,
    readonly onGap?: (why: PypistatsGap, message: string) => void,
  ) {
    this.#limiter = new SlidingWindowLimiter(limits);
  }

  /**
   * Last-week downloads: a number, `null` when pypistats has no data for the name (404), or
   * `undefined` when it could not be asked (rate limit, error). Never rejects.
   */
  async weekly(name: string, deadline: number): Promise<number | null | undefined> {
    const now = Date.now();
    if (now < this.#blockedUntil) return undefined;
    const wait = this.#limiter.reserve(now);
    if (wait === undefined) {
      this.onGap?.('limit-reached', 'pypistats request limit (30 a minute) reached');
      return undefined;
    }
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // pypistats replaces . and _ but does not lower-case: send the PEP 503 form.
    const url = `${this.api.replace(/\/+$/, '')}/api/packages/${encodeURIComponent(normalizePypiName(name))}/recent`;
    try {
      const res = await this.http.get(url, { kind: 'pypistats', deadline, headers: { accept: 'application/json' }, retries: 0 });
      if (res.status === 404) return null;
      if (res.status !== 200) return undefined;
      const doc = JSON.parse(res.body.toString('utf8')) as { data?: { last_week?: unknown } };
      const n = doc.data?.last_week;
      return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
    } catch (e) {
      if (e instanceof RegistryError && e.status === 429) {
        // One 429 closes the door for a minute (or as long as asked): the limit is per IP.
        this.#blockedUntil = Date.now() + 60_000;
        this.onGap?.('rate-limited', 'pypistats answered 429 (rate limited)');
      } else {
        this.onGap?.('error', e instanceof Error ? e.message : String(e));
      }
      return undefined;
    }
  }
}
