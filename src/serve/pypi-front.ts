/**
 * `/pypi/`: a PyPI index that judges before it serves.
 *
 *   GET /pypi/simple/<project>/        PEP 503 HTML or PEP 691 JSON (by Accept, passed upstream)
 *   GET /pypi/pypi/<project>/json      the JSON API
 *
 * File URLs are made absolute and keep pointing at the upstream's file host. Why not through the
 * guard: pip, uv and poetry take the file's sha256 from the page the guard judged and verify the
 * download against it, and a PyPI project has no lockfile path that skips the index (unlike npm
 * tarball URLs), so the decision at the page covers the file. It also keeps the guard from being a
 * proxy for arbitrary file URLs.
 *
 * The age gate needs upload times: PEP 691 JSON pages carry them (PEP 700 `upload-time`); for
 * HTML pages they are read from the JSON API of the PyPI the guard judges against.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizePypiName, PYPI_NAME } from '../core/names.js';
import type { PackageResult } from '../core/types.js';
import { gateJsonApi, gateSimpleHtml, gateSimpleJson, uploadTimesFromJsonApi } from './age-gate.js';
import type { Route, ServeContext } from './context.js';
import { notServed, refusalFor, sendPypi, tooYoung, unverifiedHeader, upstreamDown, type Refusal } from './refusal.js';
import { SERVE_TEXT } from '../reporters/messages.js';

const PEP691 = 'application/vnd.pypi.simple.v1+json';

/** The simple index the guard fronts (a private index from pip config, else PyPI's own). */
function indexBase(ctx: ServeContext): string {
  const s = ctx.upstream.settings;
  const base = s.pypiIndexUrl ?? `${s.pypiUrl.replace(/\/+$/, '')}/simple/`;
  return base.endsWith('/') ? base : `${base}/`;
}

/** A URL without credentials (file links must not carry the guard's upstream auth to clients). */
function withoutUserinfo(u: URL): string {
  const c = new URL(u.toString());
  c.username = '';
  c.password = '';
  return c.toString();
}

/** Make every href absolute against the page's upstream URL. */
function absoluteHrefs(html: string, page: URL): string {
  return html.replace(/href\s*=\s*"([^"]*)"/gi, (whole, href: string) => {
    try {
      return `href="${withoutUserinfo(new URL(href.replace(/&amp;/g, '&'), page)).replace(/&/g, '&amp;')}"`;
    } catch {
      return whole;
    }
  });
}

async function uploadTimes(ctx: ServeContext, project: string): Promise<Map<string, number>> {
  try {
    const r = await ctx.upstream.pypiGet(`${ctx.upstream.settings.pypiUrl.replace(/\/+$/, '')}/pypi/${project}/json`, 'application/json');
    if (r.status !== 200) return new Map();
    return uploadTimesFromJsonApi(JSON.parse(r.body.toString('utf8')) as Record<string, unknown>);
  } catch {
    return new Map();
  }
}

interface Judged {
  result: PackageResult;
  refuse: (r: Refusal) => void;
}

async function judge(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, project: string, what: string): Promise<Judged | undefined> {
  const head = req.method === 'HEAD';
  let result: PackageResult | undefined;
  const refuse = (r: Refusal) => {
    sendPypi(res, r, head);
    ctx.decide({ ecosystem: 'pypi', name: project, what, status: r.status, decision: r.code, reason: r.message, ...(result ? { verdict: result.verdict, codes: result.findings.map((f) => f.code), result } : {}) });
  };
  const j = await ctx.judge.judge('pypi', project);
  const r = refusalFor(j, ctx.policy);
  if (j.kind === 'result') result = j.result;
  if (r || !result) {
    refuse(r!);
    return undefined;
  }
  return { result, refuse };
}

function send(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, j: Judged, project: string, what: string, body: string, contentType: string, gated: number): void {
  const notes = [j.result.verdict === 'unknown' ? unverifiedHeader(j.result) : j.result.verdict];
  if (gated) notes.push(SERVE_TEXT.ageGated(gated, 'file', ctx.minReleaseAgeDays));
  const buf = Buffer.from(body);
  res.writeHead(200, { 'content-type': contentType, 'content-length': buf.length, 'x-slopguard': notes.join('; '), 'cache-control': 'max-age=60' });
  res.end(req.method === 'HEAD' ? undefined : buf);
  const decision = j.result.verdict === 'unknown' ? 'unverified' : 'allowed';
  ctx.decide({ ecosystem: 'pypi', name: project, what, status: 200, decision, verdict: j.result.verdict, codes: j.result.findings.map((f) => f.code), result: j.result, ...(gated ? { gated } : {}) });
}

async function serveSimple(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, project: string): Promise<void> {
  const j = await judge(req, res, ctx, project, 'simple');
  if (!j) return;
  const page = new URL(`${indexBase(ctx)}${project}/`);
  let up;
  try {
    up = await ctx.upstream.pypiGet(page.toString(), req.headers.accept);
  } catch (e) {
    return j.refuse(upstreamDown('pypi', project, ctx.upstream.redact(e instanceof Error ? e.message : String(e))));
  }
  if (up.status === 404) return j.refuse(notServed(`\`${project}\` is not in the upstream index`));
  if (up.status !== 200) return j.refuse(upstreamDown('pypi', project, `HTTP ${up.status}`));
  const type = up.headers['content-type'] ?? 'text/html';
  const gate = { cutoffMs: ctx.cutoffMs(), dropUnknown: ctx.policy.failClosed };
  const on = ctx.minReleaseAgeDays > 0;
  if (type.includes(PEP691)) {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(up.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return j.refuse(upstreamDown('pypi', project, 'the index answered malformed JSON'));
    }
    const files = Array.isArray(doc.files) ? (doc.files as Array<Record<string, unknown>>) : [];
    doc = { ...doc, files: files.map((f) => (typeof f.url === 'string' ? { ...f, url: withoutUserinfo(new URL(f.url, page)) } : f)) };
    let gated = 0;
    if (on) {
      const needTimes = files.some((f) => f['upload-time'] === undefined);
      const g = gateSimpleJson(doc, needTimes ? await uploadTimes(ctx, project) : new Map(), gate);
      if (g.kept === 0) return j.refuse(tooYoung('pypi', project, ctx.minReleaseAgeDays));
      doc = g.doc;
      gated = g.removed.length;
    }
    return send(req, res, ctx, j, project, 'simple', JSON.stringify(doc), type, gated);
  }
  let html = absoluteHrefs(up.body.toString('utf8'), page);
  let gated = 0;
  if (on) {
    const g = gateSimpleHtml(html, await uploadTimes(ctx, project), gate);
    if (g.kept === 0) return j.refuse(tooYoung('pypi', project, ctx.minReleaseAgeDays));
    html = g.doc;
    gated = g.removed.length;
  }
  send(req, res, ctx, j, project, 'simple', html, type, gated);
}

async function serveJsonApi(req: IncomingMessage, res: ServerResponse, ctx: ServeContext, project: string): Promise<void> {
  const j = await judge(req, res, ctx, project, 'json');
  if (!j) return;
  let up;
  try {
    up = await ctx.upstream.pypiGet(`${ctx.upstream.settings.pypiUrl.replace(/\/+$/, '')}/pypi/${project}/json`, 'application/json');
  } catch (e) {
    return j.refuse(upstreamDown('pypi', project, ctx.upstream.redact(e instanceof Error ? e.message : String(e))));
  }
  if (up.status === 404) return j.refuse(notServed(`\`${project}\` is not on the upstream PyPI`));
  if (up.status !== 200) return j.refuse(upstreamDown('pypi', project, `HTTP ${up.status}`));
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(up.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return j.refuse(upstreamDown('pypi', project, 'the JSON API answered malformed JSON'));
  }
  let gated = 0;
  if (ctx.minReleaseAgeDays > 0) {
    const g = gateJsonApi(doc, { cutoffMs: ctx.cutoffMs(), dropUnknown: ctx.policy.failClosed });
    if (g.kept === 0) return j.refuse(tooYoung('pypi', project, ctx.minReleaseAgeDays));
    doc = g.doc;
    gated = g.removed.length;
  }
  send(req, res, ctx, j, project, 'json', JSON.stringify(doc), 'application/json', gated);
}

/** The PyPI index front. */
export const pypiRoute: Route = {
  prefix: '/pypi/',
  async handle(req, res, url, ctx) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendPypi(res, { code: 'not-served', status: 405, message: 'slopguard serve is a read-only index' });
    const simple = /^\/pypi\/simple\/([^/]+)(\/?)$/.exec(url.pathname);
    const json = /^\/pypi\/pypi\/([^/]+)\/json\/?$/.exec(url.pathname);
    const raw = simple?.[1] ?? json?.[1];
    if (!raw) return sendPypi(res, notServed(`${url.pathname} is not served (/pypi/simple/<project>/ and /pypi/pypi/<project>/json are)`));
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      return sendPypi(res, notServed('the project name in the path is not valid percent-encoding'));
    }
    if (!PYPI_NAME.test(name)) return sendPypi(res, { code: 'invalid-name', status: 400, message: 'slopguard refused the request: not a valid PyPI project name (PEP 508)' });
    const project = normalizePypiName(name);
    if (simple && (simple[2] !== '/' || project !== raw)) {
      // PEP 503: the canonical URL ends in a slash and uses the normalised name.
      res.writeHead(301, { location: `/pypi/simple/${project}/` }).end();
      return;
    }
    return simple ? serveSimple(req, res, ctx, project) : serveJsonApi(req, res, ctx, project);
  },
};
