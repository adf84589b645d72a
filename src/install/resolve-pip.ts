/**
 * pip's answer to "what would `pip install x` fetch?": `pip install --dry-run --report -` resolves
 * the requirements against the index the install would use and prints what it would install as
 * JSON (pip ≥ 22.2), installing nothing. `--only-binary :all:` keeps it from building a source
 * distribution, which would run the package's own code just to learn its dependencies; a package
 * only published as source is then a tree not checked, never a build. `--ignore-installed`
 * makes the answer the whole tree, not what this interpreter happens to lack.
 *
 * uv: `uv pip compile` does the same, when uv is installed.
 */
import { basename } from 'node:path';
import { normalizePypiName } from '../core/names.js';
import type { PackageRef } from '../core/types.js';
import type { TreeRequest, TreeResult } from './resolve-tree.js';
import { BACKSTOP_MS, runBounded } from './run-bounded.js';
import { withTempDir } from './temp-dir.js';
import { notChecked, quoteToolOutput, RESOLVED_TREE, unfinished, type TreeFailure } from './tree-notes.js';

/** Flags that make pip only resolve: no install, no prompt, no source build, no version check. */
const DRY_RUN = ['install', '--dry-run', '--ignore-installed', '--report', '-', '--quiet', '--no-input', '--disable-pip-version-check', '--no-color', '--only-binary', ':all:'] as const;

/** The tool's own network timeout, in seconds: a backstop a little past the budget. */
const backstopSeconds = (budgetMs: number) => Math.ceil((Math.max(0, budgetMs) + BACKSTOP_MS) / 1000);

/** pip's program as typed: `pip`, `pip3.12` run as they are; `python3` runs `python3 -m pip`. */
function pipProgram(tool: string): { file: string; prefix: string[] } {
  const name = basename(tool);
  if (/^pip[0-9.]*$/.test(name)) return { file: tool, prefix: [] };
  if (/^python[0-9.]*$/.test(name)) return { file: tool, prefix: ['-m', 'pip'] };
  return { file: 'python3', prefix: ['-m', 'pip'] };
}

/** The requirement pip is given: `name`, `name==1.2`, `name>=2`, `name[extra]...` as typed. */
function requirement(ref: PackageRef): string {
  const spec = ref.spec?.trim();
  if (!spec) return ref.name;
  if (/^[[<>=!~(;]/.test(spec)) return `${ref.name}${spec}`;
  if (/^\d[\w.!+-]*$/.test(spec)) return `${ref.name}==${spec}`;
  return ref.name; // poetry-style `^2.0`: pip would refuse it; the name's tree is still the question
}

function indexArgs(request: TreeRequest): string[] {
  return [...(request.indexUrl ? ['--index-url', request.indexUrl] : []), ...(request.extraIndexUrls ?? []).flatMap((u) => ['--extra-index-url', u])];
}

/** What pip (or uv) said, as a failure. */
function pipFailure(tool: string, stderr: string, typed: ReadonlySet<string>): TreeFailure {
  const missing = /No matching distribution found for ([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(stderr)?.[1] ?? /Because ([A-Za-z0-9][A-Za-z0-9._-]*) was not found in the package registry/.exec(stderr)?.[1];
  if (missing) return { why: 'no-wheel', name: missing, typed: typed.has(normalizePypiName(missing)) };
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^(?:ERROR|error):\s*/, '').trim())
    .filter((l) => l !== '' && !/^\[notice\]/.test(l));
  return { why: 'tool-failed', tool, detail: quoteToolOutput(lines.slice(0, 3).join('; ') || 'no message') };
}

/** One package of the resolved set: its name, version and the names it requires. */
interface Resolved {
  name: string;
  version?: string;
  requires: string[];
}

/** `name` of a Requires-Dist line (`squat>=1; extra == "x"`). */
const requiredName = (line: string) => /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(line.trim())?.[0];

/** The resolved packages not typed, each with the shortest chain from a typed one. */
function added(request: TreeRequest, resolved: readonly Resolved[]): PackageRef[] {
  const typed = new Set(request.packages.map((p) => normalizePypiName(p.name)));
  const byKey = new Map(resolved.map((r) => [normalizePypiName(r.name), r]));
  const chain = new Map<string, string[]>();
  const queue = [...typed].filter((k) => byKey.has(k)).map((k) => ({ key: k, path: [byKey.get(k)!.name] }));
  const seen = new Set(queue.map((q) => q.key));
  for (let i = 0; i < queue.length; i++) {
    const { key, path } = queue[i]!;
    for (const line of byKey.get(key)?.requires ?? []) {
      const n = requiredName(line);
      const k = n && normalizePypiName(n);
      if (!k || seen.has(k) || !byKey.has(k)) continue;
      seen.add(k);
      const next = [...path, byKey.get(k)!.name];
      chain.set(k, next);
      queue.push({ key: k, path: next });
    }
  }
  const refs: PackageRef[] = [];
  for (const [key, r] of byKey) {
    if (typed.has(key)) continue;
    const c = chain.get(key);
    const context = !c ? 'dependency' : c.length === 2 ? `dependency of ${c[0]}` : `dependency of ${c[0]} (${c.join(' > ')})`;
    const ref: PackageRef = { ecosystem: 'pypi', name: r.name, origin: { file: RESOLVED_TREE, context } };
    if (r.version) ref.spec = `==${r.version}`;
    refs.push(ref);
  }
  return refs;
}

/** pip's JSON report (`--report -`), read defensively: anything unexpected is a tree not checked. */
function readReport(stdout: string): Resolved[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const install = (data as { install?: unknown } | null)?.install;
  if (!Array.isArray(install)) return undefined;
  const out: Resolved[] = [];
  for (const item of install) {
    const meta = (item as { metadata?: { name?: unknown; version?: unknown; requires_dist?: unknown } } | null)?.metadata;
    if (typeof meta?.name !== 'string') return undefined;
    const requires = Array.isArray(meta.requires_dist) ? meta.requires_dist.filter((x): x is string => typeof x === 'string') : [];
    out.push({ name: meta.name, ...(typeof meta.version === 'string' ? { version: meta.version } : {}), requires });
  }
  return out;
}

const tempFailed = (request: TreeRequest) => (e: unknown) =>
  notChecked(request, { why: 'unsupported', detail: `the resolver's temporary folder could not be made (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });

/** Resolve the tree of `pip install <packages>` with pip's dry run. */
export async function resolvePipTree(request: TreeRequest): Promise<TreeResult> {
  const pip = pipProgram(request.tool);
  const label = pip.prefix.length ? `${basename(pip.file)} -m pip` : basename(pip.file);
  const typed = new Set(request.packages.map((p) => normalizePypiName(p.name)));
  return withTempDir(request.tempDir, tempFailed(request), async (dir) => {
    // One try per request, with a network timeout a little past the budget (pip's own: 15 s and
    // five retries), so even a pip that outlived slopguard stops on its own.
    const bounded = ['--retries', '0', '--timeout', String(backstopSeconds(request.budgetMs))];
    const args = [...pip.prefix, ...DRY_RUN, ...bounded, ...indexArgs(request), '--', ...request.packages.map(requirement)];
    // A pip that insists on a virtualenv would refuse the dry run outside one; it installs nothing.
    const env = { ...request.env, PIP_REQUIRE_VIRTUALENV: '0' };
    const ran = await runBounded({ file: pip.file, args, cwd: dir, env, timeoutMs: request.budgetMs, signal: request.signal });
    if (ran.kind !== 'exited') return notChecked(request, unfinished(label, ran, request.budgetMs));
    if (ran.code !== 0) {
      if (/no such option: --(?:dry-run|report)/.test(ran.stderr)) {
        return notChecked(request, { why: 'tool-failed', tool: label, detail: 'this pip is older than 22.2 and has no --dry-run --report' });
      }
      return notChecked(request, pipFailure(label, ran.stderr, typed));
    }
    const resolved = readReport(ran.stdout);
    if (!resolved) return notChecked(request, { why: 'tool-failed', tool: label, detail: 'its report could not be read' });
    return { refs: added(request, resolved), notes: [] };
  });
}

/** Resolve the tree of `uv pip install <packages>` with `uv pip compile` (requirements on stdin). */
export async function resolveUvTree(request: TreeRequest): Promise<TreeResult> {
  const typed = new Set(request.packages.map((p) => normalizePypiName(p.name)));
  return withTempDir(request.tempDir, tempFailed(request), async (dir) => {
    const args = ['pip', 'compile', '-', '--quiet', '--no-header', '--no-annotate', '--only-binary', ':all:', ...indexArgs(request)];
    const input = `${request.packages.map(requirement).join('\n')}\n`;
    const env = { ...request.env, UV_HTTP_TIMEOUT: String(backstopSeconds(request.budgetMs)) };
    const ran = await runBounded({ file: 'uv', args, cwd: dir, env, timeoutMs: request.budgetMs, signal: request.signal, input });
    if (ran.kind !== 'exited') return notChecked(request, unfinished('uv', ran, request.budgetMs));
    if (ran.code !== 0) return notChecked(request, pipFailure('uv', ran.stderr, typed));
    const resolved: Resolved[] = [];
    for (const line of ran.stdout.split('\n')) {
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)/.exec(line.trim());
      if (m) resolved.push({ name: m[1]!, version: m[2]!, requires: [] });
    }
    if (!resolved.length) return notChecked(request, { why: 'tool-failed', tool: 'uv', detail: 'its output named no package' });
    return { refs: added(request, resolved), notes: [] };
  });
}
