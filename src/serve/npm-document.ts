/**
 * The packument a client gets: the upstream's full document, age-gated, in the shape it asked for
 * (full, or npm's abbreviated "corgi" form for `Accept: application/vnd.npm.install-v1+json`), with
 * every tarball URL pointing at the guard (unless the guard runs another {@link TarballMode}).
 *
 * Why the guard abbreviates instead of passing Accept upstream: judging needs the full document
 * (creation and publish times, scripts, repository), so asking upstream for the abbreviated one
 * too would be a second request per package. The corgi fields are npm's documented list
 * (registry/docs/responses/package-metadata.md), plus `time` so clients' own age settings keep
 * working on the gated document.
 *
 * Why tarballs go through the guard: a lockfile names tarball URLs, and `npm ci`, `pnpm install
 * --frozen-lockfile` and bun install from them without asking for a packument; left pointing
 * upstream, they would bypass every judgement and the age gate. Through the guard, each tarball is
 * judged (its package) and gated (its version) before a byte is streamed, and the client needs no
 * upstream credentials.
 */
import { createHash } from 'node:crypto';

const CORGI_VERSION_FIELDS = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'bundleDependencies',
  'bundledDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'acceptDependencies',
  'bin',
  'directories',
  'dist',
  'engines',
  'cpu',
  'os',
  'libc',
  '_hasShrinkwrap',
  'hasInstallScript',
  'funding',
] as const;
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** Whether an Accept header asks for the abbreviated document. */
export function wantsAbbreviated(accept: string | undefined): boolean {
  return /application\/vnd\.npm\.install-v1\+json/i.test(accept ?? '');
}

/** The file name at the end of a tarball URL (`left-pad-1.3.0.tgz`). */
export function tarballFile(url: string): string | undefined {
  try {
    const path = new URL(url).pathname;
    const file = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
    return file || undefined;
  } catch {
    return undefined;
  }
}

/** The guard's tarball URL for a file of `name`. */
export function guardTarballUrl(base: string, name: string, file: string): string {
  return `${base}/npm/${name}/-/${encodeURIComponent(file)}`;
}

function rewriteDist(manifest: Record<string, unknown>, base: string, name: string): Record<string, unknown> {
  const dist = manifest.dist && typeof manifest.dist === 'object' ? (manifest.dist as Record<string, unknown>) : undefined;
  const file = typeof dist?.tarball === 'string' ? tarballFile(dist.tarball) : undefined;
  if (!dist || !file) return manifest;
  return { ...manifest, dist: { ...dist, tarball: guardTarballUrl(base, name, file) } };
}

function corgiVersion(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of CORGI_VERSION_FIELDS) if (m[k] !== undefined) out[k] = m[k];
  const scripts = m.scripts && typeof m.scripts === 'object' ? (m.scripts as Record<string, unknown>) : {};
  if (out.hasInstallScript === undefined && INSTALL_SCRIPTS.some((s) => typeof scripts[s] === 'string')) out.hasInstallScript = true;
  return out;
}

/**
 * Where the tarball URLs of a served document point:
 * - `guard` (the default, `slopguard serve`; see the module comment);
 * - `upstream`: left as the upstream wrote them;
 * - `per-client`: whichever keeps the client's lockfile as it would be without the guard. The
 *   wrappers' ephemeral guard uses it: its port is dead after the run, and a lockfile must not
 *   record it. npm (package-lock `resolved`), yarn 1 (yarn.lock `resolved`) and bun (bun.lock)
 *   write every tarball URL down, so they get the upstream's; pnpm (pnpm-lock.yaml) and yarn 2+
 *   (yarn.lock) write one down only when it is not the registry's own conventional URL, so they get
 *   the guard's (judged and age-gated) and write nothing, where the upstream's would be recorded as
 *   `tarball:` / `__archiveUrl`. The wrapper's pre-check judges a lockfile's names before `npm ci`
 *   or a frozen install starts, so a lockfile's upstream URLs are not unjudged.
 */
export const TARBALL_MODES = ['guard', 'upstream', 'per-client'] as const;
/** One of {@link TARBALL_MODES}. */
export type TarballMode = (typeof TARBALL_MODES)[number];

/**
 * User agents of the clients that record only unconventional tarball URLs: pnpm (`pnpm/10.34.9
 * npm/? node/…`) and yarn 2+, which sends got's default (`got (https://github.com/sindresorhus/got)`,
 * seen from yarn 4.18.1; yarn 1 sends `yarn/1.22.22 …` and records every URL).
 */
const RECORDS_ONLY_UNCONVENTIONAL = /^(?:pnpm\/|yarn\/(?:[2-9]|[1-9]\d)\.|got \()/i;

/** The tarball URLs one request gets under `mode` (see {@link TARBALL_MODES}); unknown clients get the upstream's. */
export function tarballsFor(mode: TarballMode, userAgent: string | undefined): 'guard' | 'upstream' {
  if (mode !== 'per-client') return mode;
  return RECORDS_ONLY_UNCONVENTIONAL.test(userAgent ?? '') ? 'guard' : 'upstream';
}

/** The document for a client (see the module comment). `doc` is shared and never modified. */
export function clientDocument(doc: Record<string, unknown>, o: { base: string; name: string; abbreviated: boolean; tarballs?: 'guard' | 'upstream' }): Record<string, unknown> {
  const versions = (doc.versions && typeof doc.versions === 'object' ? doc.versions : {}) as Record<string, Record<string, unknown>>;
  const out: Record<string, Record<string, unknown>> = {};
  const keep = o.tarballs === 'upstream';
  for (const [v, m] of Object.entries(versions)) {
    if (!m || typeof m !== 'object') continue;
    const shaped = o.abbreviated ? corgiVersion(m) : m;
    out[v] = keep ? shaped : rewriteDist(shaped, o.base, o.name);
  }
  if (!o.abbreviated) return { ...doc, versions: out };
  const corgi: Record<string, unknown> = { name: doc.name, 'dist-tags': doc['dist-tags'], versions: out };
  const time = doc.time as Record<string, unknown> | undefined;
  if (time && typeof time === 'object') {
    corgi.modified = time.modified;
    corgi.time = time;
  }
  return corgi;
}

/** A serialised document with its ETag (weak: it is ours, derived from the upstream's). */
export interface Serialised {
  body: Buffer;
  etag: string;
}

/** Serialise once and tag by content, so If-None-Match works across TTLs and guard restarts. */
export function serialise(doc: unknown): Serialised {
  const body = Buffer.from(JSON.stringify(doc));
  return { body, etag: `W/"sg-${createHash('sha1').update(body).digest('base64url')}"` };
}

/** Whether an If-None-Match header names `etag`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}
