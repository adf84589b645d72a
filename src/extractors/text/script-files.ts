/**
 * Where the shell commands are in the files that hold them: shell scripts and shell code blocks
 * (with or without `$ ` prompts and command output), notebook magics (`!pip install`,
 * `%pip install`), Makefile recipes, Dockerfile `RUN` instructions (shell form, exec form,
 * here-documents) and YAML CI steps (`run:`, `script:`, `commands:` ...: GitHub Actions,
 * GitLab CI, CircleCI, Azure Pipelines, Bitbucket, Drone, Taskfile).
 *
 * Each scanner builds a same-length copy of its region with everything that is not shell
 * (prompts, output, YAML keys, Dockerfile comments) blanked out, so the shell tokenizer sees only
 * commands and every offset still points at the right line and column of the document.
 */
import { PROGRAM_PATTERN } from '../../tools/index.js';
import { blank, type TextSink } from './text-sink.js';

/** How a block of shell-ish lines is written. */
export type ShellDialect =
  /** A script: every line is a command; a leading `$ ` prompt is dropped. */
  | 'script'
  /** A terminal transcript: when lines carry prompts, only those lines are commands. */
  | 'console'
  /** Unknown: only lines that start with a package tool are read. */
  | 'auto'
  /** Python code: only `!cmd` and `%pip …` magic lines are shell. */
  | 'python-magic'
  /** A Makefile: tab-indented recipe lines (`@`, `-`, `+` prefixes dropped). */
  | 'makefile';

/** A line of `text[from, to)`: its start and end (without the newline). */
interface Line {
  start: number;
  end: number;
}

/** The lines of `text[from, to)` (a trailing newline gives a last, empty line). */
export function linesOf(text: string, from: number, to: number): Line[] {
  const out: Line[] = [];
  for (let s = from; ; ) {
    const nl = text.indexOf('\n', s);
    const e = nl === -1 || nl >= to ? to : nl;
    out.push({ start: s, end: e });
    if (e >= to) break;
    s = e + 1;
  }
  return out;
}

/** Prompts of terminal transcripts: `$ `, `% `, `# `, `> `, `❯ `, `PS C:\> `, `user@host:~/x$ `. */
const CONSOLE_PROMPT = /^[ \t]*(?:[$%#>❯➜]|PS [^>\n]{0,200}>|[\w.@-]{1,64}(?::[^\s$#]{0,200})?[$#])[ \t]+/;
/** Prompts agents put in scripts: `$ `, `% `, `❯ `. */
const SCRIPT_PROMPT = /^[ \t]*[$%❯][ \t]+/;
/**
 * A line that starts (after sudo/env-style prefixes are left to the grammar) with a package tool:
 * the prose detector, which decides which lines of prose are read at all. The programs come from
 * the tool table (src/tools/index.ts), so a tool added there is found in prose too; the pattern is
 * a plain alternation of literal names, linear on any line.
 */
export const TOOL_START = new RegExp(
  `^[ \\t]*(?:(?:sudo|env|time|RUN)[ \\t]+(?:-\\S+[ \\t]+)?)?(?:[A-Za-z_][A-Za-z0-9_]*=\\S*[ \\t]+)?(?:${PROGRAM_PATTERN})(?:\\.exe|\\.cmd)?(?=[ \\t]|$)`,
);
const MAGIC = /^[ \t]*(?:!|%(?=(?:pip|conda|uv|mamba)\b))/;

/** Reads the commands of a block of shell-ish lines, `text[from, to)`. */
export function scanShellBlock(sink: TextSink, text: string, from: number, to: number, dialect: ShellDialect): void {
  const lines = linesOf(text, from, to);
  const parts: string[] = [];
  if (dialect === 'python-magic' && /^[ \t]*%%(?:bash|sh|script[ \t]+(?:ba)?sh)\b/.test(text.slice(lines[0]?.start ?? from, lines[0]?.end ?? to))) {
    // A `%%bash` cell: everything after the magic line is a script.
    const first = lines[0] as Line;
    sink.shell({ text: blank(text, from, first.end) + text.slice(first.end, to), start: 0, end: to - from, locate: sink.at(from) });
    return;
  }
  const prompted = dialect === 'console' && lines.some((l) => CONSOLE_PROMPT.test(text.slice(l.start, l.end)));
  let continues = false;
  for (const l of lines) {
    const line = text.slice(l.start, l.end);
    let keep = '';
    if (continues) keep = dialect === 'console' ? line.replace(/^([ \t]*)> /, '$1  ') : line;
    else if (dialect === 'script') keep = blankMatch(line, SCRIPT_PROMPT);
    else if (dialect === 'console') keep = prompted ? (CONSOLE_PROMPT.test(line) ? blankMatch(line, CONSOLE_PROMPT) : '') : blankMatch(line, SCRIPT_PROMPT);
    else if (dialect === 'auto') {
      const body = blankMatch(line, CONSOLE_PROMPT);
      keep = TOOL_START.test(body) ? body : '';
    } else if (dialect === 'python-magic') keep = MAGIC.test(line) ? line.replace(/^([ \t]*)[!%]/, '$1 ') : '';
    else if (dialect === 'makefile') keep = line.startsWith('\t') ? line.replace(/^\t[@+-]*/, (m) => ' '.repeat(m.length)) : '';
    continues = keep !== '' && /\\\r?$/.test(keep);
    parts.push(keep === '' ? blank(line) : keep);
  }
  sink.shell({ text: parts.join('\n'), start: 0, end: to - from, locate: sink.at(from) });
}

/** `line` with the text matched by `re` at its start replaced by spaces. */
function blankMatch(line: string, re: RegExp): string {
  const m = re.exec(line);
  return m ? ' '.repeat(m[0].length) + line.slice(m[0].length) : line;
}

// ---------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------

/** Length of the blanks and `RUN` options (`--mount=type=cache,target=/root/.cache`) before the command. */
function runFlagsLength(rest: string): number {
  let i = 0;
  for (;;) {
    while (rest[i] === ' ' || rest[i] === '\t') i++;
    if (!rest.startsWith('--', i)) return i;
    while (i < rest.length && rest[i] !== ' ' && rest[i] !== '\t') i++;
  }
}

/** Line numbers by trimmed text: finding a here-document's end stays linear in hostile files. */
function lineIndex(text: string, lines: readonly Line[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  lines.forEach((l, k) => {
    const t = text.slice(l.start, l.end).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) return;
    const list = index.get(t);
    if (list) list.push(k);
    else index.set(t, [k]);
  });
  return index;
}

/** The first of the ascending `list` that is `>= k` (binary search). */
function firstAtOrAfter(list: readonly number[] | undefined, k: number): number | undefined {
  if (!list?.length) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < k) lo = mid + 1;
    else hi = mid;
  }
  return list[lo];
}

/** Reads the `RUN` instructions of a Dockerfile, `text[from, to)`. */
export function scanDockerfile(sink: TextSink, text: string, from: number, to: number): void {
  const lines = linesOf(text, from, to);
  let delimiters: Map<string, number[]> | undefined;
  // A `# escape=`` directive (Windows images) makes the backtick the line-continuation character.
  const escape = /^#[ \t]*escape[ \t]*=[ \t]*`/i.test(text.slice(lines[0]?.start ?? 0, lines[0]?.end ?? 0)) ? '`' : '\\';
  for (let i = 0; i < lines.length; ) {
    const first = lines[i] as Line;
    const line = text.slice(first.start, first.end);
    const m = /^[ \t]*(?:ONBUILD[ \t]+)?RUN\b/i.exec(line);
    if (!m) {
      i = skipInstruction(text, lines, i, escape);
      continue;
    }
    const end = skipInstruction(text, lines, i, escape);
    const argsStart = first.start + m[0].length;
    const body = argsStart + runFlagsLength(text.slice(argsStart, first.end));
    const rest = text.slice(body, first.end);
    const heredoc = /^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(rest);
    if (heredoc) {
      // `RUN <<EOF` … `EOF`: the here-document is the script.
      const delimiter = heredoc[3] as string;
      let k = i + 1;
      while (k < lines.length && text.slice((lines[k] as Line).start, (lines[k] as Line).end).trim() !== delimiter) k++;
      const bodyEnd = k < lines.length ? (lines[k] as Line).start : to;
      const start = (lines[i + 1] as Line | undefined)?.start ?? to;
      if (start < bodyEnd) sink.shell({ text, start, end: bodyEnd });
      i = Math.min(k + 1, lines.length);
      continue;
    }
    // Here-documents later in the instruction (`RUN pip install -r /dev/stdin <<EOF`, BuildKit):
    // their bodies follow the instruction's last line and belong to it.
    const instructionEnd = end;
    let withBodies = end;
    const instruction = text.slice(body, (lines[end - 1] as Line).end);
    for (const h of instruction.matchAll(/<<-?[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) {
      delimiters ??= lineIndex(text, lines);
      const k = firstAtOrAfter(delimiters.get(h[2] as string), withBodies);
      if (k !== undefined) withBodies = k + 1;
    }
    // Comment lines inside a continued instruction are dropped by Docker: blank them.
    let region = '';
    for (let k = i; k < withBodies; k++) {
      const l = lines[k] as Line;
      const s = k === i ? body : l.start;
      let part = text.slice(s, l.end);
      // Docker drops them; a blank line would end the command, a lone `\` keeps it going.
      if (k > i && k < instructionEnd && /^[ \t]*#/.test(part)) part = `${blank(part).slice(1)}\\`;
      if (escape === '`') part = part.replace(/`([ \t]*)$/, '\\$1');
      region += (k > i ? '\n' : '') + part;
    }
    if (rest.trimStart().startsWith('[')) region = execForm(region);
    sink.shell({ text: region, start: 0, end: region.length, locate: sink.at(body) });
    i = withBodies;
  }
}

/** The index of the line after the instruction starting at line `i` (continuations followed). */
function skipInstruction(text: string, lines: Line[], i: number, escape: string): number {
  let k = i;
  while (k < lines.length) {
    const l = lines[k] as Line;
    const line = text.slice(l.start, l.end).replace(/[ \t\r]+$/, '');
    k++;
    const isComment = k - 1 > i && /^[ \t]*#/.test(line);
    if (!isComment && !line.endsWith(escape)) break;
  }
  return k;
}

/** `["pip", "install", "x"]` -> ` "pip"  "install"  "x" ` (same length): shell words in JSON quotes. */
function execForm(region: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < region.length; i++) {
    const c = region[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += region[i + 1] ?? '';
        i++;
      } else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else out += c === '[' || c === ']' || c === ',' ? ' ' : c;
  }
  return out;
}

// ---------------------------------------------------------------------------
// YAML (CI files)
// ---------------------------------------------------------------------------

/** Keys whose values are shell commands in the CI systems people use. */
const SCRIPT_KEYS = new Set([
  'run',
  'script',
  'scripts',
  'before_script',
  'after_script',
  'before_install',
  'install',
  'pre_install',
  'post_install',
  'before_deploy',
  'commands',
  'cmds',
  'cmd',
  'command',
  'entrypoint',
  'setup',
  'inlineScript',
  'bash',
  'pwsh',
  'powershell',
  'sh',
]);
const KEY_LINE = /^([ \t]*)(-[ \t]+)?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const BLOCK_INDICATOR = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;
const ITEM_LINE = /^([ \t]*)-(?:[ \t]+(.*))?$/;

/**
 * Reads the shell commands in a YAML file's script keys: inline values, `|` and `>` block
 * scalars, and lists of either. Line-based, so a broken YAML file is still read.
 */
export function scanYamlScripts(sink: TextSink, text: string, from: number, to: number): void {
  const lines = linesOf(text, from, to);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line;
    const m = KEY_LINE.exec(text.slice(l.start, l.end));
    if (!m || !SCRIPT_KEYS.has(m[3] as string)) continue;
    const indent = (m[1] as string).length + (m[2]?.length ?? 0);
    const value = m[4]?.trimEnd() ?? '';
    const valueStart = l.start + (m[0].length - (m[4]?.length ?? 0));
    if (value === '' || value.startsWith('#')) {
      // A list of commands under the key (GitLab `script:`, CircleCI `steps`-style lists).
      let k = i + 1;
      while (k < lines.length) {
        const item = lines[k] as Line;
        const t = text.slice(item.start, item.end);
        if (t.trim() === '' || t.trimStart().startsWith('#')) {
          k++;
          continue;
        }
        const im = ITEM_LINE.exec(t);
        if (!im || (im[1] as string).length < (m[1] as string).length) break;
        const itemIndent = (im[1] as string).length;
        const itemValue = im[2] ?? '';
        const itemStart = item.start + (t.length - itemValue.length);
        k = scalar(sink, text, lines, k, itemValue.trimEnd(), itemStart, itemIndent) + 1;
      }
      i = k - 1;
      continue;
    }
    i = scalar(sink, text, lines, i, value, valueStart, indent);
  }
}

/** Reads one scalar value starting on line `i`; returns the index of its last line. */
function scalar(sink: TextSink, text: string, lines: Line[], i: number, value: string, valueStart: number, keyIndent: number): number {
  if (value === '' || value.startsWith('#') || value.startsWith('[') || value.startsWith('{')) return i;
  if (BLOCK_INDICATOR.test(value)) {
    // `|` keeps newlines (one command a line); `>` folds them into spaces.
    let k = i + 1;
    let last = i;
    while (k < lines.length) {
      const l = lines[k] as Line;
      const t = text.slice(l.start, l.end);
      if (t.trim() !== '') {
        if (indentOf(t) <= keyIndent) break;
        last = k;
      }
      k++;
    }
    if (last > i) {
      const start = (lines[i + 1] as Line).start;
      sink.shell({ text, start, end: (lines[last] as Line).end }, { newlinesAreBlanks: value.startsWith('>') });
    }
    return last;
  }
  const q = value[0];
  if ((q === '"' || q === "'") && value.length > 1 && value.endsWith(q)) {
    // A quoted scalar on one line: the command is inside the quotes.
    const inner = value.slice(1, -1);
    const copy = q === "'" ? inner.replace(/''/g, " '") : inner;
    sink.shell({ text: ` ${copy} `, start: 0, end: copy.length + 2, locate: sink.at(valueStart) });
    return i;
  }
  // A plain scalar, possibly continued on more-indented lines (folded into one line).
  let k = i + 1;
  while (k < lines.length) {
    const t = text.slice((lines[k] as Line).start, (lines[k] as Line).end);
    if (t.trim() === '' || indentOf(t) <= keyIndent || KEY_LINE.test(t) || ITEM_LINE.test(t)) break;
    k++;
  }
  const end = (lines[k - 1] as Line).end;
  const region = text.slice(valueStart, end).replace(/[ \t]+#[^\n]*/g, (c) => blank(c));
  sink.shell({ text: region, start: 0, end: region.length, locate: sink.at(valueStart) }, { newlinesAreBlanks: k - 1 > i });
  return k - 1;
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
  return n;
}
