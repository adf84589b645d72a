import type { Command } from 'commander';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { check } from '../../core/check.js';
import { UsageError } from '../../core/errors.js';
import { packageKey } from '../../core/names.js';
import type { ExtractNote, Origin, PackageRef } from '../../core/types.js';
import { SUPPORTED_FORMATS } from '../../extractors/index.js';
import { gitAccess } from '../../sources/file-access.js';
import { discoverFiles, extractFiles } from '../../sources/files.js';
import { gitRoot, gitVerifyRevision } from '../../sources/git.js';
import { extractWithIncludes } from '../../sources/includes.js';
import { readLimits, type ReadLimits } from '../../sources/read-limits.js';
import { readTextFile } from '../../sources/text-file.js';
import { escapeForTerminal as esc } from '../../reporters/escape.js';
import type { Io } from '../io.js';
import { addCommonOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import { emitReport } from '../output.js';
import { changeSettings } from '../change-settings.js';
import type { CommandContext } from '../run.js';

/**
 * `slopguard ci [paths] [--base <ref>]`: the lockfile check for pipelines.
 *
 * Every manifest and lockfile under the paths is read (monorepos: every workspace and lockfile);
 * inside a git repository the list comes from git (tracked, or untracked and not ignored), so a
 * file force-added under an ignored folder or `vendor/` is read too.
 * With `--base`, the same files are read as they were at that git ref and only names that were
 * in none of them are judged, so a pull request is judged on what it adds and a dependency that
 * has been there for years does not fail every build. Paths in the report are relative to the
 * repository root, as code scanning and workflow annotations expect.
 */

interface CiFlags extends CommonFlags {
  base?: string;
}


const toPosix = (p: string) => p.split(sep).join('/');

/** The key a name is compared by across versions of the files. */
const keyOf = (r: PackageRef) => packageKey(r.ecosystem, r.name);
const isRegistry = (r: PackageRef) => (r.source ?? 'registry') === 'registry';

/**
 * Every registry name the files listed at `base`. A file that did not exist at `base` adds
 * nothing; includes are read from `base` too, through the same port rules as the working tree
 * (confined to the repository at that revision, capped), so the base cannot be made to read
 * outside it either.
 */
async function namesAtBase(files: readonly string[], base: string, root: string, cwd: string, limits: ReadLimits): Promise<Set<string>> {
  await gitVerifyRevision(base, root);
  const access = gitAccess(base, root, { displayBase: cwd, limits });
  const names = new Set<string>();
  for (const file of files) {
    const abs = resolve(cwd, file);
    const read = await readTextFile(access, abs);
    if (!read.ok) continue;
    const extracted = await extractWithIncludes({ path: file, text: read.doc.text }, access, (p) => resolve(cwd, p));
    for (const r of extracted.refs) if (isRegistry(r)) names.add(keyOf(r));
  }
  return names;
}

function rebase(origin: Origin, from: string, to: string): Origin {
  if (origin.file.startsWith('<')) return origin;
  const abs = isAbsolute(origin.file) ? origin.file : resolve(from, origin.file);
  const rel = relative(to, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? origin : { ...origin, file: toPosix(rel) };
}

/** Rewrite every origin relative to the repository root (annotations and SARIF want repo paths). */
function rootRelative<T extends { origin?: Origin }>(items: T[], cwd: string, root: string): T[] {
  if (cwd === root) return items;
  return items.map((i) => (i.origin ? { ...i, origin: rebase(i.origin, cwd, root) } : i));
}

async function repoRoot(cwd: string): Promise<string | undefined> {
  try {
    return await gitRoot(cwd);
  } catch {
    return undefined;
  }
}

export function registerCi(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('ci')
    .summary('check manifests and lockfiles in CI; with --base, only what a change adds')
    .description(
      'Read every manifest and lockfile under the paths (default: the current folder; monorepos with several ' +
        'lockfiles work) and check the registry packages they name. With --base <git-ref>, read the same files as ' +
        'they were at that ref and judge only names that are new, so old dependencies do not fail every build. ' +
        'Paths in the report are relative to the repository root.',
    )
    .argument('[paths...]', 'files or folders (default: .)')
    .option('--base <ref>', 'judge only names not present at this git ref (e.g. origin/main); needs the history (fetch-depth: 0)')
    .addHelpText(
      'after',
      () => `
Formats (--format): text, json, sarif (GitHub code scanning), github (workflow annotations),
markdown (a pull-request comment). --output FILE writes the report to a file.

Examples:
  slopguard ci
  slopguard ci --base origin/main --format github
  slopguard ci --base origin/\${GITHUB_BASE_REF} --format sarif --output slopguard.sarif
  slopguard ci services/ --format markdown --output comment.md

Formats read:
${SUPPORTED_FORMATS.map((f) => `  ${f}`).join('\n')}

Exit codes: 0 nothing at or above --fail-on; 1 something is; 2 bad usage, an unreadable file or a
bad --base; 3 some packages could not be verified and nothing was blocked.`,
    );
  addCommonOptions(cmd).action(async (paths: string[], flags: CiFlags) => {
    const { io } = ctx;
    const targets = paths.length ? paths : ['.'];
    const root = await repoRoot(io.cwd);
    if (flags.base !== undefined && !root) throw new UsageError(`--base ${flags.base}: ${io.cwd} is not inside a git repository`);
    // A change is judged with its base revision's policy, never with the one it brings along.
    const change = flags.base !== undefined ? await changeSettings({ base: flags.base }, io.cwd) : undefined;
    const settings = settingsFor(flags, io, change?.load);

    const limits = readLimits(io.env);
    // Inside a repository the files come from git: everything the change ships, ignored folders
    // and vendor/ included (a walk would skip them).
    const source = { cwd: io.cwd, limits, gitListing: root !== undefined };
    const head = await extractFiles(targets, source);
    let refs = head.refs;
    let notes: ExtractNote[] = head.notes;
    if (flags.base !== undefined && root) {
      const { files } = await discoverFiles(targets, source);
      const before = await namesAtBase(files, flags.base, root, io.cwd, limits);
      const fresh = refs.filter((r) => !isRegistry(r) || !before.has(keyOf(r)));
      const added = new Set(fresh.filter(isRegistry).map(keyOf));
      const unchanged = new Set(refs.filter(isRegistry).map(keyOf)).size - added.size;
      io.stderr.write(`slopguard ci: ${added.size} package name${added.size === 1 ? '' : 's'} new since ${esc(flags.base)}; ${unchanged} already there not judged\n`);
      refs = fresh;
      // Notes about names that were already there are old news; notes about files stay.
      notes = notes.filter((n) => !n.name || !n.ecosystem || !before.has(packageKey(n.ecosystem, n.name)));
    }

    let outIo: Io = io;
    const outFlags: CiFlags = { ...flags };
    if (root && root !== io.cwd) {
      refs = rootRelative(refs, io.cwd, root);
      notes = rootRelative(notes, io.cwd, root);
      // The report is about the repository; --output stays relative to where the user ran.
      if (outFlags.output !== undefined) outFlags.output = resolve(io.cwd, outFlags.output);
      outIo = { ...io, cwd: root };
    }
    if (change) notes = [...notes, ...change.notes];
    const report = await check(refs, { ...checkOptionsFor(settings, io, flags), notes });
    ctx.setExit(await emitReport(report, outFlags, settings, outIo, 'ci'));
  });
}
