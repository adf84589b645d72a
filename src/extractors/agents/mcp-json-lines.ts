/**
 * MCP server configs (mcp-json.ts, mcp-codex-toml.ts) read from a fragment: the hunks of a diff, which are rarely
 * valid JSON. Each `"command": "<program>"` in the fragment is read with the `"args": [...]` that
 * follows it (the array may span lines), as the whole-file extractor reads a server, and every
 * package the command line starts is a name at its argument's offset.
 *
 * Limits: arguments outside the fragment are not seen (git's three lines of context usually
 * hold the whole server entry); an `args` written before its `command` is not read.
 */
import type { LineName } from '../text/line-level.js';
import { findInstallCommands, parseCommandLine, type InstallCommand } from '../text/install-command.js';

/** A JSON string literal at a position (bounded, one line). */
const STRING_AT = /"((?:[^"\\\n]|\\.){0,2000})"/y;
/** `"command": ` (JSON) or `command = ` at a line start (Codex's TOML). */
const COMMAND = /"command"[ \t]*:[ \t]*|^[ \t]*command[ \t]*=[ \t]*/gm;
/** `"args": [` or `args = [`, once the blanks and the comma before it are skipped (see argsAfter). */
const ARGS_KEY = /(?:"args"[ \t]*:|args[ \t]*=)[ \t]*\[/y;
const SEPARATOR = /[ \t\r\n]*(,)?[ \t\r\n]*/y;

interface Word {
  value: string;
  /** Offset of the value (inside the quotes) and its length in the text. */
  offset: number;
  length: number;
  end: number;
}

function stringAt(text: string, at: number): Word | undefined {
  STRING_AT.lastIndex = at;
  const m = STRING_AT.exec(text);
  if (!m) return undefined;
  let value: string;
  try {
    value = JSON.parse(m[0]) as string;
  } catch {
    return undefined;
  }
  return { value, offset: at + 1, length: m[1]!.length, end: at + m[0].length };
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Where the strings of an `args` array right after offset `at` start; undefined when none follows. */
function argsAfter(text: string, at: number): number | undefined {
  // Skipped by hand, not by a regex: `\s*,?\s*` backtracks quadratically over a long run of blanks.
  let i = at;
  while (isBlank(text[i])) i++;
  if (text[i] === ',') i++;
  while (isBlank(text[i])) i++;
  ARGS_KEY.lastIndex = i;
  return ARGS_KEY.exec(text) ? ARGS_KEY.lastIndex : undefined;
}

/** The strings of an array whose `[` is just before `at`; undefined when it holds anything else. */
function stringsFrom(text: string, at: number, to: number): Word[] | undefined {
  const out: Word[] = [];
  let i = at;
  for (;;) {
    SEPARATOR.lastIndex = i;
    i = SEPARATOR.exec(text) ? SEPARATOR.lastIndex : i;
    if (i >= to || text[i] === ']') return out;
    const w = stringAt(text, i);
    if (!w) return undefined;
    out.push(w);
    i = w.end;
  }
}

/** The package names the MCP servers in `text[from, to)` start. */
export function mcpJsonLines(text: string, from: number, to: number): LineName[] {
  const out: LineName[] = [];
  const push = (c: InstallCommand, at: (column: number | undefined, line: number | undefined) => { offset: number; length: number }) => {
    for (const r of c.refs) {
      const where = at(r.origin?.column, r.origin?.line);
      const name: LineName = { ecosystem: r.ecosystem, name: r.name, offset: where.offset, length: where.length, context: 'MCP server' };
      if (r.spec !== undefined) name.spec = r.spec;
      if (r.source !== undefined) name.source = r.source;
      out.push(name);
    }
  };
  COMMAND.lastIndex = from;
  for (let m = COMMAND.exec(text); m && m.index < to; m = COMMAND.exec(text)) {
    const command = stringAt(text, COMMAND.lastIndex);
    if (!command) continue;
    const argsAt = argsAfter(text, command.end);
    const args = argsAt === undefined ? [] : stringsFrom(text, argsAt, to);
    if (args === undefined) continue; // a non-string argument: the whole-file reading reports it
    if (args.length === 0 && /\s/.test(command.value.trim())) {
      // `"command": "npx -y x"`: the whole line in one string.
      for (const c of findInstallCommands(command.value, { file: '<mcp>' })) {
        push(c, (column, line) => ({ offset: command.offset + (line === 1 && column ? column - 1 : 0), length: 0 }));
      }
      continue;
    }
    const words = [command, ...args];
    const parsed = parseCommandLine(
      words.map((w) => w.value),
      { file: '<mcp>' },
    );
    if (parsed) push(parsed, (column) => words[(column ?? 1) - 1] ?? command);
  }
  return out;
}
