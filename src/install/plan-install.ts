/**
 * `planInstall(command, cwd, files)`: the one install planner every door uses (the wrappers, the
 * agent hooks, `slopguard text`, MCP `check_text`). A command in (a wrapper's argv, a hook's shell
 * string, or the shell steps a text extractor found), a view of the files, and out come the
 * packages to judge, per install command with its own registry or index and its own folder, the
 * notes for what could not be read, and the files the command writes.
 *
 * The shell is replayed step by step (extractors/text/shell-effects.ts says what it does):
 * `cd <literal>` moves the folder later files are resolved against; a file written earlier in the
 * same command (`cat > req.txt <<EOF`, `echo x >> requirements.txt`, `tee`) is read from that
 * write, laid over the disk view; `-r`/`-c` of any name is read as a requirements file, standard
 * input included (`-r /dev/stdin <<EOF`, `printf … | pip install -r -`); an install that names no
 * package reads the project (project-files.ts). Whatever could not be determined is an
 * `unverified` note, never "nothing to check".
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ExtractNote, Origin, PackageRef } from '../core/types.js';
import { requirementsExtractor } from '../extractors/pypi/requirements.js';
import { findInstallSteps, parseCommandLine, type InstallCommand } from '../extractors/text/install-command.js';
import { STDIN_FILES, type ShellStep, type StdinFile, type StdinText } from '../extractors/text/shell-effects.js';
import { overlayAccess, type FileAccess } from '../sources/file-access.js';
import { findProjectDir, noProjectNote, readProject, unreadableNote } from './project-files.js';
import { extractThrough, readDoc } from './read-through.js';

/** Where the packages of one install are looked up: the flags on that command, and its folder. */
export interface RegistrySetting {
  /** `--registry` (npm family). */
  npmRegistry?: string;
  /** `-i`/`--index-url` (Python family). */
  indexUrl?: string;
  /** `--extra-index-url` values. */
  extraIndexUrls?: string[];
  /** The folder the command runs in (its `.npmrc`/`pip.conf` apply), absolute. */
  cwd: string;
}

/** One install command, planned. */
export interface PlannedInstall {
  command: InstallCommand;
  /** The folder it runs in (after `cd` and `--prefix`-style flags), absolute. */
  cwd: string;
  setting: RegistrySetting;
  /** What it would fetch: typed names, requirement files, the project, the resolved tree. */
  refs: PackageRef[];
  notes: ExtractNote[];
  /** Files read for it, absolute. */
  files: string[];
}

/** Refs that share one registry setting: one `check()` call each. */
export interface CheckGroup {
  setting: RegistrySetting;
  refs: PackageRef[];
}

/** The plan. */
export interface InstallPlan {
  installs: PlannedInstall[];
  /** The refs of every install, grouped by registry setting, in the order first seen. */
  groups: CheckGroup[];
  /** Every note (the installs' and the command's own: unread installers, size, ...). */
  notes: ExtractNote[];
  /** Files the command writes (redirections, `tee`, `cp`, `curl -o`), absolute, in order. */
  writes: string[];
  /** Files read for the plan, absolute. */
  files: string[];
}

/**
 * Resolves the packages an install of named packages pulls in (its transitive tree). Optional:
 * without it only the typed names are judged. Wired by the doors that can afford it.
 */
export type ResolveTree = (install: PlannedInstall, files: FileAccess) => Promise<{ refs: PackageRef[]; notes: ExtractNote[] }>;

/** What {@link planInstall} reads. */
export type PlanCommand =
  /** A shell string (a hook's command, a script, a Dockerfile `RUN`). */
  | string
  /** A wrapper's argv (`['npm', 'install', 'x']`): one command, no shell. */
  | readonly string[]
  /** Shell steps a text extractor already found (`slopguard text`, MCP `check_text`). */
  | { steps: readonly ShellStep[] };

/** Options of {@link planInstall}. */
export interface PlanOptions {
  /** The name origins of a shell string carry (default `<command>`; argv: `<args>`). */
  file?: string;
  /**
   * A requirements or project file that is not there: `unverified` (default: the install would
   * fetch what nobody saw) or `info` (`slopguard text`, which reads only the text it is given).
   */
  missingFiles?: 'unverified' | 'info';
  resolveTree?: ResolveTree;
  /** Longer shell strings are not read (unverified). Default 1 MiB. */
  maxCommandBytes?: number;
}

/** Shell commands are short; a megabyte is already far beyond any real one. */
export const MAX_COMMAND_BYTES = 1024 * 1024;

/** Plans what `command`, run in `cwd` (absolute), would install; see the module comment. */
export async function planInstall(command: PlanCommand, cwd: string, files: FileAccess, options: PlanOptions = {}): Promise<InstallPlan> {
  const plan: InstallPlan = { installs: [], groups: [], notes: [], writes: [], files: [] };
  let steps: readonly ShellStep[];
  if (typeof command === 'string') {
    const max = options.maxCommandBytes ?? MAX_COMMAND_BYTES;
    if (command.length > max) {
      plan.notes.push({
        level: 'warning',
        code: 'skipped',
        message: `the command is ${(command.length / 1024).toFixed(0)} KiB, over the ${(max / 1024).toFixed(0)} KiB slopguard reads; what it installs was not checked`,
        origin: { file: options.file ?? '<command>' },
        unverified: true,
      });
      return plan;
    }
    steps = findInstallSteps(command, { file: options.file ?? '<command>' });
  } else if (isArgv(command)) {
    const cmd = parseCommandLine(command, { file: options.file ?? '<args>' });
    steps = cmd ? [{ kind: 'install', command: cmd }] : [];
  } else steps = command.steps;
  await replay(steps, resolve(cwd), files, options, plan);
  return plan;
}

function isArgv(c: PlanCommand): c is readonly string[] {
  return Array.isArray(c);
}

/** Files the command wrote: known text, or `undefined` when only the shell knows it. */
type Written = Map<string, string | undefined>;

async function replay(steps: readonly ShellStep[], base: string, files: FileAccess, options: PlanOptions, plan: InstallPlan): Promise<void> {
  let cwd: string | undefined = base;
  const written: Written = new Map();
  const known = new Map<string, string>();
  /** Where the command wrote each file it wrote whole (not appended to). */
  const sources = new Map<string, StdinText>();
  const view = overlayAccess(files, known, base);
  const show = (abs: string) => shown(base, abs);
  /** The folder of each enclosing shell, restored when its subshell ends. */
  const saved: Array<string | undefined> = [];
  for (const step of steps) {
    switch (step.kind) {
      case 'push':
        saved.push(cwd);
        break;
      case 'pop':
        if (saved.length) cwd = saved.pop();
        break;
      case 'cd':
        cwd = step.path === undefined || cwd === undefined ? undefined : resolve(cwd, step.path);
        break;
      case 'note':
        plan.notes.push(step.note);
        break;
      case 'write': {
        if (step.path === undefined || cwd === undefined) break;
        const abs = resolve(cwd, step.path);
        plan.writes.push(abs);
        let content = step.content;
        if (step.copyFrom !== undefined) {
          // `cp good.txt requirements.txt`, `cat a.txt >> b.txt`: a folder target (`cp a.txt dir/`) is unknown.
          const from = resolve(cwd, step.copyFrom);
          const target = await files.kind(abs);
          content = target === 'directory' ? undefined : written.has(from) ? written.get(from) : (await files.kind(from)) === 'file' ? await currentText(files, from) : undefined;
        }
        if (content !== undefined && step.append) {
          const before = written.has(abs) ? written.get(abs) : await currentText(files, abs);
          content = before === undefined ? undefined : before + content;
        }
        written.set(abs, content);
        if (content === undefined) known.delete(abs);
        else known.set(abs, content);
        if (step.source && !step.append) sources.set(abs, step.source);
        else sources.delete(abs);
        break;
      }
      case 'install': {
        if (!step.command.isInstall) break;
        const command = step.withStdinWords && step.stdinFile && cwd !== undefined ? await fedFromFile(step.command, step.stdinFile, step.withStdinWords, cwd, view, written) : step.command;
        const planned = await planOne(command, step.stdin, step.stdinFile, cwd, base, view, written, sources, options, show);
        plan.installs.push(planned);
        plan.notes.push(...planned.notes);
        plan.files.push(...planned.files.filter((f) => !plan.files.includes(f)));
        addToGroup(plan.groups, planned);
        break;
      }
    }
  }
}

/**
 * `cat pkgs.txt | xargs npm i`: the command with the file's words as arguments. When the file
 * cannot be read, the command as read without them (its note says the arguments went unseen).
 */
async function fedFromFile(
  cmd: InstallCommand,
  file: StdinFile,
  reread: (words: readonly string[]) => InstallCommand[],
  cwd: string,
  view: FileAccess,
  written: Written,
): Promise<InstallCommand> {
  const abs = resolve(cwd, file.path);
  if (written.has(abs) && written.get(abs) === undefined) return cmd;
  const doc = await readDoc(view, abs);
  if (!doc.ok) return cmd;
  return reread(doc.doc.text.split(/\s+/).filter(Boolean))[0] ?? cmd;
}

/** A file's text before the command runs, for `>>` (undefined when it cannot be read). */
async function currentText(files: FileAccess, abs: string): Promise<string | undefined> {
  const kind = await files.kind(abs);
  if (kind === 'missing') return '';
  const r = await readDoc(files, abs);
  return r.ok ? r.doc.text : undefined;
}

function shown(base: string, abs: string): string {
  const rel = relative(base, abs);
  return rel === '' ? '.' : isAbsolute(rel) || rel.startsWith(`..${sep}..`) ? abs : rel.split(sep).join('/');
}

function settingOf(cmd: InstallCommand, cwd: string): RegistrySetting {
  const s: RegistrySetting = { cwd };
  if (cmd.registry) s.npmRegistry = cmd.registry;
  if (cmd.indexUrl) s.indexUrl = cmd.indexUrl;
  if (cmd.extraIndexUrls?.length) s.extraIndexUrls = [...cmd.extraIndexUrls];
  return s;
}

function sameSetting(a: RegistrySetting, b: RegistrySetting): boolean {
  return a.cwd === b.cwd && a.npmRegistry === b.npmRegistry && a.indexUrl === b.indexUrl && (a.extraIndexUrls ?? []).join(' ') === (b.extraIndexUrls ?? []).join(' ');
}

function addToGroup(groups: CheckGroup[], planned: PlannedInstall): void {
  if (planned.refs.length === 0) return;
  let g = groups.find((x) => sameSetting(x.setting, planned.setting));
  if (!g) groups.push((g = { setting: planned.setting, refs: [] }));
  g.refs.push(...planned.refs);
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

async function planOne(
  cmd: InstallCommand,
  stdin: StdinText | undefined,
  stdinFile: StdinFile | undefined,
  cwd: string | undefined,
  base: string,
  view: FileAccess,
  written: Written,
  sources: ReadonlyMap<string, StdinText>,
  options: PlanOptions,
  show: (abs: string) => string,
): Promise<PlannedInstall> {
  const dir = resolve(cwd ?? base, cmd.cwd ?? '.');
  const planned: PlannedInstall = { command: cmd, cwd: dir, setting: settingOf(cmd, dir), refs: cmd.refs.filter((r) => (r.source ?? 'registry') === 'registry'), notes: [...cmd.notes], files: [] };
  const what = `${cmd.tool}${cmd.subcommand ? ` ${cmd.subcommand}` : ''}`;
  const unverified = (options.missingFiles ?? 'unverified') === 'unverified';
  /** A file the install reads is not there (or, for a text-only door, not in the text). */
  const missing = (origin: Origin, message: string, file?: string) => {
    const text = unverified || file === undefined ? message : `${file} is not part of the text; the packages ${what} installs from it were not checked`;
    const n: ExtractNote = { level: unverified ? 'warning' : 'info', code: 'skipped', message: text, origin };
    if (unverified) n.unverified = true;
    planned.notes.push(n);
  };
  const needsFolder = cmd.requirementFiles.some((f) => !STDIN_FILES.has(f) && !REMOTE.test(f) && !isAbsolute(f)) || cmd.installsFromManifest;
  if (cwd === undefined && needsFolder) {
    missing(cmd.origin, `${what} runs after a \`cd\` to a folder only known when the shell runs it; the files it installs from were not checked`);
    return planned;
  }

  for (const named of cmd.requirementFiles) {
    // `-r - < reqs.txt`, `cat reqs.txt | pip install -r /dev/stdin`: the file is on standard input.
    const f = STDIN_FILES.has(named) && !stdin && stdinFile ? stdinFile.path : named;
    if (STDIN_FILES.has(f)) {
      if (!stdin) {
        if (!planned.notes.some((n) => n.unverified && n.origin === cmd.origin)) {
          planned.notes.push({ level: 'warning', code: 'skipped', message: `${what} reads requirements from standard input, which slopguard cannot see; those were not checked`, origin: cmd.origin, unverified: true });
        }
        continue;
      }
      // Includes in it (`-r base.txt`) are relative to the folder pip runs in.
      const got = await extractThrough(view, { path: stdin.origin.file, text: stdin.text }, resolve(dir, '-'), requirementsExtractor);
      const moved = movedTo(got, stdin.origin.file, stdin);
      planned.files.push(...got.read.slice(1));
      planned.refs.push(...moved.refs);
      planned.notes.push(...moved.notes);
      continue;
    }
    if (REMOTE.test(f)) {
      planned.notes.push({ level: 'warning', code: 'unsupported', message: `${what} -r ${f}: remote requirement files are not fetched; their packages were not checked`, origin: cmd.origin, unverified: true });
      continue;
    }
    const abs = resolve(dir, f);
    if (written.has(abs) && written.get(abs) === undefined) {
      planned.notes.push({ level: 'warning', code: 'skipped', message: `${show(abs)} is written earlier in this command with text only known when it runs; the packages it lists were not checked`, origin: cmd.origin, unverified: true });
      continue;
    }
    const doc = await readDoc(view, abs);
    if (!doc.ok) {
      if (doc.missing) missing(cmd.origin, `${show(abs)} (${what} -r) does not exist; the packages it would list were not checked`, show(abs));
      else planned.notes.push(unreadableNote(show(abs), doc.message));
      continue;
    }
    // `-r` of any name is a requirements file, whatever it is called.
    const got = await extractThrough(view, doc.doc, abs, requirementsExtractor);
    // Written by the command itself: point at where the command wrote each line.
    const source = sources.get(abs);
    const moved = source ? movedTo(got, doc.doc.path, source) : got;
    planned.refs.push(...moved.refs);
    planned.notes.push(...moved.notes);
    planned.files.push(...got.read.filter((f) => !sources.has(f)));
  }

  if (cmd.installsFromManifest) {
    const local = cmd.refs.filter((r) => r.source === 'directory').map((r) => resolve(dir, (r.spec ?? r.name).replace(/\[[^\]]*\]$/, '') || '.'));
    const dirs = local.length ? [...new Set(local)] : [dir];
    for (const d of dirs) {
      if ((await view.kind(d)) !== 'directory') {
        if (local.length) missing(cmd.origin, `${show(d)} (${what}) is not a folder slopguard could read; what it installs was not checked`);
        else missing(cmd.origin, `${show(d)} does not exist; the packages ${what} installs were not checked`, show(d));
        continue;
      }
      // `cd packages/app && npm install` installs the workspace root's project.
      const root = local.length ? d : await findProjectDir(cmd.tool, d, view);
      if (root === undefined) {
        const n = noProjectNote(cmd, show(d));
        if (!unverified) n.level = 'info';
        planned.notes.push(n);
        continue;
      }
      const got = await readProject(cmd, root, view, show(root));
      if (!unverified) for (const n of got.notes) if (n.code === 'skipped') n.level = 'info';
      planned.refs.push(...got.refs);
      planned.notes.push(...got.notes);
      planned.files.push(...got.read);
    }
  }

  // A file the install reads that could not be parsed hides what it lists: unverified, not clean.
  for (const n of planned.notes) if ((n.code === 'malformed' || n.code === 'unreadable') && n.level !== 'info') n.unverified = true;

  if (options.resolveTree && cmd.refs.some((r) => (r.source ?? 'registry') === 'registry')) {
    const tree = await options.resolveTree(planned, view);
    planned.refs.push(...tree.refs);
    planned.notes.push(...tree.notes);
  }
  return planned;
}

/** Origins in `file` (text the command wrote or piped) moved to where the command wrote it. */
function movedTo<T extends { refs: PackageRef[]; notes: ExtractNote[] }>(got: T, file: string, source: StdinText): T {
  const move = (o: Origin): Origin => {
    if (o.file !== file) return o;
    const out: Origin = { ...o, file: source.origin.file };
    if (source.linesFollow && o.line !== undefined) out.line = o.line + (source.origin.line ?? 1) - 1;
    else {
      if (source.origin.line !== undefined) out.line = source.origin.line;
      else delete out.line;
      if (source.origin.column !== undefined) out.column = source.origin.column;
      else delete out.column;
    }
    return out;
  };
  return { ...got, refs: got.refs.map((r) => (r.origin ? { ...r, origin: move(r.origin) } : r)), notes: got.notes.map((n) => ({ ...n, origin: move(n.origin) })) };
}
