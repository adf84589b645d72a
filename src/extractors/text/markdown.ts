/**
 * An agent's answer or any Markdown: fenced code blocks read by their language (shell,
 * console transcripts, Dockerfile, YAML CI steps, JS/TS and Python code), inline code that is
 * a command or an import, and prose lines that are literally an install command.
 *
 * Line-based, as CommonMark fences are: a fence opens with three or more backticks or tildes
 * (any indentation, so fences inside list items count) and closes with a run of the same
 * character at least as long; an unclosed fence runs to the end of the document.
 */
import { scanDockerfile, scanShellBlock, scanYamlScripts, linesOf, TOOL_START, type ShellDialect } from './script-files.js';
import type { TextSink } from './text-sink.js';

/** What a fenced block holds, from its info string. */
export type BlockKind = 'script' | 'console' | 'auto' | 'dockerfile' | 'yaml' | 'js' | 'python' | 'makefile' | 'data' | 'other';

/** Reads a code block whose content is `text[start, end)`; returns false to let the default reading run. */
export type SnippetReader = (sink: TextSink, block: { lang: string; hint: string | undefined; start: number; end: number }) => boolean;

const LANGS: Record<string, BlockKind> = {};
const define = (kind: BlockKind, names: string) => {
  for (const n of names.split(' ')) LANGS[n] = kind;
};
define('script', 'sh bash shell zsh ksh fish ash dash cmd bat batch powershell ps ps1 pwsh posh dos command cli shellscript');
define('console', 'console shell-session shellsession sh-session bash-session terminal term prompt');
define('auto', 'text txt plaintext plain none output');
define('dockerfile', 'dockerfile docker containerfile');
define('yaml', 'yaml yml');
define('js', 'js javascript jsx mjs cjs ts typescript tsx mts cts vue svelte astro node es6 deno');
define('python', 'python py python3 py3 ipython ipython3 pycon jupyter sage pyi pyw');
define('makefile', 'makefile make mk');
define('data', 'json jsonc json5 toml ini cfg requirements pip-requirements pip');

/** The kind of a fenced block, from the first word of its info string. */
export function blockKind(lang: string): BlockKind {
  if (lang === '') return 'auto';
  return LANGS[lang] ?? 'other';
}

const FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
/** A file name named in a fence's info string: `title="package.json"`, `filename=x`, `js:src/a.js`. */
const HINT_ATTR = /(?:title|filename|file|name)=["']?([^"'\s]+)/;
/** List markers, block quotes and prompts before a prose command. */
const PROSE_LEAD = /^[ \t]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]+|>[ \t]*)*(?:\$[ \t]+)?/;
/** Prose lines longer than this are not read as commands (inline code in them still is). */
const MAX_PROSE_LINE = 10_000;
/** `Install it with: pip install x` — a command after a colon. */
const AFTER_COLON = /:[ \t]+/g;
const JS_IMPORT_LIKE = /^(?:import\b|export\b.*\bfrom\b|(?:const|let|var)\b.*\brequire\s*\(|require\s*\()/;
const PY_IMPORT_LIKE = /^(?:import[ \t]+[A-Za-z_]|from[ \t]+[A-Za-z_.][\w.]*[ \t]+import\b)/;

/** Reads Markdown (or any prose) in `text[from, to)`. */
export function scanMarkdown(sink: TextSink, text: string, from: number, to: number, snippet?: SnippetReader): void {
  const lines = linesOf(text, from, to);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const line = text.slice(l.start, l.end);
    const fence = FENCE.exec(line);
    if (fence && !(fence[2]!.startsWith('`') && fence[3]!.includes('`'))) {
      const marker = fence[2]!;
      const info = fence[3]!.trim();
      let k = i + 1;
      while (k < lines.length && !closes(text.slice(lines[k]!.start, lines[k]!.end), marker)) k++;
      const start = lines[i + 1]?.start ?? l.end;
      const end = k < lines.length ? Math.max(start, lines[k]!.start - 1) : to;
      if (start < end) readBlock(sink, text, info, start, end, previousLine(text, lines, i), snippet);
      i = k;
      continue;
    }
    readProseLine(sink, text, l.start, l.end);
  }
}

function closes(line: string, marker: string): boolean {
  const t = line.trim();
  if (t.length < marker.length || t[0] !== marker[0]) return false;
  for (const c of t) if (c !== marker[0]) return false;
  return true;
}

/** The nearest non-blank line before line `i` (it often names the file a block belongs in). */
function previousLine(text: string, lines: Array<{ start: number; end: number }>, i: number): string {
  for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
    const t = text.slice(lines[k]!.start, lines[k]!.end).trim();
    if (t) return t;
  }
  return '';
}

function readBlock(sink: TextSink, text: string, info: string, start: number, end: number, before: string, snippet?: SnippetReader): void {
  const first = info.split(/[\s{},]/).find((w) => w !== '') ?? '';
  const colon = first.indexOf(':');
  const lang = (colon === -1 ? first : first.slice(0, colon)).replace(/^\./, '').toLowerCase();
  const hint = (colon !== -1 ? first.slice(colon + 1) : undefined) ?? HINT_ATTR.exec(info)?.[1] ?? fileNamedIn(before);
  if (snippet?.(sink, { lang, hint, start, end })) return;
  const kind = blockKind(lang);
  switch (kind) {
    case 'script':
    case 'console':
      scanShellBlock(sink, text, start, end, kind as ShellDialect);
      return;
    case 'auto':
      scanShellBlock(sink, text, start, end, 'auto');
      sink.js({ text, start, end });
      sink.python({ text, start, end });
      return;
    case 'dockerfile':
      scanDockerfile(sink, text, start, end);
      return;
    case 'yaml':
      scanYamlScripts(sink, text, start, end);
      return;
    case 'js':
      sink.js({ text, start, end });
      return;
    case 'python':
      sink.python({ text, start, end });
      scanShellBlock(sink, text, start, end, 'python-magic');
      return;
    case 'makefile':
      scanShellBlock(sink, text, start, end, 'makefile');
      return;
    default:
      return;
  }
}

/** A file name mentioned in a line of prose (`**package.json**`, "In `requirements.txt`:"). */
export function fileNamedIn(line: string): string | undefined {
  if (line.length > 2000) return undefined;
  const m = /(?:^|[\s`*"'(])((?:[\w.-]+\/)*(?:package\.json|requirements[\w.-]*\.txt|constraints[\w.-]*\.txt|pyproject\.toml|Pipfile|Dockerfile|Containerfile|[\w.-]+\.ya?ml))(?=$|[\s`*"'):,])/.exec(line);
  return m?.[1];
}

/** Inline code spans and a prose command in one line outside code blocks. */
function readProseLine(sink: TextSink, text: string, start: number, end: number): void {
  const line = text.slice(start, end);
  if (line.includes('`')) {
    for (const span of codeSpans(line)) readInlineCode(sink, text, start + span.start, start + span.end);
    return;
  }
  if (line.length > MAX_PROSE_LINE) return; // not a command anyone types
  const lead = PROSE_LEAD.exec(line)?.[0].length ?? 0;
  if (TOOL_START.test(line.slice(lead))) {
    sink.shell({ text, start: start + lead, end }, { prose: true });
    return;
  }
  AFTER_COLON.lastIndex = 0;
  for (let m = AFTER_COLON.exec(line); m; m = AFTER_COLON.exec(line)) {
    const at = m.index + m[0].length;
    if (TOOL_START.test(line.slice(at))) {
      sink.shell({ text, start: start + at, end }, { prose: true });
      return;
    }
  }
}

/**
 * The code spans of a line: a run of n backticks opens a span that the next run of exactly n
 * closes. One pass over the runs, with a queue of positions per run length (a line full of
 * unmatched runs stays linear).
 */
function codeSpans(line: string): Array<{ start: number; end: number }> {
  const runs: Array<{ at: number; n: number }> = [];
  for (let i = line.indexOf('`'); i !== -1; i = line.indexOf('`', i)) {
    let n = 1;
    while (line[i + n] === '`') n++;
    runs.push({ at: i, n });
    i += n;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((r, k) => {
    const list = byLength.get(r.n) ?? [];
    list.push(k);
    byLength.set(r.n, list);
  });
  const next = new Map<number, number>(); // per length: index into its list
  const out: Array<{ start: number; end: number }> = [];
  for (let k = 0; k < runs.length; k++) {
    const open = runs[k] as { at: number; n: number };
    const list = byLength.get(open.n) as number[];
    let p = next.get(open.n) ?? 0;
    while (p < list.length && (list[p] as number) <= k) p++;
    next.set(open.n, p);
    if (p >= list.length) continue; // never closed: literal backticks
    const close = list[p] as number;
    out.push({ start: open.at + open.n, end: (runs[close] as { at: number }).at });
    k = close;
  }
  return out;
}

/** Inline code: a command (`npm i x`), a JS import or a Python import. */
function readInlineCode(sink: TextSink, text: string, start: number, end: number): void {
  const code = text.slice(start, end);
  const lead = /^[ \t]*(?:\$[ \t]+)?/.exec(code)?.[0].length ?? 0;
  const body = code.slice(lead);
  if (TOOL_START.test(body)) sink.shell({ text, start: start + lead, end });
  else if (JS_IMPORT_LIKE.test(body) && /['"`]/.test(body)) sink.js({ text, start, end });
  else if (PY_IMPORT_LIKE.test(body)) sink.python({ text, start: start + lead, end });
}
