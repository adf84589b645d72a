/**
 * npm's answer to "what would `npm install x` fetch?", from npm itself: in a fresh temporary
 * folder holding a copy of the project's package.json and npm lockfile (nothing else: no .npmrc,
 * no node_modules, no scripts), `npm install x --package-lock-only --ignore-scripts` writes the
 * lockfile the install would write, without downloading a tarball or running anything. The
 * packages in it that the project's own lockfiles do not already have are what the install adds.
 *
 * pnpm, yarn and bun `add` fetch from the same npm registry, so their trees are resolved by npm
 * too (their lockfiles count as "already there"); the versions may differ slightly, the names
 * rarely do.
 *
 * The user's npm cache and config are used as they are (fast, and the user's own registry auth);
 * the project's files are only read, through the file-access port.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExtractNote, PackageRef } from '../core/types.js';
import { extractDocument } from '../extractors/index.js';
import { readNpmSpec } from '../extractors/npm/spec.js';
import { diskAccess, type FileAccess } from '../sources/file-access.js';
import type { TreeRequest, TreeResult } from './resolve-tree.js';
import { BACKSTOP_MS, runBounded } from './run-bounded.js';
import { withTempDir } from './temp-dir.js';
import { notChecked, quoteToolOutput, RESOLVED_TREE, unfinished, type TreeFailure } from './tree-notes.js';

/** The npm lockfiles npm would read, preferred first (as npm does). */
const NPM_LOCKS = ['npm-shrinkwrap.json', 'package-lock.json'] as const;
/** Other package managers' lockfiles: their packages are already in the project. */
const OTHER_LOCKS = ['yarn.lock', 'pnpm-lock.yaml', 'bun.lock'] as const;
/** package.json keys whose entries npm installs. */
const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * Flags that make npm only resolve: write the lockfile (whatever the user's config says about
 * lockfiles, saving, dry runs or global installs), run no script, ask no audit or funding server.
 */
const RESOLVE_ONLY = [
  'install',
  '--package-lock-only',
  '--package-lock=true',
  '--save',
  '--ignore-scripts',
  '--no-dry-run',
  '--no-global',
  '--no-audit',
  '--no-fund',
  '--no-update-notifier',
  '--no-progress',
  '--loglevel=error',
] as const;

/** An npm scope as it may appear in a `--@scope:registry=` flag. */
const SCOPE = /^@[a-z0-9][a-z0-9._~-]*$/i;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The argument npm is given for a typed ref: `name`, `name@range`, `alias@npm:name@range`. */
function npmArg(ref: PackageRef): string {
  const target = ref.spec ? `${ref.name}@${ref.spec}` : ref.name;
  return ref.alias ? `${ref.alias}@npm:${target}` : target;
}

/**
 * The project's package.json as npm in the copy should see it: the dependencies it fetches from
 * somewhere other than the registry (workspaces, `file:` folders, git) are left out, since the
 * copy has no such folders and fetching git repositories is not this check's business; the
 * packages they bring are already in the lockfile or are the manifest check's.
 */
function manifestForCopy(text: string | undefined): { text: string } | { error: string } {
  if (text === undefined) return { text: `${JSON.stringify({ name: 'slopguard-resolve', version: '0.0.0', private: true })}\n` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: 'package.json is not valid JSON (npm would refuse it too)' };
  }
  if (!isObject(data)) return { error: 'package.json is not a JSON object (npm would refuse it too)' };
  const copy: Json = { ...data };
  delete copy.workspaces;
  delete copy.devEngines; // npm 11 refuses to run when the project's devEngines do not match this machine
  delete copy.scripts;
  delete copy.packageManager; // a corepack shim would refuse npm in a project that names pnpm or yarn
  for (const field of DEP_FIELDS) {
    const deps = copy[field];
    if (!isObject(deps)) continue;
    const kept: Json = {};
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec !== 'string') continue;
      const read = readNpmSpec(name, spec);
      // `catalog:` and yarn's `patch:` name registry packages in words npm does not read.
      const foreignProtocol = /^[a-z][a-z+]*:/.test(spec.trim()) && !spec.trim().startsWith('npm:');
      if (!('invalid' in read) && read.source === 'registry' && !foreignProtocol) kept[name] = spec;
    }
    copy[field] = kept;
  }
  return { text: `${JSON.stringify(copy, null, 2)}\n` };
}

/** Names already in the project: every package its lockfiles (npm's and the others') hold. */
function lockedNames(files: ReadonlyArray<{ path: string; text: string }>): Set<string> {
  const names = new Set<string>();
  for (const f of files) for (const r of extractDocument({ path: f.path, text: f.text }).refs) names.add(r.name);
  return names;
}

/** Reads `path` through the port: its text, `undefined` when missing, or why it was refused. */
async function readText(files: FileAccess, path: string): Promise<{ text?: string; refused?: string }> {
  const r = await files.readFile(path);
  if (r.ok) return { text: r.bytes.toString('utf8') };
  if (r.reason === 'missing') return {};
  return { refused: `${r.path} ${r.message}` };
}

/** The install path a dependency `dep` of the package at `from` resolves to (Node's lookup). */
function lookup(packages: Json, from: string, dep: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`;
    if (packages[candidate] !== undefined) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

const nameAt = (packages: Json, path: string): string => {
  const entry = packages[path];
  const named = isObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
  return named ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
};

/**
 * Which typed package pulls each name in, and through what, from a v2/v3 lockfile's `packages`:
 * a breadth-first walk from each typed package, so the shortest chain is the one named.
 */
function chains(lock: unknown, typed: readonly PackageRef[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const packages = isObject(lock) && isObject(lock.packages) ? lock.packages : undefined;
  if (!packages) return out;
  const seen = new Set<string>();
  const queue: Array<{ path: string; chain: string[] }> = [];
  for (const ref of typed) {
    const path = lookup(packages, '', ref.alias ?? ref.name);
    if (path && !seen.has(path)) {
      seen.add(path);
      queue.push({ path, chain: [ref.name] });
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const { path, chain } = queue[i]!;
    const entry = packages[path];
    if (!isObject(entry)) continue;
    const deps = new Set<string>();
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'] as const) {
      const d = entry[field];
      if (isObject(d)) for (const k of Object.keys(d)) deps.add(k);
    }
    for (const dep of deps) {
      const at = lookup(packages, path, dep);
      if (!at || seen.has(at)) continue;
      seen.add(at);
      const name = nameAt(packages, at);
      const next = [...chain, name];
      if (!out.has(name)) out.set(name, next);
      queue.push({ path: at, chain: next });
    }
  }
  return out;
}

/** `dependency of a` or `dependency of a (a > b > c)`. */
function contextOf(chain: readonly string[] | undefined): string {
  if (!chain || chain.length < 2) return 'dependency';
  const shown = chain.length > 6 ? [...chain.slice(0, 2), '…', ...chain.slice(-3)] : chain;
  return chain.length === 2 ? `dependency of ${chain[0]}` : `dependency of ${chain[0]} (${shown.join(' > ')})`;
}

/** The name in npm's "'x@*' is not in this registry" or its 404 URL. */
function missingName(stderr: string): string | undefined {
  const quoted = /'((?:@[^\s/'@]+\/)?[^\s'@]+)@[^'\s]*' is not in this registry/.exec(stderr)?.[1];
  if (quoted) return quoted;
  const url = /404 Not Found - GET \S+\/([^\s/]+) /.exec(stderr)?.[1];
  if (!url) return undefined;
  try {
    return decodeURIComponent(url);
  } catch {
    return undefined;
  }
}

/** What npm said, as a failure. */
function npmFailure(stderr: string, typed: ReadonlySet<string>): TreeFailure {
  const code = /^npm (?:error|ERR!) code (\S+)/m.exec(stderr)?.[1];
  if (code === 'E404') {
    const name = missingName(stderr);
    if (name) return { why: 'not-found', name, typed: typed.has(name) };
  }
  // The first line that says something: `npm error notarget No matching version found for x@^9.`
  // gives `No matching version found for x@^9`; the code line, log paths and hints are dropped.
  const first = stderr
    .split('\n')
    .filter((l) => /^npm (?:error|ERR!) /.test(l) && !/^npm (?:error|ERR!) code /.test(l))
    .map((l) => l.replace(/^npm (?:error|ERR!)\s+/, '').replace(/^[a-z]+ (?=[A-Z])/, '').trim())
    .find((l) => l !== '' && !/complete log of this run/i.test(l));
  const said = quoteToolOutput(first ?? (stderr.trim() || 'no message'));
  return { why: 'tool-failed', tool: 'npm', detail: code ? `${code}, ${said}` : said };
}

/** Resolve the tree of an npm-registry install (npm, pnpm, yarn, bun `add`). */
export async function resolveNpmTree(request: TreeRequest): Promise<TreeResult> {
  const started = Date.now();
  const files = request.files ?? diskAccess({ root: request.cwd });
  const typedNames = new Set(request.packages.map((p) => p.name));

  const manifest = await readText(files, 'package.json');
  if (manifest.refused) return notChecked(request, { why: 'unreadable', detail: `the project's package.json could not be read (${manifest.refused})` });
  const copy = manifestForCopy(manifest.text);
  if ('error' in copy) return notChecked(request, { why: 'unreadable', detail: copy.error });

  let npmLock: { path: string; text: string } | undefined;
  const locks: Array<{ path: string; text: string }> = [];
  for (const path of [...NPM_LOCKS, ...OTHER_LOCKS]) {
    const read = await readText(files, path);
    // A lockfile that cannot be read only makes the answer larger (resolved from scratch).
    if (read.text === undefined) continue;
    locks.push({ path, text: read.text });
    if (!npmLock && (NPM_LOCKS as readonly string[]).includes(path)) npmLock = { path, text: read.text };
  }
  const existing = lockedNames(locks);

  const copyFailed = (e: unknown) =>
    notChecked(request, { why: 'unsupported', detail: `the temporary copy could not be made (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
  return withTempDir(request.tempDir, copyFailed, async (dir) => {
    await writeFile(join(dir, 'package.json'), copy.text);
    if (npmLock) await writeFile(join(dir, npmLock.path), npmLock.text);
    const remaining = request.budgetMs - (Date.now() - started);
    const args = [
      ...RESOLVE_ONLY,
      // One try: npm's retries back off for 10 s and more, past any hook's budget. Its own timeout
      // is a backstop for an npm that outlived slopguard, a little past the budget so that the
      // budget, not npm, is what ends a run here (and the note says so).
      '--fetch-retries=0',
      `--fetch-timeout=${Math.max(0, remaining) + BACKSTOP_MS}`,
      ...(request.registry ? ['--registry', request.registry] : []),
      ...Object.entries(request.scopeRegistries ?? {})
        .filter(([scope]) => SCOPE.test(scope))
        .map(([scope, url]) => `--${scope}:registry=${url}`),
      '--',
      ...request.packages.map(npmArg),
    ];
    const ran = await runBounded({ file: 'npm', args, cwd: dir, env: request.env, timeoutMs: remaining, signal: request.signal });
    if (ran.kind !== 'exited') return notChecked(request, unfinished('npm', ran, request.budgetMs));
    if (ran.code !== 0) {
      const failure = npmFailure(ran.stderr, typedNames);
      const result = notChecked(request, failure);
      // A dependency that does not exist is itself worth a finding: someone asked for it.
      if (failure.why === 'not-found' && !failure.typed) {
        result.refs.push({ ecosystem: 'npm', name: failure.name, origin: { file: RESOLVED_TREE, context: 'dependency (not on the registry)' } });
      }
      return result;
    }
    const written = await readText(diskAccess({ root: dir }), npmLock?.path ?? 'package-lock.json');
    if (written.text === undefined) {
      return notChecked(request, { why: 'tool-failed', tool: 'npm', detail: written.refused ?? 'it exited without writing a lockfile' });
    }
    return addedPackages(request, written.text, npmLock?.path ?? 'package-lock.json', existing, typedNames);
  });
}

/** The packages of the resolved lockfile the project does not have yet, each with who pulls it in. */
function addedPackages(request: TreeRequest, lockText: string, lockPath: string, existing: ReadonlySet<string>, typed: ReadonlySet<string>): TreeResult {
  const read = extractDocument({ path: lockPath, text: lockText });
  if (read.notes.some((n) => n.code === 'malformed')) {
    return notChecked(request, { why: 'tool-failed', tool: 'npm', detail: 'the lockfile it wrote could not be read' });
  }
  let lock: unknown;
  try {
    lock = JSON.parse(lockText);
  } catch {
    lock = undefined;
  }
  const who = chains(lock, request.packages);
  const fresh = (name: string | undefined) => name !== undefined && !existing.has(name) && !typed.has(name);
  const refs: PackageRef[] = [];
  const seen = new Set<string>();
  for (const ref of read.refs) {
    if (!fresh(ref.name) || seen.has(ref.name)) continue;
    seen.add(ref.name);
    const out: PackageRef = { ...ref, origin: { file: RESOLVED_TREE, context: contextOf(who.get(ref.name)) } };
    refs.push(out);
  }
  const notes: ExtractNote[] = read.notes
    .filter((n) => n.code !== 'empty-lockfile' && fresh(n.name))
    .map((n) => ({ ...n, origin: { file: RESOLVED_TREE, context: contextOf(n.name ? who.get(n.name) : undefined) } }));
  return { refs, notes };
}
