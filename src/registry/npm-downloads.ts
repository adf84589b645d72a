/**
 * npm downloads API (`/downloads/point/last-week/<names>`): last-week counts.
 *
 * Unscoped names go in bulk requests of up to 128; the API refuses scoped names in bulk, so those
 * are asked one by one (the single endpoint takes `@scope/name` unencoded). A bulk URL with one
 * name answers the single shape. `null` and 404 mean "no data" (unknown names and brand-new
 * packages alike): the count stays `undefined`, never 0. Failures leave counts unknown too;
 * downloads never make a lookup fail.
 */
import type { HttpClient, RequestKind } from './http.js';

/** The API's bulk limit. */
export const BULK_MAX = 128;

/**
 * Last-week downloads per name: a number, or `null` when the API answered without data for it.
 * A name absent from the map was not answered (the request failed): unknown, worth asking again.
 */
export type DownloadCounts = Map<string, number | null>;

function countOf(entry: unknown): number | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const d = (entry as { downloads?: unknown }).downloads;
  return typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : undefined;
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Split names into requests: bulk chunks of unscoped names, and single scoped (or lone) names. */
export function planDownloadRequests(names: readonly string[]): Array<{ kind: RequestKind; names: string[] }> {
  const unique = [...new Set(names)];
  const scoped = unique.filter((n) => n.startsWith('@'));
  const plain = unique.filter((n) => !n.startsWith('@'));
  const plan: Array<{ kind: RequestKind; names: string[] }> = [];
  for (let i = 0; i < plain.length; i += BULK_MAX) {
    const chunk = plain.slice(i, i + BULK_MAX);
    plan.push({ kind: chunk.length === 1 ? 'npm-downloads-single' : 'npm-downloads-bulk', names: chunk });
  }
  for (const n of scoped) plan.push({ kind: 'npm-downloads-single', names: [n] });
  return plan;
}

/**
 * Fetch last-week downloads for `names` from `api` (e.g. `https://api.npmjs.org`).
 * Resolves with the counts that exist; never rejects. `onError` hears about failed requests.
 */
export async function fetchNpmDownloads(
  http: HttpClient,
  api: string,
  names: readonly string[],
  o: { deadline: number; onError?: (message: string) => void },
): Promise<DownloadCounts> {
  const out: DownloadCounts = new Map();
  const base = api.replace(/\/+$/, '');
  await Promise.all(
    planDownloadRequests(names).map(async ({ kind, names: chunk }) => {
      // Names are URL-safe by npm's rules; the scope's slash stays a slash, as the API expects.
      const url = `${base}/downloads/point/last-week/${chunk.map((n) => encodeURI(n)).join(',')}`;
      try {
        const res = await http.get(url, { kind, deadline: o.deadline, headers: { accept: 'application/json' } });
        if (res.status === 404) {
          for (const name of chunk) out.set(name, null);
          return;
        }
        const doc = res.status === 200 ? parse(res.body) : undefined;
        if (!doc || typeof doc !== 'object') {
          o.onError?.(`${http.redact(`GET ${res.url}`)}: HTTP ${res.status}, no usable answer`);
          return;
        }
        if (kind === 'npm-downloads-single') {
          out.set(chunk[0]!, countOf(doc) ?? null);
          return;
        }
        for (const name of chunk) out.set(name, countOf((doc as Record<string, unknown>)[name]) ?? null);
      } catch (e) {
        o.onError?.(e instanceof Error ? e.message : String(e));
      }
    }),
  );
  return out;
}
