/**
 * Fault injection for the fixture registry: what a flaky, hostile or overloaded registry does.
 * A fault matches requests by path or by package name (optionally one API only), applies to the
 * first `times` matching requests (default: all), and replaces the normal answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';

/** The four API families the fixture serves (paths do not overlap). */
export type FixtureApi = 'npm' | 'npm-downloads' | 'pypi-json' | 'pypi-simple' | 'pypistats';

/** Which requests a fault applies to. Give `path` or `name` (or both: both must match). */
export interface FaultMatch {
  /** Exact path (query ignored), a prefix written with a trailing `*`, or a RegExp on the path with query. */
  path?: string | RegExp;
  /** A package name: matches every API asked about it (PyPI names compared PEP 503 normalised). */
  name?: string;
  /** Restrict a `name` match to one API. */
  api?: FixtureApi;
  /** Apply to the first N matching requests, then answer normally again. Default: every request. */
  times?: number;
  /** Delay before the fault (or before the normal answer for `kind: 'latency'`). */
  latencyMs?: number;
}

/** What a fault does. */
export type FaultAction =
  /** Only the delay (`latencyMs`), then the normal answer. */
  | { kind: 'latency' }
  /** An HTTP status, e.g. 429 (with or without `Retry-After`), 500, 502, 503, 401. */
  | { kind: 'status'; status: number; retryAfter?: number | string; body?: string }
  /** Destroy the socket as soon as the request arrives (ECONNRESET on the client). */
  | { kind: 'reset' }
  /** Accept the request and never answer (the socket stays open until close()). */
  | { kind: 'hang' }
  /** The normal answer, sent `chunkBytes` at a time every `intervalMs` (a slow drip). */
  | { kind: 'drip'; chunkBytes?: number; intervalMs?: number }
  /** Promise the normal body's length, send half of it, then close the socket. */
  | { kind: 'truncate' }
  /** 200 with `application/json` and a body that is not JSON. */
  | { kind: 'invalid-json' }
  /** 200 with an HTML page (a captive portal or proxy login) instead of JSON. */
  | { kind: 'wrong-content-type' }
  /** 200, `Content-Encoding: gzip`, a small body that inflates to `bytes` (default 64 MiB) of zeros. */
  | { kind: 'gzip-bomb'; bytes?: number }
  /** 200 with a valid JSON body of `bytes` (default 33 MiB); chunked unless `declareLength`. */
  | { kind: 'oversized'; bytes?: number; declareLength?: boolean }
  /** A redirect to `location` (absolute: another host or port) with `status` (default 302). */
  | { kind: 'redirect'; location: string; status?: number };

/** One injected fault: a match and an action. */
export type Fault = FaultMatch & FaultAction;

/** What the server knows about a request when it picks a fault. */
export interface FaultTarget {
  path: string;
  api?: FixtureApi;
  /** Names the request is about (one, or several for bulk downloads), PyPI ones normalised. */
  names: string[];
}

function pathMatches(rule: string | RegExp, rawPath: string): boolean {
  if (rule instanceof RegExp) return rule.test(rawPath);
  const path = rawPath.split('?')[0]!;
  return rule.endsWith('*') ? path.startsWith(rule.slice(0, -1)) : path === rule;
}

const pep503 = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');

/** Whether `f` applies to a request (ignoring `times`). */
export function faultMatches(f: Fault, t: FaultTarget): boolean {
  if (f.path === undefined && f.name === undefined) return false;
  if (f.path !== undefined && !pathMatches(f.path, t.path)) return false;
  if (f.name !== undefined) {
    if (f.api && f.api !== t.api) return false;
    const pypi = t.api === 'pypi-json' || t.api === 'pypi-simple' || t.api === 'pypistats';
    const want = pypi ? pep503(f.name) : f.name;
    if (!t.names.some((n) => (pypi ? pep503(n) : n) === want)) return false;
  }
  return true;
}

/** The normal answer, for faults that mangle it (drip, truncate). */
export interface NormalAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const bombs = new Map<number, Promise<Buffer>>();

/** A gzip stream of `bytes` zeros, built once per size and shared by concurrent requests. */
function gzipBomb(bytes: number): Promise<Buffer> {
  let p = bombs.get(bytes);
  if (!p) bombs.set(bytes, (p = buildBomb(bytes)));
  return p;
}

async function buildBomb(bytes: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gz.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  const chunk = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!gz.write(piece)) await new Promise((r) => gz.once('drain', r));
  }
  gz.end();
  await done;
  return Buffer.concat(parts);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait until `res` can take more data or has gone away, leaving no listener behind. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Send the normal answer's head, uncompressed, promising its full length; returns the answer. */
function writeHeadPlain(res: ServerResponse, n: NormalAnswer): NormalAnswer {
  const headers: Record<string, string> = { ...n.headers, 'content-length': String(n.body.length) };
  delete headers['content-encoding'];
  res.writeHead(n.status, headers);
  return n;
}

/**
 * Answer `req` with fault `f`. `normal` computes the answer the request would otherwise get.
 * Returns false for `latency`, meaning "now answer normally".
 */
export async function applyFault(f: Fault, req: IncomingMessage, res: ServerResponse, normal: () => NormalAnswer): Promise<boolean> {
  switch (f.kind) {
    case 'latency':
      return false;
    case 'status': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
      res.writeHead(f.status, headers);
      res.end(f.body ?? JSON.stringify({ error: `fixture fault ${f.status}` }));
      return true;
    }
    case 'reset': {
      const s = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
      if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
      else s.destroy();
      return true;
    }
    case 'hang':
      // Keep the socket; close() destroys it.
      return true;
    case 'drip': {
      const n = writeHeadPlain(res, normal());
      const size = Math.max(1, f.chunkBytes ?? 16);
      for (let i = 0; i < n.body.length && !res.destroyed; i += size) {
        res.write(n.body.subarray(i, i + size));
        await sleep(f.intervalMs ?? 200);
      }
      if (!res.destroyed) res.end();
      return true;
    }
    case 'truncate': {
      const n = writeHeadPlain(res, normal());
      res.write(n.body.subarray(0, Math.floor(n.body.length / 2)));
      await sleep(20);
      req.socket.destroy();
      return true;
    }
    case 'invalid-json':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"name": "fixture", "versions": {"1.0.0": {"name": ');
      return true;
    case 'wrong-content-type':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/login">Please sign in to continue</form></body></html>');
      return true;
    case 'gzip-bomb': {
      const body = await gzipBomb(f.bytes ?? 64 * 1024 * 1024);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length) });
      res.end(body);
      return true;
    }
    case 'oversized': {
      const bytes = f.bytes ?? 33 * 1024 * 1024;
      const head = Buffer.from('{"name":"oversized","pad":"');
      const tail = Buffer.from('"}');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (f.declareLength) headers['content-length'] = String(bytes);
      res.writeHead(200, headers);
      res.write(head);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let left = bytes - head.length - tail.length;
      while (left > 0 && !res.destroyed) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!res.write(piece)) await drainOrClose(res);
      }
      if (!res.destroyed) res.end(tail);
      return true;
    }
    case 'redirect':
      res.writeHead(f.status ?? 302, { location: f.location, 'content-type': 'text/plain' });
      res.end(`redirecting to ${f.location}`);
      return true;
  }
}
