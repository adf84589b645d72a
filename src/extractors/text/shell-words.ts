/**
 * Splits shell text into simple commands and their words, keeping where each word sits.
 *
 * Hand-written rather than shell-quote: shell-quote's `parse` returns bare strings and operator
 * objects with no offsets, and we need the exact line and column of every package name (for
 * `file:line:column` findings and editor ranges). It also expands `$VAR` to "" by default, which
 * would silently turn `npm install $PKG` into a bare `npm install`. This tokenizer covers the
 * POSIX quoting an install line uses (single, double, `$'…'`, backslash, line continuations),
 * the operators that separate commands (`&&`, `||`, `;`, `|`, `&`, newlines, `(`, `)`),
 * command substitutions (`$(…)`, backticks, `<(…)`), redirections and here-documents. It is
 * one left-to-right pass with a bounded recursion depth: no regexes, linear in the input.
 */

/** One shell word: its value after quote removal, and where it was written. */
export interface ShellWord {
  /** The word as the command receives it (quotes removed, escapes applied). */
  value: string;
  /** Offset of the word's first character in the scanned text. */
  start: number;
  /** Offset just past the word's last character. */
  end: number;
  /** The word used quotes or backslashes (so `value` differs from the source text). */
  quoted: boolean;
  /**
   * The word contains an expansion (`$VAR`, `${…}`, `$(…)`, backticks): its value is only
   * known when the shell runs, so it is not a package name we can check.
   */
  dynamic: boolean;
}

/** How a simple command ends: the operator after it (`end` for the end of the text). */
export type ShellSeparator = '&&' | '||' | ';' | '|' | '&' | 'newline' | 'end';

/** A redirection of a simple command (`> f`, `>> f`, `< f`, `<<< word`). */
export interface ShellRedirect {
  /** `>` (also `>|`, `&>`), `>>` (also `&>>`), `<`, `<<<` (a here-string), `>&` (a descriptor copy). */
  op: '>' | '>>' | '<' | '<<<' | '>&';
  /** The file descriptor redirected (`2>` gives 2; default 1 for output, 0 for input). */
  fd: number;
  target: ShellWord;
}

/** A here-document a simple command reads on standard input (or another descriptor). */
export interface ShellHeredoc {
  delimiter: string;
  /** The delimiter was quoted (`<<'EOF'`): the body is literal, no expansion. */
  quoted: boolean;
  /** `<<-`: leading tabs are stripped from the body lines. */
  dash: boolean;
  /** The body's range in the scanned text (the delimiter line excluded); unset when not closed. */
  body?: { start: number; end: number };
}

/** A simple command: its words, with redirections and here-documents apart. */
export interface ShellCommand {
  words: ShellWord[];
  /** Redirections, in the order written (empty when there are none). */
  redirects: ShellRedirect[];
  /** Here-documents, in the order written. */
  heredocs: ShellHeredoc[];
  /** The operator after the command. */
  next: ShellSeparator;
  /** Nesting depth: 0 at top level, more inside `$(…)`, backticks and `<(…)`. */
  depth: number;
  /** How many `( … )` subshells the command sits in, at its depth (a `cd` there ends with them). */
  subshell: number;
}

/** Something the tokenizer could not read cleanly (an unterminated quote, ...). */
export interface ShellProblem {
  message: string;
  /** Offset where the construct started. */
  offset: number;
}

/** Options for {@link splitShell}. */
export interface SplitOptions {
  /**
   * Treat newlines as blanks instead of command separators (YAML folded scalars, where the
   * shell receives one long line).
   */
  newlinesAreBlanks?: boolean;
}

/** What {@link splitShell} returns. */
export interface ShellSplit {
  commands: ShellCommand[];
  problems: ShellProblem[];
}

/** Deeper command substitutions than this are not looked into (hostile input). */
const MAX_DEPTH = 16;
/** At most this many words in one command: the rest cannot be an install anyone types. */
const MAX_WORDS = 5000;

/**
 * Splits `text[start, end)` into simple commands, in the order they end. Commands inside
 * `$(…)`, backticks and `<(…)` are returned too (they run), each as a command of its own.
 */
export function splitShell(text: string, start = 0, end = text.length, options: SplitOptions = {}): ShellSplit {
  const out: ShellSplit = { commands: [], problems: [] };
  const scanner = new Scanner(text, Math.min(end, text.length), out, options.newlinesAreBlanks === true);
  scanner.sequence(start, 0, false);
  return out;
}

const enum Stop {
  End,
  Paren,
}

class Scanner {
  constructor(
    private readonly text: string,
    private readonly end: number,
    private readonly out: ShellSplit,
    private readonly newlinesAreBlanks: boolean,
  ) {}

  /**
   * Reads commands from `i` until the end (or, when `inParen`, until the `)` that closes the
   * substitution). Returns the offset just past where it stopped.
   */
  sequence(i: number, depth: number, inParen: boolean): number {
    const { text, end } = this;
    const fresh = (): ShellCommand => ({ words: [], redirects: [], heredocs: [], next: 'end', depth, subshell: 0 });
    let current = fresh();
    let words: ShellWord[] = current.words;
    let word: WordBuilder | undefined;
    /** The next word is a redirection target (with its operator) or a here-document delimiter. */
    let dropNext: { op: ShellRedirect['op']; fd: number } | 'heredoc' | 'heredoc-dash' | undefined;
    /** Here-documents opened on the current line, with the command each belongs to. */
    const heredocs: ShellHeredoc[] = [];
    let parens = 0;

    const finishWord = () => {
      if (!word) return;
      const w = word.build(i);
      word = undefined;
      if (dropNext === 'heredoc' || dropNext === 'heredoc-dash') {
        const doc: ShellHeredoc = { delimiter: w.value, quoted: w.quoted, dash: dropNext === 'heredoc-dash' };
        current.heredocs.push(doc);
        heredocs.push(doc);
      } else if (dropNext !== undefined) current.redirects.push({ ...dropNext, target: w });
      else if (words.length < MAX_WORDS) words.push(w);
      dropNext = undefined;
    };
    const finishCommand = (next: ShellSeparator) => {
      finishWord();
      if (words.length || current.redirects.length || current.heredocs.length) {
        current.next = next;
        current.subshell = parens;
        this.out.commands.push(current);
      }
      current = fresh();
      words = current.words;
      dropNext = undefined;
    };
    const startWord = (at: number): WordBuilder => (word ??= new WordBuilder(at));

    while (i < end) {
      const c = text[i] as string;
      // Blanks end a word.
      if (c === ' ' || c === '\t' || c === '\r' || (c === '\n' && this.newlinesAreBlanks)) {
        finishWord();
        i++;
        continue;
      }
      if (c === '\n') {
        finishCommand('newline');
        i++;
        if (heredocs.length) i = this.skipHeredocs(i, heredocs.splice(0));
        continue;
      }
      if (c === '#' && !word) {
        // A comment runs to the end of the line (the newline still separates commands).
        const nl = text.indexOf('\n', i);
        i = nl === -1 || nl > end ? end : nl;
        continue;
      }
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '\n') {
          i += 2; // line continuation: both characters vanish
          continue;
        }
        if (next === '\r' && text[i + 2] === '\n') {
          i += 3;
          continue;
        }
        const w = startWord(i);
        w.quoted = true;
        if (i + 1 < end) w.value += next;
        i += 2;
        continue;
      }
      if (c === "'") {
        const w = startWord(i);
        w.quoted = true;
        const close = text.indexOf("'", i + 1);
        if (close === -1 || close >= end) {
          this.problem('unterminated single quote', i);
          w.value += text.slice(i + 1, end);
          i = end;
        } else {
          w.value += text.slice(i + 1, close);
          i = close + 1;
        }
        continue;
      }
      if (c === '"') {
        i = this.doubleQuoted(i, startWord(i), depth);
        continue;
      }
      if (c === '`') {
        const w = startWord(i);
        w.dynamic = true;
        i = this.backticks(i, depth);
        continue;
      }
      if (c === '$') {
        i = this.dollar(i, startWord(i), depth);
        continue;
      }
      if (c === ';' || c === '&' || c === '|') {
        // `&>` and `&>>` redirect both streams; everything else here separates commands.
        if (c === '&' && text[i + 1] === '>') {
          finishWord();
          const append = text[i + 2] === '>';
          i += append ? 3 : 2;
          dropNext = { op: append ? '>>' : '>', fd: 1 };
          continue;
        }
        const next = text[i + 1];
        const op: ShellSeparator = c === ';' ? ';' : next === c ? (c === '&' ? '&&' : '||') : c === '|' ? '|' : '&';
        finishCommand(op);
        i += next === c || (c === '|' && next === '&') ? 2 : 1;
        continue;
      }
      if (c === '(') {
        finishCommand(';');
        parens++;
        i++;
        continue;
      }
      if (c === ')') {
        finishCommand(';');
        i++;
        if (parens > 0) parens--;
        else if (inParen) return i;
        continue;
      }
      if (c === '<' || c === '>') {
        // Process substitution `<(…)` / `>(…)`: a command whose output is a file name.
        if (text[i + 1] === '(') {
          const w = startWord(i);
          w.dynamic = true;
          i = depth < MAX_DEPTH ? this.sequence(i + 2, depth + 1, true) : this.skipBalanced(i + 1, '(', ')');
          continue;
        }
        // An all-digit word just before is a file descriptor (`2>`), not an argument.
        let fd = c === '<' ? 0 : 1;
        if (word && !word.quoted && /^\d+$/.test(word.value) && word.start + word.value.length === i) {
          fd = Number(word.value);
          word = undefined;
        } else finishWord();
        if (c === '<' && text[i + 1] === '<') {
          if (text[i + 2] === '<') {
            i += 3; // here-string: the next word is data
            dropNext = { op: '<<<', fd: 0 };
          } else {
            const dash = text[i + 2] === '-';
            i += dash ? 3 : 2;
            dropNext = dash ? 'heredoc-dash' : 'heredoc';
          }
          continue;
        }
        i++;
        const next = text[i];
        let op: ShellRedirect['op'] = c === '<' ? '<' : '>';
        if (c === '>' && next === '>') op = '>>';
        else if (next === '&') op = '>&';
        if (next === '>' || next === '&' || next === '|' || (c === '<' && next === '>')) i++;
        dropNext = { op, fd };
        continue;
      }
      // An ordinary character.
      const w = startWord(i);
      w.value += c;
      i++;
    }
    finishCommand('end');
    if (inParen) this.problem('unterminated command substitution', i);
    return i;
  }

  /** `"…"`: backslash escapes only `$ \` " \n`; `$…` and backticks still expand. */
  private doubleQuoted(i: number, w: WordBuilder, depth: number): number {
    const { text, end } = this;
    const open = i;
    w.quoted = true;
    i++;
    while (i < end) {
      const c = text[i] as string;
      if (c === '"') return i + 1;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '\n') i += 2;
        else if (next === '$' || next === '`' || next === '"' || next === '\\') {
          w.value += next;
          i += 2;
        } else {
          w.value += c;
          i++;
        }
        continue;
      }
      if (c === '$') {
        i = this.dollar(i, w, depth);
        continue;
      }
      if (c === '`') {
        w.dynamic = true;
        i = this.backticks(i, depth);
        continue;
      }
      w.value += c;
      i++;
    }
    this.problem('unterminated double quote', open);
    return end;
  }

  /** Everything that starts with `$`. */
  private dollar(i: number, w: WordBuilder, depth: number): number {
    const { text, end } = this;
    const next = text[i + 1];
    if (next === "'") return this.ansiC(i, w);
    if (next === '"') return this.doubleQuoted(i + 1, w, depth); // locale string: same as "…"
    if (next === '(') {
      w.dynamic = true;
      if (text[i + 2] === '(') return this.skipBalanced(i + 1, '(', ')'); // arithmetic
      if (depth >= MAX_DEPTH) return this.skipBalanced(i + 1, '(', ')');
      return this.sequence(i + 2, depth + 1, true);
    }
    if (next === '{') {
      w.dynamic = true;
      return this.skipBalanced(i + 1, '{', '}');
    }
    let j = i + 1;
    if (j < end && isSpecialParam(text[j] as string)) {
      w.dynamic = true;
      return j + 1;
    }
    while (j < end && isNameChar(text[j] as string)) j++;
    if (j === i + 1) {
      w.value += '$'; // a lone dollar is literal
      return i + 1;
    }
    w.dynamic = true;
    return j;
  }

  /** `$'…'`: backslash escapes as in C. */
  private ansiC(i: number, w: WordBuilder): number {
    const { text, end } = this;
    const open = i;
    w.quoted = true;
    i += 2;
    while (i < end) {
      const c = text[i] as string;
      if (c === "'") return i + 1;
      if (c === '\\' && i + 1 < end) {
        const e = text[i + 1] as string;
        w.value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        i += 2;
        continue;
      }
      w.value += c;
      i++;
    }
    this.problem('unterminated $\'…\' quote', open);
    return end;
  }

  /** `` `…` ``: the inside is a command line of its own. */
  private backticks(i: number, depth: number): number {
    const { text, end } = this;
    let j = i + 1;
    while (j < end && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    if (j >= end) {
      this.problem('unterminated backquote', i);
      j = end;
    }
    if (depth < MAX_DEPTH) {
      const inner = new Scanner(text, j, this.out, this.newlinesAreBlanks);
      inner.sequence(i + 1, depth + 1, false);
    }
    return Math.min(j + 1, end);
  }

  /** Skips `open … close` with nesting and quotes, from the offset of `open`. */
  private skipBalanced(i: number, open: string, close: string): number {
    const { text, end } = this;
    let level = 0;
    for (let j = i; j < end; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === "'") {
        const q = text.indexOf("'", j + 1);
        j = q === -1 || q >= end ? end : q;
      } else if (c === open) level++;
      else if (c === close && --level === 0) return j + 1;
    }
    this.problem(`unterminated ${open}…${close}`, i);
    return end;
  }

  /** Skips here-document bodies after the line that opened them. */
  private skipHeredocs(i: number, docs: ShellHeredoc[]): number {
    const { text, end } = this;
    for (const doc of docs) {
      const bodyStart = i;
      for (;;) {
        if (i >= end) {
          this.problem(`here-document not closed by "${doc.delimiter}"`, i);
          return end;
        }
        const nl = text.indexOf('\n', i);
        const lineEnd = nl === -1 || nl > end ? end : nl;
        let line = text.slice(i, lineEnd);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        const lineStart = i;
        i = lineEnd + 1;
        if ((doc.dash ? line.replace(/^\t+/, '') : line) === doc.delimiter || line.trim() === doc.delimiter) {
          doc.body = { start: bodyStart, end: lineStart };
          break;
        }
      }
    }
    return Math.min(i, end);
  }

  private problem(message: string, offset: number): void {
    this.out.problems.push({ message, offset });
  }
}

class WordBuilder {
  value = '';
  quoted = false;
  dynamic = false;
  constructor(readonly start: number) {}
  /** The word, ending at offset `end` (where the blank or operator after it starts). */
  build(end: number): ShellWord {
    return { value: this.value, start: this.start, end, quoted: this.quoted, dynamic: this.dynamic };
  }
}

function isNameChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}

function isSpecialParam(c: string): boolean {
  return c === '@' || c === '*' || c === '#' || c === '?' || c === '-' || c === '$' || c === '!';
}
