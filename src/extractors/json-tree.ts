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
