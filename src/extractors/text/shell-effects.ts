/**
 * What the shell would do with a command line, as far as installs are concerned: which install
 * commands run (also inside `bash -c '…'`, a here-document fed to `bash`/`sh -s`, or text piped
 * to a shell), what each reads on standard input (`pip install -r /dev/stdin <<EOF`), the words
 * `xargs` is fed by `echo`/`printf`, where `cd` moves, and which files the command writes before
 * a later command reads them (`cat > req.txt <<EOF`, `echo x >> requirements.txt`, `tee`).
 *
 * This is the grammar's side: pure text in, steps out, no file is read. The install planner
 * (src/install/plan-install.ts) replays the steps against a view of the files.
 */
import type { ExtractNote, Origin } from '../../core/types.js';
import { argOfWord, innerShellCommand, programName, readCommand, SHELLS, skipPrefixes, type Arg, type InstallCommand, type TextScan } from './install-command.js';
import { splitShell, type ShellCommand, type ShellWord } from './shell-words.js';
import { scanDockerfile } from './script-files.js';
import type { Region, TextSink } from './text-sink.js';
import type { Locate } from './text-origin.js';

/** Text a command reads on standard input, known before it runs. */
export interface StdinText {
  text: string;
  /** Where the text was written (the here-document body, the `echo`). */
  origin: Origin;
  /**
   * The text's lines are the document's lines from `origin.line` on (a here-document body);
   * otherwise every line of it was written at `origin` (an `echo`, a `printf`).
   */
  linesFollow?: boolean;
}

/** A file given on standard input, as written (relative to the command's folder). */
export interface StdinFile {
  path: string;
  origin: Origin;
}

/** One thing the shell would do that matters to an install. */
export type ShellStep =
  /** A package tool runs (install or not: see `command.isInstall`). */
  | {
      kind: 'install';
      command: InstallCommand;
      /** Literal text on standard input (a here-document, `echo … |`). */
      stdin?: StdinText;
      /** Standard input is a file (`< reqs.txt`, `cat reqs.txt |`): the planner reads it. */
      stdinFile?: StdinFile;
      /**
       * For `cat pkgs.txt | xargs npm i`: the command read again with the file's words as its
       * arguments (the planner reads the file, then calls this).
       */
      withStdinWords?: (words: readonly string[]) => InstallCommand[];
    }
  /** `cd <path>`; `path` undefined when it is not a literal (`cd $DIR`, `cd -`, bare `cd`). */
  | { kind: 'cd'; path: string | undefined; origin: Origin }
  /**
   * A file is written: `path` undefined when the name is not literal, `content` undefined when
   * what is written is not known before the command runs (`curl … > req.txt`).
   */
  | {
      kind: 'write';
      path: string | undefined;
      content: string | undefined;
      append: boolean;
      origin: Origin;
      /** Where the written text was written in the document (a here-document, an `echo`). */
      source?: StdinText;
      /** `cp <from> <path>`: the text is that file's (read by the planner). */
      copyFrom?: string;
    }
  /** Something the planner must report (an installer slopguard does not read, ...). */
  | { kind: 'note'; note: ExtractNote }
  /**
   * A subshell or child shell starts (`push`) or ends (`pop`): a `cd` inside `( … )`,
   * `bash -c '…'` or a heredoc fed to `sh` does not move the commands after it.
   */
  | { kind: 'push' }
  | { kind: 'pop' };

/** Deeper nesting of shells in shells than this is not followed (hostile input). */
const MAX_DEPTH = 4;

/** Installers whose packages slopguard does not read: said out loud, unverified. */
const UNREAD_INSTALLERS: Record<string, { subcommands: ReadonlySet<string>; from: string }> = {
  brew: { subcommands: new Set(['install', 'reinstall', 'upgrade', 'bundle']), from: 'Homebrew formulae and casks' },
};

/**
 * The steps of `text[start, end)`, in the order the shell runs them. Located like
 * `installCommandsIn` (every origin in `scan.file`).
 */
export function shellSteps(text: string, start: number, end: number, scan: TextScan, depth = 0): ShellStep[] {
  const split = splitShell(text, start, end, { newlinesAreBlanks: scan.newlinesAreBlanks === true });
  const steps: ShellStep[] = [];
  /** Where each install step starts, to hang tokenizer problems on the right one. */
  const starts: Array<{ step: ShellStep & { kind: 'install' }; at: number }> = [];
  const commands = split.commands;
  let level = 0;
  for (let k = 0; k < commands.length; k++) {
    const c = commands[k] as ShellCommand;
    // `( … )` at the top level: what happens inside stays inside (commands in `$(…)` are
    // subshells too, and their `cd` is ignored below).
    if (c.depth === 0) {
      for (; level < c.subshell; level++) steps.push({ kind: 'push' });
      for (; level > c.subshell; level--) steps.push({ kind: 'pop' });
    }
    const prev = k > 0 ? commands[k - 1] : undefined;
    const piped = prev && prev.next === '|' && prev.depth === c.depth ? literalOutput(prev, text, scan) : undefined;
    const fromPipe = prev !== undefined && prev.next === '|' && prev.depth === c.depth;
    const catFile = fromPipe && piped === undefined ? catOf(prev, scan) : undefined;
    const pipedUnknown = fromPipe && piped === undefined && catFile === undefined;
    const before = steps.length;
    commandSteps(c, text, scan, depth, piped, pipedUnknown, steps, catFile);
    for (let j = before; j < steps.length; j++) {
      const s = steps[j] as ShellStep;
      if (s.kind === 'install') starts.push({ step: s, at: c.words[0]?.start ?? start });
    }
  }
  for (; level > 0; level--) steps.push({ kind: 'pop' });
  for (const p of split.problems) {
    // Only worth saying when it touched an install command (prose is full of apostrophes):
    // the last command that starts before the problem.
    let hit: (ShellStep & { kind: 'install' }) | undefined;
    for (const s of starts) if (s.at <= p.offset && s.step.command.isInstall) hit = s.step;
    hit?.command.notes.push({
      level: 'warning',
      code: 'malformed',
      message: `Shell text could not be read cleanly (${p.message}); the command was read as far as possible.`,
      origin: scan.locate(p.offset, 1),
    });
  }
  return steps;
}

/** The steps of one simple command. */
function commandSteps(c: ShellCommand, text: string, scan: TextScan, depth: number, piped: Literal | undefined, pipedUnknown: boolean, out: ShellStep[], catFile?: StdinFile): void {
  let words = c.words;
  if (scan.prose) words = proseWords(words);
  const args = words.map((w) => argOfWord(w, text, scan.locate));
  const at = (w: ShellWord | undefined): Origin => (w ? scan.locate(w.start, w.end - w.start) : scan.locate(c.words[0]?.start ?? 0, 0));
  const stdin = stdinOf(c, text, scan, piped);

  // Redirections that write files: `> f`, `>> f`, `&> f`.
  const output = literalOutput(c, text, scan);
  for (const r of c.redirects) {
    if ((r.op !== '>' && r.op !== '>>') || r.fd !== 1) continue;
    if (!r.target.dynamic && r.target.value === '/dev/null') continue;
    const step: ShellStep = { kind: 'write', path: r.target.dynamic ? undefined : r.target.value, content: output?.text, append: r.op === '>>', origin: at(r.target) };
    if (output) step.source = sourceOf(output);
    else {
      // `cat base.txt > requirements.txt`: the text is that file's.
      const copied = catOf(c, scan);
      if (copied) step.copyFrom = copied.path;
    }
    out.push(step);
  }
  if (args.length === 0) return;

  const skipped = skipPrefixes(args);
  const head = skipped ? args[skipped.at] : undefined;
  const prog = head ? programName(head.value) : '';
  const tail = skipped ? args.slice(skipped.at + 1) : [];

  if (prog === 'cd' || prog === 'pushd') {
    if (c.depth > 0) return; // inside `$(…)`: a subshell of its own
    const target = tail.find((a) => !a.value.startsWith('-') || a.value === '-');
    out.push({ kind: 'cd', path: target && !target.dynamic && target.value !== '-' && !target.value.startsWith('~') ? target.value : undefined, origin: at(c.words[0]) });
    return;
  }
  if (prog === 'tee') {
    const append = tail.some((a) => /^-[a-z]*a/.test(a.value) || a.value === '--append');
    for (const f of tail.filter((a) => !a.value.startsWith('-'))) {
      const step: ShellStep = { kind: 'write', path: f.dynamic ? undefined : f.value, content: stdin?.text, append, origin: f.at(0, f.value.length) };
      if (stdin) step.source = stdin;
      out.push(step);
    }
    return;
  }
  if (prog === 'cp' || prog === 'mv' || prog === 'install' || prog === 'ln') {
    const files = tail.filter((a) => !a.value.startsWith('-'));
    const dest = files[files.length - 1];
    if (files.length < 2 || !dest) return;
    const step: ShellStep = { kind: 'write', path: dest.dynamic ? undefined : dest.value, content: undefined, append: false, origin: dest.at(0, dest.value.length) };
    // One file copied or moved onto a file name: its text is the source's.
    const from = files[0] as Arg;
    if (files.length === 2 && !from.dynamic && prog !== 'ln' && !tail.some((a) => /^-[a-zA-Z]*[rRt]|^--(?:recursive|target-directory)/.test(a.value))) step.copyFrom = from.value;
    out.push(step);
    return;
  }
  if (prog === 'curl' || prog === 'wget') {
    for (let i = 0; i < tail.length; i++) {
      const v = (tail[i] as Arg).value;
      if (v === '-o' || v === '--output' || (v === '-O' && prog === 'wget') || v === '--output-document') {
        const f = tail[i + 1];
        if (f) out.push({ kind: 'write', path: f.dynamic ? undefined : f.value, content: undefined, append: false, origin: f.at(0, f.value.length) });
      }
    }
    return;
  }

  // A shell given a script: `bash -c '…'`, `bash <<'SH'`, `sh -s <<EOF`, `echo 'npm i x' | sh`.
  const inner = innerShellCommand(args);
  if (inner && depth < MAX_DEPTH) {
    const w = words[inner.index] as ShellWord;
    out.push({ kind: 'push' }, ...nestedShell(text, w, scan, depth + 1), { kind: 'pop' });
    return;
  }
  // `docker build - <<EOF` or `-f - . <<EOF`: the here-document is a Dockerfile; its RUN lines install.
  if (depth < MAX_DEPTH && buildsDockerfileFromStdin(prog, tail)) {
    const doc = c.heredocs.find((h) => h.body);
    if (doc?.body) {
      // The Dockerfile reader hands over its RUN instructions as regions (a masked copy of an
      // instruction comes with a locator back into this text); only `shell` and `at` are asked of it.
      const regions: Region[] = [];
      const collector = { shell: (r: Region) => void regions.push(r), at: (base: number): Locate => (o, n, ctx) => scan.locate(base + o, n, ctx) };
      scanDockerfile(collector as unknown as TextSink, text, doc.body.start, doc.body.end);
      for (const r of regions) out.push({ kind: 'push' }, ...shellSteps(r.text, r.start, r.end, r.locate ? { ...scan, locate: r.locate } : scan, depth + 1), { kind: 'pop' });
      return;
    }
  }
  if (SHELLS.has(prog) && depth < MAX_DEPTH && readsScriptFromStdin(tail)) {
    const doc = c.heredocs.find((h) => h.body);
    if (doc?.body) {
      out.push({ kind: 'push' }, ...shellSteps(text, doc.body.start, doc.body.end, scan, depth + 1), { kind: 'pop' });
      return;
    }
    if (piped) {
      out.push({ kind: 'push' }, ...shellSteps(piped.text, 0, piped.text.length, { ...scan, locate: (_o, _n, ctx) => withContext({ ...piped.origin }, ctx) }, depth + 1), { kind: 'pop' });
      return;
    }
  }

  const unread = UNREAD_INSTALLERS[prog];
  if (unread && head) {
    const sub = tail.find((a) => !a.value.startsWith('-'));
    if (sub && unread.subcommands.has(sub.value)) {
      const names = tail.filter((a) => a !== sub && !a.value.startsWith('-')).map((a) => a.value);
      out.push({
        kind: 'note',
        note: {
          level: 'warning',
          code: 'unsupported',
          message: `${prog} ${sub.value} installs from ${unread.from}, which slopguard does not check${names.length ? `: ${clip(names.join(' '))}` : ''}.`,
          origin: head.at(0, head.value.length, `${prog} ${sub.value}`),
          unverified: true,
        },
      });
    }
    return;
  }

  const ctx: Parameters<typeof readCommand>[1] = { file: scan.file, level: 'warning', depth };
  if (skipped?.fromStdin && piped) ctx.stdinWords = piped.words.map((w) => (w.located ? argOfWord(w.word, text, scan.locate) : fixedArg(w.word.value, piped.origin)));
  // `< reqs.txt` (the last input redirection wins), else `cat reqs.txt |`.
  const redirected = [...c.redirects].reverse().find((r) => r.op === '<' && r.fd === 0);
  const stdinFile: StdinFile | undefined =
    redirected && !redirected.target.dynamic ? { path: redirected.target.value, origin: at(redirected.target) } : stdin || redirected ? undefined : catFile;
  for (const command of readCommand(args, ctx)) {
    if (pipedUnknown && command.isInstall && usesStdin(command)) {
      command.notes.push({
        level: 'warning',
        code: 'skipped',
        message: `${command.tool} ${command.subcommand} reads requirements from a pipe whose text is only known when the shell runs it; those were not checked.`,
        origin: command.origin,
        unverified: true,
      });
    }
    const step: ShellStep = { kind: 'install', command };
    if (stdin) step.stdin = stdin;
    if (stdinFile) {
      step.stdinFile = stdinFile;
      if (skipped?.fromStdin && !piped) {
        step.withStdinWords = (words) => readCommand(args, { ...ctx, stdinWords: words.map((w) => fixedArg(w, stdinFile.origin)) }).filter((x) => x.isInstall);
      }
    }
    out.push(step);
  }
}

/** `cat <file>` (one literal file, no flags): its output is the file. */
function catOf(c: ShellCommand, scan: TextScan): StdinFile | undefined {
  const [head, file, more] = c.words;
  if (!head || !file || more || head.dynamic || programName(head.value) !== 'cat' || file.dynamic || file.value.startsWith('-')) return undefined;
  return { path: file.value, origin: scan.locate(file.start, file.end - file.start) };
}

/** The requirement-file names that mean standard input. */
export const STDIN_FILES: ReadonlySet<string> = new Set(['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

function usesStdin(command: InstallCommand): boolean {
  return command.requirementFiles.some((f) => STDIN_FILES.has(f));
}

/** `bash` with no script argument, or `-s`: the script is standard input. */
/** `docker build -`, `docker build -f - .`, `docker buildx build -f - .` (and podman's): the Dockerfile is read from stdin. */
function buildsDockerfileFromStdin(prog: string, tail: readonly Arg[]): boolean {
  if (prog !== 'docker' && prog !== 'podman' && prog !== 'nerdctl' && prog !== 'buildah') return false;
  const words = tail.map((a) => a.value);
  const at = words[0] === 'buildx' || words[0] === 'image' ? 1 : 0;
  if (words[at] !== 'build' && words[at] !== 'bud') return false;
  const rest = words.slice(at + 1);
  return rest.some((w, i) => w === '-' || ((w === '-f' || w === '--file') && rest[i + 1] === '-') || w === '--file=-' || w === '-f-');
}

function readsScriptFromStdin(tail: readonly Arg[]): boolean {
  for (let i = 0; i < tail.length; i++) {
    const v = (tail[i] as Arg).value;
    if (v === '-s' || (/^-[a-zA-Z]+$/.test(v) && v.includes('s') && !v.includes('c'))) return true;
    if (v === '--') return i + 1 >= tail.length;
    if (v === '-o' || v === '+o' || v === '-O' || v === '+O') {
      i++;
      continue;
    }
    if (!v.startsWith('-') && !v.startsWith('+')) return false; // a script file
  }
  return true;
}

/** Text known before the command runs, and the words it splits into (for `xargs`). */
interface Literal {
  text: string;
  origin: Origin;
  /** A here-document body: its lines are the document's lines. */
  linesFollow?: boolean;
  /** Words: `located` ones are real words of the scanned text. */
  words: Array<{ word: ShellWord; located: boolean }>;
}

/** What a command writes on standard output, when it is literal (`echo`, `printf`, `cat <<EOF`). */
function literalOutput(c: ShellCommand, text: string, scan: TextScan): Literal | undefined {
  const words = c.words;
  const head = words[0];
  if (!head || head.dynamic) return undefined;
  const prog = programName(head.value);
  const origin = scan.locate(head.start, head.end - head.start);
  if (prog === 'echo') {
    let i = 1;
    let escapes = false;
    let newline = true;
    while (i < words.length && /^-[neE]+$/.test((words[i] as ShellWord).value)) {
      const f = (words[i] as ShellWord).value;
      if (f.includes('n')) newline = false;
      if (f.includes('e')) escapes = true;
      i++;
    }
    const rest = words.slice(i);
    if (rest.some((w) => w.dynamic)) return undefined;
    const body = rest.map((w) => (escapes ? unescapeC(w.value) : w.value)).join(' ');
    return { text: body + (newline ? '\n' : ''), origin, words: splitWords(rest, escapes) };
  }
  if (prog === 'printf') {
    const fmt = words[1];
    if (!fmt || fmt.dynamic) return undefined;
    const rest = words.slice(2);
    if (rest.some((w) => w.dynamic)) return undefined;
    const printed = printfLiteral(fmt.value, rest.map((w) => w.value));
    if (printed === undefined) return undefined;
    const located = rest.length ? splitWords(rest, false) : pieces(printed).map((value) => ({ word: { ...fmt, value, quoted: true }, located: true }));
    return { text: printed, origin: scan.locate(fmt.start, fmt.end - fmt.start), words: located };
  }
  if (prog === 'cat' && words.length === 1) return heredocText(c, text, scan);
  return undefined;
}

/** A command's standard input, when literal: its here-document, its here-string, or a literal pipe. */
function stdinOf(c: ShellCommand, text: string, scan: TextScan, piped: Literal | undefined): StdinText | undefined {
  const here = heredocText(c, text, scan);
  if (here) return sourceOf(here);
  if (piped) return sourceOf(piped);
  return undefined;
}

function sourceOf(l: Literal): StdinText {
  const s: StdinText = { text: l.text, origin: l.origin };
  if (l.linesFollow) s.linesFollow = true;
  return s;
}

function heredocText(c: ShellCommand, text: string, scan: TextScan): Literal | undefined {
  const s = c.redirects.find((r) => r.op === '<<<' && r.fd === 0);
  if (s) return s.target.dynamic ? undefined : { text: `${s.target.value}\n`, origin: scan.locate(s.target.start, s.target.end - s.target.start), words: splitWords([s.target], false) };
  const doc = c.heredocs[c.heredocs.length - 1];
  if (!doc?.body) return undefined;
  let body = text.slice(doc.body.start, doc.body.end);
  if (doc.dash) body = body.replace(/^\t+/gm, '');
  // An unquoted delimiter expands `$…` and backticks in the body: not known before it runs.
  if (!doc.quoted && /[$`]/.test(body)) return undefined;
  return { text: body, origin: scan.locate(doc.body.start, 0), linesFollow: true, words: bodyWords(text, doc.body.start, doc.body.end) };
}

/** Whitespace-separated words of `text[start, end)`, located. */
function bodyWords(text: string, start: number, end: number): Literal['words'] {
  const out: Literal['words'] = [];
  const re = /\S+/g;
  re.lastIndex = 0;
  const body = text.slice(start, end);
  for (let m = re.exec(body); m; m = re.exec(body)) {
    out.push({ word: { value: m[0], start: start + m.index, end: start + m.index + m[0].length, quoted: false, dynamic: false }, located: true });
  }
  return out;
}

/** `echo` words as xargs splits them (on blanks and newlines). */
function splitWords(words: readonly ShellWord[], escapes: boolean): Literal['words'] {
  const out: Literal['words'] = [];
  for (const w of words) {
    const value = escapes ? unescapeC(w.value) : w.value;
    const parts = pieces(value);
    if (parts.length === 1 && parts[0] === w.value) out.push({ word: w, located: true });
    else for (const p of parts) out.push({ word: { ...w, value: p, quoted: true }, located: true });
  }
  return out;
}

function pieces(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** `printf FORMAT ARGS…` with only `%s`, `%b`, `%d`, `%%` directives; undefined otherwise. */
function printfLiteral(format: string, args: readonly string[]): string | undefined {
  const fmt = unescapeC(format);
  const directives = fmt.match(/%./g) ?? [];
  if (directives.some((d) => !['%s', '%b', '%d', '%%'].includes(d))) return undefined;
  const consuming = directives.filter((d) => d !== '%%').length;
  if (consuming === 0) return fmt.replace(/%%/g, '%');
  let out = '';
  let i = 0;
  do {
    out += fmt.replace(/%[sbd%]/g, (d) => (d === '%%' ? '%' : (args[i++] ?? '')));
  } while (i < args.length);
  return out;
}

function unescapeC(s: string): string {
  return s.replace(/\\([ntr\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'));
}

/** An argument with a fixed origin (text that is not in the scanned document as written). */
function fixedArg(value: string, origin: Origin): Arg {
  return { value, dynamic: false, at: (_i, _n, context) => withContext({ ...origin }, context) };
}

function withContext(o: Origin, context?: string): Origin {
  if (context !== undefined) o.context = context;
  return o;
}

/** The commands inside `bash -c '<script>'`, located in the original text when possible. */
function nestedShell(text: string, w: ShellWord, scan: TextScan, depth: number): ShellStep[] {
  const raw = text.slice(w.start, w.end);
  const q = raw[0];
  if ((q === "'" || q === '"') && raw.length >= 2 && raw[raw.length - 1] === q && raw.slice(1, -1) === w.value) {
    return shellSteps(text, w.start + 1, w.end - 1, scan, depth);
  }
  // Escapes inside: read the value on its own; every origin points at the script argument.
  const at = scan.locate(w.start, w.end - w.start);
  return shellSteps(w.value, 0, w.value.length, { ...scan, locate: (_o, _n, c) => withContext({ ...at }, c) }, depth);
}

/** Prose: keep words up to the first English word or sentence punctuation. */
const PROSE_STOP = new Set(
  'a an and as at be but by for from if in into is it of on or so that the then this to use using via when which will with you your first now also instead'.split(' '),
);
function proseWords(words: ShellWord[]): ShellWord[] {
  const out: ShellWord[] = [];
  for (const [i, w] of words.entries()) {
    // The first two words are the tool and its subcommand.
    if (i >= 2 && !w.quoted && PROSE_STOP.has(w.value.toLowerCase())) break;
    const m = /[.,:;!?)]+$/.exec(w.value);
    if (m && !w.quoted && !/^\.+$/.test(w.value)) {
      out.push({ ...w, value: w.value.slice(0, m.index), end: w.end - m[0].length });
      break;
    }
    out.push(w);
  }
  return out.filter((w) => w.value !== '');
}

/** Keeps echoed arguments short (a hostile line can be megabytes). */
function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
