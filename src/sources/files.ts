/**
 * Files as a source: find the manifests and lockfiles under the paths the user named, read
 * them safely, and extract every ref with origins relative to the working directory.
 *
 * Folders are walked recursively, skipping what is installed or generated rather than written
 * by the user (node_modules, virtualenvs, VCS folders, caches, vendor/) and folders the
 * project's .gitignore lists by name (so a gitignored `dist/` is skipped, a committed one is
 * not). npm/yarn/pnpm/bun workspaces are followed, so members kept somewhere the walk skips or
 * outside the folder are still read. Explicit file paths are taken as they are.
 */
import { readFileSync, statSync, type Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type * as JsYaml from 'js-yaml';
import { lazyRequire } from '../core/lazy-require.js';
import { InputError } from '../core/errors.js';
import type { ExtractContext, ExtractNote, ExtractResult, PackageRef, SourceDocument } from '../core/types.js';
import { extractDocument, findExtractor, isBinaryFormat } from '../extractors/index.js';
import { normalizeText } from '../extractors/locate.js';

// Only a pnpm workspace needs YAML here.
const jsYaml = lazyRequire<typeof JsYaml>('js-yaml');

/** Options for discovery and extraction. */
export interface FileSourceOptions {
  /** Paths are resolved against this, and origins are written relative to it. */
  cwd: string;
}

/** What discovery found: display paths (relative to cwd, `/`-separated) and notes. */
export interface DiscoveredFiles {
  files: string[];
  notes: ExtractNote[];
}

/** Files larger than this are refused: no real manifest or lockfile comes near it. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** A walk stops after this many folders and says so (a scan of `/` by mistake, a huge monorepo). */
export const MAX_DIRECTORIES = 100_000;

/**
 * Folders never walked into: installed packages, virtualenvs, VCS data, caches and build
 * tool state. Folders people keep manifests in (packages/, apps/, libs/, tools/, docs/,
 * examples/, test/) are all walked.
 */
const SKIP_DIRS = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.eggs',
  'site-packages',
  'vendor',
  '.yarn',
  '.pnpm-store',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  '.parcel-cache',
]);

/** The display form of an absolute path: relative to cwd with `/` separators. */
function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  if (rel === '') return '.';
  const shown = isAbsolute(rel) ? abs : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

/** Simple directory names a .gitignore lists (`dist`, `/build/`, `*.egg-info/`), with whether they are anchored. */
function gitignoreNames(text: string): Array<{ pattern: string; anchored: boolean }> {
  const out: Array<{ pattern: string; anchored: boolean }> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const anchored = line.startsWith('/');
    const body = line.replace(/^\//, '').replace(/\/$/, '');
    // Only single-segment patterns: anything with a `/` inside needs full gitignore semantics.
    if (body === '' || body.includes('/') || body.length > 200) continue;
    out.push({ pattern: body, anchored });
  }
  return out;
}

/**
 * Splits a workspace glob (`packages/*`, `../shared`, `apps/**`) into the literal folders it
 * starts with and the glob segments after them.
 */
function splitGlob(pattern: string): { base: string; rest: string[] } {
  const segments = pattern.replace(/^\.\//, '').split('/').filter((s) => s !== '' && s !== '.');
  const first = segments.findIndex((s) => /[*?[{]/.test(s));
  const cut = first === -1 ? segments.length : first;
  return { base: segments.slice(0, cut).join('/') || '.', rest: segments.slice(cut) };
}

/** Whether one path segment matches a pattern segment with `*` and `?` (no regex: patterns come from the scanned repo). */
function segmentMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Whether a `/`-separated path matches a glob (`*`, `?` in a segment; `**` for any number of segments). */
function globMatches(pattern: string, path: string): boolean {
  const ps = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const ss = path.split('/').filter((s) => s !== '');
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = i * (ss.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === ps.length) result = j === ss.length;
    else if (ps[i] === '**') result = match(i + 1, j) || (j < ss.length && match(i, j + 1));
    else result = j < ss.length && segmentMatches(ps[i] as string, ss[j] as string) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** One discovery run: shared listings, visited folders and notes. */
class Discovery {
  readonly files: string[] = [];
  readonly notes: ExtractNote[] = [];
  private readonly seenFiles = new Set<string>();
  private readonly walked = new Set<string>();
  private readonly listings = new Map<string, Promise<Dirent[] | undefined>>();
  private directories = 0;
  private capped = false;

  constructor(readonly cwd: string) {}

  private note(level: ExtractNote['level'], code: ExtractNote['code'], message: string, abs: string): void {
    this.notes.push({ level, code, message, origin: { file: display(this.cwd, abs) } });
  }

  addFile(abs: string): void {
    if (this.seenFiles.has(abs)) return;
    this.seenFiles.add(abs);
    this.files.push(display(this.cwd, abs));
  }

  /** A folder's entries (cached: workspace expansion lists the same folders as the walk). */
  list(dir: string): Promise<Dirent[] | undefined> {
    let listing = this.listings.get(dir);
    if (!listing) {
      listing = readdir(dir, { withFileTypes: true }).then(
        (entries) => entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        (e: NodeJS.ErrnoException) => {
          this.note('warning', 'unreadable', `${display(this.cwd, dir)}: cannot list this folder (${e.code ?? e.message}); files in it are not checked.`, dir);
          return undefined;
        },
      );
      this.listings.set(dir, listing);
    }
    return listing;
  }

  /** Walks `dir` recursively, adding every file an extractor reads. */
  async walk(dir: string, ignored: Array<{ pattern: string; anchored: boolean; base: string }>): Promise<void> {
    if (this.walked.has(dir)) return;
    this.walked.add(dir);
    if (++this.directories > MAX_DIRECTORIES) {
      if (!this.capped) this.note('warning', 'skipped', `stopped after ${MAX_DIRECTORIES} folders; name narrower paths to check the rest.`, dir);
      this.capped = true;
      return;
    }
    const entries = await this.list(dir);
    if (!entries) return;
    const names = new Set(entries.map((e) => e.name));
    const rules = [...ignored];
    if (names.has('.gitignore')) {
      const text = await readFile(join(dir, '.gitignore'), 'utf8').catch(() => '');
      for (const r of gitignoreNames(text)) rules.push({ ...r, base: dir });
    }
    await this.addManifestsIn(dir, entries);
    if (names.has('package.json') || names.has('pnpm-workspace.yaml')) await this.followWorkspaces(dir, names);
    const subdirs = entries.filter((e) => e.isDirectory() && !SKIP_DIRS.has(e.name) && !this.isIgnored(e.name, dir, rules));
    for (const e of subdirs) {
      const sub = join(dir, e.name);
      const inner = await this.list(sub);
      // Virtualenvs and conda environments go by any name; they are recognised by their marker files.
      if (inner?.some((i) => i.name === 'pyvenv.cfg' || i.name === 'conda-meta')) continue;
      await this.walk(sub, rules);
    }
  }

  /**
   * Adds the files an extractor reads directly in `dir` (not below it). Workspace members are
   * package folders, so this is all a workspace pattern adds; what lies below them is found by
   * the walk, which honours the skip rules.
   */
  private async addManifestsIn(dir: string, listed?: Dirent[]): Promise<void> {
    const entries = listed ?? (await this.list(dir)) ?? [];
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      if (!(e.isFile() || e.isSymbolicLink()) || !findExtractor(join(dir, e.name))) continue;
      // bun.lock replaces bun.lockb; when both are present the text one is read.
      if (e.name === 'bun.lockb' && names.has('bun.lock')) continue;
      const abs = join(dir, e.name);
      if (e.isSymbolicLink() && !(await stat(abs).then((s) => s.isFile(), () => false))) continue;
      this.addFile(abs);
    }
  }

  private isIgnored(name: string, dir: string, rules: Array<{ pattern: string; anchored: boolean; base: string }>): boolean {
    return rules.some((r) => (!r.anchored || r.base === dir) && globMatches(r.pattern, name));
  }

  /** Workspace members named in package.json `workspaces` or pnpm-workspace.yaml `packages`. */
  private async followWorkspaces(dir: string, names: Set<string>): Promise<void> {
    const patterns: string[] = [];
    if (names.has('package.json')) {
      try {
        const pkg = JSON.parse(normalizeText(await readFile(join(dir, 'package.json'), 'utf8'))) as { workspaces?: unknown };
        const ws = pkg.workspaces;
        const list = Array.isArray(ws) ? ws : typeof ws === 'object' && ws !== null ? (ws as { packages?: unknown }).packages : undefined;
        if (Array.isArray(list)) patterns.push(...list.filter((p): p is string => typeof p === 'string'));
      } catch {
        // An unreadable or malformed package.json is reported by its extractor.
      }
    }
    if (names.has('pnpm-workspace.yaml')) {
      try {
        const doc = jsYaml().load(await readFile(join(dir, 'pnpm-workspace.yaml'), 'utf8')) as { packages?: unknown } | undefined;
        if (Array.isArray(doc?.packages)) patterns.push(...doc.packages.filter((p): p is string => typeof p === 'string'));
      } catch {
        this.note('warning', 'malformed', `${display(this.cwd, join(dir, 'pnpm-workspace.yaml'))} is not valid YAML; its workspace packages are found only by walking the folder.`, join(dir, 'pnpm-workspace.yaml'));
      }
    }
    const positive = patterns.filter((p) => !p.startsWith('!'));
    const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    for (const pattern of positive) {
      const { base, rest } = splitGlob(pattern);
      const root = resolve(dir, base);
      const members = rest.length === 0 ? [root] : await this.matchDirs(root, rest);
      for (const member of members) {
        const rel = relative(dir, member).split(sep).join('/');
        if (negative.some((n) => globMatches(n.replace(/^\.\//, ''), rel))) continue;
        await this.addManifestsIn(member);
      }
    }
  }

  /** Folders under `root` whose relative path matches the glob segments `rest`. */
  private async matchDirs(root: string, rest: string[]): Promise<string[]> {
    const out: string[] = [];
    const pattern = rest.join('/');
    const anyDepth = rest.includes('**');
    const maxDepth = anyDepth ? 16 : rest.length;
    const visit = async (dir: string, depth: number): Promise<void> => {
      if (depth > maxDepth || out.length > 10_000) return;
      const entries = await this.list(dir);
      for (const e of entries ?? []) {
        if (!e.isDirectory() || SKIP_DIRS.has(e.name)) continue;
        const sub = join(dir, e.name);
        const rel = relative(root, sub).split(sep).join('/');
        if (globMatches(pattern, rel)) out.push(sub);
        await visit(sub, depth + 1);
      }
    };
    const exists = await stat(root).then((s) => s.isDirectory(), () => false);
    if (exists) await visit(root, 1);
    return out;
  }
}

/**
 * Finds the files to extract. Folders are walked (see the module comment); explicit files are
 * taken as they are, even when no extractor knows them (extraction then names the file).
 * A path that does not exist gives an `unreadable` error note.
 */
export async function discoverFiles(paths: string[], opts: FileSourceOptions): Promise<DiscoveredFiles> {
  const d = new Discovery(opts.cwd);
  for (const p of paths) {
    const abs = resolve(opts.cwd, p);
    let isDir: boolean;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      d.notes.push({
        level: 'error',
        code: 'unreadable',
        message: code === 'ENOENT' ? 'no such file or folder' : `cannot read (${code ?? (e as Error).message})`,
        // The path as the user typed it: they should recognise it.
        origin: { file: p },
      });
      continue;
    }
    if (isDir) await d.walk(abs, []);
    else d.addFile(abs);
  }
  return { files: d.files, notes: d.notes };
}

/** Offset of the first byte that is not part of valid UTF-8, or -1. */
function firstInvalidUtf8(buf: Uint8Array): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i] as number;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    // Overlong three-byte forms, UTF-16 surrogates and code points past U+10FFFF.
    const b1 = buf[i + 1] ?? 0;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * Decodes a file: UTF-8 (a BOM is dropped) or UTF-16 with a BOM (what Windows PowerShell
 * writes for `pip freeze > requirements.txt`). Invalid UTF-8 is an InputError naming the line.
 */
/** Bytes of a file as text (UTF-8, or UTF-16 with a BOM); throws InputError naming the line of a bad byte. */
export function decode(buf: Buffer, path: string): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  const bad = firstInvalidUtf8(body);
  if (bad !== -1) {
    let line = 1;
    for (let i = 0; i < bad; i++) if (body[i] === 0x0a) line++;
    throw new InputError(path, `is not valid UTF-8 text (byte ${bad + 1}, line ${line}); save it as UTF-8.`, line);
  }
  return body.toString('utf8');
}

/**
 * Reads one file as a document (path relative to cwd). Throws InputError for a missing,
 * unreadable, oversized or non-UTF-8 file, with a message that names it.
 */
export function readDocument(path: string, cwd: string): SourceDocument {
  const abs = resolve(cwd, path);
  const shown = display(cwd, abs);
  let size: number;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) throw new InputError(shown, 'is a folder, not a file.');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === 'ENOENT' ? 'no such file.' : `cannot be read (${code ?? (e as Error).message}).`);
  }
  if (size > MAX_FILE_BYTES) {
    throw new InputError(shown, `is ${(size / 1024 / 1024).toFixed(0)} MiB; files over ${MAX_FILE_BYTES / 1024 / 1024} MiB are not read (no real manifest or lockfile is that large).`);
  }
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch (e) {
    throw new InputError(shown, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return { path: shown, text: decode(buf, shown) };
}

/** An `unreadable` error note for a file that could not be read. */
function unreadable(path: string, e: unknown): ExtractNote {
  const message = e instanceof InputError ? e.message : `${path}: cannot be read (${(e as Error).message}).`;
  const origin: ExtractNote['origin'] = { file: path };
  if (e instanceof InputError && e.line !== undefined) origin.line = e.line;
  return { level: 'error', code: 'unreadable', message, origin };
}

// The same name at the same place is one ref, whatever the context it was reached through
// (a requirements file read on its own, and again through another file's `-c`).
const refKey = (r: PackageRef): string => [r.ecosystem, r.name, r.origin?.file, r.origin?.line, r.origin?.column].join('\u0000');
const noteKey = (n: ExtractNote): string => [n.level, n.code, n.message, n.origin.file, n.origin.line, n.origin.column].join('\u0000');

/**
 * Discovers, reads and extracts every file under `paths`. A file already read through another
 * file's `-r`/`-c` is not read again on its own, and refs and notes are deduplicated; one
 * unreadable or malformed file never stops the others.
 */
export async function extractFiles(paths: string[], opts: FileSourceOptions): Promise<ExtractResult> {
  const { files, notes } = await discoverFiles(paths, opts);
  const refs: PackageRef[] = [];
  const allNotes: ExtractNote[] = [...notes];
  /** Files already read through an include (`-r`/`-c`): not read again on their own. */
  const included = new Set<string>();
  const ctx: ExtractContext = {
    readRelative(fromPath, relPath) {
      try {
        const doc = readDocument(resolve(dirname(resolve(opts.cwd, fromPath)), relPath), opts.cwd);
        included.add(doc.path);
        return doc;
      } catch {
        return undefined;
      }
    },
  };
  for (const file of files) {
    if (included.has(file)) continue;
    let doc: SourceDocument;
    if (!findExtractor(file) || isBinaryFormat(file)) doc = { path: file, text: '' };
    else {
      try {
        doc = readDocument(file, opts.cwd);
      } catch (e) {
        allNotes.push(unreadable(file, e));
        continue;
      }
    }
    const result = extractDocument(doc, ctx);
    refs.push(...result.refs);
    allNotes.push(...result.notes);
  }
  return { refs: dedupe(refs, refKey), notes: dedupe(allNotes, noteKey) };
}

function dedupe<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
