/**
 * What an install would fetch, found without installing: `npm|pnpm|yarn|bun add x` and
 * `pip|uv install x` pull in x's dependencies too, and a squat can hide among them. The hooks do
 * not run the install, so they ask the package manager itself to resolve the tree within their
 * budget (npm: `npm install --package-lock-only --ignore-scripts` in a temporary copy of the
 * project's package.json and lockfile; pip: `pip install --dry-run --report`), and return the
 * packages the install adds. Anything that stops the resolution (the tool is missing, a name does
 * not exist, the budget runs out) is one unverified note that says the tree was not checked and
 * why; this never throws.
 *
 * Never: a shell, install scripts, a write into the project, credentials other than those the
 * user's own environment and config already give the tool.
 */
import { basename } from 'node:path';
import type { Ecosystem, ExtractNote, PackageRef, RefSource } from '../core/types.js';
import type { FileAccess } from '../sources/file-access.js';
import { resolveNpmTree } from './resolve-npm.js';
import { resolvePipTree, resolveUvTree } from './resolve-pip.js';
import { notChecked, treeNotChecked } from './tree-notes.js';

/** A resolution to run: the install as typed, where, against which registry, within what time. */
export interface TreeRequest {
  /** The program typed (`npm`, `pnpm`, `yarn`, `bun`, `pip`, `pip3`, `python3`, `uv`), for wording and for pip's interpreter. */
  tool: string;
  ecosystem: Ecosystem;
  /** The typed packages, with their specs (registry refs are resolved; others are noted). */
  packages: readonly PackageRef[];
  /** The folder the install runs in (its package.json and lockfile are read, never written). */
  cwd: string;
  /** npm: the registry the check uses (`--registry`), else npm's own config decides. */
  registry?: string | undefined;
  /**
   * npm: `@scope` -> registry (`.npmrc` `@scope:registry=`, RegistrySettings.npmScopes). The copy
   * npm resolves in has no project .npmrc, so the project's scoped registries are passed here.
   */
  scopeRegistries?: Readonly<Record<string, string>> | undefined;
  /** PyPI: `--index-url`, else pip's own config (PIP_INDEX_URL, pip.conf) decides. */
  indexUrl?: string | undefined;
  extraIndexUrls?: readonly string[] | undefined;
  /** The environment the install would run with (PATH, npm_config_*, PIP_*, HOME). */
  env: NodeJS.ProcessEnv;
  /** Milliseconds the whole resolution may take. */
  budgetMs: number;
  signal?: AbortSignal | undefined;
  /** Where the temporary folder for the resolution is made (default: the OS temp folder); removed after. */
  tempDir?: string | undefined;
  /** How the project's files are read (default: the disk, confined to `cwd`). */
  files?: FileAccess | undefined;
  /**
   * The install's argv when `slopguard <argv…>` would judge its tree as it runs (the wrapper's
   * install guard covers the tool): a note for a tree not checked then names that way forward.
   */
  wrapArgv?: readonly string[] | undefined;
}

/** What the install adds, and notes (one unverified note when the tree was not checked). */
export interface TreeResult {
  /** Packages the install would fetch that are neither typed nor already in the project's lockfile. */
  refs: PackageRef[];
  notes: ExtractNote[];
}

/** Sources whose dependencies are only known after fetching them (a git repository, a tarball URL). */
const FETCHED_ELSEWHERE: ReadonlySet<RefSource> = new Set(['git', 'url', 'file'] as const);

/** Resolve the tree `request` would install; never throws. */
export async function resolveTree(request: TreeRequest): Promise<TreeResult> {
  const registryRefs = request.packages.filter((p) => (p.source ?? 'registry') === 'registry');
  const notes: ExtractNote[] = [];
  const elsewhere = request.packages.filter((p) => FETCHED_ELSEWHERE.has(p.source ?? 'registry'));
  if (elsewhere.length) {
    const detail = `${elsewhere.map((p) => p.spec ?? p.name).join(', ')} ${elsewhere.length === 1 ? 'is' : 'are'} not from the registry; what ${elsewhere.length === 1 ? 'it depends' : 'they depend'} on is only known once fetched`;
    notes.push(treeNotChecked(request.ecosystem, elsewhere, { why: 'unsupported', detail }, request.wrapArgv));
  }
  if (!registryRefs.length) return { refs: [], notes };
  const sub = { ...request, packages: registryRefs };
  let result: TreeResult;
  try {
    if (request.budgetMs <= 0) result = notChecked(sub, { why: 'timeout', budgetMs: 0 });
    else if (request.ecosystem === 'npm') result = await resolveNpmTree(sub);
    else if (basename(request.tool) === 'uv') result = await resolveUvTree(sub);
    else result = await resolvePipTree(sub);
  } catch (e) {
    // A bug here must not turn into "nothing else to check".
    result = notChecked(sub, { why: 'unsupported', detail: `resolving the tree failed (${(e as Error).message})` });
  }
  return { refs: result.refs, notes: [...notes, ...result.notes] };
}

