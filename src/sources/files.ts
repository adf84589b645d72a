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
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type * as JsYaml from 'js-yaml';
import { lazyRequire } from '../core/lazy-require.js';
import type { ExtractNote, ExtractResult, PackageRef, SourceDocument } from '../core/types.js';
import { extractorById, findExtractor, isBinaryFormat } from '../extractors/index.js';
import { normalizeText } from '../extractors/locate.js';
import { ReadBudget, diskAccess, displayPath, type FileAccess } from './file-access.js';
import { gitListFiles } from './git.js';
import { extractWithIncludes } from './includes.js';
import { readLimits, type ReadLimits } from './read-limits.js';
import { readRootOf } from './repo-root.js';
import { notReadNote, readTextFile } from './text-file.js';

// Only a pnpm workspace needs YAML here.
const jsYaml = lazyRequire<typeof JsYaml>('js-yaml');

/** Options for discovery and extraction. */
export interface FileSourceOptions {
  /** Paths are resolved against this, and origins are written relative to it. */
  cwd: string;
  /** Per-file cap and run budget (default: from `process.env`, see sources/read-limits.ts). */
  limits?: ReadLimits;
  /**
   * Folders are listed by git instead of walked: every file git tracks plus the untracked ones it
   * does not ignore (`ci`: what a change ships, ignored and vendor folders included). Falls back
   * to the walk outside a repository.
   */
  gitListing?: boolean;
  /**
   * Files named explicitly are read as this format whatever their name (an extractor id): the
   * file of `pip install -r deps.lock` is a requirements file because pip reads it as one.
   */
  readAs?: 'requirements';
}

/** What discovery found: display paths (relative to cwd, `/`-separated) and notes. */
export interface DiscoveredFiles {
  files: string[];
  notes: ExtractNote[];
}

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

const display = (cwd: string, abs: string): string => displayPath(cwd, abs);

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

/** A file discovery found, with the port it is read through. */
interface FoundFile {
  abs: string;
  access: FileAccess;
  /** Named by the user on the command line (may lie outside the repository). */
  userChosen: boolean;
  /** Named by the user and outside any repository: its links are the user's too. */
  linksAnywhere?: boolean;
}

/** The ports of one run: one per root, all sharing the run's read budget. */
class Ports {
  private readonly byRoot = new Map<string, FileAccess>();
  private readonly budget: ReadBudget;

  constructor(
    readonly cwd: string,
    readonly limits: ReadLimits,
  ) {
    this.budget = new ReadBudget(limits.totalBytes);
  }

  /** The port for reads under a path the user named, and whether its root is a repository. */
  async forTarget(abs: string): Promise<{ access: FileAccess; repository: boolean }> {
    const { root, repository } = await readRootOf(abs, this.cwd);
    let access = this.byRoot.get(root);
    if (!access) {
      access = diskAccess({ root, displayBase: this.cwd, limits: this.limits, budget: this.budget });
      this.byRoot.set(root, access);
    }
    return { access, repository };
  }
}

/** One discovery run: shared listings, visited folders and notes. */
class Discovery {
  readonly found: FoundFile[] = [];
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

  addFile(abs: string, access: FileAccess, userChosen = false, linksAnywhere = false): void {
    if (this.seenFiles.has(abs)) return;
    this.seenFiles.add(abs);
    this.found.push({ abs, access, userChosen, ...(linksAnywhere ? { linksAnywhere } : {}) });
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

  /** A small text file through the port (.gitignore, a workspace list), or undefined. */
  private async text(access: FileAccess, abs: string): Promise<string | undefined> {
    const read = await readTextFile(access, abs);
    return read.ok ? read.doc.text : undefined;
  }

  /** Walks `dir` recursively, adding every file an extractor reads. */
  async walk(dir: string, ignored: Array<{ pattern: string; anchored: boolean; base: string }>, access: FileAccess): Promise<void> {
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
      const text = (await this.text(access, join(dir, '.gitignore'))) ?? '';
      for (const r of gitignoreNames(text)) rules.push({ ...r, base: dir });
    }
    await this.addManifestsIn(dir, access, entries);
    if (names.has('package.json') || names.has('pnpm-workspace.yaml')) await this.followWorkspaces(dir, names, access);
    const subdirs = entries.filter((e) => e.isDirectory() && !SKIP_DIRS.has(e.name) && !this.isIgnored(e.name, dir, rules));
    for (const e of subdirs) {
      const sub = join(dir, e.name);
      const inner = await this.list(sub);
      // Virtualenvs and conda environments go by any name; they are recognised by their marker files.
      if (inner?.some((i) => i.name === 'pyvenv.cfg' || i.name === 'conda-meta')) continue;
      await this.walk(sub, rules, access);
    }
  }

  /**
   * Adds the files an extractor reads directly in `dir` (not below it). Workspace members are
   * package folders, so this is all a workspace pattern adds; what lies below them is found by
   * the walk, which honours the skip rules. Symlinks are added as they are: the port decides
   * whether their target may be read (inside the repository) and says so when not.
   */
  private async addManifestsIn(dir: string, access: FileAccess, listed?: Dirent[]): Promise<void> {
    const entries = listed ?? (await this.list(dir)) ?? [];
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      // FIFOs, sockets and devices under a manifest's name are added too: the port refuses them
      // with a note, rather than the walk passing over them in silence.
      if (e.isDirectory() || !findExtractor(join(dir, e.name))) continue;
      // bun.lock replaces bun.lockb; when both are present the text one is read.
      if (e.name === 'bun.lockb' && names.has('bun.lock')) continue;
      const abs = join(dir, e.name);
      // A link to a folder (or to nothing) is no manifest; a link to a file is the port's to judge.
      if (e.isSymbolicLink() && (await access.kind(abs)) === 'directory') continue;
      if (e.isSymbolicLink() && (await access.kind(abs)) === 'missing') continue;
      this.addFile(abs, access);
    }
  }

  /** Adds the files git lists under `dir` (tracked, or untracked and not ignored) that an extractor reads. */
  async addListed(listed: readonly string[], access: FileAccess): Promise<void> {
    const present = new Set(listed);
    for (const abs of [...listed].sort()) {
      if (!findExtractor(abs)) continue;
      if (abs.endsWith('bun.lockb') && present.has(abs.slice(0, -1))) continue;
      // Tracked but deleted in the working tree (not committed yet): nothing to read.
      if ((await access.kind(abs)) === 'missing') continue;
      this.addFile(abs, access);
    }
  }

  private isIgnored(name: string, dir: string, rules: Array<{ pattern: string; anchored: boolean; base: string }>): boolean {
    return rules.some((r) => (!r.anchored || r.base === dir) && globMatches(r.pattern, name));
  }

  /** Workspace members named in package.json `workspaces` or pnpm-workspace.yaml `packages`. */
  private async followWorkspaces(dir: string, names: Set<string>, access: FileAccess): Promise<void> {
    const patterns: string[] = [];
    if (names.has('package.json')) {
      try {
        const text = await this.text(access, join(dir, 'package.json'));
        const pkg = (text === undefined ? {} : JSON.parse(normalizeText(text))) as { workspaces?: unknown };
        const ws = pkg.workspaces;
        const list = Array.isArray(ws) ? ws : typeof ws === 'object' && ws !== null ? (ws as { packages?: unknown }).packages : undefined;
        if (Array.isArray(list)) patterns.push(...list.filter((p): p is string => typeof p === 'string'));
      } catch {
        // An unreadable or malformed package.json is reported by its extractor.
      }
    }
    if (names.has('pnpm-workspace.yaml')) {
      const file = join(dir, 'pnpm-workspace.yaml');
      try {
        const doc = jsYaml().load((await this.text(access, file)) ?? '') as { packages?: unknown } | undefined;
        if (Array.isArray(doc?.packages)) patterns.push(...doc.packages.filter((p): p is string => typeof p === 'string'));
      } catch {
        this.note('warning', 'malformed', `${display(this.cwd, file)} is not valid YAML; its workspace packages are found only by walking the folder.`, file);
      }
    }
    const positive = patterns.filter((p) => !p.startsWith('!'));
    const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    for (const pattern of positive) {
      const { base, rest } = splitGlob(pattern);
      const root = resolve(dir, base);
      // A workspace outside the repository (`../shared`, a link leaving it) is not read: the
      // repository does not get to point slopguard at the rest of the disk.
      if ((await access.kind(root)) === 'refused') {
        this.notes.push({
          level: 'warning',
          code: 'refused',
          message: `the workspace "${pattern.slice(0, 80)}" is outside the repository being checked; it is not read, and the packages it names are not checked.`,
          origin: { file: display(this.cwd, join(dir, names.has('package.json') ? 'package.json' : 'pnpm-workspace.yaml')) },
          unverified: true,
        });
        continue;
      }
      const members = rest.length === 0 ? [root] : await this.matchDirs(root, rest, access);
      for (const member of members) {
        const rel = relative(dir, member).split(sep).join('/');
        if (negative.some((n) => globMatches(n.replace(/^\.\//, ''), rel))) continue;
        await this.addManifestsIn(member, access);
      }
    }
  }

  /** Folders under `root` whose relative path matches the glob segments `rest`. */
  private async matchDirs(root: string, rest: string[], access: FileAccess): Promise<string[]> {
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
    if ((await access.kind(root)) === 'directory') await visit(root, 1);
    return out;
  }
}

/** Discovery with the ports its files are read through. */
async function discover(paths: string[], opts: FileSourceOptions, ports: Ports): Promise<Discovery> {
  const d = new Discovery(opts.cwd);
  for (const p of paths) {
    const abs = resolve(opts.cwd, p);
    const { access, repository } = await ports.forTarget(abs);
    // The path the user typed is their choice, but it is still read by the port's rules.
    const kind = await access.kind(abs, { userChosen: true, linksAnywhere: !repository });
    if (kind === 'missing') {
      // The path as the user typed it: they should recognise it.
      d.notes.push({ level: 'error', code: 'unreadable', message: 'no such file or folder', origin: { file: p } });
      continue;
    }
    if (kind !== 'directory') {
      d.addFile(abs, access, true, !repository);
      continue;
    }
    const listed = opts.gitListing ? await gitListFiles(['.'], abs).catch(() => undefined) : undefined;
    if (listed) await d.addListed(listed, access);
    else await d.walk(abs, [], access);
  }
  return d;
}

/**
 * Finds the files to extract. Folders are walked (see the module comment), or listed by git
 * with `gitListing`; explicit files are taken as they are, even when no extractor knows them
 * (extraction then names the file). A path that does not exist gives an `unreadable` error note.
 */
export async function discoverFiles(paths: string[], opts: FileSourceOptions): Promise<DiscoveredFiles> {
  const d = await discover(paths, opts, new Ports(opts.cwd, opts.limits ?? readLimits(process.env)));
  return { files: d.found.map((f) => display(opts.cwd, f.abs)), notes: d.notes };
}

/**
 * Reads one file the user named as a document (path relative to cwd), through a disk port
 * confined to its repository. A refusal or an undecodable file gives the located note instead.
 */
export async function readDocument(path: string, cwd: string, limits: ReadLimits = readLimits(process.env)): Promise<SourceDocument | ExtractNote> {
  const abs = resolve(cwd, path);
  const { access, repository } = await new Ports(cwd, limits).forTarget(abs);
  const read = await readTextFile(access, abs, { userChosen: true, linksAnywhere: !repository });
  return read.ok ? read.doc : notReadNote(read);
}

// The same name at the same place is one ref, whatever the context it was reached through
// (a requirements file read on its own, and again through another file's `-c`).
const refKey = (r: PackageRef): string => [r.ecosystem, r.name, r.origin?.file, r.origin?.line, r.origin?.column].join('\u0000');
const noteKey = (n: ExtractNote): string => [n.level, n.code, n.message, n.origin.file, n.origin.line, n.origin.column].join('\u0000');

/**
 * Discovers, reads and extracts every file under `paths`, every read through the file-access
 * port (regular files only, confined to the repository, capped). A file already read through
 * another file's `-r`/`-c` is not read again on its own, and refs and notes are deduplicated;
 * one unreadable, refused or malformed file never stops the others.
 */
export async function extractFiles(paths: string[], opts: FileSourceOptions): Promise<ExtractResult> {
  const ports = new Ports(opts.cwd, opts.limits ?? readLimits(process.env));
  const d = await discover(paths, opts, ports);
  const refs: PackageRef[] = [];
  const allNotes: ExtractNote[] = [...d.notes];
  /** Files already read through an include (`-r`/`-c`): not read again on their own. */
  const included = new Set<string>();
  const absOf = (shown: string) => resolve(opts.cwd, shown);
  const forced = opts.readAs ? extractorById(opts.readAs) : undefined;
  for (const file of d.found) {
    if (included.has(file.abs)) continue;
    const shown = display(opts.cwd, file.abs);
    const extractor = file.userChosen && forced ? forced : undefined;
    let doc: SourceDocument;
    if (!extractor && (!findExtractor(file.abs) || isBinaryFormat(file.abs))) doc = { path: shown, text: '' };
    else {
      const read = await readTextFile(file.access, file.abs, { userChosen: file.userChosen, linksAnywhere: file.linksAnywhere === true });
      if (!read.ok) {
        allNotes.push(notReadNote(read));
        continue;
      }
      doc = read.doc;
    }
    const result = await extractWithIncludes(doc, file.access, absOf, extractor);
    for (const abs of result.included) included.add(abs);
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
