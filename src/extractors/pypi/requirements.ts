/**
 * pip requirements files (`requirements*.txt`, `*.in`, `constraints*.txt`, files under a
 * `requirements/` folder), read the way pip reads them (src/pip/_internal/req/req_file.py):
 * join `\` continuations, drop comments (`#` at the start or after whitespace, so URL
 * fragments like `#egg=` survive), then read each line as options or a requirement.
 *
 * `-r`/`-c` includes are read relative to the including file through
 * `ExtractContext.readRelative`; a file that includes itself (directly or not) is an error, as
 * it is for pip. Constraint files name packages too, so their names are checked.
 */
import type { ExtractContext, Extractor, ExtractResult, Origin, SourceDocument } from '../../core/types.js';
import { LineIndex, baseName, normalizeText } from '../locate.js';
import { Collector, excerpt } from '../notes.js';
import { addPep508 } from './common.js';
import { isArchive, nameFromUrl, pypiNameProblem, sourceOfPythonUrl } from './pep508.js';

/** pip options that take a value (the value is not a requirement). */
const VALUE_OPTIONS = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--trusted-host',
  '--no-binary',
  '--only-binary',
  '--use-feature',
  '--hash',
  '--config-settings',
  '--global-option',
  '--install-option',
]);
/** pip options without a value. */
const FLAG_OPTIONS = new Set(['--no-index', '--prefer-binary', '--require-hashes', '--no-require-hashes', '--pre', '--all-releases', '--only-final']);
const INCLUDE_OPTIONS: Record<string, 'requirements' | 'constraints'> = {
  '-r': 'requirements',
  '--requirement': 'requirements',
  '-c': 'constraints',
  '--constraint': 'constraints',
};
/** Includes nested deeper than this are not followed (pip has no limit; a cycle check does the real work). */
const MAX_DEPTH = 32;

/** One logical line: the joined text and where each physical piece starts. */
interface LogicalLine {
  text: string;
  pieces: Array<{ at: number; offset: number }>;
}

/** Joins `\` continuations (a comment line ends a logical line, as in pip). */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const lineOffset = offset;
    offset += raw.length + 1;
    const isComment = /^\s*#/.test(raw);
    const continues = raw.endsWith('\\') && !isComment;
    const piece = continues ? raw.slice(0, -1) : raw;
    if (!current) current = { text: '', pieces: [] };
    current.pieces.push({ at: current.text.length, offset: lineOffset });
    current.text += piece;
    if (!continues) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

/** The text before a comment: `#` at the start or after whitespace. */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(0, i);
  }
  return line;
}

/** Whitespace-separated tokens with their offsets (quotes group, as pip's shlex does). */
function tokens(line: string): Array<{ text: string; at: number }> {
  const out: Array<{ text: string; at: number }> = [];
  const re = /"[^"]*"|'[^']*'|\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const t = m[0];
    const quoted = (t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"));
    out.push({ text: quoted && t.length > 1 ? t.slice(1, -1) : t, at: quoted ? m.index + 1 : m.index });
  }
  return out;
}

/** Reads a requirements file and the files it includes. */
class RequirementsReader {
  readonly c: Collector;
  /** Files already read in this extraction (each is read once). */
  private readonly done = new Set<string>();

  constructor(
    readonly doc: SourceDocument,
    readonly ctx: ExtractContext | undefined,
  ) {
    this.c = new Collector(doc.path, 'pypi');
  }

  read(): ExtractResult {
    this.readFile(this.doc.path, this.doc.text, 'requirements', [this.doc.path]);
    return this.c.result();
  }

  private readFile(file: string, rawText: string, context: string, stack: string[]): void {
    this.done.add(file);
    const lines = new LineIndex(normalizeText(rawText));
    for (const logical of logicalLines(lines.text)) {
      const at = (i: number, length: number): Origin => {
        let piece = logical.pieces[0] as LogicalLine['pieces'][number];
        for (const p of logical.pieces) if (p.at <= i) piece = p;
        return lines.origin(file, piece.offset + (i - piece.at), length, context);
      };
      const content = stripComment(logical.text);
      if (content.trim() === '') continue;
      const toks = tokens(content);
      const first = toks[0];
      if (!first) continue;
      if (first.text.startsWith('-')) this.readOptions(toks, at, file, context, stack);
      else this.readRequirement(content, toks, at);
    }
  }

  /** An options line: includes, `-e`, index options (ignored) and unknown ones (noted). */
  private readOptions(toks: Array<{ text: string; at: number }>, at: (i: number, length: number) => Origin, file: string, context: string, stack: string[]): void {
    for (let k = 0; k < toks.length; k++) {
      const tok = toks[k] as { text: string; at: number };
      if (!tok.text.startsWith('-')) continue;
      const eq = tok.text.startsWith('--') ? tok.text.indexOf('=') : -1;
      const name = eq !== -1 ? tok.text.slice(0, eq) : tok.text.startsWith('--') ? tok.text : tok.text.slice(0, 2);
      const attached = eq !== -1 ? tok.text.slice(eq + 1) : tok.text.startsWith('--') ? '' : tok.text.slice(2);
      const takesValue = name in INCLUDE_OPTIONS || name === '-e' || name === '--editable' || VALUE_OPTIONS.has(name);
      let value: { text: string; at: number } | undefined;
      if (takesValue) {
        if (attached !== '') value = { text: attached, at: tok.at + tok.text.length - attached.length };
        else if (toks[k + 1]) value = toks[++k];
        if (!value) {
          this.c.malformed(`${file}: ${excerpt(name)} needs a value.`, at(tok.at, tok.text.length));
          continue;
        }
      }
      const include = INCLUDE_OPTIONS[name];
      if (include && value) this.include(include, value.text, at(value.at, value.text.length), file, context === 'constraints' ? context : include, stack);
      else if ((name === '-e' || name === '--editable') && value) this.readUrlRequirement(value.text, value.at, at);
      else if (!takesValue && !FLAG_OPTIONS.has(name)) {
        this.c.note('warning', 'unsupported', `${file}: the pip option ${excerpt(name)} is not understood; the rest of this line is not checked.`, at(tok.at, tok.text.length));
        return;
      }
    }
  }

  /** Follows `-r` / `-c`. */
  private include(kind: 'requirements' | 'constraints', target: string, origin: Origin, from: string, context: string, stack: string[]): void {
    const option = kind === 'requirements' ? '-r' : '-c';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      this.c.note('warning', 'unsupported', `${option} ${excerpt(target)}: remote requirement files are not fetched; their packages are not checked.`, origin);
      return;
    }
    if (!this.ctx?.readRelative) {
      this.c.note('warning', 'skipped', `${option} ${excerpt(target)}: included files are followed only when reading files from disk; its packages are not checked.`, origin);
      return;
    }
    if (stack.length > MAX_DEPTH) {
      this.c.malformed(`${option} ${excerpt(target)}: requirement files nest deeper than ${MAX_DEPTH} levels; not followed.`, origin);
      return;
    }
    const read = this.ctx.readRelative(from, target);
    if (!read) {
      this.c.note('error', 'unreadable', `${option} ${excerpt(target)}: cannot read the included file (relative to ${from}).`, origin);
      return;
    }
    if ('problem' in read) {
      // The trust boundary refused it (outside the repository, a device, over a cap): what it
      // names is unverified, never silently clean. The message names the path, never its content.
      if (read.problem === 'refused') this.c.refused(`${option} ${excerpt(target)}: not read: the included file ${read.message}; the packages it names are not checked.`, origin);
      else this.c.note('error', 'unreadable', `${option} ${excerpt(target)}: cannot read the included file (relative to ${from}): ${read.message.replace(/\.$/, '')}.`, origin);
      return;
    }
    if (stack.includes(read.path)) {
      this.c.malformed(`${option} ${excerpt(target)}: requirement files include each other (${[...stack, read.path].join(' -> ')}); pip refuses this.`, origin);
      return;
    }
    if (this.done.has(read.path)) return;
    this.readFile(read.path, read.text, context, [...stack, read.path]);
  }

  /** A requirement line: PEP 508, or a URL / path (with `#egg=` or an archive name). */
  private readRequirement(content: string, toks: Array<{ text: string; at: number }>, at: (i: number, length: number) => Origin): void {
    // Per-requirement options (`--hash=…`, `--config-settings`) follow the requirement.
    const optionAt = toks.findIndex((t, i) => i > 0 && t.text.startsWith('-') && /\s/.test(content[t.at - 1] ?? ''));
    const end = optionAt === -1 ? content.length : (toks[optionAt] as { at: number }).at;
    const start = (toks[0] as { at: number }).at;
    const requirement = content.slice(start, end).trimEnd();
    const firstWord = (toks[0] as { text: string }).text.split(';')[0] ?? '';
    if (/\$\{[A-Za-z0-9_]+\}/.test(requirement)) {
      this.c.note('warning', 'unsupported', `"${excerpt(requirement)}" uses an environment variable, which only pip expands; it is not checked.`, at(start, requirement.length));
      return;
    }
    // A line that does not start like `name`, `name[`, `name>=`, `name @` is a path or URL.
    if (isArchive(firstWord) || !/^[A-Za-z0-9][A-Za-z0-9._-]*(?:$|[\s[(;<>=!~@])/.test(requirement)) {
      this.readUrlRequirement(firstWord, start, at);
      return;
    }
    addPep508(this.c, requirement, (i, length) => at(start + i, length));
  }

  /** A URL or path requirement (also `-e`): named by `#egg=` or its archive's file name. */
  private readUrlRequirement(url: string, start: number, at: (i: number, length: number) => Origin): void {
    const { source, detail } = sourceOfPythonUrl(url);
    const name = nameFromUrl(url);
    const nameAt = name === undefined ? -1 : url.lastIndexOf(name);
    const origin = nameAt === -1 ? at(start, url.length) : at(start + nameAt, (name as string).length);
    if (name === undefined) {
      this.c.note('info', 'not-registry', `${excerpt(url)} is installed from ${detail ?? (source === 'directory' ? 'a local folder' : source === 'file' ? 'a local archive' : source === 'git' ? 'a git repository' : 'a URL')} and names no package (#egg=); it is not looked up.`, origin);
      return;
    }
    if (pypiNameProblem(name)) {
      this.c.invalidName(name, pypiNameProblem(name) as string, origin);
      return;
    }
    this.c.ref({ name, spec: url, source, origin, sourceDetail: detail });
  }
}

/** Whether a file name is a pip requirements file. */
function isRequirementsFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  if (/^(?:.*[-_.])?(?:requirements|constraints)(?:[-_.].*)?\.(?:txt|in)$/.test(base)) return true;
  // Files in a `requirements/` folder (requirements/dev.txt) are requirements files too.
  return /(?:^|[\\/])requirements[\\/][^\\/]+\.(?:txt|in)$/i.test(path);
}

/** requirements*.txt (pip). */
export const requirementsExtractor: Extractor = {
  id: 'requirements',
  format: 'requirements*.txt / *.in / constraints*.txt (pip, with -r/-c includes)',
  ecosystem: 'pypi',
  kind: 'manifest',
  matches: isRequirementsFile,
  extract: (doc, ctx) => new RequirementsReader(doc, ctx).read(),
};
