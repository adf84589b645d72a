/**
 * setup.cfg (setuptools' declarative configuration): `install_requires`, `setup_requires` and
 * `tests_require` in `[options]`, and every key of `[options.extras_require]`.
 *
 * Read the way setuptools reads it: Python's configparser (keys with `=` or `:`, full-line `#` and
 * `;` comments, values continued on indented lines), then setuptools' "list-semi" rule: a value on
 * several lines is one requirement per line, a value on one line is split at `;`. Lines starting
 * with `#` are dropped, as setuptools drops them. A `file:` value names other files; they are read
 * through `ExtractContext.readRelative` (confined to the repository like `-r`), or noted when the
 * caller reads no other files (a diff hunk).
 *
 * Hand-written because no maintained JavaScript reader follows configparser's continuation rules
 * and gives positions (the `ini` package, used for .npmrc, reads every line as its own key).
 */
import type { ExtractContext, Extractor, ExtractResult, Origin, SourceDocument } from '../../core/types.js';
import { baseName } from '../locate.js';
import { DocumentReader } from '../reader.js';
import { addPep508 } from './common.js';
import { requirementsExtractor } from './requirements.js';
import { excerpt } from '../notes.js';

/** The keys of `[options]` that name requirements. */
const REQUIREMENT_KEYS = new Set(['install_requires', 'setup_requires', 'tests_require']);
const EXTRAS = 'options.extras_require';

/** One option of one section, with where each line of its value starts. */
interface CfgValue {
  section: string;
  key: string;
  keyOffset: number;
  lines: Array<{ text: string; offset: number }>;
}

/** A line configparser refuses (setuptools then fails): its offset and why. */
interface CfgError {
  offset: number;
  length: number;
  why: string;
}

/**
 * configparser's view of the file: every option, in order (later ones win in Python, all are read
 * here), and the lines it would refuse, which are reported without stopping the rest.
 */
function readOptions(text: string, errors: CfgError[]): CfgValue[] {
  const out: CfgValue[] = [];
  let section: string | undefined;
  let current: CfgValue | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    if (/^\s*[#;]/.test(line)) continue;
    // configparser's SECTCRE, matched at the start: text after the last `]` is ignored.
    const header = /^\[(.+)\]/.exec(line);
    if (header) {
      section = header[1]!.trim();
      current = undefined;
      continue;
    }
    if (/^\s/.test(line) || line === '') {
      // An indented line continues the current value; an empty one may sit inside it.
      if (current && line.trim() !== '') current.lines.push({ text: line.trim(), offset: at + (line.length - line.trimStart().length) });
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s?(.*)$/.exec(line);
    if (!kv || section === undefined) {
      const length = line.trimEnd().length;
      errors.push({ offset: at, length, why: !kv ? 'a line that is neither [section], key = value, an indented continuation nor a comment' : 'a key before any [section] header' });
      current = undefined;
      continue;
    }
    const value = kv[2]!;
    current = { section, key: kv[1]!.trim().toLowerCase(), keyOffset: at, lines: [] };
    if (value.trim() !== '') current.lines.push({ text: value.trim(), offset: at + line.length - value.length + (value.length - value.trimStart().length) });
    out.push(current);
  }
  return out;
}

/** A trailing ` # comment` on a requirement line (setuptools itself would reject the line). */
function withoutComment(text: string): string {
  const i = text.search(/\s#/);
  return i < 0 ? text : text.slice(0, i).trimEnd();
}

function readSetupCfg(doc: SourceDocument, ctx?: ExtractContext): ExtractResult {
  const { c, lines } = new DocumentReader(doc, 'pypi');
  const origin = (offset: number, length: number, context?: string): Origin => lines.origin(doc.path, offset, length, context);
  const errors: CfgError[] = [];
  const options = readOptions(lines.text, errors);
  for (const e of errors) {
    const o = origin(e.offset, e.length);
    c.malformed(`${doc.path}:${o.line}: not valid setup.cfg syntax: ${e.why}.`, o);
  }
  for (const opt of options) {
    const wanted = (opt.section === 'options' && REQUIREMENT_KEYS.has(opt.key)) || opt.section === EXTRAS;
    if (!wanted) continue;
    const context = opt.section === EXTRAS ? `[${EXTRAS}] ${opt.key}` : `[options] ${opt.key}`;
    const first = opt.lines[0];
    if (first && /^file:/.test(first.text)) {
      const at = origin(first.offset, first.text.length, context);
      if (!ctx?.readRelative) {
        c.note('info', 'skipped', `${doc.path}: ${opt.key} is read from ${excerpt(first.text.slice(5).trim())}; scan that file to check its names.`, at);
        continue;
      }
      // setuptools reads each file (comma-separated, relative to setup.cfg) one requirement a
      // line; the requirements reader reads that and more. Same reading rules as `-r`.
      for (const name of first.text.slice(5).split(',').map((f) => f.trim()).filter((f) => f !== '')) {
        const read = ctx.readRelative(doc.path, name);
        if (read && !('problem' in read)) {
          const inner = requirementsExtractor.extract({ path: read.path, text: read.text }, ctx);
          c.refs.push(...inner.refs);
          c.notes.push(...inner.notes);
        } else if (read?.problem === 'refused') c.refused(`${opt.key} = file: ${excerpt(name)}: not read: the file ${read.message}; the packages it names are not checked.`, at);
        else c.note('error', 'unreadable', `${opt.key} = file: ${excerpt(name)}: cannot read the file (relative to ${doc.path})${read ? `: ${read.message.replace(/\.$/, '')}` : ''}.`, at);
      }
      continue;
    }
    // One line: split at `;` (setuptools' list-semi); several: one requirement per line.
    const items =
      opt.lines.length === 1
        ? first!.text.split(';').map((part, i, all) => ({ text: part.trim(), offset: first!.offset + all.slice(0, i).reduce((n, p) => n + p.length + 1, 0) + (part.length - part.trimStart().length) }))
        : opt.lines;
    for (const item of items) {
      const text = withoutComment(item.text);
      if (text === '' || text.startsWith('#')) continue;
      addPep508(c, text, (index, length) => origin(item.offset + index, length, context));
    }
  }
  return c.result();
}

/** setup.cfg. */
export const setupCfgExtractor: Extractor = {
  id: 'setup-cfg',
  format: 'setup.cfg (setuptools)',
  ecosystem: 'pypi',
  kind: 'manifest',
  matches: (path) => baseName(path) === 'setup.cfg',
  extract: readSetupCfg,
};
