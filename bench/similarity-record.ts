/**
 * Writes one "## " section of bench/results.md in place: replaced when present, else inserted
 * after the title, leaving every other helper's sections as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** bench/results.md in the source tree (two levels up from dist/bench/). */
export const RESULTS_FILE = fileURLToPath(new URL('../../bench/results.md', import.meta.url));

/** Replace or insert the section whose body starts with `## <title>` (the markdown must start with that heading). */
export function recordSection(markdown: string, file = RESULTS_FILE): void {
  const heading = markdown.split('\n', 1)[0]!;
  if (!heading.startsWith('## ')) throw new Error('a results section must start with a "## " heading');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === heading);
  const body = markdown.trimEnd().split('\n');
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    lines.splice(start, end - start, ...body, '');
  } else {
    const title = lines.findIndex((l) => l.startsWith('# '));
    lines.splice(title + 1, 0, '', ...body);
  }
  writeFileSync(file, `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
}
