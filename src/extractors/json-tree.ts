/**
 * JSON documents with positions (package.json, package-lock.json, bun.lock, Pipfile.lock).
 *
 * jsonc-parser's `parseTree` keeps the offset of every key and value, so origins come from the
 * parser instead of a second scan of the text, and it recovers after an error, which lets an
 * editor keep showing the names of a file that is being typed.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Origin } from '../core/types.js';
import type { LineIndex } from './locate.js';

/** What each jsonc-parser error means, in words a person can act on. */
const EXPECTED: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between entries",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the array",
  EndOfFileExpected: 'expected the end of the file after the top-level value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape character',
  InvalidCharacter: 'an invalid character in a string (control characters must be escaped)',
};

/** A parsed JSON document: the tree (possibly recovered) and the first error, located. */
export interface JsonDocument {
  root: Node | undefined;
  /** `line:column: what was expected`, when the text is not valid. */
  error?: { message: string; origin: Origin };
}

/**
 * Parses `text` (already normalised). `jsonc` allows comments and trailing commas (bun.lock);
 * plain JSON files are held to JSON, since npm and pip would refuse them otherwise.
 */
export function parseJson(file: string, lines: LineIndex, jsonc = false): JsonDocument {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(lines.text, errors, { disallowComments: !jsonc, allowTrailingComma: jsonc, allowEmptyContent: false });
  } catch (e) {
    // jsonc-parser recurses once per nesting level: thousands of `[` overflow the stack. No real
    // manifest nests that deep, so it is a malformed (likely hostile) file, not a crash.
    if (!(e instanceof RangeError)) throw e;
    return { root: undefined, error: { message: `${file} is not valid JSON: it is nested too deeply to read.`, origin: { file, line: 1, column: 1 } } };
  }
  const first = errors[0];
  if (!first) return { root };
  const { line, column } = lines.position(first.offset);
  const code = printParseErrorCode(first.error);
  const at = first.offset >= lines.text.length ? 'at the end of the file' : `at ${line}:${column}`;
  const what = lines.text.trim() === '' ? 'the file is empty; expected a JSON object' : (EXPECTED[code] ?? code);
  return {
    root,
    error: { message: `${file} is not valid JSON: ${what} (${at}).`, origin: { file, line, column, endColumn: column + Math.max(1, first.length) } },
  };
}

/** The value node of `key` in an object node. */
export function prop(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object') return undefined;
  for (const p of node.children ?? []) {
    const k = p.children?.[0];
    if (k?.value === key) return p.children?.[1];
  }
  return undefined;
}

/** One property of an object node. */
export interface JsonEntry {
  key: string;
  keyNode: Node;
  value: Node | undefined;
}

/** The properties of an object node, in file order (nothing for other nodes). */
export function entries(node: Node | undefined): JsonEntry[] {
  if (node?.type !== 'object') return [];
  const out: JsonEntry[] = [];
  for (const p of node.children ?? []) {
    const keyNode = p.children?.[0];
    if (keyNode?.type === 'string') out.push({ key: keyNode.value as string, keyNode, value: p.children?.[1] });
  }
  return out;
}

/** The string value of a node, if it is a string. */
export function str(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

/**
 * Where the text `part` starts inside the string node (offset into the document), assuming
 * the string is written without escapes; when it is not found verbatim, the string's start.
 * Keys and values with escapes are vanishingly rare in manifests, and the line stays right.
 */
export function offsetInString(lines: LineIndex, node: Node, part: string, from = 0): { offset: number; length: number } {
  const inner = node.offset + 1;
  const raw = lines.text.slice(inner, node.offset + node.length - 1);
  const at = raw.indexOf(part, from);
  return at === -1 ? { offset: inner, length: raw.length } : { offset: inner + at, length: part.length };
}

/** A short description of a node's type, for "expected X, found Y" messages. */
export function typeOf(node: Node | undefined): string {
  if (!node) return 'nothing';
  return node.type === 'property' ? 'a property' : node.type === 'array' ? 'an array' : node.type === 'object' ? 'an object' : `a ${node.type}`;
}

/**
 * Offsets of the object keys of pretty-printed JSON (one property per line, the way npm,
 * pipenv and most tools write), by path: the keys from the root joined with `\u0000`.
 * `want(parents)` says which keys to record. Keys inside arrays and on lines holding several
 * properties are not recorded, so callers check that every key they need is there and fall
 * back to `parseJson` otherwise.
 *
 * Why: on a 5,000-package package-lock.json, `JSON.parse` plus this scan takes a fraction of
 * the time (and garbage) of a full position tree.
 */
export function prettyKeyOffsets(text: string, want: (parents: readonly string[]) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  /** Per open container: the key that opened it, `null` for the root, undefined inside arrays. */
  const stack: Array<string | null | undefined> = [];
  /** Keys of the open keyed objects (the path of the current line's parent). */
  const parents: string[] = [];
  /** Open containers that are arrays or array elements: keys under them are not recorded. */
  let unkeyed = 0;
  const open = (key: string | null | undefined) => {
    stack.push(key);
    if (typeof key === 'string') parents.push(key);
    else if (key === undefined) unkeyed++;
  };
  const close = () => {
    if (stack.length === 0) return;
    const key = stack.pop();
    if (typeof key === 'string') parents.pop();
    else if (key === undefined) unkeyed--;
  };
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let i = pos;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    let last = nl - 1;
    while (last > i && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9 || text.charCodeAt(last) === 13)) last--;
    const first = text[i];
    const end = text[last];
    const opens = last >= i && (end === '{' || end === '[');
    if (first === '}' || first === ']') {
      close();
      // `}, {` between array elements closes one container and opens the next.
      if (opens && last > i) open(undefined);
    } else if (first === '"') {
      let q = text.indexOf('"', i + 1);
      while (q !== -1 && q < nl && escapedAt(text, q)) q = text.indexOf('"', q + 1);
      if (q === -1 || q >= nl) return out;
      let colon = q + 1;
      while (text.charCodeAt(colon) === 32) colon++;
      if (text[colon] === ':') {
        const raw = text.slice(i + 1, q);
        const key = raw.includes('\\') ? unescapeKey(raw) : raw;
        if (unkeyed === 0 && want(parents)) out.set(parents.length ? `${parents.join('\u0000')}\u0000${key}` : key, i + 1);
        if (opens) open(end === '{' ? key : undefined);
      } else if (opens) open(undefined);
    } else if (opens) open(stack.length === 0 ? null : undefined);
    pos = nl + 1;
  }
  return out;
}

/** Whether the character at `at` is escaped by an odd run of backslashes. */
function escapedAt(text: string, at: number): boolean {
  let n = 0;
  while (text[at - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

function unescapeKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** The same map as `prettyKeyOffsets`, from a position tree (for JSON laid out any other way). */
export function treeKeyOffsets(root: Node | undefined, want: (parents: readonly string[]) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: Node | undefined, parents: string[]): void => {
    if (node?.type !== 'object') return;
    const recorded = want(parents);
    for (const { key, keyNode, value } of entries(node)) {
      if (recorded) out.set([...parents, key].join('\u0000'), keyNode.offset + 1);
      walk(value, [...parents, key]);
    }
  };
  walk(root, []);
  return out;
}
