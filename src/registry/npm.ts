/**
 * npm registry client: packuments through npm-registry-fetch (so scoped registries and auth from
 * the user's npmrc work exactly as npm applies them), turned into PackageFacts.
 *
 * npm-registry-fetch does not read .npmrc (npmrc.ts does) and its own retries are switched off:
 * retries, time budget, size cap and per-host limit are the shared ones in http.ts. Every
 * connection goes through an OriginBoundAgent, so a redirect cannot carry a token elsewhere.
 */
import { lazyRequire } from '../core/lazy-require.js';
import type { PackageFacts, RegistrySettings } from '../core/types.js';
import { describe, readCapped, RegistryError, withRetries, type HostLimiter, type HttpClient, type RawResponse, type RequestKind, type RetryPolicy } from './http.js';
import type { OriginBoundAgent } from './npm-agent.js';
import { redact, stripUserinfo } from './redact.js';
import { npmRepositoryUrl } from './repository.js';

/** The slice of a minipass-fetch Response we use (@types/npm-registry-fetch describes node-fetch). */
interface MinipassResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: AsyncIterable<Buffer>;
}
type RegFetch = (uri: string, opts: Record<string, unknown>) => Promise<MinipassResponse>;

// npm-registry-fetch and npm's agent (~90 modules with make-fetch-happen, cacache, socks, proxy
// agents) load on the first packument request: runs answered from the cache never need them.
interface NetStack {
  regFetch: RegFetch;
  Agent: typeof OriginBoundAgent;
  /** Error code of a connection the agent refused (another origin). */
  refused: string;
}
let netStack: Promise<NetStack> | undefined;
const loadNetStack = () =>
  (netStack ??= Promise.all([import('npm-registry-fetch'), import('./npm-agent.js')]).then(([f, a]) => ({
    regFetch: f.default as unknown as RegFetch,
    Agent: a.OriginBoundAgent,
    refused: a.REFUSED_ORIGIN,
  })));

/** What the install command of npm sends for the abbreviated document (pacote's corgiDoc). */
const CORGI_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const FULL_ACCEPT = 'application/json';

/** npm's marker for a package replaced after malware removal. */
export const SECURITY_HOLDER_VERSION = /^0\.0\.1-security(\.\d+)?$/;
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

/** `@scope/name` -> `@scope%2fname`: only the slash is escaped, as npm-package-arg's escapedName. */
export function escapeNpmName(name: string): string {
  return name.replace('/', '%2f');
}

/** The scope of a scoped name (`@acme`), or undefined. */
export function scopeOf(name: string): string | undefined {
  return name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
}

/** Options of {@link NpmClient}. */
export interface NpmClientOptions {
  settings: RegistrySettings;
  timeoutMs: number;
  retry: RetryPolicy;
  limiter: HostLimiter;
  maxResponseBytes: number;
  userAgent: string;
  secrets: readonly string[];
  onRequest?: (kind: RequestKind) => void;
  /**
   * The lean path: packuments of a registry that no npmrc setting applies to (no auth, no
   * certificates, no proxy) are fetched with this undici client instead of npm-registry-fetch,
   * which costs about twice the CPU per request and ~60 ms of module loading.
   */
  http?: HttpClient;
}

/** What a packument request gave. */
export type NpmAnswer =
  | { kind: 'doc'; doc: Record<string, unknown>; full: boolean; etag?: string }
  | { kind: 'not-modified' }
  | { kind: 'not-found' };

/** Map npmrc keys (as npm writes them) to the option names npm-registry-fetch reads. */
function fetchOptionsOf(npmrc: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(npmrc)) {
    // Nerf-darted auth and per-registry certs pass through untouched.
    if (k.startsWith('//')) out[k] = v;
  }
  if (npmrc['strict-ssl'] !== undefined) out.strictSSL = npmrc['strict-ssl'] !== 'false';
  if (npmrc.ca) out.ca = npmrc.ca;
  return out;
}

/** npmrc settings that only concern TLS connections. */
const TLS_KEYS = new Set(['ca', 'strict-ssl']);

/** Whether a nerf-darted npmrc key (`//host[:port]/path/:_authToken`) is about `hostname`. */
function nerfHostOf(key: string, hostname: string): boolean {
  const hostPort = key.slice(2).split('/', 1)[0]!.toLowerCase();
  // `[::1]:4873` (IPv6, as URL.hostname writes it) or `host:port`.
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':', 1)[0]!;
  // Unreadable counts as a match: the key then keeps npm-registry-fetch.
  return host === '' || host === hostname.toLowerCase();
}

/** Client for one user's npm configuration. */
export class NpmClient {
  readonly #o: NpmClientOptions;
  readonly #agents = new Map<string, OriginBoundAgent>();
  readonly #fetchOptions: Record<string, unknown>;
  readonly #lean = new Map<string, boolean>();

  constructor(o: NpmClientOptions) {
    this.#o = o;
    this.#fetchOptions = fetchOptionsOf(o.settings.npmrc);
  }

  /**
   * Whether a registry can be asked without npm's semantics: no credentials in its URL, no proxy
   * setting, no TLS setting (`ca`, `strict-ssl`) unless it is a plain-HTTP registry, and no
   * per-registry (`//host/...`) key for its host at all. Any of these keeps npm-registry-fetch,
   * which applies them as npm does.
   */
  #isLean(registry: string): boolean {
    let lean = this.#lean.get(registry);
    if (lean === undefined) {
      lean = false;
      if (this.#o.http) {
        try {
          const u = new URL(registry);
          const keys = Object.keys(this.#o.settings.npmrc);
          // TLS settings say nothing about a plain-HTTP registry (a loopback mirror, say).
          const applies = (k: string) => (k.startsWith('//') ? nerfHostOf(k, u.hostname) : !(u.protocol === 'http:' && TLS_KEYS.has(k)));
          lean = !u.username && !u.password && !keys.some(applies);
        } catch {
          lean = false;
        }
      }
      this.#lean.set(registry, lean);
    }
    return lean;
  }

  /** The registry that serves `name` and whether it is a private (scoped) one. */
  registryFor(name: string): { url: string; private: boolean } {
    const scope = scopeOf(name);
    const scoped = scope ? this.#o.settings.npmScopes[scope] : undefined;
    const url = scoped ?? this.#o.settings.npmRegistry;
    return { url: url.endsWith('/') ? url : `${url}/`, private: scoped !== undefined };
  }

  /** The registry URL as facts show it (credentials removed). */
  displayRegistry(name: string): string {
    return stripUserinfo(this.registryFor(name).url);
  }

  #agentFor(origin: URL, Agent: typeof OriginBoundAgent): OriginBoundAgent {
    let agent = this.#agents.get(origin.origin);
    if (!agent) {
      const rc = this.#o.settings.npmrc;
      const proxy = origin.protocol === 'https:' ? (rc['https-proxy'] ?? rc.proxy) : rc.proxy;
      const opts: Record<string, unknown> = { maxSockets: this.#o.limiter.limit, timeout: this.#o.timeoutMs };
      if (proxy) opts.proxy = proxy;
      if (rc.noproxy) opts.noProxy = rc.noproxy;
      agent = new Agent(origin, opts);
      this.#agents.set(origin.origin, agent);
    }
    return agent;
  }

  /**
   * Fetch the packument of `name`: the full document when `full`, else the abbreviated one.
   * With `etag`, a 304 answers `not-modified`. Throws RegistryError (already redacted).
   */
  async packument(name: string, o: { full: boolean; etag?: string; deadline: number }): Promise<NpmAnswer> {
    const reg = this.registryFor(name);
    const url = `${reg.url}${escapeNpmName(name)}`;
    const target = new URL(url);
    const what = redact(`GET ${stripUserinfo(url)}`, this.#o.secrets);
    const kind: RequestKind = o.full ? 'npm-packument' : 'npm-abbreviated';
    const headers: Record<string, string> = { accept: o.full ? FULL_ACCEPT : CORGI_ACCEPT };
    if (o.etag) headers['if-none-match'] = o.etag;
    const res = this.#isLean(reg.url)
      ? await this.#o.http!.get(url, { kind, headers, deadline: o.deadline })
      : await withRetries(
          (timeoutMs) => this.#o.limiter.run(target.origin, o.deadline, () => this.#once(url, reg.url, headers, Math.min(timeoutMs, o.deadline - Date.now()), kind, what)),
          { policy: this.#o.retry, deadline: o.deadline, timeoutMs: this.#o.timeoutMs, what },
        );
    if (res.status === 304) return { kind: 'not-modified' };
    if (res.status === 404) return { kind: 'not-found' };
    if (res.status !== 200) throw new RegistryError('status', `${what}: HTTP ${res.status}`, false, res.status);
    let doc: unknown;
    try {
      doc = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new RegistryError('invalid-response', `${what}: the answer is not JSON (content-type ${res.headers['content-type'] ?? 'none'})`);
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new RegistryError('invalid-response', `${what}: the answer is not a packument`);
    const answer: NpmAnswer = { kind: 'doc', doc: doc as Record<string, unknown>, full: o.full };
    if (res.headers.etag) answer.etag = res.headers.etag;
    return answer;
  }

  async #once(url: string, registry: string, headers: Record<string, string>, timeoutMs: number, kind: RequestKind, what: string): Promise<RawResponse> {
    if (timeoutMs <= 0) throw new RegistryError('budget', `${what}: time budget spent`);
    this.#o.onRequest?.(kind);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    const target = new URL(url);
    let stack: NetStack | undefined;
    try {
      stack = await loadNetStack();
      const { regFetch, Agent } = stack;
      const res = await regFetch(url, {
        ...this.#fetchOptions,
        registry,
        headers,
        agent: this.#agentFor(target, Agent),
        // Retries, caching and the budget are ours; make-fetch-happen's would double them.
        retry: { retries: 0 },
        cache: undefined,
        timeout: timeoutMs,
        signal: ac.signal,
        userAgent: this.#o.userAgent,
      });
      const h: Record<string, string> = {};
      for (const k of ['etag', 'content-type', 'retry-after', 'content-length']) {
        const v = res.headers.get(k);
        if (v !== null) h[k] = v;
      }
      const declared = Number(h['content-length']);
      if (Number.isFinite(declared) && declared > this.#o.maxResponseBytes) {
        ac.abort();
        throw new RegistryError('too-large', `${what}: response of ${declared} bytes is larger than ${this.#o.maxResponseBytes}`);
      }
      // minipass-fetch has already decompressed the body, so the cap counts inflated bytes.
      const body = res.status === 200 ? await readCapped(res.body, undefined, this.#o.maxResponseBytes, what) : Buffer.alloc(0);
      return { status: res.status, url: stripUserinfo(url), headers: h, body };
    } catch (e) {
      if (e instanceof RegistryError) {
        ac.abort();
        throw e;
      }
      const err = e as { statusCode?: unknown; headers?: Record<string, string[] | string>; code?: unknown };
      // npm-registry-fetch throws for statuses >= 400; hand them back as responses for the retry loop.
      if (typeof err.statusCode === 'number') {
        const h: Record<string, string> = {};
        const ra = err.headers?.['retry-after'];
        if (ra !== undefined) h['retry-after'] = Array.isArray(ra) ? ra.join(', ') : ra;
        return { status: err.statusCode, url: stripUserinfo(url), headers: h, body: Buffer.alloc(0) };
      }
      if (stack && err.code === stack.refused) throw new RegistryError('redirect', redact(`${what}: ${describe(e)}`, this.#o.secrets));
      if (ac.signal.aborted) throw new RegistryError('timeout', `${what}: no complete answer within ${timeoutMs} ms`, true);
      throw new RegistryError('network', redact(`${what}: ${describe(e)}`, this.#o.secrets), true);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Close keep-alive sockets. */
  close(): void {
    for (const a of this.#agents.values()) a.destroy();
    this.#agents.clear();
  }
}

type Manifest = Record<string, unknown>;

function isoOrUndefined(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function deprecationOf(m: Manifest | undefined): string | undefined {
  const d = m?.deprecated;
  // `""` is npm's "un-deprecated"; a few old documents carry a boolean.
  if (typeof d === 'string') return d === '' ? undefined : d;
  return d === true ? 'deprecated' : undefined;
}

// Two semver functions (~10 modules), needed only when a packument lacks a usable dist-tag:
// loaded then, not by every run that imports the client.
const semverValid = lazyRequire<(v: string) => string | null>('semver/functions/valid.js');
const semverRsort = lazyRequire<(vs: string[]) => string[]>('semver/functions/rsort.js');

/** `dist-tags.latest` when it names a present version, else the highest version. */
function latestOf(doc: Record<string, unknown>, versions: Record<string, Manifest>): string | undefined {
  const tags = doc['dist-tags'];
  const tagged = tags && typeof tags === 'object' ? (tags as Record<string, unknown>).latest : undefined;
  if (typeof tagged === 'string' && versions[tagged]) return tagged;
  const valid = Object.keys(versions).filter((v) => semverValid()(v));
  return valid.length ? semverRsort()(valid)[0] : Object.keys(versions).pop();
}

/** At most this many maintainers are kept: identity needs one shared account, not a roster. */
const MAX_MAINTAINERS = 50;

/** An npm account name from a `{name}` person object, lower case (npm user names are). */
function accountName(person: unknown): string | undefined {
  const name = person && typeof person === 'object' ? (person as Record<string, unknown>).name : undefined;
  // npm account names are URL-safe; anything else (a custom registry's answer) is not compared
  // and never echoed.
  return typeof name === 'string' && /^[a-z0-9][a-z0-9._~-]{0,213}$/i.test(name) ? name.toLowerCase() : undefined;
}

/**
 * Who publishes the package (full packument only: the corgi has neither field). The typo signal
 * uses them as identity: a look-alike published by an account that maintains its target is a
 * sibling (src/signals/typo-target.ts).
 */
function publishersOf(doc: Record<string, unknown>, manifest: Manifest | undefined): Pick<PackageFacts, 'publisher' | 'maintainers'> {
  const out: Pick<PackageFacts, 'publisher' | 'maintainers'> = {};
  const publisher = accountName(manifest?._npmUser);
  if (publisher) out.publisher = publisher;
  const list = Array.isArray(doc.maintainers) ? doc.maintainers : Array.isArray(manifest?.maintainers) ? (manifest.maintainers as unknown[]) : [];
  const names = [...new Set(list.map(accountName).filter((n): n is string => n !== undefined))].slice(0, MAX_MAINTAINERS);
  if (names.length) out.maintainers = names;
  return out;
}

/** Where the facts came from. */
export interface NpmFactsContext {
  name: string;
  registry: string;
  privateRegistry: boolean;
  fetchedAt: string;
}

/**
 * Facts from a packument (full or abbreviated). Returns `undefined` when an abbreviated document
 * cannot tell (no versions: a tombstone needs the full document's `time.unpublished`), so the
 * caller asks for the full one. Throws RegistryError for a document that is not a packument.
 */
export function npmFacts(doc: Record<string, unknown>, asked: boolean, ctx: NpmFactsContext): PackageFacts | undefined {
  // Some registries and mirrors answer the abbreviated Accept header with the full document (the
  // npm mirror of this project's build machine does): then read it as the full one it is.
  const full = asked || (!!doc.time && typeof doc.time === 'object' && !Array.isArray(doc.time));
  const base: PackageFacts = { ecosystem: 'npm', name: ctx.name, status: 'found', registry: ctx.registry, fetchedAt: ctx.fetchedAt };
  if (ctx.privateRegistry) base.privateRegistry = true;
  if (!full) base.abbreviated = true;
  const time = full && doc.time && typeof doc.time === 'object' ? (doc.time as Record<string, unknown>) : {};
  const rawVersions = doc.versions;
  const versions = rawVersions && typeof rawVersions === 'object' && !Array.isArray(rawVersions) ? (rawVersions as Record<string, Manifest>) : undefined;
  const created = isoOrUndefined(time.created);
  if (created) base.created = created;

  const unpublished = time.unpublished;
  if (!versions || Object.keys(versions).length === 0) {
    if (!full) return undefined;
    if (unpublished && typeof unpublished === 'object') {
      const at = isoOrUndefined((unpublished as Record<string, unknown>).time);
      return { ...base, status: 'unpublished', ...(at ? { unpublishedAt: at } : {}) };
    }
    // Every version removed one by one: nothing left to install.
    if (versions) return { ...base, status: 'unpublished' };
    throw new RegistryError('invalid-response', `the registry's answer for ${ctx.name} is not a packument (no versions)`);
  }

  const names = Object.keys(versions);
  base.versionCount = names.length;
  const latest = latestOf(doc, versions);
  if (latest) base.latestVersion = latest;
  // Last publish = newest time among versions still present (`time` keeps unpublished ones).
  // Compared as numbers and formatted twice, not once per version: popular packages have
  // hundreds of versions (this loop was ~4 % of a cold run's CPU).
  let first = Infinity;
  let last = -Infinity;
  for (const v of names) {
    const t = typeof time[v] === 'string' ? Date.parse(time[v] as string) : NaN;
    if (Number.isNaN(t)) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  if (last !== -Infinity) base.latestPublish = new Date(last).toISOString();
  if (!base.created && first !== Infinity) base.created = new Date(first).toISOString();

  const messages = names.map((v) => deprecationOf(versions[v]));
  if (messages.every((m) => m !== undefined)) base.deprecated = deprecationOf(latest ? versions[latest] : undefined) ?? messages[0]!;
  if (latest && SECURITY_HOLDER_VERSION.test(latest)) base.securityHolder = true;

  const manifest = latest ? versions[latest] : undefined;
  if (full) {
    const scripts = manifest?.scripts && typeof manifest.scripts === 'object' ? (manifest.scripts as Record<string, unknown>) : {};
    base.installScripts = INSTALL_SCRIPTS.filter((s) => typeof scripts[s] === 'string' && scripts[s] !== '');
  } else if (manifest?.hasInstallScript === true) {
    // The corgi only says "some install-time script" (preinstall, install, postinstall or node-gyp).
    base.installScripts = ['install'];
  }
  const repository = npmRepositoryUrl(manifest?.repository ?? doc.repository);
  if (repository) base.repository = repository;
  if (full) Object.assign(base, publishersOf(doc, manifest));
  const description = typeof doc.description === 'string' ? doc.description : typeof manifest?.description === 'string' ? manifest.description : undefined;
  if (description) base.description = description;
  return base;
}
