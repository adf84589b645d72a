/**
 * `POST /v1/check` (issue 15's central check): CI jobs and agents ask one service instead of each
 * asking the registries. The body names package specs or whole manifests and lockfiles:
 *
 *   {"specs": ["npm:name", "pypi:name==1.2", "lodash@4"]}
 *   {"files": [{"path": "package-lock.json", "content": "…"}]}
 *
 * and the answer is the JSON report of `--format json` (schema version 1), status 200. Packages are
 * judged by the guard's own judge, so a name any client (or an install through the guard) asked
 * about recently is answered from the guard's memory. A malformed body is 400 naming the field.
 * Stateless across instances: every answer depends only on the body and the registries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { packageKey } from '../core/names.js';
import { parseSpecs } from '../core/specs.js';
import type { Ecosystem, ExtractNote, PackageRef, PackageResult, Report } from '../core/types.js';
import { extractDocument, findExtractor } from '../extractors/index.js';
import { renderJson } from '../reporters/json.js';
import { summarize } from '../core/summary.js';
import type { Route, ServeContext } from './context.js';

/** Bodies past this are refused (a large monorepo's lockfiles fit many times over). */
const MAX_BODY = 32 * 1024 * 1024;
/** Names one request may ask about. */
const MAX_NAMES = 20_000;

/** A request the route cannot take, with the field that is wrong. */
class BadRequest extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY) throw new BadRequest('(body)', `the body is ${declared} bytes; at most ${MAX_BODY} are read`, 413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BadRequest('(body)', `the body is over ${MAX_BODY} bytes`, 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The refs and notes a body names. */
function refsOf(body: unknown): { refs: PackageRef[]; notes: ExtractNote[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('(body)', 'expected a JSON object with "specs" or "files"');
  const o = body as Record<string, unknown>;
  const refs: PackageRef[] = [];
  const notes: ExtractNote[] = [];
  if (o.specs === undefined && o.files === undefined) throw new BadRequest('specs', 'expected "specs" (an array of package specs) or "files" (an array of {path, content})');
  if (o.specs !== undefined) {
    if (!Array.isArray(o.specs) || !o.specs.every((s) => typeof s === 'string')) throw new BadRequest('specs', 'expected an array of strings such as "npm:lodash" or "pypi:requests==2.32"');
    const parsed = parseSpecs(o.specs as string[], 'npm', '<request>');
    if (parsed.errors.length) throw new BadRequest('specs', parsed.errors.join('; '));
    refs.push(...parsed.refs);
  }
  if (o.files !== undefined) {
    if (!Array.isArray(o.files)) throw new BadRequest('files', 'expected an array of {"path": "...", "content": "..."}');
    o.files.forEach((f: unknown, i) => {
      const file = f as Record<string, unknown> | null;
      if (!file || typeof file !== 'object' || typeof file.path !== 'string' || typeof file.content !== 'string') throw new BadRequest(`files[${i}]`, 'expected {"path": "...", "content": "..."} with both strings');
      if (!findExtractor(file.path)) {
        notes.push({ level: 'error', code: 'unknown-format', message: `${file.path}: not a manifest or lockfile format slopguard reads`, origin: { file: file.path } });
        return;
      }
      const got = extractDocument({ path: file.path, text: file.content });
      refs.push(...got.refs);
      notes.push(...got.notes);
    });
  }
  if (refs.length > MAX_NAMES) throw new BadRequest(o.files !== undefined ? 'files' : 'specs', `${refs.length} names; at most ${MAX_NAMES} a request`);
  return { refs, notes };
}


/** Judge every registry ref once (the guard's judge shares answers across requests and clients). */
async function reportOf(refs: readonly PackageRef[], notes: ExtractNote[], ctx: ServeContext): Promise<Report> {
  const groups = new Map<string, { ecosystem: Ecosystem; name: string; refs: PackageRef[] }>();
  for (const r of refs) {
    if ((r.source ?? 'registry') !== 'registry') continue;
    const key = packageKey(r.ecosystem, r.name);
    const g = groups.get(key) ?? { ecosystem: r.ecosystem, name: r.name, refs: [] };
    g.refs.push(r);
    groups.set(key, g);
  }
  const packages: PackageResult[] = [];
  await Promise.all(
    [...groups.values()].map(async (g) => {
      const j = await ctx.judge.judge(g.ecosystem, g.name);
      if (j.kind === 'invalid') {
        notes.push({ level: 'warning', code: 'invalid-name', message: j.message, origin: g.refs[0]?.origin ?? { file: '<request>' }, name: g.name, ecosystem: g.ecosystem });
        return;
      }
      const origins = g.refs.flatMap((r) => (r.origin && r.origin.file !== '<request>' ? [r.origin] : []));
      const specs = [...new Set(g.refs.map((r) => r.spec).filter((s): s is string => !!s))];
      packages.push({ ...j.result, origins, ...(specs.length ? { specs } : {}) });
    }),
  );
  // The order of the request, not of the answers.
  const order = [...groups.keys()];
  packages.sort((a, b) => order.indexOf(packageKey(a.ecosystem, a.name)) - order.indexOf(packageKey(b.ecosystem, b.name)));
  return { schemaVersion: 1, summary: summarize(packages), packages, notes };
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** `POST /v1/check`. */
export const checkRoute: Route = {
  prefix: '/v1/check',
  async handle(req, res, _url, ctx) {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, `${JSON.stringify({ error: 'POST a JSON body: {"specs": [...]} or {"files": [{"path", "content"}]}' })}\n`);
    }
    try {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new BadRequest('(body)', `not JSON (${(e as Error).message})`);
      }
      const { refs, notes } = refsOf(body);
      const report = await reportOf(refs, notes, ctx);
      for (const p of report.packages) ctx.decide({ ecosystem: p.ecosystem, name: p.name, what: 'check', status: 200, decision: p.verdict === 'unknown' ? 'unverified' : 'allowed', verdict: p.verdict, codes: p.findings.map((f) => f.code) });
      sendJson(res, 200, renderJson(report));
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      sendJson(res, e.status, `${JSON.stringify({ error: e.message, field: e.field })}\n`);
    }
  },
};
