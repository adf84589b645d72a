/**
 * Fixture builders for the loopback fixture registry: short descriptions of npm packages and
 * PyPI projects in, the documents the real registries would serve out. Tests describe a package
 * in one line (`npmPackage({ name: 'left-pad', created: '2014-03-14' })`) and the server derives
 * every shape from it: the full packument, the abbreviated ("corgi") packument, downloads counts,
 * the PyPI JSON document, the PEP 691 JSON and HTML simple pages, and pypistats answers.
 *
 * Shapes follow ../shared/research/registry-reference.md sections 1, 2 and 5.
 */

/** A date as tests like to write it. */
export type DateLike = Date | string;

/** An npm package as the fixture registry serves it. Build it with {@link npmPackage}. */
export interface NpmPackageFixture {
  ecosystem: 'npm';
  name: string;
  /** The full packument, served without an `Accept` header; the corgi is derived from it. */
  packument: Record<string, unknown>;
  /** Last-week downloads; `undefined` makes the downloads API answer 404 (single) / `null` (bulk). */
  weeklyDownloads?: number;
}

/** A PyPI project as the fixture registry serves it. Build it with {@link pypiProject}. */
export interface PypiProjectFixture {
  ecosystem: 'pypi';
  /** The display name (`info.name`), possibly not normalised (`Flask_SQLAlchemy`). */
  name: string;
  /** PEP 503 normalised name: the key every API is served under. */
  normalized: string;
  /** The JSON API document (`/pypi/<name>/json`). */
  json: Record<string, unknown>;
  /** PEP 792 project status; `quarantined` projects answer 404 on the JSON API, as PyPI does. */
  status: 'active' | 'archived' | 'quarantined' | 'deprecated';
  statusReason?: string;
  /** pypistats `last_week`; `undefined` makes pypistats answer 404 (plain text `404`). */
  weeklyDownloads?: number;
}

/** Options of {@link npmPackage}. Only `name` and `created` are required. */
export interface NpmPackageOptions {
  name: string;
  /** `time.created`, and the publish time of the first version. */
  created: DateLike;
  /** Versions in publish order; default `['1.0.0']`. */
  versions?: string[];
  /** `dist-tags.latest`; default the last of `versions`. */
  latest?: string;
  /**
   * Publish time of the last version. Versions are spread evenly between `created` and this;
   * default: one hour apart from `created`.
   */
  published?: DateLike;
  /**
   * A string: every version is deprecated with this message. A record: per version (a `''`
   * value is npm's "un-deprecated"; `true` imitates the few old documents with a boolean).
   */
  deprecated?: string | Record<string, string | boolean>;
  /** `scripts` of the latest version (`{ postinstall: 'node x.js' }`); corgi gets `hasInstallScript`. */
  scripts?: Record<string, string>;
  /** `_npmUser.name` of every version (the publishing account); none by default. */
  publisher?: string;
  /** Top-level `maintainers` account names (default `['fixture']`). */
  maintainers?: string[];
  /** `repository` as package.json has it: a string (`user/repo`, `github:u/r`) or an object. */
  repository?: string | { type?: string; url: string; directory?: string };
  description?: string;
  /** Last-week downloads; omitted or `null`: the downloads API has no data for the name. */
  weeklyDownloads?: number | null;
  /** Serve a whole-package unpublish tombstone; `true` or the unpublish time (default created + 1 day). */
  unpublished?: boolean | DateLike;
  /**
   * npm's security placeholder: `true` gives latest `0.0.1-security`; a string gives that
   * version (`'0.0.1-security.0'`). Earlier `versions` are kept as given (usually none).
   */
  securityHolder?: boolean | string;
  /** Serve no `time` at all, like some packuments from before 2015. */
  noTime?: boolean;
  /** Extra top-level fields merged into the full packument, for odd shapes. */
  extra?: Record<string, unknown>;
}

/** A release of a PyPI project, when a test needs more than a version string. */
export interface PypiReleaseSpec {
  version: string;
  /** Upload time of its files; default spread between `created` and `published`. */
  uploaded?: DateLike;
  /** How many files the release has (default 1, an sdist); 0 imitates a file-less release. */
  files?: number;
  /** Every file of the release is yanked; a string is the yank reason. */
  yanked?: boolean | string;
}

/** Options of {@link pypiProject}. Only `name` and `created` are required. */
export interface PypiProjectOptions {
  /** The display name; the project is served under its PEP 503 normalised form. */
  name: string;
  /** Upload time of the first file. */
  created: DateLike;
  /** Releases in upload order; default `['1.0.0']`. */
  versions?: Array<string | PypiReleaseSpec>;
  /** `info.version`; default the last release that has files and is not yanked (else the last). */
  latest?: string;
  /** Upload time of the last release; default one hour per release after `created`. */
  published?: DateLike;
  /** `true`: every file of the latest release is yanked; a list: those versions are yanked. */
  yanked?: boolean | string[];
  /** `info.project_urls`. */
  urls?: Record<string, string>;
  /** `info.home_page`. */
  homePage?: string;
  summary?: string;
  /** pypistats `last_week`; omitted or `null`: pypistats answers 404. */
  weeklyDownloads?: number | null;
  /** PEP 792 status on the simple API (default `active`). */
  status?: 'active' | 'archived' | 'quarantined' | 'deprecated';
  statusReason?: string;
  /** The JSON API's `ownership`: role holders (`roles[].user`) and the organization; none by default. */
  ownership?: { users: string[]; organization?: string };
}

const HOUR = 3_600_000;

function toDate(d: DateLike): Date {
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) throw new Error(`fixture: not a date: ${String(d)}`);
  return date;
}

/** Times for `n` events from `first` to `last` (default one hour apart). */
function spread(n: number, first: Date, last: DateLike | undefined): Date[] {
  const end = last === undefined ? new Date(first.getTime() + (n - 1) * HOUR) : toDate(last);
  const step = n > 1 ? (end.getTime() - first.getTime()) / (n - 1) : 0;
  return Array.from({ length: n }, (_, i) => new Date(first.getTime() + Math.round(i * step)));
}

/** PEP 503 normalisation, written out here so the fixture does not trust the code under test. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** Build an npm package fixture. See {@link NpmPackageOptions} for the defaults. */
export function npmPackage(o: NpmPackageOptions): NpmPackageFixture {
  const created = toDate(o.created);
  const holderVersion = o.securityHolder === true ? '0.0.1-security' : typeof o.securityHolder === 'string' ? o.securityHolder : undefined;
  const versions = holderVersion ? [...(o.versions ?? []), holderVersion] : (o.versions ?? ['1.0.0']);
  const latest = holderVersion ?? o.latest ?? versions[versions.length - 1];
  const times = spread(versions.length, created, o.published);
  const lastPublish = new Date(Math.max(...times.map((t) => t.getTime())));
  const description = holderVersion ? 'security holding package' : (o.description ?? `fixture package ${o.name}`);
  const repository = holderVersion ? 'npm/security-holder' : o.repository;

  const time: Record<string, unknown> = { created: created.toISOString(), modified: lastPublish.toISOString() };
  const docVersions: Record<string, Record<string, unknown>> = {};
  versions.forEach((v, i) => {
    time[v] = times[i]!.toISOString();
    const manifest: Record<string, unknown> = {
      name: o.name,
      version: v,
      description,
      dist: {
        tarball: `http://fixture.invalid/${o.name}/-/${o.name.replace(/^@[^/]+\//, '')}-${v}.tgz`,
        shasum: '0000000000000000000000000000000000000000',
        integrity: 'sha512-AAAA',
      },
    };
    // The publishing account, only when a test asks: with one, check() may look the target of a
    // blocking look-alike up to compare owners (src/signals/typo-target.ts).
    if (o.publisher !== undefined) manifest._npmUser = { name: o.publisher };
    if (repository !== undefined) manifest.repository = repository;
    const dep = typeof o.deprecated === 'string' ? o.deprecated : o.deprecated?.[v];
    if (dep !== undefined) manifest.deprecated = dep;
    if (v === latest && o.scripts) manifest.scripts = o.scripts;
    docVersions[v] = manifest;
  });

  let packument: Record<string, unknown>;
  if (o.unpublished) {
    const at = o.unpublished === true ? new Date(lastPublish.getTime() + 24 * HOUR) : toDate(o.unpublished);
    packument = {
      _id: o.name,
      name: o.name,
      time: {
        created: created.toISOString(),
        modified: at.toISOString(),
        unpublished: { time: at.toISOString(), versions },
      },
    };
  } else {
    packument = {
      _id: o.name,
      _rev: '1-fixture',
      name: o.name,
      description,
      'dist-tags': { latest },
      versions: docVersions,
      maintainers: (o.maintainers ?? ['fixture']).map((name) => ({ name, email: `${name}@example.invalid` })),
      readme: holderVersion ? 'This package contained malicious code and was removed from the registry by the npm security team.' : '',
      ...(o.noTime ? {} : { time }),
      ...(repository !== undefined ? { repository } : {}),
    };
  }
  if (o.extra) Object.assign(packument, o.extra);
  const fx: NpmPackageFixture = { ecosystem: 'npm', name: o.name, packument };
  if (typeof o.weeklyDownloads === 'number') fx.weeklyDownloads = o.weeklyDownloads;
  return fx;
}

/**
 * The abbreviated ("corgi") packument derived from a full one: no `time`, a top-level
 * `modified`, per-version `deprecated`, `dist` and `hasInstallScript`, no `scripts`.
 */
export function corgiOf(full: Record<string, unknown>): Record<string, unknown> {
  const time = (full.time ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { name: full.name };
  if (typeof time.modified === 'string') out.modified = time.modified;
  if (full['dist-tags']) out['dist-tags'] = full['dist-tags'];
  if (full.versions && typeof full.versions === 'object') {
    const versions: Record<string, unknown> = {};
    for (const [v, m] of Object.entries(full.versions as Record<string, Record<string, unknown>>)) {
      const slim: Record<string, unknown> = { name: m.name, version: m.version, dist: m.dist, _hasShrinkwrap: false };
      if (m.deprecated !== undefined) slim.deprecated = m.deprecated;
      const scripts = (m.scripts ?? {}) as Record<string, unknown>;
      if (INSTALL_SCRIPTS.some((s) => typeof scripts[s] === 'string')) slim.hasInstallScript = true;
      for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bin', 'engines']) if (m[k] !== undefined) slim[k] = m[k];
      versions[v] = slim;
    }
    out.versions = versions;
  } else if (time.unpublished) {
    // The registry's abbreviated form of a tombstone is not documented; serve the tombstone's
    // identity without `time`, so clients that need the unpublish date must ask for the full one.
    out.versions = {};
  }
  return out;
}

/** Build a PyPI project fixture. See {@link PypiProjectOptions} for the defaults. */
export function pypiProject(o: PypiProjectOptions): PypiProjectFixture {
  const created = toDate(o.created);
  const specs: PypiReleaseSpec[] = (o.versions ?? ['1.0.0']).map((v) => (typeof v === 'string' ? { version: v } : v));
  const defaults = spread(specs.length, created, o.published);
  const normalized = pep503(o.name);
  const yankedList = Array.isArray(o.yanked) ? o.yanked : [];
  const filesOf = (s: PypiReleaseSpec) => s.files ?? 1;
  const isYanked = (s: PypiReleaseSpec) => !!s.yanked || yankedList.includes(s.version);
  const withFiles = specs.filter((s) => filesOf(s) > 0);
  const lastGood = [...withFiles].reverse().find((s) => !isYanked(s));
  const latest = o.latest ?? lastGood?.version ?? specs[specs.length - 1]!.version;
  const latestYanked = o.yanked === true;

  const releases: Record<string, unknown[]> = {};
  specs.forEach((s, i) => {
    const at = s.uploaded !== undefined ? toDate(s.uploaded) : defaults[i]!;
    const yanked = isYanked(s) || (latestYanked && s.version === latest);
    const reason = typeof s.yanked === 'string' ? s.yanked : yanked ? 'fixture yank' : null;
    releases[s.version] = Array.from({ length: filesOf(s) }, (_, f) => {
      const sdist = f === 0;
      const filename = sdist ? `${normalized.replace(/-/g, '_')}-${s.version}.tar.gz` : `${normalized.replace(/-/g, '_')}-${s.version}-py3-none-any${f > 1 ? `-${f}` : ''}.whl`;
      const t = new Date(at.getTime() + f * 1000);
      return {
        filename,
        packagetype: sdist ? 'sdist' : 'bdist_wheel',
        python_version: sdist ? 'source' : 'py3',
        size: 1000 + f,
        upload_time: t.toISOString().slice(0, 19),
        // PyPI writes microseconds.
        upload_time_iso_8601: t.toISOString().replace('Z', '000Z'),
        url: `https://files.fixture.invalid/packages/${filename}`,
        digests: { sha256: '0'.repeat(64), md5: '0'.repeat(32) },
        requires_python: '>=3.8',
        yanked,
        yanked_reason: reason,
      };
    });
  });

  const info: Record<string, unknown> = {
    name: o.name,
    version: latest,
    summary: o.summary ?? `fixture project ${o.name}`,
    home_page: o.homePage ?? null,
    project_urls: o.urls ?? null,
    requires_python: '>=3.8',
    yanked: latestYanked || yankedList.includes(latest),
    yanked_reason: null,
    downloads: { last_day: -1, last_week: -1, last_month: -1 },
  };
  const json = {
    info,
    last_serial: 1,
    releases,
    urls: releases[latest] ?? [],
    vulnerabilities: [],
    ...(o.ownership ? { ownership: { roles: o.ownership.users.map((user) => ({ role: 'Owner', user })), organization: o.ownership.organization ?? null } } : {}),
  };
  const fx: PypiProjectFixture = { ecosystem: 'pypi', name: o.name, normalized, json, status: o.status ?? 'active' };
  if (o.statusReason !== undefined) fx.statusReason = o.statusReason;
  if (typeof o.weeklyDownloads === 'number') fx.weeklyDownloads = o.weeklyDownloads;
  return fx;
}

interface PypiFile {
  filename: string;
  url: string;
  size: number;
  upload_time_iso_8601: string;
  yanked: boolean;
  yanked_reason: string | null;
  requires_python: string | null;
  digests: { sha256: string };
}

/** The PEP 691 JSON simple page (api-version 1.4: PEP 700 `versions`, `size`, `upload-time`; PEP 792 status). */
export function simpleJsonOf(p: PypiProjectFixture): Record<string, unknown> {
  const releases = p.json.releases as Record<string, PypiFile[]>;
  const hidden = p.status === 'quarantined';
  const files = hidden
    ? []
    : Object.values(releases)
        .flat()
        .map((f) => ({
          filename: f.filename,
          url: f.url,
          hashes: { sha256: f.digests.sha256 },
          'requires-python': f.requires_python,
          size: f.size,
          'upload-time': f.upload_time_iso_8601,
          yanked: f.yanked ? (f.yanked_reason ?? true) : false,
          'core-metadata': false,
          'data-dist-info-metadata': false,
        }));
  const status: Record<string, string> = { status: p.status };
  if (p.statusReason) status.reason = p.statusReason;
  return {
    meta: { 'api-version': '1.4', '_last-serial': 1 },
    name: p.normalized,
    'project-status': status,
    versions: hidden ? [] : Object.entries(releases).filter(([, fs]) => fs.length > 0).map(([v]) => v),
    files,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The PEP 503 HTML simple page, as private indexes that speak only HTML serve it. */
export function simpleHtmlOf(p: PypiProjectFixture): string {
  const releases = p.json.releases as Record<string, PypiFile[]>;
  const links = (p.status === 'quarantined' ? [] : Object.values(releases).flat()).map((f) => {
    const attrs = [`href="${escapeHtml(`${f.url}#sha256=${f.digests.sha256}`)}"`];
    if (f.requires_python) attrs.push(`data-requires-python="${escapeHtml(f.requires_python)}"`);
    if (f.yanked) attrs.push(`data-yanked="${escapeHtml(f.yanked_reason ?? '')}"`);
    return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br />`;
  });
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <meta name="pypi:repository-version" content="1.0">',
    `    <title>Links for ${escapeHtml(p.normalized)}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>Links for ${escapeHtml(p.normalized)}</h1>`,
    ...links,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}
