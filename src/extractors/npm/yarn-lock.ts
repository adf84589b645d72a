/**
 * yarn.lock, classic (v1, `# yarn lockfile v1`) and berry (v2+, YAML with `__metadata`).
 *
 * Berry is read with `@yarnpkg/parsers` `parseSyml` (yarn's own reader); it gives no positions,
 * so entry lines are found by scanning the column-0 keys, which yarn writes one per line.
 * Classic is read by `parseYarnClassic` (see there for why it is hand-written).
 */
import type * as YarnParsers from '@yarnpkg/parsers';
import { lazyRequire } from '../../core/lazy-require.js';
import type { Extractor, ExtractResult, RefSource, SourceDocument } from '../../core/types.js';
import { DocumentReader } from '../reader.js';
import { baseName, splitDescriptor } from '../locate.js';
import { parseYarnClassic } from './yarn-classic-parse.js';
import { invalidNpmName, readNpmSpec, safeDecode } from './spec.js';
import { excerpt } from '../notes.js';

// Only berry lockfiles need yarn's reader (classic is read line by line).
const yarnParsers = lazyRequire<typeof YarnParsers>('@yarnpkg/parsers');

/** Reads one yarn.lock. */
class YarnLockReader extends DocumentReader {
  constructor(doc: SourceDocument) {
    super(doc, 'npm');
  }

  read(): ExtractResult {
    // Berry always writes `__metadata`; everything else is read as classic, whose reader
    // does not need the `# yarn lockfile v1` header (and says where a non-lockfile breaks).
    // (Only the top is searched: berry writes `__metadata` first, after two comment lines.)
    if (/^__metadata:/m.test(this.lines.text.slice(0, 4096))) this.readBerry();
    else this.readClassic();
    return this.c.lockfileResult();
  }

  /** The origin of `name` on an entry's key line, starting the search at `from` on that line. */
  private nameOrigin(line: number, name: string, from = 0) {
    const start = this.lines.lineStart(line);
    const at = this.lines.lineText(line).indexOf(name, from);
    return this.lines.origin(this.doc.path, at === -1 ? start : start + at, at === -1 ? 0 : name.length, 'packages');
  }

  private readClassic(): void {
    const { entries, error } = parseYarnClassic(this.lines.text);
    if (error) {
      this.c.malformed(`${this.doc.path} is not a valid yarn v1 lockfile: ${error.message} (at ${error.line}:${error.column}).`, {
        file: this.doc.path,
        line: error.line,
        column: error.column,
      });
      return;
    }
    for (const entry of entries) {
      const first = entry.descriptors[0];
      if (!first) continue;
      const { name: key, range } = splitDescriptor(first.text);
      const version = entry.fields.get('version');
      const read = readNpmSpec(key, range ?? '');
      const keyAt = this.lines.position(first.offset);
      if ('invalid' in read) {
        this.c.invalidName(read.invalid, read.problem, this.nameOrigin(entry.line, read.invalid, keyAt.column - 1));
        continue;
      }
      const origin = this.nameOrigin(entry.line, read.name, keyAt.column - 1 + (read.alias ? key.length : 0));
      const spec = read.source === 'registry' ? (version ?? read.spec) : (entry.fields.get('resolved') ?? read.spec);
      this.c.ref({ name: read.name, spec, source: read.source, alias: read.alias, origin, sourceDetail: read.sourceDetail });
    }
  }

  private readBerry(): void {
    let data: Record<string, unknown>;
    try {
      data = yarnParsers().parseSyml(this.lines.text) as Record<string, unknown>;
    } catch (e) {
      this.malformedYaml(e, 'a valid yarn lockfile');
      return;
    }
    const keyLines = this.keyLines();
    for (const [key, value] of Object.entries(data)) {
      if (key === '__metadata') continue;
      const line = keyLines.get(key) ?? 1;
      if (typeof value !== 'object' || value === null) {
        this.c.malformed(`${this.doc.path}: the entry "${excerpt(key)}" should be a mapping.`, { file: this.doc.path, line, column: 1 });
        continue;
      }
      const entry = value as Record<string, unknown>;
      const descriptor = splitDescriptor(key.split(', ')[0] ?? key);
      const resolution = typeof entry.resolution === 'string' ? entry.resolution : undefined;
      const located = readLocator(resolution ?? key.split(', ')[0] ?? key);
      // Workspace entries are the project's own packages (their manifests are read directly).
      if (located.source === 'workspace') continue;
      const problem = invalidNpmName(located.name);
      if (problem) {
        this.c.invalidName(located.name, problem, this.nameOrigin(line, located.name));
        continue;
      }
      const alias = descriptor.name !== located.name ? descriptor.name : undefined;
      const origin = this.nameOrigin(line, located.name, alias ? descriptor.name.length : 0);
      const version = typeof entry.version === 'string' ? entry.version : undefined;
      // Berry appends its own bookkeeping to local references (`::locator=…`, `::hash=…`).
      const reference = located.reference.split('::')[0];
      this.c.ref({ name: located.name, spec: located.source === 'registry' ? (version ?? reference) : reference, source: located.source, alias, origin });
    }
  }

  /** Line of each column-0 key (`"a@npm:^1, a@npm:^2":`), keyed the way parseSyml keys them. */
  private keyLines(): Map<string, number> {
    const out = new Map<string, number>();
    const text = this.lines.text;
    let line = 0;
    for (let start = 0; start <= text.length; ) {
      const nl = text.indexOf('\n', start);
      const end = nl === -1 ? text.length : nl;
      line++;
      const c = text[start];
      if (c !== undefined && c !== ' ' && c !== '#' && c !== '\n') {
        let key = text.slice(start, end).trimEnd();
        if (key.endsWith(':')) key = key.slice(0, -1);
        if (key.startsWith('"')) {
          try {
            key = JSON.parse(key) as string;
          } catch {
            // left as written; its entry falls back to line 1
          }
        }
        out.set(key, line);
      }
      if (nl === -1) break;
      start = nl + 1;
    }
    return out;
  }
}

/** A berry locator or descriptor (`name@npm:1.0.0`, `name@patch:name@npm%3A1#…`) read for a lookup. */
function readLocator(locator: string): { name: string; reference: string; source: RefSource } {
  const { name, range } = splitDescriptor(locator);
  const reference = range ?? '';
  const protocol = /^([a-z][a-z+]*):/.exec(reference)?.[1];
  switch (protocol) {
    case 'npm': {
      // A descriptor may still carry an alias (`npm:real@^1`); a resolution never does.
      const inner = reference.slice(4);
      return inner.includes('@') && !/^[\^~<>=\d*]/.test(inner) ? { ...readLocator(inner), source: 'registry' } : { name, reference: inner, source: 'registry' };
    }
    case 'patch': {
      const inner = safeDecode(reference.slice(6).split('#')[0] ?? '');
      const read = readLocator(inner);
      return { ...read, reference };
    }
    case 'workspace':
      return { name, reference, source: 'workspace' };
    case 'link':
    case 'portal':
      return { name, reference, source: 'link' };
    case 'file':
      return { name, reference, source: /\.(?:tgz|tar\.gz|tar)(?:[#:]|$)/.test(reference) ? 'file' : 'directory' };
    case 'exec':
      return { name, reference, source: 'other' };
    case 'git':
    case 'git+ssh':
    case 'git+https':
    case 'git+http':
    case 'git+file':
    case 'github':
    case 'gitlab':
    case 'bitbucket':
      return { name, reference, source: 'git' };
    case 'http':
    case 'https':
      return { name, reference, source: /#commit=|\.git(?:#|$)/.test(reference) ? 'git' : 'url' };
    default: {
      // No protocol: a classic-style range in a hand-edited file; npa decides.
      const read = readNpmSpec(name, reference);
      return 'invalid' in read ? { name, reference, source: 'registry' } : { name: read.name, reference, source: read.source };
    }
  }
}

/** yarn.lock (classic v1 and berry v2+). */
export const yarnLockExtractor: Extractor = {
  id: 'yarn-lock',
  format: 'yarn.lock (classic v1 and berry v2+)',
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => baseName(path) === 'yarn.lock',
  extract: (doc) => new YarnLockReader(doc).read(),
};
