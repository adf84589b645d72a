/**
 * What every extractor does with what it finds: collect refs, leave located notes for what it
 * did not look up, and never read a broken or empty lockfile as "nothing to check".
 */
import type { Ecosystem, ExtractNote, ExtractResult, Origin, PackageRef, RefSource } from '../core/types.js';

/** Words for each non-registry source, used in `not-registry` notes. */
const SOURCE_WORDS: Record<Exclude<RefSource, 'registry'>, string> = {
  git: 'a git repository',
  file: 'a local tarball',
  directory: 'a local folder',
  url: 'a URL',
  link: 'a linked folder',
  workspace: 'a workspace package',
  other: 'a source other than the public registry',
};

/** Longest excerpt of a file's content a note quotes. */
export const MAX_EXCERPT = 80;
/** Longest note message: a safety net for a parser message that quotes more than it should. */
const MAX_MESSAGE = 600;

/**
 * A short excerpt of a line for a note: at most MAX_EXCERPT characters (whole code points) with
 * control characters escaped. Notes reach PR comments and CI logs, so a line slopguard could not
 * read is never echoed whole (a planted file could hold a token).
 */
export function excerpt(text: string, max = MAX_EXCERPT): string {
  const points = Array.from(text);
  const cut = points.length > max ? `${points.slice(0, max).join('')}…` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** A ref as an extractor finds it, before defaults are applied. */
export interface FoundRef {
  name: string;
  spec?: string | undefined;
  origin: Origin;
  source?: RefSource | undefined;
  alias?: string | undefined;
  /** Extra words for the not-registry note, e.g. the private index it comes from. */
  sourceDetail?: string | undefined;
}

/**
 * Collects refs and notes for one document. A ref whose source is not the registry also gets
 * an info `not-registry` note, so the report says why it was not looked up.
 */
export class Collector {
  readonly refs: PackageRef[] = [];
  readonly notes: ExtractNote[] = [];
  private errors = 0;

  constructor(
    readonly file: string,
    readonly ecosystem: Ecosystem,
  ) {}

  /** Adds a ref (and its not-registry note when it is not from the registry). */
  ref(found: FoundRef): void {
    const ref: PackageRef = { ecosystem: this.ecosystem, name: found.name, origin: found.origin };
    if (found.spec !== undefined && found.spec !== '') ref.spec = found.spec;
    if (found.alias !== undefined && found.alias !== found.name) ref.alias = found.alias;
    const source = found.source ?? 'registry';
    if (source !== 'registry') {
      ref.source = source;
      const from = found.sourceDetail ?? SOURCE_WORDS[source];
      const spec = found.spec ? ` (${excerpt(found.spec)})` : '';
      this.note('info', 'not-registry', `${excerpt(found.name)}${spec} comes from ${from}; it is not looked up in the registry.`, found.origin, found.name);
    }
    this.refs.push(ref);
  }

  /** Adds a note. */
  note(level: ExtractNote['level'], code: ExtractNote['code'], message: string, origin: Origin, name?: string): ExtractNote {
    const capped = message.length > MAX_MESSAGE ? `${Array.from(message).slice(0, MAX_MESSAGE).join('')}…` : message;
    const note: ExtractNote = { level, code, message: capped, origin: { ...origin }, ecosystem: this.ecosystem };
    if (name !== undefined) note.name = name;
    if (level === 'error') this.errors++;
    this.notes.push(note);
    return note;
  }

  /** A `refused` warning: a file the trust boundary would not read; what it names is unverified. */
  refused(message: string, origin: Origin): void {
    this.note('warning', 'refused', message, origin).unverified = true;
  }

  /** An error `malformed` note: the document (or a part of it) could not be read. */
  malformed(message: string, origin: Origin = { file: this.file }): void {
    this.note('error', 'malformed', message, origin);
  }

  /** A `invalid-name` warning: a name the registry would refuse; it is not looked up. */
  invalidName(name: string, why: string, origin: Origin): void {
    this.note('warning', 'invalid-name', `"${excerpt(name)}" is not a valid ${this.ecosystem === 'npm' ? 'npm' : 'PyPI'} package name (${why}); it is not looked up.`, origin, name);
  }

  /** Whether an error note was left (then an empty result is not "empty"). */
  get hasErrors(): boolean {
    return this.errors > 0;
  }

  /** The result for a manifest. */
  result(): ExtractResult {
    return { refs: this.refs, notes: this.notes };
  }

  /**
   * The result for a lockfile: a lockfile that lists no package says so out loud, because
   * reading it as "nothing to check" is how peers shipped silent passes.
   */
  lockfileResult(what = 'packages'): ExtractResult {
    if (this.refs.length === 0 && !this.hasErrors) {
      this.note('warning', 'empty-lockfile', `${this.file} lists no ${what}, so nothing in it was checked.`, { file: this.file });
    }
    return this.result();
  }
}
