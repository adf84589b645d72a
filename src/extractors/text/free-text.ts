/**
 * Package names in free text: an agent's answer, Markdown, or a whole file that is not a
 * manifest — a Dockerfile, a shell script, a Makefile, CI YAML, JS/TS or Python source, a
 * Jupyter notebook. What the file is comes from its path (and a `#!` line); anything else,
 * standard input included, is read as Markdown. Manifests and lockfiles named here are handed
 * to their own extractors.
 */
import type { ExtractResult, SourceDocument } from '../../core/types.js';
import { findExtractor } from '../index.js';
import { baseName, normalizeText } from '../locate.js';
import { scanMarkdown } from './markdown.js';
import { readNotebook } from './notebook.js';
import { scanDockerfile, scanShellBlock, scanYamlScripts } from './script-files.js';
import { readSnippet } from './snippets.js';
import { TextSink, type TextOptions } from './text-sink.js';

/** How a whole file is read. */
export type TextKind = 'markdown' | 'shell' | 'makefile' | 'dockerfile' | 'yaml' | 'js' | 'python' | 'notebook' | 'manifest';

/** Documents larger than this are not read (a text answer is kilobytes; this is a safety cap). */
export const MAX_TEXT_BYTES = 32 * 1024 * 1024;

const JS_EXT = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;
const PY_EXT = /\.(?:py|pyi|pyw)$/i;
const SHELL_EXT = /\.(?:sh|bash|zsh|ksh|fish|command|ps1|psm1|bat|cmd)$/i;
const SHELL_NAMES = new Set(['.bashrc', '.zshrc', '.profile', '.bash_profile', '.envrc', 'justfile', 'procfile']);

/** How the file at `path` is read (its first line decides for extension-less scripts). */
export function textKindOf(path: string, text = ''): TextKind {
  const base = baseName(path);
  const lower = base.toLowerCase();
  if (path !== '<stdin>' && path !== '<text>' && findExtractor(path)) return 'manifest';
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower.endsWith('.containerfile')) return 'dockerfile';
  if (lower === 'makefile' || lower === 'gnumakefile' || lower.endsWith('.mk')) return 'makefile';
  if (/\.ya?ml$/i.test(lower)) return 'yaml';
  if (lower.endsWith('.ipynb')) return 'notebook';
  if (JS_EXT.test(lower)) return 'js';
  if (PY_EXT.test(lower)) return 'python';
  if (SHELL_EXT.test(lower) || SHELL_NAMES.has(lower)) return 'shell';
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text.slice(0, 200));
  if (shebang) {
    const prog = baseName(shebang[1] === '/usr/bin/env' || shebang[1]?.endsWith('/env') ? (shebang[2] ?? '') : (shebang[1] ?? ''));
    if (/^(?:ba|z|k|da|a|mk)?sh$/.test(prog)) return 'shell';
    if (/^python/.test(prog)) return 'python';
    if (/^(?:node|deno|bun|tsx|ts-node)$/.test(prog)) return 'js';
  }
  return 'markdown';
}

/**
 * Finds the packages a text names: install commands, imports and requires (see the module
 * comment for what is read where). Every ref and note carries the document's path and the
 * exact line and column.
 */
export function extractText(doc: SourceDocument, options: TextOptions = {}): ExtractResult {
  if (doc.text.length > MAX_TEXT_BYTES) {
    return {
      refs: [],
      notes: [{ level: 'error', code: 'skipped', message: `${doc.path} is larger than ${MAX_TEXT_BYTES / 1024 / 1024} MB; it was not read.`, origin: { file: doc.path } }],
    };
  }
  const text = normalizeText(doc.text);
  const kind = textKindOf(doc.path, text);
  const sink = new TextSink(doc.path, text, options);
  scanTextKind(sink, kind, text, 0, text.length, doc.path);
  return sink.result();
}

/** Reads `text[from, to)` as a file of `kind` into `sink` (the diff extractor reads regions this way). */
export function scanTextKind(sink: TextSink, kind: TextKind, text: string, from: number, to: number, path: string): void {
  switch (kind) {
    case 'dockerfile':
      scanDockerfile(sink, text, from, to);
      return;
    case 'shell':
      scanShellBlock(sink, text, from, to, 'script');
      return;
    case 'makefile':
      scanShellBlock(sink, text, from, to, 'makefile');
      return;
    case 'yaml':
      scanYamlScripts(sink, text, from, to);
      return;
    case 'js':
      sink.js({ text, start: from, end: to });
      return;
    case 'python':
      sink.python({ text, start: from, end: to });
      return;
    case 'notebook':
      readNotebook(sink, text, path);
      return;
    case 'manifest':
      readSnippet(sink, { lang: '', hint: path, start: from, end: to }, { whole: true });
      return;
    default:
      scanMarkdown(sink, text, from, to, (s, block) => readSnippet(s, block));
  }
}
