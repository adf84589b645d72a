/**
 * First-party names: what an import names may be the project's own code, and such a name must
 * never be sent to a public registry (it leaks internal names, and a squatter who registers one
 * gets installed). Before anything is looked up, the import refs of `text`, `diff`, MCP
 * `check_text` and the LSP go through `dropFirstParty`, which resolves them from the repository:
 *
 * - Python: a module file or package folder (`settings_x.py`, `settings_x/`) beside the importing
 *   file, at the repository root or under `src/`; the project's own `[project].name` (or Poetry's).
 *   Relative imports and the standard library are skipped by the extractor already.
 * - JS/TS: `tsconfig.json` / `jsconfig.json` `compilerOptions.paths` and `baseUrl`, the root
 *   `package.json`'s own name, workspace packages (`workspaces`, `pnpm-workspace.yaml`). Node
 *   built-ins, relative paths and `package.json` `imports` (`#…`) are skipped by the extractor.
 *
 * Module files, folders and aliases are resolved only for refs that came from an import statement;
 * the project's own name and its workspace packages also in manifests. An install command asks
 * the registry by name, so what it names is always looked up. Without a repository (an agent's answer read outside any project) nothing
 * changes. Files are read through the file-access port (src/sources/file-access.ts).
 */
import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type * as Jsonc from 'jsonc-parser';
import type * as SmolToml from 'smol-toml';
import type * as JsYaml from 'js-yaml';
import type { ExtractResult, PackageRef } from '../core/types.js';
import { normalizePypiName } from '../core/names.js';
import { lazyRequire } from '../core/lazy-require.js';
import { findExtractor } from '../extractors/index.js';
import { diskAccess, type FileAccess } from './file-access.js';

const jsonc = lazyRequire<typeof Jsonc>('jsonc-parser');
const toml = lazyRequire<typeof SmolToml>('smol-toml');
const yaml = lazyRequire<typeof JsYaml>('js-yaml');

/** The contexts import extractors give their refs (src/extractors/text/imports.ts). */
const IMPORT_CONTEXTS = new Set(['import', 'export', 'require', 'dynamic import']);

/** Whether the ref came from an import statement (not an install command or a manifest). */
function isImport(ref: PackageRef): boolean {
  return IMPORT_CONTEXTS.has(ref.origin?.context ?? '') || ref.importName !== undefined;
}

/** Files a bare specifier may resolve to under `baseUrl`. */
const JS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.json'];

/** At most this many workspace folders are read (a glob over a huge folder is not a workspace list). */
const MAX_WORKSPACES = 2000;

/**
 * The repository around `cwd`: the nearest folder up that holds `.git`, or undefined outside any
 * repository (then first-party resolution is off and behaviour is as before).
 */
export function repositoryRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** What the repository says about its own names, gathered once per run. */
interface ProjectNames {
  root: string;
  access: FileAccess;
  /** npm: the root package's name, workspace package names. */
  npmOwn: Set<string>;
  /**
   * tsconfig/jsconfig `paths`: the pattern (prefix before `*`, or the exact key), whether it has a
   * wildcard, and the folders-or-files it maps to (absolute, `*` kept).
   */
  aliases: Array<{ prefix: string; wildcard: boolean; targets: string[] }>;
  /** tsconfig/jsconfig `baseUrl`s (absolute). */
  baseUrls: string[];
  /** PyPI: the project's own distribution name (PEP 503). */
  pypiOwn: Set<string>;
}

async function text(access: FileAccess, path: string): Promise<string | undefined> {
  const r = await access.readFile(path);
  return r.ok ? r.bytes.toString('utf8') : undefined;
}

function parseJsonc(s: string | undefined): Record<string, unknown> | undefined {
  if (s === undefined) return undefined;
  const v = jsonc().parse(s, [], { allowTrailingComma: true }) as unknown;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Folders a workspace pattern names: `dir`, `dir/*` (one level) and `dir/**` (read as one level). */
async function workspaceDirs(root: string, pattern: string): Promise<string[]> {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean.startsWith('!') || clean.includes('..')) return [];
  const star = clean.indexOf('*');
  if (star < 0) return [join(root, clean)];
  const parent = join(root, clean.slice(0, star).replace(/\/$/, ''));
  if (!isInside(root, parent)) return [];
  try {
    const entries = await readdir(parent, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => join(parent, e.name));
  } catch {
    return [];
  }
}

function isInside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function gather(root: string): Promise<ProjectNames> {
  const access = diskAccess({ root });
  const names: ProjectNames = { root, access, npmOwn: new Set(), aliases: [], baseUrls: [], pypiOwn: new Set() };
  const pkg = parseJsonc(await text(access, 'package.json'));
  if (typeof pkg?.name === 'string') names.npmOwn.add(pkg.name);
  const patterns: string[] = [];
  const ws = pkg?.workspaces;
  const wsList = Array.isArray(ws) ? ws : obj(ws)?.packages;
  if (Array.isArray(wsList)) patterns.push(...wsList.filter((p): p is string => typeof p === 'string'));
  const pnpm = await text(access, 'pnpm-workspace.yaml');
  if (pnpm !== undefined) {
    try {
      const doc = obj(yaml().load(pnpm));
      if (Array.isArray(doc?.packages)) patterns.push(...doc.packages.filter((p): p is string => typeof p === 'string'));
    } catch {
      // A broken workspace file names nothing; the lockfile extractors report it when scanned.
    }
  }
  let seen = 0;
  for (const p of patterns) {
    for (const dir of await workspaceDirs(root, p)) {
      if (++seen > MAX_WORKSPACES) break;
      const wp = parseJsonc(await text(access, join(dir, 'package.json')));
      if (typeof wp?.name === 'string') names.npmOwn.add(wp.name);
    }
  }
  for (const file of ['tsconfig.json', 'jsconfig.json']) {
    const cfg = parseJsonc(await text(access, file));
    const opts = obj(cfg?.compilerOptions);
    if (!opts) continue;
    const base = typeof opts.baseUrl === 'string' ? resolve(root, opts.baseUrl) : root;
    if (typeof opts.baseUrl === 'string') names.baseUrls.push(base);
    for (const [key, value] of Object.entries(obj(opts.paths) ?? {})) {
      const targets = (Array.isArray(value) ? value : []).filter((t): t is string => typeof t === 'string').map((t) => resolve(base, t));
      const star = key.indexOf('*');
      names.aliases.push({ prefix: star < 0 ? key : key.slice(0, star), wildcard: star >= 0, targets });
    }
  }
  const pyproject = await text(access, 'pyproject.toml');
  if (pyproject !== undefined) {
    try {
      const doc = toml().parse(pyproject) as Record<string, unknown>;
      const own = [obj(doc.project)?.name, obj(obj(doc.tool)?.poetry)?.name];
      for (const n of own) if (typeof n === 'string') names.pypiOwn.add(normalizePypiName(n));
    } catch {
      // Malformed pyproject: reported by its own extractor when scanned.
    }
  }
  return names;
}

/** Whether something a module could be is at `dir/<base>` (a file with one of `exts`, or a folder). */
async function moduleAt(access: FileAccess, dir: string, base: string, exts: readonly string[]): Promise<boolean> {
  if (!isInside(access.root, dir)) return false;
  if ((await access.kind(join(dir, base))) === 'directory') return true;
  for (const ext of exts) if ((await access.kind(join(dir, base + ext))) === 'file') return true;
  return false;
}

/** Why `ref` is the project's own code, or undefined when it may be a registry package. */
async function firstPartyReason(ref: PackageRef, p: ProjectNames): Promise<string | undefined> {
  // The project's own name and its workspace packages resolve locally however they are named
  // (an import, a manifest entry, `npm install` inside the workspace).
  // An install command asks the registry by name: never first-party.
  const fromImport = isImport(ref);
  if (!fromImport && !(ref.origin?.file && findExtractor(ref.origin.file)?.kind === 'manifest')) return undefined;
  if (ref.ecosystem === 'npm' && p.npmOwn.has(ref.name)) return 'a package of the workspace';
  if (ref.ecosystem === 'pypi' && p.pypiOwn.has(normalizePypiName(ref.name))) return 'the project itself';
  if (!fromImport) return undefined;
  const file = ref.origin?.file;
  const fileDir = file && !file.startsWith('<') ? dirname(resolve(p.root, file)) : undefined;
  if (ref.ecosystem === 'pypi') {
    const mod = ref.importName ?? ref.name;
    for (const dir of [fileDir, p.root, join(p.root, 'src')]) {
      if (dir && (await moduleAt(p.access, dir, mod, ['.py', '.pyi']))) return `a module of the project (${relative(p.root, join(dir, mod)) || mod})`;
    }
    return undefined;
  }
  // An alias counts only when it resolves to something in the repository: `"*": ["./vendor/*"]`
  // (a common fallback) must not make every package first-party.
  for (const a of p.aliases) {
    let rest: string | undefined;
    if (!a.wildcard) rest = ref.name === a.prefix ? '' : undefined;
    else if (ref.name.startsWith(a.prefix)) rest = ref.name.slice(a.prefix.length);
    else if (`${ref.name}/` === a.prefix) rest = '';
    if (rest === undefined) continue;
    for (const target of a.targets) {
      const mapped = a.wildcard ? target.replace('*', rest) : target;
      if (await moduleAt(p.access, dirname(mapped), mapped.slice(dirname(mapped).length + 1), ['', ...JS_EXTENSIONS])) return 'a path alias (tsconfig paths)';
    }
  }
  for (const base of p.baseUrls) {
    if (await moduleAt(p.access, base, ref.name, JS_EXTENSIONS)) return 'a module under tsconfig baseUrl';
  }
  return undefined;
}

/**
 * `extracted` without the imports that resolve to the project's own code (an info note says
 * which, so nothing disappears silently). `root` undefined: unchanged.
 */
export async function dropFirstParty(extracted: ExtractResult, root: string | undefined): Promise<ExtractResult> {
  if (root === undefined || !statSync(root, { throwIfNoEntry: false })?.isDirectory()) return extracted;
  if (extracted.refs.length === 0) return extracted;
  const names = await gather(root);
  const refs: PackageRef[] = [];
  const notes = [...extracted.notes];
  const said = new Set<string>();
  for (const ref of extracted.refs) {
    const why = await firstPartyReason(ref, names);
    if (why === undefined) {
      refs.push(ref);
      continue;
    }
    const key = `${ref.ecosystem}:${ref.importName ?? ref.name}`;
    if (said.has(key)) continue;
    said.add(key);
    notes.push({
      level: 'info',
      code: 'not-registry',
      message: `"${ref.importName ?? ref.name}" is ${why}; not looked up.`,
      origin: ref.origin ?? { file: '<text>' },
      name: ref.importName ?? ref.name,
      ecosystem: ref.ecosystem,
    });
  }
  return { refs, notes };
}
