/**
 * Jupyter notebooks (`.ipynb`): imports in code cells, `!pip install` / `%pip install` magics,
 * and Markdown cells read like an answer. Positions point at the notebook file's own lines (the
 * JSON string each source line is stored in).
 */
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from '../locate.js';
import { scanMarkdown } from './markdown.js';
import { scanShellBlock } from './script-files.js';
import { readSnippet } from './snippets.js';
import { TextSink } from './text-sink.js';
import type { Locate } from './text-origin.js';

/** Reads the cells of the notebook `text` (the file at `path`) into `sink`. */
export function readNotebook(sink: TextSink, text: string, path: string): void {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  const cells = root ? childOf(root, 'cells') : undefined;
  if (!root || errors.length || !cells || cells.type !== 'array') {
    const at = errors[0]?.offset ?? 0;
    sink.notes.push({ level: 'error', code: 'malformed', message: `${path} is not a readable Jupyter notebook (JSON with a "cells" list).`, origin: sink.locate(at, 1) });
    return;
  }
  const fileIndex = new LineIndex(text);
  for (const cell of cells.children ?? []) {
    const type = childOf(cell, 'cell_type')?.value;
    const source = childOf(cell, 'source');
    if (!source || (type !== 'code' && type !== 'markdown')) continue;
    const pieces = source.type === 'array' ? (source.children ?? []).filter((n) => n.type === 'string') : source.type === 'string' ? [source] : [];
    if (pieces.length === 0) continue;
    const code = pieces.map((p) => String(p.value)).join('');
    const starts: number[] = [];
    let at = 0;
    for (const p of pieces) {
      starts.push(at);
      at += String(p.value).length;
    }
    const locate: Locate = (offset, length, context) => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      const piece = pieces[lo] as Node;
      return fileIndex.origin(path, piece.offset + 1 + rawIndex(text, piece.offset + 1, offset - (starts[lo] as number)), length, context);
    };
    const cellSink = new TextSink(path, code, sink.options, locate);
    if (type === 'code') {
      cellSink.python({ text: code, start: 0, end: code.length });
      scanShellBlock(cellSink, code, 0, code.length, 'python-magic');
    } else scanMarkdown(cellSink, code, 0, code.length, (s, block) => readSnippet(s, block));
    sink.refs.push(...cellSink.refs);
    sink.notes.push(...cellSink.notes);
    sink.commands.push(...cellSink.commands);
  }
}

/** Where the `index`-th character of a JSON string's value sits in its source (escapes are longer). */
function rawIndex(text: string, from: number, index: number): number {
  let raw = 0;
  for (let v = 0; v < index; v++) {
    if (text[from + raw] !== '\\') raw++;
    else raw += text[from + raw + 1] === 'u' ? 6 : 2;
  }
  return raw;
}

function childOf(node: Node, key: string): Node | undefined {
  if (node.type !== 'object') return undefined;
  for (const prop of node.children ?? []) {
    if (prop.children?.[0]?.value === key) return prop.children[1];
  }
  return undefined;
}
