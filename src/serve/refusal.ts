/**
 * What the guard answers when it does not serve a package (the sentences live in
 * reporters/messages.ts, SERVE_TEXT).
 *
 * The reason must reach the person at the client, and each client shows a different part of an
 * error response: npm, pnpm, yarn and bun print the `error` field of a JSON body (npm as
 * `403 Forbidden - GET <url> - <error>`), pip prints only the status line (`403 Client Error:
 * <reason phrase> for url: …`). So npm refusals are `{"error": "…"}` and PyPI refusals carry the
 * sentence both in a text body and as the HTTP reason phrase.
 */
import type { ServerResponse } from 'node:http';
import type { Ecosystem, PackageResult, Policy } from '../core/types.js';
import type { Judgement } from './judge.js';
import { SERVE_TEXT } from '../reporters/messages.js';
import { escapeForTerminal } from '../reporters/escape.js';

/** Why a request was not answered with the upstream's document. */
export type RefusalCode =
  /** Judged bad (verdict at or above --fail-on). */
  | 'blocked'
  /** Could not be judged, and --fail-closed is set. */
  | 'unverified'
  /** Every version is younger than --min-release-age (or the asked one is). */
  | 'too-young'
  /** Not a name the registry can have. */
  | 'invalid-name'
  /** The upstream registry could not be asked. */
  | 'upstream'
  /** Not something the guard serves (a path, a file, a version the document does not have). */
  | 'not-served';

/** A refusal: the HTTP status and the one sentence saying why. */
export interface Refusal {
  code: RefusalCode;
  status: number;
  message: string;
}

const STATUS: Record<RefusalCode, number> = { blocked: 403, unverified: 503, 'too-young': 403, 'invalid-name': 400, upstream: 502, 'not-served': 404 };

function refusal(code: RefusalCode, message: string): Refusal {
  // Names and registry text are untrusted: no control characters reach a terminal through them.
  return { code, status: STATUS[code], message: escapeForTerminal(message) };
}


/** A package judged bad: the finding and the "did you mean". */
export function blocked(result: PackageResult): Refusal {
  return refusal('blocked', SERVE_TEXT.blocked(result));
}

/** A package nobody could judge, refused because the guard runs --fail-closed. */
export function unverified(result: PackageResult): Refusal {
  return refusal('unverified', SERVE_TEXT.unverified(result));
}

/** The warning header value for a package served although it could not be judged. */
export function unverifiedHeader(result: PackageResult): string {
  return headerSafe(SERVE_TEXT.unverifiedHeader(result));
}

/** Nothing old enough to serve (no `version`), or the version asked for is too young. */
export function tooYoung(ecosystem: Ecosystem, name: string, days: number, version?: string): Refusal {
  return refusal('too-young', SERVE_TEXT.tooYoung(ecosystem, name, days, version));
}

export function invalidName(message: string): Refusal {
  return refusal('invalid-name', SERVE_TEXT.invalidName(message));
}

export function upstreamDown(ecosystem: Ecosystem, name: string, why: string): Refusal {
  return refusal('upstream', SERVE_TEXT.upstreamDown(ecosystem, name, why));
}

export function notServed(what: string): Refusal {
  return refusal('not-served', SERVE_TEXT.notServed(what));
}

/** A header value: printable ASCII only, bounded (Node refuses control characters in headers). */
export function headerSafe(text: string, max = 400): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > max ? `${ascii.slice(0, max - 3)}...` : ascii;
}

/**
 * Answer an npm client: `{"error": "…"}`, which npm prints after its `403 Forbidden - GET <url>`.
 * pnpm, yarn and bun print only the status line's reason phrase (`Forbidden - 403`), so for them
 * the sentence is the reason phrase too; npm keeps the standard phrase, or it would print the
 * sentence twice.
 */
export function sendNpm(res: ServerResponse, r: Refusal, head = false, userAgent = ''): void {
  const body = `${JSON.stringify({ error: r.message })}\n`;
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-slopguard': headerSafe(`${r.code}: ${r.message}`) };
  if (/^npm\//.test(userAgent)) res.writeHead(r.status, headers);
  else res.writeHead(r.status, headerSafe(r.message, 600), headers);
  res.end(head ? undefined : body);
}

/** Answer a PyPI client: the sentence as reason phrase (what pip prints) and as a text body (what uv prints). */
export function sendPypi(res: ServerResponse, r: Refusal, head = false): void {
  const body = `${r.message}\n`;
  res.writeHead(r.status, headerSafe(r.message, 300), { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-slopguard': headerSafe(`${r.code}: ${r.message}`) });
  res.end(head ? undefined : body);
}

/**
 * The refusal a judgement calls for under `policy`, or undefined to serve. A verdict at or above
 * --fail-on is refused; `unknown` is refused only under --fail-closed (otherwise the front serves
 * it with the unverified header).
 */
export function refusalFor(j: Judgement, policy: Policy): Refusal | undefined {
  if (j.kind === 'invalid') return invalidName(j.message);
  // Monitor mode refuses nothing it judged (the audit log records it as `monitored`).
  if (policy.mode === 'monitor') return undefined;
  const v = j.result.verdict;
  // Under --fail-closed the pipeline blocks what it could not check: that is a 503 (try again
  // later), not a judgement about the package.
  const blocking = j.result.findings.filter((f) => f.severity === 'block');
  if (v === 'block' && blocking.length > 0 && blocking.every((f) => f.code === 'unverified')) return unverified(j.result);
  if (v === 'block' || (v === 'warn' && policy.failOn === 'warn')) return blocked(j.result);
  if (v === 'unknown' && policy.failClosed) return unverified(j.result);
  return undefined;
}
