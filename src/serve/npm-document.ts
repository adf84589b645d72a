/**
 * The packument a client gets: the upstream's full document, age-gated, in the shape it asked for
 * (full, or npm's abbreviated "corgi" form for `Accept: application/vnd.npm.install-v1+json`), with
 * every tarball URL pointing at the guard.
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

/** The document for a client (see the module comment). `doc` is shared and never modified. */
export function clientDocument(doc: Record<string, unknown>, o: { base: string; name: string; abbreviated: boolean }): Record<string, unknown> {
  const versions = (doc.versions && typeof doc.versions === 'object' ? doc.versions : {}) as Record<string, Record<string, unknown>>;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [v, m] of Object.entries(versions)) {
    if (!m || typeof m !== 'object') continue;
    out[v] = rewriteDist(o.abbreviated ? corgiVersion(m) : m, o.base, o.name);
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
