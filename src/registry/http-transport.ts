/**
 * How HttpClient sends one GET: Node's own `http`/`https` with keep-alive agents, or undici when
 * a proxy is configured (its EnvHttpProxyAgent applies npm's `proxy`/`https-proxy`/`noproxy` and
 * the *_PROXY variables). Node's modules are part of Node itself; the undici package is ~100
 * CommonJS files that took 60-250 ms to load on this machine, which a cold run without a proxy
 * no longer pays. Retries, redirects, caps and timeouts stay in http.ts, above either transport.
 */
import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

/** A response whose body is read (or drained) by the caller. */
export interface TransportResponse {
  statusCode: number;
  /** Lower-cased names. */
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer | Uint8Array> & { destroy(): unknown };
}

/** One way of sending GETs, with the connections it keeps. */
export interface Transport {
  get(target: URL, headers: Record<string, string>, signal: AbortSignal): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** Options of {@link openTransport}. */
export interface TransportOptions {
  /** Connections kept per origin. */
  connections: number;
  timeoutMs: number;
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
}

const require = createRequire(import.meta.url);

/**
 * Node's http/https with one keep-alive agent each. Required on the first request, not imported:
 * a command that never reaches the network does not set them up (test/cli/lazy-imports).
 */
function nodeTransport(o: TransportOptions): Transport {
  const http = require('node:http') as typeof Http;
  const https = require('node:https') as typeof import('node:https');
  const agentOptions = { keepAlive: true, maxSockets: o.connections, keepAliveMsecs: 10_000 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  return {
    get: (target, headers, signal) =>
      new Promise<TransportResponse>((resolve, reject) => {
        const protocol = target.protocol as keyof typeof agents;
        const agent = agents[protocol];
        if (!agent) return reject(new Error(`unsupported protocol ${target.protocol}`));
        const send = protocol === 'https:' ? https.request : http.request;
        const req = send(target, { method: 'GET', headers, agent, signal }, (res) => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res }));
        req.on('error', reject);
        req.end();
      }),
    close: async () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** Rejects when `signal` aborts (never resolves). */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const fail = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** undici, for the proxy settings its EnvHttpProxyAgent understands. */
async function undiciTransport(o: TransportOptions & { proxy: NonNullable<TransportOptions['proxy']> }): Promise<Transport> {
  const { EnvHttpProxyAgent, request } = await import('undici');
  const dispatcher: Dispatcher = new EnvHttpProxyAgent({
    connections: o.connections,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connectTimeout: o.timeoutMs,
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    ...o.proxy,
  });
  return {
    get: async (target, headers, signal) => {
      // The abort is raced as well: a proxy that accepts the connection but never answers the
      // CONNECT kept undici's request pending past the signal (measured: still waiting after
      // 15 s with a 3 s timeout), holding the lookup beyond its budget.
      const res = await Promise.race([request(target, { dispatcher, method: 'GET', headers, signal }), aborted(signal)]);
      return { statusCode: res.statusCode, headers: res.headers, body: res.body };
    },
    close: async () => {
      await dispatcher.destroy().catch(() => undefined);
    },
  };
}

/** The transport for these settings: undici only when a proxy is configured. */
export async function openTransport(o: TransportOptions): Promise<Transport> {
  const p = o.proxy;
  return p && (p.httpProxy || p.httpsProxy) ? undiciTransport({ ...o, proxy: p }) : nodeTransport(o);
}
