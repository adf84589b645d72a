/**
 * Building data/ from public sources a user can reach, for when the project's snapshot files are
 * not at hand: npm's `npm-high-impact` package for names and the npm downloads API for counts;
 * PyPI's Simple API for every project name and hugovk's top-pypi-packages for counts and ranks.
 * Every network call goes through an injected `fetch`, so tests run it against canned answers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import validateName from 'validate-npm-package-name';
import { normalizePypiName, PYPI_NAME } from '../core/names.js';
import type { PopularEntry } from '../similarity/build.js';
import { weeklyFromMonthly } from '../similarity/popularity.js';
import type { DataLists } from './lists.js';

/** Where the public sources are (each overridable, like the rest of slopguard's endpoints). */
export interface PublicSources {
  npmRegistry: string;
  npmDownloadsApi: string;
  pypiUrl: string;
  topPypiUrl: string;
}

/** Defaults, overridden by SLOPGUARD_* environment variables. */
export function publicSources(env: Record<string, string | undefined> = process.env): PublicSources {
  return {
    npmRegistry: env.SLOPGUARD_NPM_REGISTRY ?? 'https://registry.npmjs.org/',
    npmDownloadsApi: env.SLOPGUARD_NPM_DOWNLOADS_API ?? 'https://api.npmjs.org',
    pypiUrl: env.SLOPGUARD_PYPI_URL ?? 'https://pypi.org',
    topPypiUrl: env.SLOPGUARD_TOP_PYPI_URL ?? 'https://hugovk.dev/top-pypi-packages/top-pypi-packages.min.json',
  };
}

/** What fetchPublicLists needs from the world. */
export interface PublicDeps {
  fetch: typeof fetch;
  /** The names in the latest `npm-high-impact` release (default: extracted with pacote). */
  highImpactNames?: (registry: string) => Promise<string[]>;
  /** npm names and weekly counts to carry over from the current data (names the new sources do not cover). */
  carryOver?: PopularEntry[];
  now: Date;
  log: (line: string) => void;
  /** Pause between downloads-API requests, in ms (the API rate-limits hard; about one a second is safe). */
  pauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_BODY = 256 * 1024 * 1024;
const BULK = 128;

async function getJson(deps: PublicDeps, url: string, headers: Record<string, string> = {}): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const res = await deps.fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(120_000) });
    if (res.status === 429 && attempt < 5) {
      // Back off as asked (Retry-After seconds), else exponentially.
      const wait = Number(res.headers.get('retry-after')) * 1000 || 2000 * 2 ** attempt;
      deps.log(`429 from ${new URL(url).host}; waiting ${Math.round(wait / 1000)} s`);
      await (deps.sleep ?? sleep)(wait);
      continue;
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const len = Number(res.headers.get('content-length'));
    if (len > MAX_BODY) throw new Error(`${url}: response too large (${len} bytes)`);
    const text = await res.text();
    if (text.length > MAX_BODY) throw new Error(`${url}: response too large`);
    return JSON.parse(text) as unknown;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The names `npm-high-impact` lists, read from its published files (never executed): every
 * quoted string in lib/*.js that is a valid npm name.
 */
export async function highImpactNamesWithPacote(registry: string): Promise<string[]> {
  const { extract } = await import('pacote');
  const dir = mkdtempSync(join(tmpdir(), 'slopguard-high-impact-'));
  try {
    await extract('npm-high-impact@latest', dir, { registry });
    return namesInSources(readdirSync(join(dir, 'lib')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, 'lib', f), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Quoted strings in JavaScript source that are valid npm names, deduplicated in order. */
export function namesInSources(sources: readonly string[]): string[] {
  const out = new Set<string>();
  // Names are short and contain no quotes or backslashes; a bounded class cannot backtrack badly.
  const quoted = /'([^'\\\n]{1,214})'|"([^"\\\n]{1,214})"/g;
  for (const src of sources) {
    for (const m of src.matchAll(quoted)) {
      const name = m[1] ?? m[2]!;
      if (validateName(name).validForOldPackages) out.add(name);
    }
  }
  return [...out];
}

/** Weekly downloads for npm names: unscoped in bulk (128 a request), scoped one by one. */
export async function npmWeeklyDownloads(names: readonly string[], deps: PublicDeps, api: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const pause = () => (deps.sleep ?? sleep)(deps.pauseMs ?? 1000);
  const unscoped = names.filter((n) => !n.startsWith('@'));
  const scoped = names.filter((n) => n.startsWith('@'));
  for (let i = 0; i < unscoped.length; i += BULK) {
    const batch = unscoped.slice(i, i + BULK);
    // A "bulk" request for one name answers in the single-package shape; ask for it alone then.
    const body = (await getJson(deps, `${api.replace(/\/$/, '')}/downloads/point/last-week/${batch.join(',')}`)) as Record<string, unknown> | undefined;
    if (body && batch.length === 1 && typeof body.downloads === 'number') counts.set(batch[0]!, body.downloads);
    else if (body) for (const n of batch) {
      const v = body[n] as { downloads?: unknown } | null | undefined;
      if (v && typeof v.downloads === 'number') counts.set(n, v.downloads);
    }
    deps.log(`npm downloads: ${Math.min(i + BULK, unscoped.length)}/${unscoped.length} unscoped`);
    await pause();
  }
  for (const [i, n] of scoped.entries()) {
    const body = (await getJson(deps, `${api.replace(/\/$/, '')}/downloads/point/last-week/${n}`)) as { downloads?: unknown } | undefined;
    if (body && typeof body.downloads === 'number') counts.set(n, body.downloads);
    if (i % 100 === 99) deps.log(`npm downloads: ${i + 1}/${scoped.length} scoped`);
    await pause();
  }
  return counts;
}

/** Every PyPI project name, from the Simple API's JSON index (PEP 691). */
export async function pypiAllNames(deps: PublicDeps, pypiUrl: string): Promise<string[]> {
  const body = (await getJson(deps, `${pypiUrl.replace(/\/$/, '')}/simple/`, { accept: 'application/vnd.pypi.simple.v1+json' })) as { projects?: Array<{ name?: unknown }> } | undefined;
  if (!body || !Array.isArray(body.projects)) throw new Error('the PyPI Simple API did not answer with a JSON project list');
  return body.projects.map((p) => p.name).filter((n): n is string => typeof n === 'string' && PYPI_NAME.test(n)).map(normalizePypiName);
}

/** The most downloaded PyPI projects with their 30-day counts, ranked in order. */
export async function pypiTop(deps: PublicDeps, url: string): Promise<PopularEntry[]> {
  const body = (await getJson(deps, url)) as { rows?: Array<{ project?: unknown; download_count?: unknown }> } | undefined;
  if (!body || !Array.isArray(body.rows)) throw new Error(`${url} did not answer with a top-packages list`);
  return body.rows
    .filter((r) => typeof r.project === 'string' && typeof r.download_count === 'number')
    .map((r, i) => ({ name: normalizePypiName(r.project as string), rank: i + 1, weekly: weeklyFromMonthly(r.download_count as number) }));
}

/** Build the lists from public sources. Slow on purpose (the downloads API rate-limits). */
export async function fetchPublicLists(sources: PublicSources, deps: PublicDeps): Promise<DataLists> {
  const day = deps.now.toISOString().slice(0, 10);
  deps.log('npm: reading npm-high-impact');
  const names = await (deps.highImpactNames ?? highImpactNamesWithPacote)(sources.npmRegistry);
  deps.log(`npm: ${names.length} names; asking the downloads API for their weekly counts`);
  const counts = await npmWeeklyDownloads(names, deps, sources.npmDownloadsApi);
  const npm: PopularEntry[] = names.map((name) => (counts.has(name) ? { name, weekly: counts.get(name)! } : { name }));
  const fresh = new Set(names);
  const carried = (deps.carryOver ?? []).filter((e) => !fresh.has(e.name));
  npm.push(...carried);
  deps.log('PyPI: reading the Simple API project list and the top-packages list');
  const [pypiAll, pypiRanked] = await Promise.all([pypiAllNames(deps, sources.pypiUrl), pypiTop(deps, sources.topPypiUrl)]);
  return {
    snapshotDate: day,
    npm,
    pypiRanked,
    pypiAll,
    npmSource: `npm-high-impact (latest) names with last-week counts from the npm downloads API, ${day}${carried.length ? `; ${carried.length} further names carried over with their earlier counts` : ''}`,
    pypiSource: `PyPI Simple API project list and hugovk/top-pypi-packages 30-day counts, ${day}`,
  };
}
