/**
 * Text parsers beyond the extractors and the install-command grammar, by target name, for the
 * linear-time checks (linear-worker.ts). One line per parser.
 */
import { extractDiff } from '../../src/extractors/text/diff.js';
import { extractText } from '../../src/extractors/text/free-text.js';
import { findJsImports, findPythonImports } from '../../src/extractors/text/imports.js';

export const TEXT_TARGETS: Record<string, (text: string) => unknown> = {
  diff: (text) => extractDiff(text),
  'free-text (Markdown)': (text) => extractText({ path: 'answer.md', text }),
  'free-text (Dockerfile)': (text) => extractText({ path: 'Dockerfile', text }),
  'js imports': (text) => findJsImports(text, { file: 'x.ts' }),
  'python imports': (text) => findPythonImports(text, { file: 'x.py' }),
};
