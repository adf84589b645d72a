/**
 * `/npm/`: an npm registry that judges before it serves.
 *
 *   GET /npm/<name>, /npm/@scope%2fname, /npm/@scope/name   packument (full or abbreviated by Accept)
 *   GET /npm/<name>/<version|tag>                           one version's manifest
 *   GET /npm/<name>/-/<file>.tgz                            tarball, streamed from the upstream
 *   GET /npm/-/ping                                         npm ping
 *
 * Every answer about a package follows its judgement: refused (403, `{"error": …}`), served with
 * the `x-slopguard: unverified …` header, or served. Nothing is served that the upstream did not
 * answer: an upstream that is down is a 502, never a 200.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { PackageResult } from '../core/types.js';
import { gateNpmDocument } from './age-gate.js';
import type { Route, ServeContext } from './context.js';
import { clientDocument, matchesEtag, serialise, tarballFile, tarballsFor, wantsAbbreviated, type Serialised } from './npm-document.js';
import { npmNameProblem } from '../core/specs.js';
import { invalidName, notServed, refusalFor, sendNpm, tooYoung, unverifiedHeader, upstreamDown, type Refusal } from './refusal.js';
import { SERVE_TEXT } from '../reporters/messages.js';

/** What a path under /npm/ asks for. */
type NpmRequest =
  | { kind: 'packument'; name: string }
  | { kind: 'manifest'; name: string; version: string }
  | { kind: 'tarball'; name: string; file: string }
  | { kind: 'ping' }
  | { kind: 'other' };

/** Read the path after `/npm/` (still percent-encoded). Throws URIError for bad escapes. */
export function parseNpmPath(rest: string): NpmRequest {
  if (rest === '-/ping' || rest.startsWith('-/ping?')) return { kind: 'ping' };
  if (!rest || rest.startsWith('-/')) return { kind: 'other' };
  const parts = rest.split('/');
  let name: string;
  let tail: string[];
  if (parts[0]!.startsWith('@') && !/%2f/i.test(parts[0]!)) {
    if (parts.length < 2) return { kind: 'other' };
    name = `${decodeURIComponent(parts[0]!)}/${decodeURIComponent(parts[1]!)}`;
    tail = parts.slice(2);
  } else {
    name = decodeURIComponent(parts[0]!);
    tail = parts.slice(1);
  }
  if (tail.length === 0 || (tail.length === 1 && tail[0] === '')) return { kind: 'packument', name };
  if (tail.length === 2 && tail[0] === '-' && tail[1]) return { kind: 'tarball', name, file: decodeURIComponent(tail[1]) };
  if (tail.length === 1) return { kind: 'manifest', name, version: decodeURIComponent(tail[0]!) };
  return { kind: 'other' };
}

/** Serialised client documents per upstream document (dropped with it when the TTL replaces it). */
const serialised = new WeakMap<object, Map<string, Serialised>>();

/** The age gate per minute: the cutoff moves, but not per request. */
const GATE_BUCKET_MS = 60_000;

interface Served {
  doc: Record<string, unknown>;
  result: PackageResult;
  gated: number;
}

/**
 * Judge `name` and fetch its document; either a refusal (already sent and logged) or the gated
 * document to serve.
 */
async function judged(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, name: string, what: string): Promise<Served | undefined> {
  const head = req.method === 'HEAD';
  const refuse = (r: Refusal, result?: PackageResult) => {
    sendNpm(res, r, head, req.headers['user-agent']);
    ctx.decide({ ecosystem: 'npm', name, what, status: r.status, decision: r.code, reason: r.message, ...(result ? { verdict: result.verdict, codes: result.findings.map((f) => f.code), result } : {}) });
    return undefined;
  };
  // Both share the one upstream request (the judge reads the same document).
  const [judgement, answer] = await Promise.all([ctx.judge.judge('npm', name), ctx.upstream.npmDocument(name)]);
  if (judgement.kind === 'invalid') return refuse(refusalFor(judgement, ctx.policy)!);
  const result = judgement.result;
  const r = refusalFor(judgement, ctx.policy);
  if (r) return refuse(r, result);
  if (answer.kind === 'error') return refuse(upstreamDown('npm', name, answer.message), result);
  // Not found upstream but allowed (an allowlisted name): the client hears the upstream's 404.
  if (answer.kind === 'not-found') return refuse(notServed(`\`${name}\` is not in the upstream registry`), result);
  let doc = answer.doc;
  let gated = 0;
  if (ctx.minReleaseAgeDays > 0) {
    const g = gateNpmDocument(doc, { cutoffMs: ctx.cutoffMs(), dropUnknown: ctx.policy.failClosed });
    if (g.kept === 0) return refuse(tooYoung('npm', name, ctx.minReleaseAgeDays), result);
    doc = g.doc;
    gated = g.removed.length;
  }
  return { doc, result, gated };
}

function verdictHeaders(result: PackageResult, gated: number, days: number): Record<string, string> {
  const h: Record<string, string> = {};
  const parts = [result.verdict === 'unknown' ? unverifiedHeader(result) : result.verdict];
  if (gated) parts.push(SERVE_TEXT.ageGated(gated, 'version', days));
  h['x-slopguard'] = parts.join('; ');
  return h;
}

async function servePackument(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, name: string): Promise<void> {
  const abbreviated = wantsAbbreviated(req.headers.accept);
  const what = abbreviated ? 'abbreviated' : 'packument';
  // Not awaited before judging: the judge's download-count question must start with the
  // document request, not after it (awaiting first made every packument two round trips).
  const pending = ctx.upstream.npmDocument(name);
  const s = await judged(req, res, ctx, name, what);
  if (!s) return;
  // The client asks for the dependencies next: they are judged now (Judge.readAhead).
  ctx.judge.readAhead(s.doc);
  const upstreamDoc = await pending;
  const base = ctx.baseUrl(req);
  const tarballs = tarballsFor(ctx.tarballs, req.headers['user-agent']);
  const key = `${abbreviated ? 'a' : 'f'}|${tarballs === 'upstream' ? '' : base}|${ctx.minReleaseAgeDays ? Math.floor(ctx.cutoffMs() / GATE_BUCKET_MS) : 0}`;
  const owner = upstreamDoc.kind === 'doc' ? upstreamDoc.doc : s.doc;
  let byKey = serialised.get(owner);
  if (!byKey) serialised.set(owner, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) {
    // Bounded: the base comes from the Host header, which a client chooses.
    if (byKey.size >= 8) byKey.clear();
    byKey.set(key, (out = serialise(clientDocument(s.doc, { base, name, abbreviated, tarballs }))));
  }
  const headers = { etag: out.etag, 'cache-control': 'max-age=60', ...verdictHeaders(s.result, s.gated, ctx.minReleaseAgeDays) };
  const decision = s.result.verdict === 'unknown' ? 'unverified' : 'allowed';
  const codes = s.result.findings.map((f) => f.code);
  if (matchesEtag(req.headers['if-none-match'], out.etag)) {
    res.writeHead(304, headers).end();
  } else {
    res.writeHead(200, { ...headers, 'content-type': abbreviated ? 'application/vnd.npm.install-v1+json' : 'application/json', 'content-length': out.body.length });
    res.end(req.method === 'HEAD' ? undefined : out.body);
  }
  ctx.decide({ ecosystem: 'npm', name, what, status: res.statusCode, decision, verdict: s.result.verdict, codes, result: s.result, ...(s.gated ? { gated: s.gated } : {}), ...(decision === 'unverified' ? { reason: unverifiedHeader(s.result) } : {}) });
}

function versionOf(doc: Record<string, unknown>, wanted: string): string | undefined {
  const versions = (doc.versions ?? {}) as Record<string, unknown>;
  if (versions[wanted]) return wanted;
  const tag = ((doc['dist-tags'] ?? {}) as Record<string, unknown>)[wanted];
  return typeof tag === 'string' && versions[tag] ? tag : undefined;
}

async function serveManifest(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, name: string, wanted: string): Promise<void> {
  const pending = ctx.upstream.npmDocument(name);
  const s = await judged(req, res, ctx, name, 'manifest');
  if (!s) return;
  const upstreamDoc = await pending;
  const v = versionOf(s.doc, wanted);
  if (!v) {
    // Gone because of the gate (the upstream has it): say so, rather than a bare 404.
    const upstreamHas = upstreamDoc.kind === 'doc' && versionOf(upstreamDoc.doc, wanted) !== undefined;
    const r = upstreamHas ? tooYoung('npm', name, ctx.minReleaseAgeDays, wanted) : notServed(`\`${name}\` has no version or tag \`${wanted}\``);
    sendNpm(res, r, req.method === 'HEAD', req.headers['user-agent']);
    ctx.decide({ ecosystem: 'npm', name, what: 'manifest', status: r.status, decision: r.code, reason: r.message });
    return;
  }
  const doc = clientDocument({ ...s.doc, versions: { [v]: ((s.doc.versions ?? {}) as Record<string, unknown>)[v] } }, { base: ctx.baseUrl(req), name, abbreviated: false, tarballs: tarballsFor(ctx.tarballs, req.headers['user-agent']) });
  const out = serialise(((doc.versions ?? {}) as Record<string, unknown>)[v]);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.body.length, etag: out.etag, ...verdictHeaders(s.result, s.gated, ctx.minReleaseAgeDays) });
  res.end(req.method === 'HEAD' ? undefined : out.body);
  ctx.decide({ ecosystem: 'npm', name, what: 'manifest', status: 200, decision: s.result.verdict === 'unknown' ? 'unverified' : 'allowed', verdict: s.result.verdict, result: s.result });
}

async function serveTarball(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, name: string, file: string): Promise<void> {
  const pending = ctx.upstream.npmDocument(name);
  const s = await judged(req, res, ctx, name, 'tarball');
  if (!s) return;
  const upstreamDoc = await pending;
  const refuse = (r: Refusal) => {
    sendNpm(res, r, req.method === 'HEAD', req.headers['user-agent']);
    ctx.decide({ ecosystem: 'npm', name, what: 'tarball', status: r.status, decision: r.code, reason: r.message });
  };
  // Find the version by its upstream tarball's file name, in the upstream (ungated) document, so a
  // gated version is refused with the reason instead of a bare 404.
  const all = (upstreamDoc.kind === 'doc' ? upstreamDoc.doc.versions : {}) as Record<string, { dist?: { tarball?: unknown } }>;
  const hit = Object.entries(all ?? {}).find(([, m]) => typeof m?.dist?.tarball === 'string' && tarballFile(m.dist.tarball) === file);
  if (!hit) return refuse(notServed(`\`${name}\` has no tarball \`${file}\``));
  const [version, manifest] = hit;
  if (!((s.doc.versions ?? {}) as Record<string, unknown>)[version]) return refuse(tooYoung('npm', name, ctx.minReleaseAgeDays, version));
  let up;
  try {
    up = await ctx.upstream.npmTarball(name, manifest.dist!.tarball as string, req.headers);
  } catch (e) {
    return refuse(upstreamDown('npm', name, ctx.upstream.redact(e instanceof Error ? e.message : String(e))));
  }
  if (up.status !== 200) {
    up.body.resume();
    return refuse(up.status === 404 ? notServed(`the upstream has no \`${file}\``) : upstreamDown('npm', name, `HTTP ${up.status}`));
  }
  res.writeHead(200, { ...up.headers, ...verdictHeaders(s.result, 0, ctx.minReleaseAgeDays) });
  if (req.method === 'HEAD') {
    up.body.destroy();
    res.end();
  } else {
    // A broken upstream stream ends the response early: the client sees a short body and fails
    // its integrity check, never a complete-looking wrong file.
    await pipeline(up.body, res).catch(() => res.destroy());
  }
  ctx.decide({ ecosystem: 'npm', name, what: 'tarball', status: 200, decision: s.result.verdict === 'unknown' ? 'unverified' : 'allowed', verdict: s.result.verdict, result: s.result });
}

/** The npm registry front. */
export const npmRoute: Route = {
  prefix: '/npm/',
  async handle(req, res, url, ctx) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendNpm(res, { code: 'not-served', status: 405, message: 'slopguard serve is a read-only registry: publish to the upstream' });
    let r: NpmRequest;
    try {
      r = parseNpmPath(url.pathname.slice('/npm/'.length));
    } catch {
      return sendNpm(res, notServed('the package name in the path is not valid percent-encoding'));
    }
    switch (r.kind) {
      case 'ping':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}\n');
        return;
      case 'other':
        return sendNpm(res, notServed(`${url.pathname} is not served (packuments, versions and tarballs are)`));
    }
    // A name no registry can have is refused here, before anything is asked upstream.
    const problem = npmNameProblem(r.name);
    if (problem) {
      const refusal = invalidName(`\`${r.name}\`: ${problem}`);
      sendNpm(res, refusal, req.method === 'HEAD', req.headers['user-agent']);
      ctx.decide({ ecosystem: 'npm', name: r.name, what: r.kind, status: refusal.status, decision: refusal.code, reason: refusal.message });
      return;
    }
    switch (r.kind) {
      case 'packument':
        return servePackument(req, res, ctx, r.name);
      case 'manifest':
        return serveManifest(req, res, ctx, r.name, r.version);
      case 'tarball':
        return serveTarball(req, res, ctx, r.name, r.file);
    }
  },
};
