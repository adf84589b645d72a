/**
 * A unified-diff reader: `git diff` output (extended headers: renames, copies, new and deleted
 * files, modes, binary files and binary patches, C-quoted paths) and plain `diff -u` / agent
 * patches (`---`/`+++` only, prose before and between files).
 *
 * Hand-written rather than parse-diff: parse-diff ignores `rename from/to` and `Binary files …
 * differ`, keeps `\r` of CRLF diffs in every line, does not decode git's quoted paths, and
 * trusts hunk counts blindly. Here hunk counts decide where a hunk ends (so a removed line
 * `-- x` is not read as a `--- ` header), but a hunk whose header undercounts (common in
 * patches written by agents) keeps going while its lines still look like hunk lines.
 */

/** One line of a hunk. */
export interface DiffLine {
  kind: ' ' | '+' | '-';
  text: string;
  /** Line number on the old side (context and removed lines). */
  oldLine?: number;
  /** Line number on the new side (context and added lines). */
  newLine?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/** One file of a diff. Paths are without `a/`/`b/`; undefined for `/dev/null`. */
export interface DiffFile {
  oldPath?: string;
  newPath?: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';
  binary: boolean;
  hunks: DiffHunk[];
  /** 1-based line of the diff where this file's section starts. */
  diffLine: number;
}

/** Something in the diff that could not be read as it claimed. */
export interface DiffProblem {
  /** 1-based line in the diff text. */
  line: number;
  message: string;
}

export interface ParsedDiff {
  files: DiffFile[];
  problems: DiffProblem[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses a unified diff. Never throws; what it cannot read becomes a problem. */
export function parseUnifiedDiff(text: string): ParsedDiff {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const files: DiffFile[] = [];
  const problems: DiffProblem[] = [];
  let file: DiffFile | undefined;
  /** The file's header had `diff --git` (so `---`/`+++` belong to it rather than start a new one). */
  let gitHeader = false;
  let inBinaryPatch = false;

  const line = (i: number): string => {
    const l = lines[i] as string;
    return l.endsWith('\r') ? l.slice(0, -1) : l;
  };
  const startFile = (i: number): DiffFile => {
    const f: DiffFile = { status: 'modified', binary: false, hunks: [], diffLine: i + 1 };
    files.push(f);
    return f;
  };

  for (let i = 0; i < lines.length; i++) {
    const l = line(i);
    if (l.startsWith('diff --git ')) {
      file = startFile(i);
      gitHeader = true;
      inBinaryPatch = false;
      const paths = gitHeaderPaths(l.slice('diff --git '.length));
      if (paths) {
        file.oldPath = paths[0];
        file.newPath = paths[1];
      }
      continue;
    }
    if (inBinaryPatch) continue;
    if (l.startsWith('--- ') && line(i + 1 < lines.length ? i + 1 : i).startsWith('+++ ')) {
      if (!file || !gitHeader || file.hunks.length > 0) {
        file = startFile(i);
        gitHeader = false;
      }
      const oldP = headerPath(l.slice(4));
      const newP = headerPath(line(i + 1).slice(4));
      if (oldP === null) file.status = 'added';
      if (newP === null) file.status = 'deleted';
      if (oldP !== null) file.oldPath = oldP;
      else delete file.oldPath;
      if (newP !== null) file.newPath = newP;
      else delete file.newPath;
      i++;
      continue;
    }
    const hunk = HUNK.exec(l);
    if (hunk) {
      if (!file) file = startFile(i);
      i = readHunk(lines, line, i, hunk, file, problems);
      continue;
    }
    if (!file) continue;
    if (file.hunks.length > 0 && !gitHeader) continue; // prose between files of a plain patch
    if (l.startsWith('new file mode ')) {
      file.status = 'added';
      delete file.oldPath;
    } else if (l.startsWith('deleted file mode ')) {
      file.status = 'deleted';
      delete file.newPath;
    } else if (l.startsWith('rename from ')) {
      file.status = 'renamed';
      file.oldPath = unquote(l.slice('rename from '.length));
    } else if (l.startsWith('rename to ')) {
      file.status = 'renamed';
      file.newPath = unquote(l.slice('rename to '.length));
    } else if (l.startsWith('copy from ')) {
      file.status = 'copied';
      file.oldPath = unquote(l.slice('copy from '.length));
    } else if (l.startsWith('copy to ')) {
      file.status = 'copied';
      file.newPath = unquote(l.slice('copy to '.length));
    } else if (l.startsWith('Binary files ') || l === 'GIT binary patch') {
      file.binary = true;
      if (l === 'GIT binary patch') inBinaryPatch = true;
      else {
        const m = /^Binary files (.+) and (.+) differ$/.exec(l);
        if (m && !gitHeader) {
          const o = headerPath(m[1] as string);
          const n = headerPath(m[2] as string);
          if (o !== null) file.oldPath = o;
          if (n !== null) file.newPath = n;
        }
      }
    }
  }
  for (const f of files) {
    if (f.status === 'added') delete f.oldPath;
    if (f.status === 'deleted') delete f.newPath;
  }
  return { files: files.filter((f) => f.oldPath !== undefined || f.newPath !== undefined), problems };
}

/** Reads a hunk starting at line `i` (its `@@` line); returns the index of its last line. */
function readHunk(lines: string[], line: (i: number) => string, i: number, m: RegExpExecArray, file: DiffFile, problems: DiffProblem[]): number {
  const h: DiffHunk = {
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
    lines: [],
  };
  file.hunks.push(h);
  let oldLeft = h.oldLines;
  let newLeft = h.newLines;
  let oldNo = h.oldStart;
  let newNo = h.newStart;
  let overrun = false;
  let k = i + 1;
  for (; k < lines.length; k++) {
    const l = line(k);
    if (l.startsWith('\\')) continue; // "\ No newline at end of file"
    if (oldLeft <= 0 && newLeft <= 0) {
      // The header's counts are used up: go on only while lines still look like this hunk's.
      if (!looksLikeMoreHunk(lines, line, k)) break;
      if (!overrun) problems.push({ line: k + 1, message: `the hunk at line ${i + 1} is longer than its @@ header says; read on to line ${k + 1} and beyond` });
      overrun = true;
    } else if (l.startsWith('diff --git ') || HUNK.test(l)) {
      problems.push({ line: k + 1, message: `the hunk at line ${i + 1} ends before the ${oldLeft} old and ${newLeft} new lines its @@ header promises` });
      break;
    }
    const c = l[0];
    if (c === '+') {
      h.lines.push({ kind: '+', text: l.slice(1), newLine: newNo++ });
      newLeft--;
    } else if (c === '-') {
      h.lines.push({ kind: '-', text: l.slice(1), oldLine: oldNo++ });
      oldLeft--;
    } else if (c === ' ' || l === '') {
      // An empty line is a context line whose leading space was stripped (editors, agents).
      h.lines.push({ kind: ' ', text: l.slice(1), oldLine: oldNo++, newLine: newNo++ });
      oldLeft--;
      newLeft--;
    } else {
      if (oldLeft > 0 || newLeft > 0) problems.push({ line: k + 1, message: `the hunk at line ${i + 1} ends before the ${Math.max(0, oldLeft)} old and ${Math.max(0, newLeft)} new lines its @@ header promises` });
      break;
    }
  }
  if (k >= lines.length && (oldLeft > 0 || newLeft > 0)) {
    problems.push({ line: k, message: `ends inside the hunk at line ${i + 1}, ${Math.max(0, oldLeft)} old and ${Math.max(0, newLeft)} new lines short of its @@ header` });
  }
  return k - 1;
}

/** After a hunk's counts are used up: is line `k` still part of it (and not the next header)? */
function looksLikeMoreHunk(lines: string[], line: (i: number) => string, k: number): boolean {
  const l = line(k);
  if (l === '' || l.startsWith('diff ') || l.startsWith('index ') || HUNK.test(l)) return false;
  if (l.startsWith('--- ') && k + 1 < lines.length && line(k + 1).startsWith('+++ ')) return false;
  return l[0] === '+' || l[0] === '-' || l[0] === ' ';
}

/** `a/x b/y` of a `diff --git` line (quoted or not); undefined when ambiguous (spaces in names). */
function gitHeaderPaths(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (!first) return undefined;
    const second = rest.slice(first.end).trimStart();
    const b = second.startsWith('"') ? readQuoted(second, 0)?.value : second;
    return b === undefined ? undefined : [stripPrefix(first.value), stripPrefix(b)];
  }
  // Unquoted: `a/P b/P` for the same P is the common case; otherwise split at ` b/`.
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (a.slice(2) === b.slice(2)) return [stripPrefix(a), stripPrefix(b)];
  }
  const at = rest.indexOf(' b/');
  if (at === -1) return undefined;
  const b = rest.slice(at + 1);
  return [stripPrefix(rest.slice(0, at)), stripPrefix(b.startsWith('"') ? (readQuoted(b, 0)?.value ?? b) : b)];
}

/** The path of a `---`/`+++`/`Binary files` side: null for /dev/null. */
function headerPath(raw: string): string | null {
  let p = raw;
  const tab = p.indexOf('\t');
  if (tab !== -1) p = p.slice(0, tab); // `--- a/x\t2024-01-01 …` (diff -u timestamps)
  p = p.trimEnd();
  if (p.startsWith('"')) p = readQuoted(p, 0)?.value ?? p;
  if (p === '/dev/null') return null;
  return stripPrefix(p);
}

function stripPrefix(p: string): string {
  return /^[abciwo12]\//.test(p) ? p.slice(2) : p;
}

function unquote(p: string): string {
  return p.startsWith('"') ? (readQuoted(p, 0)?.value ?? p) : p;
}

/** git's C-style quoted path (`"a/\303\244 b.txt"`), decoded as UTF-8. */
function readQuoted(s: string, at: number): { value: string; end: number } | undefined {
  const bytes: number[] = [];
  for (let i = at + 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const e = s[++i];
    if (e === undefined) return undefined;
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
    if (e in simple) bytes.push(simple[e] as number);
    else if (/[0-7]/.test(e)) {
      const oct = s.slice(i, i + 3);
      bytes.push(parseInt(oct, 8) & 0xff);
      i += 2;
    } else bytes.push(e.charCodeAt(0));
  }
  return undefined;
}
