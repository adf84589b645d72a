/**
 * bench/results.md is shared by every benchmark: each owns one `## ` section and rewrites only
 * that one, leaving the others byte for byte.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** bench/results.md in the source tree (two levels up from dist/bench/). */
export const RESULTS_FILE = fileURLToPath(new URL('../../bench/results.md', import.meta.url));

const NEW_FILE = '# Benchmark results\n\nRecorded by `npm run bench -- --record`; see bench/README.md for what each figure means.\n';

/** Replace one `## heading` section's body in the text (or append it); other sections stay byte for byte. */
export function replaceSection(text: string, heading: string, body: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  const block = [heading, '', body.trimEnd(), ''];
  if (start < 0) return `${text.trimEnd()}\n\n${block.join('\n')}`;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  return [...lines.slice(0, start), ...block, ...lines.slice(end)].join('\n');
}

/** Write sections into results.md (created if missing); returns the file's path. */
export function writeSections(sections: Array<[heading: string, body: string]>, file = RESULTS_FILE): string {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : NEW_FILE;
  for (const [heading, body] of sections) text = replaceSection(text, heading, body);
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  return file;
}

/** Write a section given as Markdown that starts with its `## ` heading. */
export function recordSection(markdown: string, file = RESULTS_FILE): string {
  const [heading, ...rest] = markdown.trimEnd().split('\n');
  if (!heading?.startsWith('## ')) throw new Error('a results section must start with a "## " heading');
  return writeSections([[heading, rest.join('\n').replace(/^\n+/, '')]], file);
}
