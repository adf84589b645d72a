/**
 * HTTP for the registry clients that do not go through npm-registry-fetch (npm downloads API,
 * PyPI JSON and simple APIs, pypistats), plus the pieces both stacks share: the retry loop, the
 * per-host concurrency limit, the capped body reader and the error type.
 *
 * Rules, each from a way registry clients fail in the wild:
 * - keep-alive connections, at most `concurrencyPerHost` requests in flight per origin;
 * - a timeout per attempt and a time budget per lookup (a slow drip cannot hold a run hostage);
 * - bodies capped after decompression (a gzip bomb stops at the cap, not at the memory limit);
 * - retries with exponential backoff and jitter on 429, 5xx and connection failures, honouring
 *   `Retry-After` up to a cap (asked to wait longer, we give up instead of hammering);
 * - redirects followed only within the same origin (scheme, host and port), so credentials and
 *   trust never move to another server;
 * - every error message redacted of credentials.
 */
import type * as Zlib from 'node:zlib';
import { lazyRequire } from '../core/lazy-require.js';
import { openTransport, type Transport, type TransportResponse } from './http-transport.js';
import { redact } from './redact.js';

// Only an answer from the network needs decompressing; runs answered from the cache never do.
const zlib = lazyRequire<typeof Zlib>('node:zlib');

// undici (~110 modules) is loaded on the first request: a run answered from the cache never
// needs it (measured with the npm stack below: warm `check express` CPU 649 -> 322 ms).

/** Endpoint kinds, counted in ResolverStats.requests. */
export type RequestKind =
  | 'npm-packument'
  | 'npm-abbreviated'
  | 'npm-downloads-bulk'
  | 'npm-downloads-single'
  | 'pypi-json'
  | 'pypi-simple'
  | 'pypistats';

export const REQUEST_KINDS: readonly RequestKind[] = [
  'npm-packument',
  'npm-abbreviated',
  'npm-downloads-bulk',
  'npm-downloads-single',
  'pypi-json',
  'pypi-simple',
  'pypistats',
];

/** Why a request gave no usable answer. */
export type RegistryErrorCode =
  | 'timeout' // an attempt took longer than the per-request timeout
  | 'network' // connection refused / reset / closed early (truncated body)
  | 'status' // 429 or 5xx after all retries, or another status the caller cannot use
  | 'rate-limited' // 429 with a Retry-After beyond what we are willing to wait
  | 'too-large' // the body (after decompression) passed the size cap
  | 'redirect' // a redirect to another origin, or too many redirects
  | 'budget' // the lookup's time budget ran out
  | 'invalid-response'; // not the JSON / HTML the API promises

/** A failed registry request. The message is already redacted of credentials. */
export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    /** Whether another attempt might succeed. */
    readonly retryable = false,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A response with its body read (and decompressed) in full. */
export interface RawResponse {
  status: number;
  /** The URL that answered (after same-origin redirects), without credentials. */
  url: string;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

/** How hard to try. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff delay; doubles each retry, with jitter between half and all of it. */
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited for: the request fails as rate-limited. */
  maxRetryAfterMs: number;
}

/** Default cap on a response body after decompression (the largest packuments are tens of MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `Retry-After` in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function backoff(attempt: number, baseMs: number): number {
  const full = baseMs * 2 ** attempt;
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

/** Options of {@link withRetries}. */
export interface RetryRun {
  policy: RetryPolicy;
  /** Epoch ms after which no attempt starts and no backoff is waited. */
  deadline: number;
  /** Per-attempt timeout (shortened to what is left of the budget). */
  timeoutMs: number;
  /** `GET <url>` for messages (already redacted). */
  what: string;
}

/**
 * Run `send` until it gives a response that is neither 429 nor 5xx, retrying those and
 * retryable errors with backoff. Throws a RegistryError when retries or the budget run out.
 */
export async function withRetries(send: (timeoutMs: number) => Promise<RawResponse>, run: RetryRun): Promise<RawResponse> {
  for (let attempt = 0; ; attempt++) {
    const left = run.deadline - Date.now();
    if (left <= 0) throw new RegistryError('budget', `${run.what}: time budget spent after ${attempt} attempt(s)`);
    let failure: RegistryError;
    let wait: number;
    try {
      const res = await send(Math.min(run.timeoutMs, left));
      if (res.status !== 429 && res.status < 500) return res;
      const retryAfter = parseRetryAfter(res.headers['retry-after'], Date.now());
      if (retryAfter !== undefined && retryAfter > run.policy.maxRetryAfterMs) {
        throw new RegistryError('rate-limited', `${run.what}: HTTP ${res.status}, asked to retry after ${Math.ceil(retryAfter / 1000)} s`, false, res.status);
      }
      failure = new RegistryError('status', `${run.what}: HTTP ${res.status}${attempt ? ` after ${attempt + 1} attempts` : ''}`, true, res.status);
      // Retry-After: 0 is common on npm's CDN and means "whenever": back off anyway.
      wait = retryAfter ? retryAfter : backoff(attempt, run.policy.baseDelayMs);
    } catch (e) {
      const err = e instanceof RegistryError ? e : new RegistryError('network', `${run.what}: ${describe(e)}`, true);
      if (!err.retryable) throw err;
      failure = err;
      wait = backoff(attempt, run.policy.baseDelayMs);
    }
    if (attempt >= run.policy.retries) throw failure;
    if (Date.now() + wait >= run.deadline) throw new RegistryError(failure.code, `${failure.message} (no time left to retry)`, false, failure.status);
    await sleep(wait);
  }
}

const FETCH_FAILED = /^request to \S+ failed, reason: /;

/** A short description of a thrown value, for messages (callers redact). */
export function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    // minipass-fetch words it "request to <url> failed, reason: ..."; callers already name the URL.
    const message = e.message.replace(FETCH_FAILED, '');
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(e);
}

/** At most `limit` requests in flight per origin; the rest wait in order. */
export class HostLimiter {
  readonly #hosts = new Map<string, { active: number; queue: Array<() => void> }>();
  constructor(readonly limit: number) {}

  /** Run `fn` when a slot for `origin` is free; gives up when `deadline` passes while waiting. */
  async run<T>(origin: string, deadline: number, fn: () => Promise<T>): Promise<T> {
    let h = this.#hosts.get(origin);
    if (!h) this.#hosts.set(origin, (h = { active: 0, queue: [] }));
    const host = h;
    if (host.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          const i = host.queue.indexOf(wake);
          if (i >= 0) host.queue.splice(i, 1);
          reject(new RegistryError('budget', `${origin}: time budget spent waiting for a free connection`));
        }, Math.min(Math.max(0, deadline - Date.now()), 2 ** 31 - 1));
        host.queue.push(wake);
      });
    } else {
      host.active++;
    }
    try {
      return await fn();
    } finally {
      const next = host.queue.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next();
      else host.active--;
    }
  }
}

/**
 * Read a body in full, decompressing `encoding`, and fail as soon as the decompressed size
 * passes `maxBytes` (so a gzip bomb costs at most `maxBytes` of memory, twice with its input).
 * A compressed body is collected first and inflated in one synchronous call: per answer that
 * costs a fraction of a zlib stream's machinery (a cold 1,000-name run spent ~0.5 s of main-thread
 * time in stream bookkeeping), and `maxOutputLength` keeps the cap.
 */
export async function readCapped(body: AsyncIterable<Buffer | Uint8Array>, encoding: string | undefined, maxBytes: number, what: string): Promise<Buffer> {
  const enc = (encoding ?? '').trim().toLowerCase();
  const inflate = enc === 'gzip' || enc === 'x-gzip' ? 'gunzipSync' : enc === 'deflate' ? 'inflateSync' : enc === 'br' ? 'brotliDecompressSync' : undefined;
  if (!inflate && enc !== '' && enc !== 'identity') throw new RegistryError('invalid-response', `${what}: unsupported content-encoding ${enc}`);
  const tooLarge = () => new RegistryError('too-large', `${what}: response larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    // The compressed size can only be smaller than what it inflates to.
    if (total > maxBytes) throw tooLarge();
    // A view, not a copy: the chunk is ours (undici hands out fresh buffers), and a copy per
    // chunk was a third of the off-heap bytes a cold run allocates, which V8 only collects once
    // they pass its external-memory threshold (peak RSS).
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  const raw = Buffer.concat(chunks, total);
  if (!inflate) return raw;
  try {
    return zlib()[inflate](raw, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new RegistryError('network', `${what}: could not decompress the response (${describe(e)})`, true);
  }
}

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  timeoutMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  /** Shared with the npm client so both stacks respect one per-host limit. */
  limiter: HostLimiter;
  userAgent: string;
  /** Values to scrub from messages, besides the usual token shapes. */
  secrets: readonly string[];
  /** Called for every attempt sent (stats). */
  onRequest?: (kind: RequestKind) => void;
  /** Proxy settings (npm's `https-proxy`/`proxy`/`noproxy`, or HTTP(S)_PROXY/NO_PROXY). */
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
}

/** One GET. */
export interface GetOptions {
  kind: RequestKind;
  headers?: Record<string, string>;
  /** Epoch ms: the lookup's time budget. */
  deadline: number;
  /** Override the client's retry count (pypistats: 0, a 429 there is final). */
  retries?: number;
}

const MAX_REDIRECTS = 5;

/** Whether two URLs share scheme, host and port. */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host;
}

/** HTTP client for the registry APIs npm-registry-fetch does not cover. Never attaches npm tokens. */
export class HttpClient {
  readonly #o: HttpClientOptions;
  #transport: Promise<Transport> | undefined;

  constructor(o: HttpClientOptions) {
    this.#o = o;
  }

  /** The connections, opened on the first request. */
  #pool(): Promise<Transport> {
    const o = this.#o;
    return (this.#transport ??= openTransport({ connections: o.limiter.limit, timeoutMs: o.timeoutMs, ...(o.proxy ? { proxy: o.proxy } : {}) }));
  }

  /** Redact a message with this client's secrets. */
  redact(text: string): string {
    return redact(text, this.#o.secrets);
  }

  /**
   * GET `url` (which may carry `user:pass@`, sent as Basic auth to that origin only).
   * Resolves with any status except 429/5xx (retried, then thrown) and cross-origin redirects
   * (thrown). Same-origin redirects are followed.
   */
  async get(url: string, o: GetOptions): Promise<RawResponse> {
    let current = new URL(url);
    const first = current;
    const headers: Record<string, string> = {
      'user-agent': this.#o.userAgent,
      'accept-encoding': 'gzip, deflate, br',
      ...o.headers,
    };
    if (first.username || first.password) {
      const user = decodeURIComponent(first.username);
      const pass = decodeURIComponent(first.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    for (let hop = 0; ; hop++) {
      const target = new URL(current.toString());
      target.username = '';
      target.password = '';
      const what = this.redact(`GET ${target.toString()}`);
      const res = await withRetries((timeoutMs) => this.#limited(target, headers, timeoutMs, o, what), {
        policy: o.retries === undefined ? this.#o.retry : { ...this.#o.retry, retries: o.retries },
        deadline: o.deadline,
        timeoutMs: this.#o.timeoutMs,
        what,
      });
      const location = res.headers.location;
      if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
      let next: URL;
      try {
        next = new URL(location, target);
      } catch {
        throw new RegistryError('invalid-response', `${what}: HTTP ${res.status} with an unreadable Location`);
      }
      if (!sameOrigin(next, first)) {
        throw new RegistryError('redirect', this.redact(`${what}: refused a redirect to another origin (${next.origin})`), false, res.status);
      }
      if (hop >= MAX_REDIRECTS) throw new RegistryError('redirect', `${what}: more than ${MAX_REDIRECTS} redirects`, false, res.status);
      next.username = first.username;
      next.password = first.password;
      current = next;
    }
  }

  #limited(target: URL, headers: Record<string, string>, timeoutMs: number, o: GetOptions, what: string): Promise<RawResponse> {
    return this.#o.limiter.run(target.origin, o.deadline, () => this.#once(target, headers, Math.min(timeoutMs, o.deadline - Date.now()), o.kind, what));
  }

  async #once(target: URL, headers: Record<string, string>, timeoutMs: number, kind: RequestKind, what: string): Promise<RawResponse> {
    if (timeoutMs <= 0) throw new RegistryError('budget', `${what}: time budget spent`);
    this.#o.onRequest?.(kind);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      const res = await (await this.#pool()).get(target, headers, ac.signal);
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      const declared = Number(h['content-length']);
      if (!h['content-encoding'] && Number.isFinite(declared) && declared > this.#o.maxResponseBytes) {
        res.body.destroy();
        throw new RegistryError('too-large', `${what}: response of ${declared} bytes is larger than ${this.#o.maxResponseBytes}`);
      }
      // Only successful bodies are read; error bodies are drained (small) or dropped.
      const wanted = res.statusCode >= 200 && res.statusCode < 300;
      const body = wanted ? await readCapped(res.body, h['content-encoding'], this.#o.maxResponseBytes, what) : await drain(res.body);
      return { status: res.statusCode, url: this.redact(target.toString()), headers: h, body };
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      if (ac.signal.aborted) throw new RegistryError('timeout', `${what}: no complete answer within ${timeoutMs} ms`, true);
      throw new RegistryError('network', this.redact(`${what}: ${describe(e)}`), true);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Close keep-alive connections. */
  async close(): Promise<void> {
    if (this.#transport) await (await this.#transport).close();
  }
}

/** Consume an error body (at most 64 KiB kept) so the connection can be reused. */
async function drain(body: TransportResponse['body']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const c of body) {
      total += (c as Buffer).length;
      if (total > 64 * 1024) {
        body.destroy();
        break;
      }
      chunks.push(c as Buffer);
    }
  } catch {
    // A broken error body does not matter: the status already says what happened.
  }
  return Buffer.concat(chunks);
}
