/**
 * PyPI JSON API (`<pypiUrl>/pypi/<name>/json`), asked with the PEP 503 normalised name.
 *
 * PyPI keeps no creation date: `created` is the earliest upload of any file, and releases may
 * have no files at all (`"1.0": []`), which neither date nor count as versions. A 404 covers
 * nonexistent, file-less and quarantined projects alike.
 */
import { normalizePypiName } from '../core/names.js';
import type { PackageFacts } from '../core/types.js';
import { RegistryError, type HttpClient } from './http.js';
import { pypiRepositoryUrl } from './repository.js';

/** What a PyPI request gave. */
export type PypiAnswer = { kind: 'doc'; doc: Record<string, unknown>; etag?: string } | { kind: 'not-modified' } | { kind: 'not-found' };

/** Where the facts came from. */
export interface PypiFactsContext {
  name: string;
  registry: string;
  privateRegistry: boolean;
  fetchedAt: string;
}

/** Parse a JSON body as an object, or throw an `invalid-response` RegistryError. */
export function parseJsonObject(body: Buffer, what: string, contentType: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RegistryError('invalid-response', `${what}: the answer is not JSON (content-type ${contentType || 'none'})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new RegistryError('invalid-response', `${what}: the answer is not a JSON object`);
  return doc as Record<string, unknown>;
}

/**
 * GET a PyPI URL conditionally (with the cached ETag) and turn 304/404 into answers and any
 * other status but 200 into an error; `parse` reads a 200's body. Throws RegistryError.
 */
export async function fetchPypiDocument(
  http: HttpClient,
  url: string,
  o: { kind: 'pypi-json' | 'pypi-simple'; accept: string; etag?: string; deadline: number },
  parse: (body: Buffer, what: string, contentType: string) => Record<string, unknown>,
): Promise<PypiAnswer> {
  const headers: Record<string, string> = { accept: o.accept };
  if (o.etag) headers['if-none-match'] = o.etag;
  const res = await http.get(url, { kind: o.kind, headers, deadline: o.deadline });
  if (res.status === 304) return { kind: 'not-modified' };
  if (res.status === 404) return { kind: 'not-found' };
  const what = http.redact(`GET ${res.url}`);
  if (res.status !== 200) throw new RegistryError('status', `${what}: HTTP ${res.status}`, false, res.status);
  const answer: PypiAnswer = { kind: 'doc', doc: parse(res.body, what, (res.headers['content-type'] ?? '').toLowerCase()) };
  if (res.headers.etag) answer.etag = res.headers.etag;
  return answer;
}

/** GET the JSON document of a project. Throws RegistryError (already redacted). */
export function fetchPypiJson(http: HttpClient, pypiUrl: string, name: string, o: { etag?: string; deadline: number }): Promise<PypiAnswer> {
  const url = `${pypiUrl.replace(/\/+$/, '')}/pypi/${encodeURIComponent(normalizePypiName(name))}/json`;
  return fetchPypiDocument(http, url, { ...o, kind: 'pypi-json', accept: 'application/json' }, parseJsonObject);
}

interface JsonFile {
  upload_time_iso_8601?: unknown;
  upload_time?: unknown;
  yanked?: unknown;
}

function uploadTime(f: JsonFile): string | undefined {
  const raw = typeof f.upload_time_iso_8601 === 'string' ? f.upload_time_iso_8601 : typeof f.upload_time === 'string' ? `${f.upload_time}Z` : undefined;
  if (!raw) return undefined;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function filesOf(v: unknown): JsonFile[] {
  return Array.isArray(v) ? v.filter((f): f is JsonFile => !!f && typeof f === 'object') : [];
}

/** Facts from a JSON API document. Throws RegistryError when it is not one. */
export function pypiJsonFacts(doc: Record<string, unknown>, ctx: PypiFactsContext): PackageFacts {
  const info = doc.info && typeof doc.info === 'object' ? (doc.info as Record<string, unknown>) : undefined;
  if (!info) throw new RegistryError('invalid-response', `the answer for ${ctx.name} is not a PyPI project document (no info)`);
  const facts: PackageFacts = { ecosystem: 'pypi', name: ctx.name, status: 'found', registry: ctx.registry, fetchedAt: ctx.fetchedAt };
  if (ctx.privateRegistry) facts.privateRegistry = true;

  const releases = doc.releases && typeof doc.releases === 'object' ? (doc.releases as Record<string, unknown>) : {};
  const times: string[] = [];
  let withFiles = 0;
  for (const files of Object.values(releases)) {
    const list = filesOf(files);
    if (list.length) withFiles++;
    for (const f of list) {
      const t = uploadTime(f);
      if (t) times.push(t);
    }
  }
  // `releases` is deprecated upstream; without it the latest release's files still date it.
  if (!times.length) for (const f of filesOf(doc.urls)) {
    const t = uploadTime(f);
    if (t) times.push(t);
  }
  times.sort();
  if (times.length) {
    facts.created = times[0]!;
    facts.latestPublish = times[times.length - 1]!;
  }
  facts.versionCount = withFiles;
  if (typeof info.version === 'string' && info.version) facts.latestVersion = info.version;

  const latestFiles = facts.latestVersion ? filesOf(releases[facts.latestVersion]) : filesOf(doc.urls);
  const allYanked = latestFiles.length > 0 && latestFiles.every((f) => f.yanked === true);
  if (allYanked || info.yanked === true) facts.yanked = true;

  const repository = pypiRepositoryUrl(info.project_urls, info.home_page);
  if (repository) facts.repository = repository;
  if (typeof info.summary === 'string' && info.summary) facts.description = info.summary;
  const owners = ownersOf(doc.ownership);
  if (owners.length) facts.maintainers = owners;
  return facts;
}

/** PyPI user and organization names are letters, digits and `._-`; anything else is not compared or echoed. */
const PYPI_ACCOUNT = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/**
 * The accounts that keep a project (the JSON API's `ownership`: every role holder, and its
 * organization as `org:<name>`), lower case. The typo signal compares them with a look-alike's
 * target (src/signals/typo-target.ts). A role on PyPI is held only after the invited account
 * accepts it, and only an organization's owners add projects to it.
 */
function ownersOf(ownership: unknown): string[] {
  if (!ownership || typeof ownership !== 'object') return [];
  const o = ownership as Record<string, unknown>;
  const out = new Set<string>();
  for (const r of Array.isArray(o.roles) ? o.roles : []) {
    const user = r && typeof r === 'object' ? (r as Record<string, unknown>).user : undefined;
    if (typeof user === 'string' && PYPI_ACCOUNT.test(user)) out.add(user.toLowerCase());
  }
  if (typeof o.organization === 'string' && PYPI_ACCOUNT.test(o.organization)) out.add(`org:${o.organization.toLowerCase()}`);
  return [...out].slice(0, 50);
}
