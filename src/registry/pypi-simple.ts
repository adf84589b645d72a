/**
 * PyPI simple (index) API for private indexes (`PIP_INDEX_URL` / pip.conf): PEP 691 JSON with
 * PEP 700 `versions` and `upload-time` and PEP 792 `project-status`, falling back to the PEP 503
 * HTML page that devpi, Artifactory, Nexus and plain folders often speak exclusively.
 */
import { lazyRequire } from '../core/lazy-require.js';
import type * as Pep440 from '@renovatebot/pep440';
import { normalizePypiName } from '../core/names.js';
import type { PackageFacts } from '../core/types.js';
import { RegistryError, type HttpClient } from './http.js';
import { fetchPypiDocument, parseJsonObject, type PypiAnswer, type PypiFactsContext } from './pypi.js';

// Loaded when a private index's versions are compared, not for every run that imports the resolver.
const pep440 = lazyRequire<typeof Pep440>('@renovatebot/pep440');

/** What pip sends: JSON preferred, HTML accepted. */
const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

/** GET a project's simple page. `doc` is `{ json }` or `{ html }`. Throws RegistryError. */
export function fetchPypiSimple(http: HttpClient, indexUrl: string, name: string, o: { etag?: string; deadline: number }): Promise<PypiAnswer> {
  const base = indexUrl.endsWith('/') ? indexUrl : `${indexUrl}/`;
  const url = `${base}${encodeURIComponent(normalizePypiName(name))}/`;
  return fetchPypiDocument(http, url, { ...o, kind: 'pypi-simple', accept: SIMPLE_ACCEPT }, (body, what, type) => {
    if (type.includes('json')) return { json: parseJsonObject(body, what, type) };
    if (type.includes('html')) return { html: body.toString('utf8') };
    throw new RegistryError('invalid-response', `${what}: expected a simple index page, got content-type ${type || 'none'}`);
  });
}

/** One distribution file as both page forms describe it. */
interface IndexFile {
  filename: string;
  yanked: boolean;
  uploadTime?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,5});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

// Hand-written because an index page is a flat list of <a> tags (PEP 503); a full HTML parser would
// be a dependency for one loop. Both patterns use negated classes only, so they cannot backtrack.
const ANCHOR = /<a\b([^>]*)>([^<]*)<\/a\s*>/gi;
const ATTRIBUTE = /([a-z_:][-a-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/gi;

/** Files listed on a PEP 503 HTML page. */
export function parseSimpleHtml(html: string): IndexFile[] {
  const out: IndexFile[] = [];
  for (const m of html.matchAll(ANCHOR)) {
    const attrs = new Map<string, string>();
    for (const a of m[1]!.matchAll(ATTRIBUTE)) attrs.set(a[1]!.toLowerCase(), unescapeHtml(a[2] ?? a[3] ?? a[4] ?? ''));
    const text = unescapeHtml(m[2]!.trim());
    const href = attrs.get('href') ?? '';
    const filename = text || decodeURIComponent(href.split('#')[0]!.split('/').pop() ?? '');
    if (filename) out.push({ filename, yanked: attrs.has('data-yanked') });
  }
  return out;
}

/** Files listed in a PEP 691 JSON page. */
function jsonFiles(doc: Record<string, unknown>): IndexFile[] {
  const files = Array.isArray(doc.files) ? doc.files : [];
  const out: IndexFile[] = [];
  for (const f of files) {
    if (!f || typeof f !== 'object') continue;
    const r = f as Record<string, unknown>;
    if (typeof r.filename !== 'string') continue;
    const file: IndexFile = { filename: r.filename, yanked: r.yanked === true || (typeof r.yanked === 'string' && r.yanked !== '') };
    if (typeof r['upload-time'] === 'string' && !Number.isNaN(Date.parse(r['upload-time']))) file.uploadTime = new Date(Date.parse(r['upload-time'])).toISOString();
    out.push(file);
  }
  return out;
}

const ARCHIVE = /\.(tar\.gz|tar\.bz2|tar\.xz|tar\.z|tgz|tbz|zip|tar)$/i;

/**
 * The version in a distribution filename, or undefined. Wheels and eggs put it in the second
 * dash-separated field; sdists are `<name>-<version>.<ext>` where the name itself may contain
 * dashes, so the split point is the one whose prefix normalises to the project name.
 */
export function versionFromFilename(filename: string, project: string): string | undefined {
  if (/\.(whl|egg)$/i.test(filename)) return filename.split('-')[1];
  const stem = filename.replace(ARCHIVE, '');
  if (stem === filename) return undefined;
  for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
    if (normalizePypiName(stem.slice(0, i)) === project) return stem.slice(i + 1) || undefined;
  }
  return undefined;
}

function byPep440Desc(a: string, b: string): number {
  try {
    return pep440().compare(b, a);
  } catch {
    return b.localeCompare(a);
  }
}

function isPrerelease(v: string): boolean {
  try {
    return pep440().explain(v)?.is_prerelease ?? false;
  } catch {
    return false;
  }
}

/** Facts from a simple page (`{ json }` or `{ html }` as fetchPypiSimple returns). */
export function pypiSimpleFacts(doc: Record<string, unknown>, ctx: PypiFactsContext): PackageFacts {
  const facts: PackageFacts = { ecosystem: 'pypi', name: ctx.name, status: 'found', registry: ctx.registry, fetchedAt: ctx.fetchedAt };
  if (ctx.privateRegistry) facts.privateRegistry = true;
  const json = doc.json && typeof doc.json === 'object' ? (doc.json as Record<string, unknown>) : undefined;
  const files = json ? jsonFiles(json) : parseSimpleHtml(typeof doc.html === 'string' ? doc.html : '');

  const byVersion = new Map<string, IndexFile[]>();
  for (const f of files) {
    const v = versionFromFilename(f.filename, ctx.name);
    if (!v) continue;
    const list = byVersion.get(v) ?? [];
    list.push(f);
    byVersion.set(v, list);
  }
  // PEP 700 `versions` is authoritative where present; otherwise versions come from filenames.
  const listed = json && Array.isArray(json.versions) ? json.versions.filter((v): v is string => typeof v === 'string') : [...byVersion.keys()];
  const versions = [...new Set(listed)].sort(byPep440Desc);
  facts.versionCount = versions.length;
  const usable = versions.filter((v) => !(byVersion.get(v) ?? []).every((f) => f.yanked) || !byVersion.has(v));
  const latest = usable.find((v) => !isPrerelease(v)) ?? usable[0] ?? versions[0];
  if (latest) {
    facts.latestVersion = latest;
    const latestFiles = byVersion.get(latest) ?? [];
    if (latestFiles.length && latestFiles.every((f) => f.yanked)) facts.yanked = true;
  }
  const times = files.map((f) => f.uploadTime).filter((t): t is string => !!t).sort();
  if (times.length) {
    facts.created = times[0]!;
    facts.latestPublish = times[times.length - 1]!;
  }
  const status = json?.['project-status'];
  if (status && typeof status === 'object') {
    const s = (status as Record<string, unknown>).status;
    if (typeof s === 'string' && s !== 'active') facts.projectStatus = s;
    const reason = (status as Record<string, unknown>).reason;
    if (s === 'deprecated' && typeof reason === 'string' && reason) facts.deprecated = reason;
  }
  return facts;
}
