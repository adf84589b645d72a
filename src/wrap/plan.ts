import { relative, resolve } from 'node:path';
import type { Ecosystem, ExtractNote, PackageRef } from '../core/types.js';
import type { InstallCommand, InstallTool } from '../extractors/text/install-command.js';
import { diskAccess, type FileKind } from '../sources/file-access.js';
import { extractFiles } from '../sources/files.js';
import { readRootOf } from '../sources/repo-root.js';

/**
 * What a wrapped command will install, as package refs to check: the names on the command line,
 * the requirement files it reads (`-r`), and, for commands that install a whole project (`npm ci`,
 * bare `npm install`, `pip install -e .`, `uv sync`, `poetry install`), the project's lockfile or
 * manifest, read with the same extractors `slopguard scan` uses.
 */
export interface WrapPlan {
  refs: PackageRef[];
  notes: ExtractNote[];
  /** Files read for the check, relative to cwd (for the "checked N packages from X" line). */
  files: string[];
  ecosystem: Ecosystem;
}

/**
 * The project files each tool installs from, most precise first: a lockfile lists every package
 * that will be fetched (transitive ones too), the manifest only the direct ones.
 */
const PROJECT_FILES: Record<InstallTool, readonly string[]> = {
  npm: ['npm-shrinkwrap.json', 'package-lock.json', 'package.json'],
  npx: [],
  yarn: ['yarn.lock', 'package.json'],
  pnpm: ['pnpm-lock.yaml', 'package.json'],
  bun: ['bun.lock', 'bun.lockb', 'package.json'],
  bunx: [],
  deno: ['package.json'],
  pip: ['pyproject.toml'],
  uv: ['uv.lock', 'pyproject.toml'],
  uvx: [],
  poetry: ['poetry.lock', 'pyproject.toml'],
  pipx: ['pyproject.toml'],
  pipenv: ['Pipfile.lock', 'Pipfile'],
  pdm: ['pdm.lock', 'pyproject.toml'],
  conda: [],
};

/** What is at `path`, through the file-access port (the folder the command runs in is the user's choice). */
async function kindOf(path: string, cwd: string): Promise<FileKind> {
  const { root, repository } = await readRootOf(path, cwd);
  return diskAccess({ root }).kind(path, { userChosen: true, linksAnywhere: !repository });
}

/** The folders whose project gets installed: `-C/--prefix/--cwd` for npm-likes, `pip install ./dir`. */
async function projectDirs(cmd: InstallCommand, cwd: string): Promise<string[]> {
  const base = resolve(cwd, cmd.cwd ?? '.');
  const local: string[] = [];
  for (const r of cmd.refs) {
    if (r.source !== 'directory') continue;
    const dir = resolve(base, r.spec ?? r.name);
    if ((await kindOf(dir, cwd)) === 'directory') local.push(dir);
  }
  return local.length ? [...new Set(local)] : [base];
}

/** The one file to read in `dir` for `tool`, if any (a refused one is still named: reading it gives the refusal note). */
export async function projectFile(tool: InstallTool, dir: string): Promise<string | undefined> {
  for (const f of PROJECT_FILES[tool]) {
    const path = resolve(dir, f);
    const kind = await kindOf(path, dir);
    if (kind === 'file' || kind === 'refused') return path;
  }
  return undefined;
}

/** Build the check for a parsed install command run in `cwd`. */
export async function planCheck(cmd: InstallCommand, cwd: string): Promise<WrapPlan> {
  const refs = cmd.refs.filter((r) => (r.source ?? 'registry') === 'registry');
  const notes = [...cmd.notes];
  const files: string[] = [];
  // `-r` files are requirements files whatever their name (pip reads them as such).
  const requirementFiles = cmd.requirementFiles.map((f) => resolve(cwd, cmd.cwd ?? '.', f));
  const projectFiles: string[] = [];
  if (cmd.installsFromManifest) {
    for (const dir of await projectDirs(cmd, cwd)) {
      const file = await projectFile(cmd.tool, dir);
      if (file) projectFiles.push(file);
      else
        notes.push({
          level: 'warning',
          code: 'skipped',
          message: `no ${PROJECT_FILES[cmd.tool].join(' or ') || 'project file'} in ${relative(cwd, dir) || '.'}: the packages this command installs were not checked`,
          origin: { file: '<args>' },
        });
    }
  }
  for (const [toRead, readAs] of [[requirementFiles, 'requirements'], [projectFiles, undefined]] as const) {
    if (!toRead.length) continue;
    const extracted = await extractFiles(toRead.map((p) => relative(cwd, p) || p), { cwd, ...(readAs ? { readAs } : {}) });
    refs.push(...extracted.refs);
    notes.push(...extracted.notes);
    files.push(...toRead.map((p) => relative(cwd, p) || p));
  }
  return { refs, notes, files, ecosystem: cmd.ecosystem };
}
