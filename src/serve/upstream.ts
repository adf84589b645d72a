/**
 * The guard's side of the upstream registries: one set of clients (npm packuments through the
 * user's npm config and auth, plain HTTP for PyPI and the downloads API) sharing one per-host
 * limit, so however many clients the guard serves, at most `concurrency` requests per upstream
 * host are in flight.
 *
 * Documents are fetched once per TTL per name (see memo.ts) and kept parsed once: the same object
 * is judged, age-gated and serialised for every client. Tarballs are streamed, never buffered.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { RegistrySettings } from '../core/types.js';
import { describe, HostLimiter, HttpClient, RegistryError, type RawResponse, type RetryPolicy } from '../registry/http.js';
import { NpmClient } from '../registry/npm.js';
import type { OriginBoundAgent } from '../registry/npm-agent.js';
import { redact, secretsOf, stripUserinfo } from '../registry/redact.js';
import { createMemo, type Memo } from './memo.js';
import type { SharedDocuments } from './shared-documents.js';

/** A packument as the upstream answered it. */
export type NpmDocument =
  | { kind: 'doc'; doc: Record<string, unknown>; etag?: string }
  | { kind: 'not-found' }
  /** The upstream could not be asked: `message` is redacted, `status` the HTTP status if any. */
  | { kind: 'error'; message: string; status?: number };

/** A streamed upstream response (tarballs). */
export interface UpstreamStream {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** Options of {@link Upstream}. */
export interface UpstreamOptions {
  registries: RegistrySettings;
  timeoutMs: number;
  concurrency: number;
  retries: number;
  /** How long a document answers for its name before the upstream is asked again. */
  ttlMs: number;
  userAgent?: string;
  /** Called once per request sent upstream (for /metrics and the tests' counts). */
  onRequest?: (kind: string) => void;
  /** Called once per upstream answer or failure with the time it took, retries included (for /metrics). */
  onResponse?: (kind: string, ms: number) => void;
  /** Documents shared with other guards (`--cache-url`): asked there before upstream. */
  shared?: SharedDocuments;
  /** Monotonic clock in ms for onResponse (default performance.now; tests inject one). */
  clock?: () => number;
}

/** A failed lookup is kept this long, so an upstream that is down is not asked by every client at once. */
const ERROR_TTL_MS = 2_000;
const NOT_FOUND_TTL_MS = 60_000;

type RegFetch = (uri: string, opts: Record<string, unknown>) => Promise<{ status: number; headers: { get(n: string): string | null }; body: NodeJS.ReadableStream }>;

/** The upstream clients of one guard. Call close() when the guard stops. */
export class Upstream {
  readonly settings: RegistrySettings;
  readonly http: HttpClient;
  readonly #o: UpstreamOptions;
  readonly #npm: NpmClient;
  readonly #limiter: HostLimiter;
  readonly #secrets: string[];
  readonly #docs: Memo<NpmDocument>;
  readonly #pages: Memo<RawResponse>;
  /** The last document per name, for ETag revalidation when its TTL is over. */
  readonly #last = new Map<string, { doc: Record<string, unknown>; etag: string }>();
  readonly #agents = new Map<string, OriginBoundAgent>();
  readonly #retry: RetryPolicy;

  constructor(o: UpstreamOptions) {
    this.#o = o;
    const s = (this.settings = o.registries);
    this.#secrets = secretsOf(s.npmrc, [s.npmRegistry, ...Object.values(s.npmScopes), s.npmDownloadsApi, s.pypiUrl, s.pypiIndexUrl, ...(s.pypiExtraIndexUrls ?? []), s.pypistatsApi]);
    this.#limiter = new HostLimiter(Math.max(1, o.concurrency));
    this.#retry = { retries: o.retries, baseDelayMs: 250, maxRetryAfterMs: 10_000 };
    const common = {
      timeoutMs: o.timeoutMs,
      retry: this.#retry,
      limiter: this.#limiter,
      maxResponseBytes: 64 * 1024 * 1024,
      userAgent: o.userAgent ?? 'slopguard-serve (+https://github.com/slopguard/slopguard)',
      secrets: this.#secrets,
      onRequest: (kind: string) => o.onRequest?.(kind),
    };
    this.#npm = new NpmClient({ ...common, settings: s });
    this.http = new HttpClient(common);
    // Rejections (network errors) are not kept by the memo; error statuses are, briefly.
    this.#pages = createMemo<RawResponse>({ ttlMs: o.ttlMs, maxEntries: 2_000, ttlOf: (r) => (r.status === 200 ? o.ttlMs : r.status === 404 ? Math.min(NOT_FOUND_TTL_MS, o.ttlMs) : ERROR_TTL_MS) });
    this.#docs = createMemo<NpmDocument>({ ttlMs: o.ttlMs, ttlOf: (d) => this.#documentTtl(d) });
    // The network modules (npm-registry-fetch with npm's agent, undici: ~0.3 s of CPU) load now,
    // while the first client is still starting, instead of inside its first request.
    setImmediate(() => void Promise.all([import('npm-registry-fetch'), import('../registry/npm-agent.js'), import('undici')]).catch(() => {})).unref();
  }

  /** Scrub credentials from a message. */
  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  /** The registry serving an npm name (scoped registries from .npmrc), and whether it is private. */
  npmRegistryFor(name: string): { url: string; private: boolean } {
    return this.#npm.registryFor(name);
  }

  /** The full packument of `name`, asked upstream at most once per TTL however many callers want it. */
  npmDocument(name: string): Promise<NpmDocument> {
    return this.#docs.get(name, () => {
      const fetch = () => this.timed('npm-packument', () => this.#fetchNpm(name));
      const shared = this.#o.shared;
      return shared ? shared.get(stripUserinfo(this.#npm.registryFor(name).url), name, fetch, (d) => this.#documentTtl(d)) : fetch();
    });
  }

  #documentTtl(d: NpmDocument): number {
    return d.kind === 'error' ? ERROR_TTL_MS : d.kind === 'not-found' ? Math.min(NOT_FOUND_TTL_MS, this.#o.ttlMs) : this.#o.ttlMs;
  }

  /** Run one upstream exchange and report how long it took (onResponse), whatever its outcome. */
  async timed<T>(kind: string, work: () => Promise<T>): Promise<T> {
    const clock = this.#o.clock ?? (() => performance.now());
    const start = clock();
    try {
      return await work();
    } finally {
      this.#o.onResponse?.(kind, clock() - start);
    }
  }

  async #fetchNpm(name: string): Promise<NpmDocument> {
    const last = this.#last.get(name);
    try {
      const a = await this.#npm.packument(name, { full: true, deadline: Date.now() + 2 * this.#o.timeoutMs, ...(last ? { etag: last.etag } : {}) });
      if (a.kind === 'not-found') return { kind: 'not-found' };
      if (a.kind === 'not-modified') {
        if (!last) throw new RegistryError('invalid-response', 'the registry answered 304 to a request without an ETag');
        return { kind: 'doc', doc: last.doc, etag: last.etag };
      }
      if (a.etag) {
        this.#last.delete(name);
        this.#last.set(name, { doc: a.doc, etag: a.etag });
        while (this.#last.size > 5_000) this.#last.delete(this.#last.keys().next().value!);
      }
      return a.etag ? { kind: 'doc', doc: a.doc, etag: a.etag } : { kind: 'doc', doc: a.doc };
    } catch (e) {
      const status = e instanceof RegistryError ? e.status : undefined;
      const out: NpmDocument = { kind: 'error', message: this.redact(describe(e)) };
      if (status !== undefined) out.status = status;
      return out;
    }
  }

  /**
   * GET a PyPI page or document (the simple index, the JSON API) with the client's Accept,
   * bounded by the shared per-host limit, asked at most once per TTL per URL and Accept however
   * many clients want it (a failure is kept only briefly). Credentials in the index URL go to its
   * origin only.
   */
  pypiGet(url: string, accept: string | undefined): Promise<RawResponse> {
    const kind = url.endsWith('/json') ? 'pypi-json' : 'pypi-simple';
    return this.#pages.get(`${accept ?? ''} ${url}`, () => this.timed(kind, () => this.http.get(url, { kind, headers: accept ? { accept } : {}, deadline: Date.now() + 2 * this.#o.timeoutMs })));
  }

  /**
   * Stream an npm tarball from `url` with the user's auth for the registry serving `name`. The
   * per-host slot is held until the upstream's answer starts, not while the body streams: a client
   * busy unpacking reads slowly, and holding slots for its downloads starved the packument and
   * downloads requests of every other client (the bench's install through the guard took twice as
   * long). The tarball agent's own socket limit still bounds connections.
   */
  async npmTarball(name: string, url: string, requestHeaders: IncomingHttpHeaders): Promise<UpstreamStream> {
    const reg = this.#npm.registryFor(name);
    const target = new URL(url);
    const [{ default: regFetchModule }, { OriginBoundAgent: Agent }] = await Promise.all([import('npm-registry-fetch'), import('../registry/npm-agent.js')]);
    const regFetch = regFetchModule as unknown as RegFetch;
    let agent = this.#agents.get(target.origin);
    if (!agent) this.#agents.set(target.origin, (agent = new Agent(target, { maxSockets: this.#limiter.limit, timeout: this.#o.timeoutMs })));
    const opts: Record<string, unknown> = { registry: reg.url, agent, retry: { retries: this.#o.retries }, timeout: this.#o.timeoutMs, userAgent: this.#o.userAgent ?? 'slopguard-serve' };
    for (const [k, v] of Object.entries(this.settings.npmrc)) if (k.startsWith('//')) opts[k] = v;
    if (requestHeaders['accept-encoding']) opts.headers = { 'accept-encoding': 'identity' };
    const res = await this.#limiter.run(target.origin, Date.now() + 2 * this.#o.timeoutMs, async () => {
      this.#o.onRequest?.('npm-tarball');
      try {
        return await this.timed('npm-tarball', () => regFetch(url, opts));
      } catch (e) {
        const status = (e as { statusCode?: unknown }).statusCode;
        throw new RegistryError(typeof status === 'number' ? 'status' : 'network', this.redact(`GET ${stripUserinfo(url)}: ${describe(e)}`), false, typeof status === 'number' ? status : undefined);
      }
    });
    const headers: Record<string, string> = {};
    for (const k of ['content-type', 'content-length', 'etag', 'last-modified']) {
      const v = res.headers.get(k);
      if (v !== null) headers[k] = v;
    }
    return { status: res.status, headers, body: Readable.from(res.body as AsyncIterable<Buffer>) };
  }

  /** Close keep-alive connections. */
  async close(): Promise<void> {
    this.#npm.close();
    for (const a of this.#agents.values()) a.destroy();
    await this.http.close();
  }
}
