/**
 * What an install that takes no package names adds: the project's own files. Bare `npm install`
 * (and `pnpm install`, `yarn`, `bun install`) installs the manifest's names, taking the locked
 * versions where the lockfile has them; so the names the lockfile lacks (or locks at a version
 * the manifest's range refuses, which the tool will re-resolve) come first, then the lockfile.
 * A stale lockfile cannot hide a name just added to package.json. `npm ci`, `--frozen-lockfile`
 * and `--immutable` install the lockfile and nothing else. The Python project tools (`uv sync`,
 * `poetry install`, `pipenv install`, `pip install -e .[dev]`, `pip install .`) read their lockfile
 * and manifest the same way; a manifest is read whole, so every extra and group is included.
 */
import { dirname, resolve } from 'node:path';
import { packageKey } from '../core/names.js';
import { lazyRequire } from '../core/lazy-require.js';
import type { ExtractNote, PackageRef } from '../core/types.js';
import { isBinaryFormat } from '../extractors/index.js';
import type { InstallCommand, InstallTool } from '../extractors/text/install-command.js';
import type { ProjectFiles } from '../tools/define.js';
import { TOOLS, toolById } from '../tools/index.js';
import type { FileAccess } from '../sources/file-access.js';
import { extractThrough, readDoc } from './read-through.js';

/** The files a tool installs from, in a folder (each tool's definition in src/tools/ lists them). */
export type { ProjectFiles } from '../tools/define.js';

/** Per tool, from the tool table; tools that only run named packages (npx, uvx) have none. */
export const PROJECT_FILES: Readonly<Record<InstallTool, ProjectFiles>> = Object.fromEntries(TOOLS.map((t) => [t.id, t.projectFiles])) as Record<InstallTool, ProjectFiles>;

/**
 * The command installs the lockfile only: `npm ci`, `pipenv sync`, `yarn --frozen-lockfile`,
 * `pnpm i --frozen-lockfile`, `uv sync --locked`; each tool's definition says which subcommands
 * and flags do (`lockfileOnly`). A flag another tool would honour does not count (`npm install
 * --frozen-lockfile` is a plain npm install, which resolves the manifest).
 */
export function installsLockfileOnly(cmd: InstallCommand): boolean {
  const only = toolById(cmd.tool).lockfileOnly;
  if (!only) return false;
  if (only.subcommands?.includes(cmd.subcommand)) return true;
  const flags = only.flags ?? [];
  return flags.length > 0 && cmd.argv.some((a) => flags.includes(a.split('=')[0] as string));
}

/** What one project folder contributes. */
export interface ProjectRead {
  refs: PackageRef[];
  notes: ExtractNote[];
  /** Absolute paths of the files read. */
  read: string[];
}

const satisfies = lazyRequire<(version: string, range: string, options?: { loose?: boolean }) => boolean>('semver/functions/satisfies.js');
const validRange = lazyRequire<(range: string) => string | null>('semver/ranges/valid.js');

/**
 * Manifest refs the lockfile does not cover: names it lacks, or (npm) a locked version outside
 * the manifest's range. A range slopguard cannot compare (a tag, a URL) counts as covered when
 * the name is locked: the name is judged through the lockfile either way.
 */
function uncovered(manifest: readonly PackageRef[], lock: readonly PackageRef[]): PackageRef[] {
  const locked = new Map<string, string[]>();
  for (const r of lock) {
    const k = packageKey(r.ecosystem, r.name);
    const list = locked.get(k) ?? [];
    if (r.spec) list.push(r.spec);
    locked.set(k, list);
  }
  return manifest.filter((r) => {
    const versions = locked.get(packageKey(r.ecosystem, r.name));
    if (!versions) return true;
    if (r.ecosystem !== 'npm' || !r.spec || versions.length === 0 || validRange()(r.spec) === null) return false;
    return !versions.some((v) => {
      try {
        return satisfies()(v, r.spec as string, { loose: true });
      } catch {
        return true;
      }
    });
  });
}

/** Reads the first existing file of `names` in `dir`. */
async function readFirst(files: FileAccess, dir: string, names: readonly string[]): Promise<{ refs: PackageRef[]; notes: ExtractNote[]; read: string[] } | undefined> {
  for (const name of names) {
    const abs = resolve(dir, name);
    const kind = await files.kind(abs);
    if (kind === 'missing') continue;
    if (isBinaryFormat(abs)) {
      const got = await extractThrough(files, { path: (await files.readFile(abs)).path, text: '' }, abs);
      return { ...got, read: [abs] };
    }
    const doc = await readDoc(files, abs);
    if (!doc.ok) return { refs: [], notes: [unreadableNote(doc.path, doc.message)], read: [] };
    const got = await extractThrough(files, doc.doc, abs);
    return { refs: got.refs, notes: got.notes, read: got.read };
  }
  return undefined;
}

/**
 * No project file where the tool looks: the tool installs no project packages (npm and uv find
 * nothing to install, pip refuses the folder), so this is said, not counted as unverified.
 */
export function noProjectNote(cmd: InstallCommand, shown: string): ExtractNote {
  const spec = PROJECT_FILES[cmd.tool];
  const names = [...spec.lockfiles, ...spec.manifests];
  return { level: 'warning', code: 'skipped', message: `no ${names.join(' or ') || 'project file'} in ${shown}: the packages this command installs were not checked`, origin: cmd.origin };
}

/** A project file that exists but could not be read hides what the install adds. */
export function unreadableNote(path: string, message: string): ExtractNote {
  return { level: 'warning', code: 'unreadable', message: `${message}; the packages it lists were not checked.`, origin: { file: path }, unverified: true };
}

/**
 * The folder whose project `tool` installs when run in `dir`: `dir` itself when it holds one of
 * the tool's files, else (for tools that search upwards, as npm, uv and poetry do) the nearest
 * parent that does, stopping at a repository root (a `.git`). Undefined when there is none.
 */
export async function findProjectDir(tool: InstallTool, dir: string, files: FileAccess): Promise<string | undefined> {
  const spec = PROJECT_FILES[tool];
  const names = [...spec.lockfiles, ...spec.manifests];
  for (let d = dir; ; ) {
    for (const name of names) if ((await files.kind(resolve(d, name))) !== 'missing') return d;
    if (!toolById(tool).discoversProject || (await files.kind(resolve(d, '.git'))) !== 'missing') return undefined;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** What `cmd` installs from the project in `dir` (absolute). */
export async function readProject(cmd: InstallCommand, dir: string, files: FileAccess, shown: string): Promise<ProjectRead> {
  const spec = PROJECT_FILES[cmd.tool];
  const out: ProjectRead = { refs: [], notes: [], read: [] };
  const lock = spec.lockfiles.length ? await readFirst(files, dir, spec.lockfiles) : undefined;
  const lockOnly = installsLockfileOnly(cmd);
  // Without its lockfile `npm ci` refuses to run; the manifest is still what it was meant to install.
  const manifest = lockOnly && lock ? undefined : spec.manifests.length ? await readFirst(files, dir, spec.manifests) : undefined;
  if (!lock && !manifest) {
    out.notes.push(noProjectNote(cmd, shown));
    return out;
  }
  if (manifest) {
    out.refs.push(...(lock ? uncovered(manifest.refs, lock.refs) : manifest.refs));
    out.notes.push(...manifest.notes);
    out.read.push(...manifest.read);
  }
  if (lock) {
    out.refs.push(...lock.refs);
    out.notes.push(...lock.notes);
    out.read.push(...lock.read);
  }
  return out;
}
