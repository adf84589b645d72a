/**
 * Package names read line by line from a fragment of a manifest or lockfile: the hunks of a
 * diff, or a snippet in an agent's answer (`"dependencies": { "x": "^1" }` without its braces).
 * A fragment is rarely valid JSON, TOML or YAML, so the real extractors cannot read it; these
 * per-line rules read the lines that name packages in each format.
 *
 * Limits (by design): a name split across lines is missed; a dependency table's header must
 * be in the fragment for key/value formats to be read strictly — without it, only values that
 * look like version ranges are taken, and known metadata keys (`version`, `python`, ...) are
 * skipped. When whole files are available, the real extractors are used instead.
 */
import semver from 'semver';
import { PYPI_NAME } from '../../core/names.js';
import type { Ecosystem, RefSource } from '../../core/types.js';
import { lastPackageSegment, splitDescriptor } from '../locate.js';
import { readNpmSpec } from '../npm/spec.js';
import { parsePep508 } from '../pypi/pep508.js';
import { npmNameProblemCached } from './install-args.js';
import { linesOf } from './script-files.js';
import { mcpJsonLines } from '../agents/mcp-json-lines.js';

/** A name found on a line, with its offset in the scanned text. */
export interface LineName {
  ecosystem: Ecosystem;
  name: string;
  spec?: string;
  source?: RefSource;
  sourceDetail?: string;
  alias?: string;
  /** Offset of the name (or of the entry naming it) in the text. */
  offset: number;
  length: number;
  /** The section the line is in (`devDependencies`, `packages`, ...), when known. */
  context?: string;
}

/** Extractor ids with a line-level reading. */
const READERS: Record<string, (text: string, from: number, to: number) => LineName[]> = {
  'package-json': packageJsonLines,
  'package-lock': packageLockLines,
  'yarn-lock': yarnLockLines,
  'pnpm-lock': pnpmLockLines,
  'bun-lock': bunLockLines,
  pyproject: (t, f, e) => tomlManifestLines(t, f, e, 'pyproject'),
  pipfile: (t, f, e) => tomlManifestLines(t, f, e, 'pipfile'),
  'poetry-lock': tomlLockLines,
  'uv-lock': tomlLockLines,
  'pdm-lock': tomlLockLines,
  'pipfile-lock': pipfileLockLines,
  'setup-cfg': setupCfgLines,
  'setup-py': setupPyLines,
  'mcp-json': mcpJsonLines,
  'mcp-codex-toml': mcpJsonLines,
};

/** Whether the format (an extractor id) has a line-level reading. */
export function hasLineLevel(extractorId: string): boolean {
  return extractorId in READERS;
}

/** The names in `text[from, to)` read line by line as format `extractorId`; undefined when unsupported. */
export function lineLevelNames(extractorId: string, text: string, from: number, to: number): LineName[] | undefined {
  const reader = READERS[extractorId];
  return reader ? reader(text, from, to) : undefined;
}

// ---------------------------------------------------------------------------
// npm
// ---------------------------------------------------------------------------

const NPM_DEP_SECTIONS = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'overrides', 'resolutions']);
const PACKAGE_JSON_META = new Set(['name', 'version', 'description', 'main', 'module', 'types', 'typings', 'license', 'author', 'homepage', 'type', 'private', 'packageManager', 'node', 'npm', 'yarn', 'pnpm', 'bun']);
const JSON_PAIR = /^([ \t]*)"([^"\\]{1,214})"[ \t]*:[ \t]*"([^"\\]{0,1000})"/;
const JSON_OPEN = /^([ \t]*)"([^"\\]{1,214})"[ \t]*:[ \t]*[{[]/;

/** `"name": "range"` pairs inside dependency objects (or looking like ranges when the object is not in view). */
function packageJsonLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  const stack: Array<{ key: string; indent: number }> = [];
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const open = JSON_OPEN.exec(line);
    if (open) {
      const indent = (open[1] as string).length;
      while (stack.length && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
      stack.push({ key: open[2] as string, indent });
      continue;
    }
    if (/^[ \t]*[}\]]/.test(line)) {
      const indent = line.length - line.trimStart().length;
      while (stack.length && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
      continue;
    }
    const pair = JSON_PAIR.exec(line);
    if (!pair) continue;
    const key = pair[2] as string;
    const spec = pair[3] as string;
    const section = stack[stack.length - 1]?.key;
    const inDeps = section !== undefined && NPM_DEP_SECTIONS.has(section);
    if (section !== undefined && !inDeps && !NPM_DEP_SECTIONS.has(stack[0]?.key ?? '')) continue;
    if (section === undefined && (PACKAGE_JSON_META.has(key) || !looksLikeNpmRange(spec))) continue;
    if (npmNameProblemCached(key)) continue;
    const at = l.start + (pair[1] as string).length + 1;
    if (SIMPLE_RANGE.test(spec)) {
      // `"name": "^1.2.3"`: a registry range; no need for the full spec reader.
      const found: LineName = { ecosystem: 'npm', name: key, spec, offset: at, length: key.length };
      if (section) found.context = section;
      out.push(found);
      continue;
    }
    const read = readNpmSpec(key, spec);
    if ('invalid' in read) continue;
    const found: LineName = { ecosystem: 'npm', name: read.name, spec: read.spec, offset: at, length: key.length };
    if (read.source !== 'registry') found.source = read.source;
    if (read.sourceDetail) found.sourceDetail = read.sourceDetail;
    if (read.alias) found.alias = read.alias;
    if (section) found.context = section;
    out.push(found);
  }
  return out;
}

/** `^1.2.3`, `~1.0`, `>=2 <3`, `1.x`, `*`: what most dependency values are. */
const SIMPLE_RANGE = /^(?:[~^]|[<>]=?|=)?\s*(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[\w.]+)?(?:\s+(?:[<>]=?)\s*\d[\w.-]*)?$|^\*$/;

/** A dependency value: a semver range, a tag-ish word after `npm:`, or a known protocol. */
function looksLikeNpmRange(spec: string): boolean {
  if (SIMPLE_RANGE.test(spec)) return true;
  if (/^(?:npm|workspace|file|link|portal|catalog|github|gitlab|bitbucket|git\+[a-z]+|git|https?):/.test(spec)) return true;
  return spec !== '' && (spec === 'latest' || spec === 'next' || semver.validRange(spec) !== null);
}

/** `"node_modules/a/node_modules/@s/b": {` keys and `"resolved": ".../name/-/name-1.0.0.tgz"` URLs. */
function packageLockLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const key = /^[ \t]*"((?:[^"\\/]*\/)*node_modules\/[^"\\]{1,500})"[ \t]*:[ \t]*\{/.exec(line);
    if (key) {
      const path = key[1] as string;
      const tail = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const seg = lastPackageSegment(tail);
      if (!npmNameProblemCached(seg.name)) out.push({ ecosystem: 'npm', name: seg.name, offset: l.start + line.indexOf(tail) + seg.index, length: seg.name.length, context: 'packages' });
      continue;
    }
    const resolved = /"resolved"[ \t]*:[ \t]*"([^"\\]{1,2000})"/.exec(line);
    const name = resolved ? registryTarballName(resolved[1] as string) : undefined;
    if (resolved && name) out.push({ ecosystem: 'npm', name, offset: l.start + (resolved.index ?? 0), length: resolved[0].length, context: 'resolved' });
  }
  return out;
}

/** The package a registry tarball URL belongs to (`…/@s/n/-/n-1.0.0.tgz` -> `@s/n`). */
function registryTarballName(url: string): string | undefined {
  const m = /\/((?:@[^/]+\/)?[^/@]+)\/-\/[^/]+\.tgz(?:[?#].*)?$/.exec(url);
  const name = m ? decodeURIComponent((m[1] as string).replace(/%2f/i, '/')) : undefined;
  return name && !npmNameProblemCached(name) ? name : undefined;
}

/** Entry headers at column 0: `"@s/a@^1", a@^1.1:` / `a@npm:^1.0.0:`. */
function yarnLockLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    if (line === '' || /^[ \t#]/.test(line) || !line.trimEnd().endsWith(':') || line.startsWith('__metadata')) continue;
    const first = (line.trimEnd().slice(0, -1).split(',')[0] as string).trim().replace(/^"|"$/g, '');
    const { name, range } = splitDescriptor(first);
    if (range === undefined) continue;
    const read = readNpmSpec(name, range.replace(/^npm:(?=[~^<>=\d*])/, ''));
    if ('invalid' in read) continue;
    const found: LineName = { ecosystem: 'npm', name: read.name, offset: l.start + line.indexOf(name), length: name.length, context: 'yarn.lock entry' };
    if (read.source !== 'registry') found.source = read.source;
    if (read.alias) found.alias = read.alias;
    out.push(found);
  }
  return out;
}

/** Package keys at indentation 2 under `packages:`/`snapshots:` (`/a@1.0.0:`, `'@s/a@1.0.0(peer@1)':`, v5 `/a/1.0.0:`). */
function pnpmLockLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  let section: string | undefined;
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const top = /^([A-Za-z][\w-]*):/.exec(line);
    if (top) {
      section = top[1];
      continue;
    }
    if (section !== undefined && section !== 'packages' && section !== 'snapshots') continue;
    const m = /^ {2}(['"]?)(\/?)([^\s'"][^'"]{0,500}?)\1:[ \t]*(?:\{\})?[ \t]*$/.exec(line);
    if (!m) continue;
    let key = (m[3] as string).replace(/\(.*$/, '');
    let name: string;
    const at = key.indexOf('@', 1);
    if (at !== -1) name = key.slice(0, at);
    else {
      // lockfile v5: `/name/1.0.0`, `/@s/name/1.0.0`
      key = key.replace(/\/[^/]+$/, '');
      name = key;
    }
    if (npmNameProblemCached(name)) continue;
    out.push({ ecosystem: 'npm', name, offset: l.start + 2 + (m[1] as string).length + (m[2] as string).length, length: name.length, context: section ?? 'packages' });
  }
  return out;
}

/** `"key": ["name@1.0.0", …` entries of bun.lock's `packages`. */
function bunLockLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const m = /^[ \t]*"[^"\\]{1,500}"[ \t]*:[ \t]*\[[ \t]*"((?:@[^@"/\\]{1,214}\/)?[^@"/\\]{1,214})@/.exec(line);
    if (!m || npmNameProblemCached(m[1] as string)) continue;
    out.push({ ecosystem: 'npm', name: m[1] as string, offset: l.start + line.indexOf(`"${m[1]}@`) + 1, length: (m[1] as string).length, context: 'packages' });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------

/** Tables whose keys are dependency names (Poetry, Pipfile). */
const KEYED_DEP_TABLE = /^(?:tool\.poetry\.(?:dev-)?dependencies|tool\.poetry\.group\.[^.]+\.dependencies|packages|dev-packages|tool\.pdm\.dev-dependencies)$/;
/** Tables whose arrays hold PEP 508 strings. */
const PEP508_TABLE = /^(?:project|project\.optional-dependencies|dependency-groups|build-system|tool\.uv|tool\.pdm\.dev-dependencies|tool\.hatch\..*)$/;
const TOML_META = new Set(['name', 'version', 'description', 'readme', 'requires-python', 'python', 'license', 'authors', 'maintainers', 'keywords', 'classifiers', 'homepage', 'repository', 'documentation', 'packages', 'include', 'exclude']);
const TOML_KEY_VALUE = /^[ \t]*"?([A-Za-z0-9][A-Za-z0-9._-]{0,200})"?[ \t]*=[ \t]*(.*)$/;
const QUOTED = /"([^"\\]{1,1000})"|'([^'\\]{1,1000})'/g;

/** pyproject.toml and Pipfile: PEP 508 strings in dependency arrays; `name = "spec"` in keyed tables. */
function tomlManifestLines(text: string, from: number, to: number, kind: 'pyproject' | 'pipfile'): LineName[] {
  const out: LineName[] = [];
  let table: string | undefined;
  let inArray = false;
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const header = /^[ \t]*\[\[?[ \t]*([^\]]{1,300}?)[ \t]*\]\]?/.exec(line);
    if (header) {
      table = (header[1] as string).replace(/["']/g, '');
      inArray = false;
      continue;
    }
    const kv = TOML_KEY_VALUE.exec(line);
    const keyed = table !== undefined ? KEYED_DEP_TABLE.test(table) : kind === 'pipfile';
    if (kv && keyed) {
      const key = kv[1] as string;
      const value = (kv[2] as string).trim();
      if (key === 'python' || key === 'python_version' || key === 'python_full_version') continue;
      if (!PYPI_NAME.test(key)) continue;
      const found: LineName = { ecosystem: 'pypi', name: key, offset: l.start + line.indexOf(key), length: key.length };
      const str = /^["']([^"']*)["']/.exec(value)?.[1];
      if (str !== undefined && str !== '*') found.spec = str;
      if (/\b(?:git|path|url|file)[ \t]*=/.test(value)) found.source = /\bgit[ \t]*=/.test(value) ? 'git' : /\burl[ \t]*=/.test(value) ? 'url' : 'directory';
      if (table) found.context = table;
      out.push(found);
      continue;
    }
    if (kv && table === undefined && !inArray) {
      // No table header in view: `name = "^1.2"` only when the value looks like a constraint.
      const key = kv[1] as string;
      const value = (kv[2] as string).trim();
      if (!TOML_META.has(key) && PYPI_NAME.test(key) && (/^["'](?:[\^~*]|[<>=!]=?|\d)/.test(value) || /^\{.*\bversion[ \t]*=/.test(value))) {
        out.push({ ecosystem: 'pypi', name: key, offset: l.start + line.indexOf(key), length: key.length });
        continue;
      }
    }
    const arrayStart = kv && /^\[/.test((kv[2] as string).trim());
    const strictArrays = table === undefined || PEP508_TABLE.test(table);
    if ((arrayStart || inArray || /^[ \t]*["']/.test(line)) && strictArrays && !(kv && TOML_META.has(kv[1] as string) && kv[1] !== 'requires')) {
      const from2 = arrayStart && kv ? line.indexOf('[') : 0;
      QUOTED.lastIndex = from2;
      for (let m = QUOTED.exec(line); m; m = QUOTED.exec(line)) {
        const s = (m[1] ?? m[2]) as string;
        const p = parsePep508(s);
        if ('error' in p || !PYPI_NAME.test(p.name)) continue;
        const found: LineName = { ecosystem: 'pypi', name: p.name, offset: l.start + m.index + 1 + p.nameIndex, length: p.name.length };
        if (p.specifier) found.spec = p.specifier;
        if (p.url) {
          found.source = /^(?:git|hg|svn|bzr)\+/.test(p.url) ? 'git' : 'url';
          found.spec = p.url;
        }
        if (table) found.context = table;
        out.push(found);
      }
    }
    if (arrayStart) inArray = !line.includes(']', line.indexOf('['));
    else if (inArray && line.includes(']')) inArray = false;
  }
  return out;
}

/** poetry.lock and uv.lock: `name = "x"` at the start of a `[[package]]` entry. */
function tomlLockLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const m = /^name[ \t]*=[ \t]*"([^"\\]{1,200})"/.exec(line);
    if (m && PYPI_NAME.test(m[1] as string)) out.push({ ecosystem: 'pypi', name: m[1] as string, offset: l.start + line.indexOf('"') + 1, length: (m[1] as string).length, context: 'package' });
  }
  return out;
}

const PIPFILE_LOCK_KEYS = new Set(['_meta', 'default', 'develop', 'hash', 'requires', 'sources', 'pipfile-spec', 'markers', 'hashes', 'extras']);

/** Pipfile.lock: `"name": {` entries (the package objects under `default`/`develop`). */
function pipfileLockLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const m = /^[ \t]+"([A-Za-z0-9][A-Za-z0-9._-]{0,200})"[ \t]*:[ \t]*\{/.exec(line);
    if (!m || PIPFILE_LOCK_KEYS.has(m[1] as string) || !PYPI_NAME.test(m[1] as string)) continue;
    out.push({ ecosystem: 'pypi', name: m[1] as string, offset: l.start + line.indexOf('"') + 1, length: (m[1] as string).length, context: 'package' });
  }
  return out;
}

// ---------------------------------------------------------------------------
// setuptools: setup.cfg and setup.py
// ---------------------------------------------------------------------------

/** One PEP 508 requirement at `offset` of the scanned text, or undefined when `req` is not one. */
function pep508At(req: string, offset: number, context?: string): LineName | undefined {
  const p = parsePep508(req);
  if ('error' in p || !PYPI_NAME.test(p.name)) return undefined;
  const found: LineName = { ecosystem: 'pypi', name: p.name, offset: offset + p.nameIndex, length: p.name.length };
  if (p.specifier) found.spec = p.specifier;
  if (p.url) {
    found.source = /^(?:git|hg|svn|bzr)\+/.test(p.url) ? 'git' : 'url';
    found.spec = p.url;
  }
  if (context) found.context = context;
  return found;
}

const CFG_REQUIRES_KEYS = /^(install_requires|setup_requires|tests_require)$/;

/**
 * setup.cfg: requirement values of `install_requires` / `setup_requires` / `tests_require` and of
 * `[options.extras_require]` keys: a value on the key's line (`install_requires = x>=1`) and the
 * indented continuation lines that follow. Without the key in view (a hunk of continuation lines),
 * an indented line that reads as a requirement with a version specifier is taken.
 */
function setupCfgLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  let section: string | undefined;
  let inValue: string | undefined;
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    const header = /^[ \t]*\[([^\]]{1,200})\]/.exec(line);
    if (header) {
      section = (header[1] as string).trim();
      inValue = undefined;
      continue;
    }
    if (/^[ \t]*(?:[#;]|$)/.test(line)) continue;
    const kv = /^([A-Za-z0-9_.-]{1,100})[ \t]*[=:][ \t]*(.*)$/.exec(line);
    if (kv) {
      const key = kv[1] as string;
      const takes = (section === 'options' && CFG_REQUIRES_KEYS.test(key)) || section === 'options.extras_require';
      inValue = takes ? (section === 'options.extras_require' ? `extras_require.${key}` : key) : undefined;
      const value = kv[2] as string;
      if (takes && value.trim()) {
        // One-line values are split at `;` as setuptools reads them.
        let at = l.start + line.length - value.length;
        for (const part of value.split(';')) {
          const found = pep508At(part, at, inValue);
          if (found) out.push(found);
          at += part.length + 1;
        }
      }
      continue;
    }
    if (!/^[ \t]+\S/.test(line)) {
      inValue = undefined;
      continue;
    }
    const found = pep508At(line, l.start, inValue);
    // Out of sight of its key, only a line that is clearly a requirement (it pins a version).
    if (found && (inValue !== undefined || found.spec !== undefined)) out.push(found);
  }
  return out;
}

/**
 * setup.py: list items that are one quoted requirement (`    "requests>=2.31",`), as the literal
 * lists given to `setup()` are written. Any other line of Python is not read from a fragment.
 */
function setupPyLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  for (const l of linesOf(text, from, to)) {
    const line = text.slice(l.start, l.end);
    // A bare list item, or the first item after `NAME = [` / `[` (a keyword argument such as
    // `version="1.0",` is not a list item and is never read). No two neighbouring quantifiers can
    // take the same characters, so a long line cannot make this backtrack.
    const m = /^[ \t]*(?:[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*\[[ \t]*|\[[ \t]*)?(["'])([^"'\\\n]{1,300})\1[ \t]*(?:[,\]][ \t]*)?(?:#.*)?$/.exec(line);
    if (!m) continue;
    const quoted = `${m[1]}${m[2]}${m[1]}`;
    const found = pep508At(m[2] as string, l.start + line.indexOf(quoted) + 1);
    if (found) out.push(found);
  }
  return out;
}
