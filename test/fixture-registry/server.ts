/**
 * The loopback fixture registry every test uses instead of the real registries.
 *
 * One server on 127.0.0.1 serves all four APIs on non-overlapping paths, so a test points
 * `--npm-registry`, `--npm-downloads-api`, `--pypi-url` and `--pypistats-api` at the same `url`:
 *
 *   /<name>, /@scope%2fname, /@scope/name      npm packument (full; corgi with the install Accept)
 *   /downloads/point/last-week/<a>[,<b>...]    npm downloads API (single and bulk shapes)
 *   /pypi/<name>/json                          PyPI JSON API (301 to the normalised name)
 *   [/<prefix>]/simple/<name>/                 PyPI simple API (PEP 691 JSON or HTML)
 *   /api/packages/<name>/recent                pypistats
 *
 * Strict mode (the default) records every request the fixtures did not expect: a path no API
 * serves, a name that is neither a fixture nor declared `missing`, scoped names in a bulk
 * downloads request, a request without the required token. `assertNoUnexpectedRequests()`
 * throws listing them, so a test fails when the code under test asks for more than it should.
 * The other way round, `assertEveryFixtureRequested()` throws for a fixture (a package, a
 * project or a `missing` name) no request ever named: a test whose code under test stopped
 * asking passes no longer, and a fixture nobody needs is said out loud. `withFixtureRegistry`
 * runs both checks in strict mode unless told `allowUnrequested`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { applyFault, faultMatches, type Fault, type FaultTarget, type FixtureApi, type NormalAnswer } from './faults.js';
import { corgiOf, pep503, simpleHtmlOf, simpleJsonOf, type NpmPackageFixture, type PypiProjectFixture } from './fixtures.js';

export * from './fixtures.js';
export * from './faults.js';

/** What a test serves. */
export interface RegistryFixtures {
  npm?: NpmPackageFixture[];
  pypi?: PypiProjectFixture[];
  /**
   * Names the test expects to be asked about and answered 404 (or `null` in bulk downloads).
   * A request about any other unknown name is recorded as unexpected in strict mode.
   */
  missing?: { npm?: string[]; pypi?: string[] };
  faults?: Fault[];
}

/** Options of {@link startFixtureRegistry}. */
export interface FixtureRegistryOptions {
  /** Delay before every answer. */
  latencyMs?: number;
  /** Record unexpected requests (default true). */
  strict?: boolean;
  /**
   * Require `Authorization: Bearer <token>` on npm packument requests (a private registry);
   * without it the answer is 401 and the request is recorded as unexpected.
   */
  token?: string;
  /** Serve the simple API as HTML whatever the Accept header says (an HTML-only private index). */
  simpleHtmlOnly?: boolean;
  /**
   * `withFixtureRegistry` only: do not fail for fixtures no request named (a fixture set shared by
   * many cases, of which each case asks for a few). Unexpected requests still fail in strict mode.
   */
  allowUnrequested?: boolean;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path with query, as sent. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
}

/** An unexpected request and why it was unexpected. */
export interface UnexpectedRequest extends RecordedRequest {
  reason: string;
}

/** A running fixture registry. */
export interface FixtureRegistry {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  /** Requests strict mode did not expect. */
  unexpected: UnexpectedRequest[];
  /** TCP connections accepted so far (keep-alive reuses them). */
  readonly connections: number;
  /** Throws an Error listing the unexpected requests, if any. */
  assertNoUnexpectedRequests(): void;
  /** Fixtures no request has named so far (`npm:<name>`, `pypi:<normalised name>`), fixtures and `missing` names alike. */
  unrequested(): string[];
  /** Throws an Error listing {@link FixtureRegistry.unrequested}, if any. */
  assertEveryFixtureRequested(): void;
  /** How many requests match: a path prefix (query ignored), a RegExp on the path, or a predicate. */
  count(filter: string | RegExp | ((r: RecordedRequest) => boolean)): number;
  /** Add or replace a package / project (by name) while running. */
  setNpm(pkg: NpmPackageFixture): void;
  setPypi(project: PypiProjectFixture): void;
  /** Remove a package / project; later requests for it 404 (and are unexpected unless declared missing). */
  removeNpm(name: string): void;
  removePypi(name: string): void;
  /** Declare more expected-missing names. */
  addMissing(ecosystem: 'npm' | 'pypi', name: string): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Forget recorded requests (not the unexpected ones). */
  clearRequests(): void;
  /** Stop listening and destroy open sockets (hung requests included). */
  close(): Promise<void>;
}

const CORGI = 'application/vnd.npm.install-v1+json';
const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
const BULK_MAX = 128;

/** Start a fixture registry on 127.0.0.1 with a free port. */
export async function startFixtureRegistry(fixtures: RegistryFixtures = {}, opts: FixtureRegistryOptions = {}): Promise<FixtureRegistry> {
  const strict = opts.strict ?? true;
  const npm = new Map<string, NpmPackageFixture>();
  const pypi = new Map<string, PypiProjectFixture>();
  for (const p of fixtures.npm ?? []) npm.set(p.name, p);
  for (const p of fixtures.pypi ?? []) pypi.set(p.normalized, p);
  const missingNpm = new Set(fixtures.missing?.npm ?? []);
  const missingPypi = new Set((fixtures.missing?.pypi ?? []).map(pep503));
  // Names some request asked about, by ecosystem (PyPI names normalised), for unrequested().
  const askedNpm = new Set<string>();
  const askedPypi = new Set<string>();
  const faults: Array<{ fault: Fault; left: number }> = (fixtures.faults ?? []).map((fault) => ({ fault, left: fault.times ?? Infinity }));
  const requests: RecordedRequest[] = [];
  const unexpected: UnexpectedRequest[] = [];
  const sockets = new Set<Socket>();
  // Delays still waiting when close() runs: cleared there, or their timers keep the process alive.
  const delays = new Set<NodeJS.Timeout>();
  let closed = false;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      unexpected.push({ ...record(req), reason: `fixture server error: ${String(e)}` });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  let connections = 0;
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Hung requests must not keep the process alive past close().
  server.keepAliveTimeout = 5_000;

  /** Resolve after `ms`; never, once the registry has closed (the socket is gone by then). */
  function wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (closed) return;
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
    });
  }

  function record(req: IncomingMessage): RecordedRequest {
    return { method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rec = record(req);
    requests.push(rec);
    const flag = (reason: string) => {
      if (strict) unexpected.push({ ...rec, reason });
    };
    const route = routeOf(rec.path);
    if (route) for (const n of route.names) (route.api === 'npm' || route.api === 'npm-downloads' ? askedNpm.add(n) : askedPypi.add(pep503(n)));
    const target: FaultTarget = { path: rec.path, names: route?.names ?? [] };
    if (route) target.api = route.api;

    const slot = faults.find((f) => f.left > 0 && faultMatches(f.fault, target));
    if (slot) slot.left--;
    const delay = (slot?.fault.latencyMs ?? 0) + (opts.latencyMs ?? 0);
    if (delay > 0) await wait(delay);

    const normal = () => answer(req, route, flag);
    if (rec.method !== 'GET' && rec.method !== 'HEAD') {
      flag(`method ${rec.method}`);
      return send(res, req, { status: 405, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"error":"method not allowed"}') });
    }
    if (slot && (await applyFault(slot.fault, req, res, normal))) return;
    return send(res, req, normal());
  }

  function send(res: ServerResponse, req: IncomingMessage, a: NormalAnswer): void {
    let body = a.body;
    const headers = { ...a.headers };
    const gzipOk = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzipOk && body.length > 0 && a.status === 200) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
      headers.vary = 'accept-encoding';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(a.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function json(status: number, value: unknown, extra: Record<string, string> = {}): NormalAnswer {
    return { status, headers: { 'content-type': 'application/json', ...extra }, body: Buffer.from(JSON.stringify(value)) };
  }

  function text(status: number, body: string, type = 'text/plain'): NormalAnswer {
    return { status, headers: { 'content-type': type }, body: Buffer.from(body) };
  }

  /** 200 with an ETag, or 304 when the client already holds that ETag. */
  function withEtag(req: IncomingMessage, a: NormalAnswer): NormalAnswer {
    const etag = `"${createHash('sha1').update(a.body).digest('hex').slice(0, 20)}"`;
    const inm = req.headers['if-none-match'];
    if (typeof inm === 'string' && inm.split(/\s*,\s*/).includes(etag)) return { status: 304, headers: { etag }, body: Buffer.alloc(0) };
    return { ...a, headers: { ...a.headers, etag, 'cache-control': 'public, max-age=300' } };
  }

  function answer(req: IncomingMessage, route: Route | undefined, flag: (reason: string) => void): NormalAnswer {
    if (!route) {
      flag('no API serves this path');
      return json(404, { error: 'Not found' });
    }
    switch (route.api) {
      case 'npm': {
        const name = route.names[0]!;
        if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
          flag('npm request without the registry token');
          return json(401, { error: 'authentication required' }, { 'www-authenticate': 'Bearer' });
        }
        const pkg = npm.get(name);
        if (!pkg) {
          if (!missingNpm.has(name)) flag(`unknown npm package ${name}`);
          return json(404, { error: 'Not found' });
        }
        const accept = String(req.headers.accept ?? '');
        const corgi = accept.includes(CORGI);
        return withEtag(req, json(200, corgi ? corgiOf(pkg.packument) : pkg.packument, { 'content-type': corgi ? CORGI : 'application/json' }));
      }
      case 'npm-downloads':
        return downloads(route, flag);
      case 'pypi-json': {
        const asked = route.names[0]!;
        const norm = pep503(asked);
        if (asked !== norm) return { status: 301, headers: { location: `/pypi/${norm}/json`, 'content-type': 'text/plain' }, body: Buffer.from('') };
        const p = pypi.get(norm);
        if (!p || p.status === 'quarantined') {
          if (!p && !missingPypi.has(norm)) flag(`unknown PyPI project ${asked}`);
          return json(404, { message: 'Not Found' });
        }
        return withEtag(req, json(200, p.json));
      }
      case 'pypi-simple': {
        const asked = route.names[0]!;
        const norm = pep503(asked);
        if (asked !== norm) return { status: 301, headers: { location: `${route.prefix}/simple/${norm}/`, 'content-type': 'text/plain' }, body: Buffer.from('') };
        const p = pypi.get(norm);
        if (!p) {
          if (!missingPypi.has(norm)) flag(`unknown PyPI project ${asked} (simple API)`);
          return text(404, '404 Not Found');
        }
        const accept = String(req.headers.accept ?? '');
        if (!opts.simpleHtmlOnly && (accept.includes(SIMPLE_JSON) || accept.includes('application/vnd.pypi.simple.latest+json'))) {
          return withEtag(req, json(200, simpleJsonOf(p), { 'content-type': SIMPLE_JSON }));
        }
        return withEtag(req, text(200, simpleHtmlOf(p), 'text/html; charset=utf-8'));
      }
      case 'pypistats': {
        const asked = route.names[0]!;
        // pypistats replaces . and _ with - but does not lower-case: send the normalised name.
        const key = asked.replace(/[._]/g, '-');
        const p = pypi.get(key);
        if (key !== pep503(asked)) flag(`pypistats asked with a name that is not PEP 503 normalised: ${asked}`);
        else if (!p && !missingPypi.has(key)) flag(`unknown PyPI project ${asked} (pypistats)`);
        if (!p || p.weeklyDownloads === undefined) return text(404, '404');
        const w = p.weeklyDownloads;
        return json(200, { data: { last_day: Math.round(w / 7), last_week: w, last_month: w * 4 }, package: key, type: 'recent_downloads' });
      }
    }
  }

  function downloadsEntry(pkg: NpmPackageFixture): Record<string, unknown> {
    return { downloads: pkg.weeklyDownloads, start: '2026-11-01', end: '2026-11-07', package: pkg.name };
  }

  function downloads(route: Route, flag: (reason: string) => void): NormalAnswer {
    const names = route.names;
    if (names.length === 1) {
      const name = names[0]!;
      const pkg = npm.get(name);
      if (!pkg && !missingNpm.has(name)) flag(`unknown npm package ${name} (downloads)`);
      if (!pkg || pkg.weeklyDownloads === undefined) return json(404, { error: `package ${name} not found` });
      return json(200, downloadsEntry(pkg));
    }
    if (names.some((n) => n.startsWith('@'))) {
      flag('scoped names in a bulk downloads request');
      return json(400, { error: 'scoped packages not supported at this time' });
    }
    if (names.length > BULK_MAX) {
      flag(`bulk downloads request with ${names.length} names (max ${BULK_MAX})`);
      return json(400, { error: `bulk queries are limited to ${BULK_MAX} packages` });
    }
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const pkg = npm.get(name);
      if (!pkg && !missingNpm.has(name)) flag(`unknown npm package ${name} (bulk downloads)`);
      out[name] = pkg && pkg.weeklyDownloads !== undefined ? downloadsEntry(pkg) : null;
    }
    return json(200, out);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const reg: FixtureRegistry = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    unexpected,
    get connections() {
      return connections;
    },
    assertNoUnexpectedRequests() {
      if (unexpected.length === 0) return;
      const lines = unexpected.map((u) => `  ${u.method} ${u.path}: ${u.reason}`);
      throw new Error(`fixture registry ${reg.url} got ${unexpected.length} unexpected request(s):\n${lines.join('\n')}`);
    },
    unrequested() {
      const npmNames = new Set([...npm.keys(), ...missingNpm]);
      const pypiNames = new Set([...pypi.keys(), ...missingPypi]);
      return [...[...npmNames].filter((n) => !askedNpm.has(n)).map((n) => `npm:${n}`), ...[...pypiNames].filter((n) => !askedPypi.has(n)).map((n) => `pypi:${n}`)];
    },
    assertEveryFixtureRequested() {
      const never = reg.unrequested();
      if (never.length === 0) return;
      throw new Error(
        `fixture registry ${reg.url}: ${never.length} fixture(s) never requested: ${never.join(', ')}\n` +
          '  (the code under test stopped asking, or the test serves more than it needs: drop the fixture, or pass allowUnrequested for a shared fixture set)',
      );
    },
    count(filter) {
      const test =
        typeof filter === 'function' ? filter : filter instanceof RegExp ? (r: RecordedRequest) => filter.test(r.path) : (r: RecordedRequest) => r.path.split('?')[0]!.startsWith(filter);
      return requests.filter(test).length;
    },
    setNpm: (p) => void npm.set(p.name, p),
    setPypi: (p) => void pypi.set(p.normalized, p),
    removeNpm: (n) => void npm.delete(n),
    removePypi: (n) => void pypi.delete(pep503(n)),
    addMissing: (eco, n) => void (eco === 'npm' ? missingNpm.add(n) : missingPypi.add(pep503(n))),
    addFault: (fault) => void faults.push({ fault, left: fault.times ?? Infinity }),
    clearFaults: () => void faults.splice(0),
    clearRequests: () => void requests.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const t of delays) clearTimeout(t);
        delays.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
  return reg;
}

/**
 * Start a registry, run `fn`, assert no unexpected requests and (strict, unless `allowUnrequested`)
 * that every fixture was requested, and close it (also on failure).
 * The usual shape of a test: `await withFixtureRegistry({ npm: [...] }, async (reg) => { ... })`.
 */
export async function withFixtureRegistry<T>(fixtures: RegistryFixtures, fn: (reg: FixtureRegistry) => Promise<T>, opts?: FixtureRegistryOptions): Promise<T> {
  const reg = await startFixtureRegistry(fixtures, opts);
  try {
    const out = await fn(reg);
    reg.assertNoUnexpectedRequests();
    if ((opts?.strict ?? true) && !opts?.allowUnrequested) reg.assertEveryFixtureRequested();
    return out;
  } finally {
    await reg.close();
  }
}

interface Route {
  api: FixtureApi;
  names: string[];
  /** For the simple API: the path before `/simple/` (private indexes live under a prefix). */
  prefix?: string;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Which API a path belongs to, and the names it asks about. */
function routeOf(rawPath: string): Route | undefined {
  const path = rawPath.split('?')[0]!;
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/downloads\/point\/last-week\/(.+)$/))) {
    const raw = decode(m[1]!);
    if (raw === undefined) return undefined;
    // A scoped name is asked alone and unencoded (`@slack/client`); otherwise a comma list.
    const names = raw.startsWith('@') && !raw.includes(',') ? [raw] : raw.split(',');
    return { api: 'npm-downloads', names };
  }
  if ((m = path.match(/^\/pypi\/([^/]+)\/json$/))) return { api: 'pypi-json', names: [decode(m[1]!) ?? m[1]!] };
  if ((m = path.match(/^((?:\/[^/]+)*)\/simple\/([^/]+)\/?$/))) return { api: 'pypi-simple', names: [decode(m[2]!) ?? m[2]!], prefix: m[1]! };
  if ((m = path.match(/^\/api\/packages\/([^/]+)\/recent$/))) return { api: 'pypistats', names: [decode(m[1]!) ?? m[1]!] };
  const segs = path.slice(1).split('/');
  if (segs.length === 1 && segs[0]) {
    const name = decode(segs[0]);
    if (name === undefined) return undefined;
    if (name.startsWith('@') && !/^@[^/]+\/[^/]+$/.test(name)) return undefined;
    return { api: 'npm', names: [name] };
  }
  if (segs.length === 2 && segs[0]!.startsWith('@') && segs[1]) return { api: 'npm', names: [`${segs[0]}/${decode(segs[1]) ?? segs[1]}`] };
  return undefined;
}
