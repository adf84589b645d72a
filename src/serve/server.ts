/**
 * `slopguard serve`: an npm registry and a PyPI index in front of the user's own upstreams, that
 * judge every package with the same pipeline as `slopguard check` before serving it.
 *
 * node:http only: the guard's routes are a handful of GETs, and every dependency here is one more
 * thing between every install and its registry.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { homedir } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { CheckOptions } from '../core/check.js';
import type { RegistrySettings } from '../core/types.js';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_POLICY, DEFAULT_NETWORK } from '../policy/defaults.js';
import { loadCacheKey } from '../registry/cache-key.js';
import { cacheUrlProblem } from '../registry/cache-url.js';
import type { SharedCache } from '../registry/shared-cache.js';
import { escapeForTerminal } from '../reporters/escape.js';
import type { Decision, Route, ServeContext } from './context.js';
import { Judge } from './judge.js';
import { checkRoute } from './check-route.js';
import { ServeMetrics } from './metrics.js';
import { metricsRoute } from './metrics-route.js';
import { npmRoute } from './npm-front.js';
import { pypiRoute } from './pypi-front.js';
import { notServed, sendNpm } from './refusal.js';
import type { TarballMode } from './npm-document.js';
import { SharedDocuments } from './shared-documents.js';
import { Upstream } from './upstream.js';

/** `GET /healthz`: the guard answers (it does not ask the upstreams: a health check must be cheap). */
const healthRoute: Route = {
  prefix: '/healthz',
  async handle(_req, res) {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
  },
};

/** A guard retries a shared cache that went down this long after (a CLI run never does: it is short). */
const SHARED_RETRY_MS = 30_000;

/**
 * The shared cache of `--cache-url`, and the key its entries are sealed with (every instance
 * sharing it holds the same key file, SLOPGUARD_CACHE_KEY_FILE). Undefined without a URL, with
 * --no-cache, or (after one warning) when no key can be kept.
 */
async function openShared(check: CheckOptions, log: (line: string) => void): Promise<{ cache: SharedCache; secret: Buffer } | undefined> {
  if (!check.cacheUrl || check.noCache) return undefined;
  const problem = cacheUrlProblem(check.cacheUrl);
  if (problem) throw new ConfigError('the shared cache URL', check.cacheUrl.replace(/\/\/[^@/]*@/, '//***@'), problem);
  const env = check.env ?? process.env;
  const key = loadCacheKey(env, env.HOME || homedir());
  const warn = (m: string) => log(escapeForTerminal(`slopguard serve: warning: ${m}`));
  if ('unavailable' in key) {
    warn(`${key.unavailable}; continuing without the shared cache`);
    return undefined;
  }
  const { RedisCache } = await import('../registry/redis-cache.js');
  return { cache: new RedisCache({ url: check.cacheUrl, warn, retryAfterMs: SHARED_RETRY_MS }), secret: key.key };
}

/** Every route, longest prefix first; a new route is one file and one entry here. */
const ROUTES: readonly Route[] = [healthRoute, metricsRoute, checkRoute, npmRoute, pypiRoute];

/** Options of {@link startServer}. */
export interface ServeOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4873 + 1; 0 picks a free port. */
  port?: number;
  /** `--min-release-age`: versions younger than this many days are not served (0 or absent: off). */
  minReleaseAgeDays?: number;
  /** Policy, cache, network bounds, registry overrides, env/cwd, clock, popular index, warnings. */
  check?: CheckOptions;
  /** The upstreams; default: the user's npm and pip config with `check.registryOverrides` (as `check`). */
  registries?: RegistrySettings;
  /** How long a package's document and verdict answer for it (default 5 minutes). */
  ttlMs?: number;
  /** One line per decision (default: stderr). */
  log?: (line: string) => void;
  /** Every decision as data (tests; later the audit log). */
  onDecision?: (d: Decision) => void;
  /** How long close() waits for requests in flight before cutting connections (default 10 s). */
  drainMs?: number;
  /** Monotonic clock in ms for the upstream latency in /metrics (default performance.now). */
  clock?: () => number;
  /** Where served tarball URLs point: `guard` (default), `upstream` or `per-client` (the wrappers); npm-document.ts TARBALL_MODES. */
  tarballs?: TarballMode;
}

/** A running guard. */
export interface RunningServer {
  /** `http://host:port` (no trailing slash). */
  url: string;
  /** `<url>/npm/`: what `npm_config_registry` is set to. */
  npmRegistry: string;
  /** `<url>/pypi/simple/`: what `PIP_INDEX_URL` is set to. */
  pypiIndexUrl: string;
  /** Requests sent upstream so far, by kind. */
  upstreamRequests(): Record<string, number>;
  /** Stop accepting, let requests in flight finish (up to drainMs), close upstream connections. */
  close(): Promise<void>;
}

export const DEFAULT_SERVE_PORT = 4874;
const DEFAULT_TTL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** A Host header worth echoing into tarball URLs (anything else: the address the guard listens on). */
const HOST_HEADER = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;

async function registriesFor(o: ServeOptions): Promise<RegistrySettings> {
  if (o.registries) return o.registries;
  const c = o.check ?? {};
  if (c.registries) return c.registries;
  const { loadRegistrySettings } = await import('../registry/npmrc.js');
  return loadRegistrySettings({ env: c.env ?? process.env, cwd: c.cwd ?? process.cwd(), home: c.env?.HOME || homedir(), overrides: c.registryOverrides ?? {} });
}

/** One log line for a decision (untrusted names escaped). */
export function decisionLine(d: Decision): string {
  const codes = d.codes;
  const parts = [`${d.status} ${d.decision} ${d.ecosystem} ${d.name} (${d.what})`];
  if (d.verdict) parts.push(`verdict ${d.verdict}${codes?.length ? ` [${codes.join(', ')}]` : ''}`);
  if (d.gated) parts.push(`age gate removed ${d.gated}`);
  if (d.reason && d.decision !== 'allowed') parts.push(d.reason);
  return escapeForTerminal(`slopguard serve: ${parts.join(' - ')}`);
}

/** Start a guard (see the module comment). Resolves once it is listening. */
export async function startServer(o: ServeOptions = {}): Promise<RunningServer> {
  const check = o.check ?? {};
  const policy = check.policy ?? DEFAULT_POLICY;
  const ttlMs = o.ttlMs ?? DEFAULT_TTL_MS;
  const requests: Record<string, number> = {};
  const metrics = new ServeMetrics();
  const log = o.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const shared = await openShared(check, log);
  const timeoutMs = check.timeoutMs ?? DEFAULT_NETWORK.timeoutMs;
  const upstream = new Upstream({
    registries: await registriesFor(o),
    timeoutMs,
    concurrency: check.concurrency ?? DEFAULT_NETWORK.concurrency,
    retries: DEFAULT_NETWORK.retries,
    ttlMs,
    onRequest: (k) => {
      requests[k] = (requests[k] ?? 0) + 1;
      metrics.upstream.inc({ kind: k });
    },
    onResponse: (kind, ms) => metrics.latency.observe({ kind }, ms / 1000),
    ...(o.clock ? { clock: o.clock } : {}),
    // Another instance's fetch is waited for as long as one fetch may take (its budget).
    ...(shared ? { shared: new SharedDocuments({ ...shared, now: check.now ?? (() => new Date()), waitMs: 2 * timeoutMs }) } : {}),
  });
  const judge = new Judge({
    upstream,
    check: { ...check, policy, registries: upstream.settings },
    ttlMs,
    onCacheLookup: (hit) => void (hit ? metrics.cacheHits++ : metrics.cacheMisses++),
  });
  const now = () => (check.now ?? (() => new Date()))().getTime();
  const days = o.minReleaseAgeDays ?? 0;
  const host = o.host ?? '127.0.0.1';
  let listening = '';
  const ctx: ServeContext = {
    judge,
    upstream,
    policy,
    minReleaseAgeDays: days,
    tarballs: o.tarballs ?? 'guard',
    cutoffMs: () => now() - days * DAY_MS,
    baseUrl: (req) => {
      const h = req.headers.host;
      return h && HOST_HEADER.test(h) ? `http://${h}` : listening;
    },
    metrics,
    decide: (d) => {
      metrics.decisions.inc({ ecosystem: d.ecosystem, decision: d.decision });
      if (d.verdict) metrics.verdicts.inc({ ecosystem: d.ecosystem, verdict: d.verdict });
      o.onDecision?.(d);
      log(decisionLine(d));
    },
  };

  const inFlight = new Set<Promise<void>>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Counted when the answer is complete, so an error turned into a 500 counts as a 500.
    let routeLabel = 'none';
    res.once('finish', () => metrics.requests.inc({ route: routeLabel, status: String(res.statusCode) }));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://guard.invalid');
    } catch {
      return sendNpm(res, notServed('unreadable request path'));
    }
    // A prefix ending in `/` owns everything under it (and itself without the slash); others match exactly.
    const route = ROUTES.find((r) => url.pathname === r.prefix || (r.prefix.endsWith('/') && (url.pathname.startsWith(r.prefix) || `${url.pathname}/` === r.prefix)));
    if (!route) return sendNpm(res, notServed(`${url.pathname} is not served: use /npm/ (npm registry) or /pypi/simple/ (PyPI index)`));
    routeLabel = route.prefix;
    await route.handle(req, res, url, ctx);
  };
  const server = createServer((req, res) => {
    const p = handle(req, res)
      .catch((e: unknown) => {
        // Never a 200 for something that went wrong half-way.
        const message = upstream.redact(e instanceof Error ? e.message : String(e));
        log(escapeForTerminal(`slopguard serve: 500 error ${req.method} ${req.url}: ${message}`));
        if (!res.headersSent) sendNpm(res, { code: 'upstream', status: 500, message: `slopguard serve: internal error: ${message}` });
        else res.destroy();
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? DEFAULT_SERVE_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  listening = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  let closing: Promise<void> | undefined;
  return {
    url: listening,
    npmRegistry: `${listening}/npm/`,
    pypiIndexUrl: `${listening}/pypi/simple/`,
    upstreamRequests: () => ({ ...requests }),
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), o.drainMs ?? 10_000);
        await Promise.allSettled([...inFlight]);
        server.closeIdleConnections();
        await closed;
        clearTimeout(timer);
        await Promise.all([judge.close(), upstream.close()]);
        await shared?.cache.close();
      })()),
  };
}
