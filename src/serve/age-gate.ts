/**
 * The release-age gate (`--min-release-age DAYS`): versions and files younger than the cutoff are
 * removed from what clients see, so no client can resolve to them, whatever its own age setting
 * (or lack of one) says. Pure functions over parsed documents; the fronts decide what to do when
 * nothing is left.
 *
 * A version whose publish time the upstream does not say cannot be judged: it is kept and
 * reported (`unknown`), or dropped under `--fail-closed` (`dropUnknown`).
 */

/** What the gate did to one document. */
export interface GateOutcome<T> {
  /** The document clients get (a copy; the input is shared and never modified). */
  doc: T;
  /** Versions (npm) or file names (PyPI) removed as too young. */
  removed: string[];
  /** Versions or files left. */
  kept: number;
  /** Versions or files without a publish time (kept unless dropUnknown). */
  unknown: string[];
}

/** Options shared by the gates. */
export interface GateOptions {
  /** Epoch ms: anything published after this is too young. */
  cutoffMs: number;
  dropUnknown: boolean;
}

const isPrerelease = (v: string) => v.includes('-');

/** Epoch ms of an ISO date, or undefined. */
function timeOf(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** Decide one item: 'keep', 'young' or 'unknown'. */
function classify(t: number | undefined, o: GateOptions): 'keep' | 'young' | 'unknown' {
  if (t === undefined) return 'unknown';
  return t > o.cutoffMs ? 'young' : 'keep';
}

/**
 * Gate an npm packument (full or abbreviated with `time`): drop young versions from `versions`
 * and `time`, and point every dist-tag whose version was dropped at the newest remaining version
 * (a release rather than a prerelease when there is one).
 */
export function gateNpmDocument(doc: Record<string, unknown>, o: GateOptions): GateOutcome<Record<string, unknown>> {
  const versions = (doc.versions && typeof doc.versions === 'object' ? doc.versions : {}) as Record<string, unknown>;
  const time = (doc.time && typeof doc.time === 'object' ? doc.time : {}) as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  const keptTime: Record<string, unknown> = {};
  const removed: string[] = [];
  const unknown: string[] = [];
  for (const [v, manifest] of Object.entries(versions)) {
    const c = classify(timeOf(time[v]), o);
    if (c === 'unknown') unknown.push(v);
    if (c === 'young' || (c === 'unknown' && o.dropUnknown)) {
      removed.push(v);
      continue;
    }
    kept[v] = manifest;
    if (time[v] !== undefined) keptTime[v] = time[v];
  }
  if (!removed.length) return { doc, removed, kept: Object.keys(kept).length, unknown };
  for (const k of ['created', 'modified', 'unpublished']) if (time[k] !== undefined) keptTime[k] = time[k];
  const newest = (candidates: string[]) => candidates.sort((a, b) => (timeOf(time[b]) ?? 0) - (timeOf(time[a]) ?? 0))[0];
  const remaining = Object.keys(kept);
  const fallback = newest(remaining.filter((v) => !isPrerelease(v))) ?? newest([...remaining]);
  const tags: Record<string, string> = {};
  const oldTags = (doc['dist-tags'] && typeof doc['dist-tags'] === 'object' ? doc['dist-tags'] : {}) as Record<string, unknown>;
  for (const [tag, v] of Object.entries(oldTags)) {
    if (typeof v !== 'string') continue;
    if (kept[v] !== undefined) tags[tag] = v;
    else if (fallback) tags[tag] = fallback;
  }
  const out: Record<string, unknown> = { ...doc, versions: kept, 'dist-tags': tags };
  if (doc.time !== undefined) out.time = keptTime;
  return { doc: out, removed, kept: remaining.length, unknown };
}

/** Upload times of a project's files by file name, from PyPI's JSON API document. */
export function uploadTimesFromJsonApi(doc: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  const releases = doc.releases && typeof doc.releases === 'object' ? (doc.releases as Record<string, unknown>) : {};
  for (const files of Object.values(releases)) {
    if (!Array.isArray(files)) continue;
    for (const f of files as Array<Record<string, unknown>>) {
      const t = timeOf(f?.upload_time_iso_8601) ?? timeOf(f?.upload_time);
      if (typeof f?.filename === 'string' && t !== undefined) out.set(f.filename, t);
    }
  }
  return out;
}

/** Gate a PEP 691 JSON simple page (`files[].upload-time`, PEP 700 `versions`). */
export function gateSimpleJson(doc: Record<string, unknown>, times: Map<string, number>, o: GateOptions): GateOutcome<Record<string, unknown>> {
  const files = Array.isArray(doc.files) ? (doc.files as Array<Record<string, unknown>>) : [];
  const removed: string[] = [];
  const unknown: string[] = [];
  const kept = files.filter((f) => {
    const name = typeof f.filename === 'string' ? f.filename : '';
    const c = classify(timeOf(f['upload-time']) ?? times.get(name), o);
    if (c === 'unknown') unknown.push(name);
    const drop = c === 'young' || (c === 'unknown' && o.dropUnknown);
    if (drop) removed.push(name);
    return !drop;
  });
  if (!removed.length) return { doc, removed, kept: kept.length, unknown };
  return { doc: { ...doc, files: kept }, removed, kept: kept.length, unknown };
}

/** One `<a …>file</a>` of a PEP 503 page; bounded (no nested quantifiers), so it cannot backtrack badly. */
const ANCHOR = /<a\b[^>]*>([^<]*)<\/a>\s*(?:<br\s*\/?>)?/gi;

/** Gate a PEP 503 HTML page: anchors of young files are removed, by the anchor text (the file name). */
export function gateSimpleHtml(html: string, times: Map<string, number>, o: GateOptions): GateOutcome<string> {
  const removed: string[] = [];
  const unknown: string[] = [];
  let kept = 0;
  const out = html.replace(ANCHOR, (anchor, text: string) => {
    const name = text.trim();
    const c = classify(times.get(name), o);
    if (c === 'unknown') unknown.push(name);
    if (c === 'young' || (c === 'unknown' && o.dropUnknown)) {
      removed.push(name);
      return '';
    }
    kept++;
    return anchor;
  });
  return { doc: removed.length ? out : html, removed, kept, unknown };
}

/** Gate PyPI's JSON API document: young files out of `releases` and `urls`, empty releases dropped. */
export function gateJsonApi(doc: Record<string, unknown>, o: GateOptions): GateOutcome<Record<string, unknown>> {
  const releases = doc.releases && typeof doc.releases === 'object' ? (doc.releases as Record<string, Array<Record<string, unknown>>>) : {};
  const removed: string[] = [];
  const unknown: string[] = [];
  const keep = (f: Record<string, unknown>) => {
    const c = classify(timeOf(f.upload_time_iso_8601) ?? timeOf(f.upload_time), o);
    if (c === 'unknown') unknown.push(String(f.filename));
    return !(c === 'young' || (c === 'unknown' && o.dropUnknown));
  };
  const kept: Record<string, Array<Record<string, unknown>>> = {};
  let count = 0;
  for (const [v, files] of Object.entries(releases)) {
    if (!Array.isArray(files)) continue;
    const left = files.filter(keep);
    for (const f of files) if (!left.includes(f)) removed.push(String(f.filename));
    // A release with no files at all (never uploaded) stays as upstream had it.
    if (left.length || !files.length) kept[v] = left;
    count += left.length;
  }
  if (!removed.length) return { doc, removed, kept: count, unknown };
  const out: Record<string, unknown> = { ...doc, releases: kept };
  const info = doc.info && typeof doc.info === 'object' ? (doc.info as Record<string, unknown>) : undefined;
  if (info && typeof info.version === 'string' && !kept[info.version]) {
    const newest = Object.entries(kept)
      .filter(([, fs]) => fs.length)
      .map(([v, fs]) => [v, Math.max(...fs.map((f) => timeOf(f.upload_time_iso_8601) ?? 0))] as const)
      .sort((a, b) => b[1] - a[1])[0];
    out.info = { ...info, version: newest?.[0] ?? info.version };
    out.urls = newest ? kept[newest[0]] : [];
  }
  return { doc: out, removed, kept: count, unknown };
}
