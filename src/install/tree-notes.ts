/**
 * The words for "the tree was not checked": one unverified note per resolution that did not
 * finish, saying why. The typed names are still checked by the caller; what is unverified is what
 * they would have pulled in. Tool output quoted here is redacted of credentials and clipped (the
 * reporters escape control characters when they print it).
 */
import type { Ecosystem, ExtractNote, Origin, PackageRef } from '../core/types.js';
import { redact } from '../registry/redact.js';
import type { TreeRequest, TreeResult } from './resolve-tree.js';
import type { BoundedOutcome } from './run-bounded.js';

/** The `file` of origins for packages found by resolving the tree (no file names them). */
export const RESOLVED_TREE = '<resolved tree>';

/** Why a resolution did not give a tree; `detail` is already worded. */
export type TreeFailure =
  | { why: 'missing-tool'; tool: string }
  | { why: 'timeout'; budgetMs: number }
  | { why: 'aborted' }
  /** A typed name (or a dependency) is not on the registry or index. */
  | { why: 'not-found'; name: string; typed: boolean }
  /** pip found no wheel: the project is not on the index, or only published as source. */
  | { why: 'no-wheel'; name: string; typed: boolean }
  | { why: 'tool-failed'; tool: string; detail: string }
  | { why: 'unreadable'; detail: string }
  | { why: 'unsupported'; detail: string };

/** One line of tool output fit for a note: credentials removed, whitespace collapsed, clipped. */
export function quoteToolOutput(text: string, secrets: readonly string[] = [], max = 240): string {
  const one = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function reason(f: TreeFailure): string {
  switch (f.why) {
    case 'missing-tool':
      return `${f.tool} is not installed here, and it is what resolves the tree`;
    case 'timeout':
      return `resolving it took longer than the ${Math.round(f.budgetMs / 100) / 10} s budget; the resolver was stopped`;
    case 'aborted':
      return 'the check was stopped before the tree was resolved';
    case 'not-found':
      return f.typed
        ? `\`${f.name}\` is not on the registry, so the install cannot resolve; the name itself is checked on its own`
        : `the dependency \`${f.name}\` is not on the registry, so the install would fail`;
    case 'no-wheel':
      return `${f.typed ? '' : 'for the dependency '}\`${f.name}\` the index has no wheel: it is not there${f.typed ? ' (the name itself is checked on its own)' : ''}, or it is only published as source, which would have to be built (running its code) to learn what it needs`;
    case 'tool-failed':
      return `${f.tool} could not resolve it: ${f.detail}`;
    case 'unreadable':
    case 'unsupported':
      return f.detail;
  }
}

/**
 * Failures the wrapper gets past: its install guard judges each package as the tool fetches it,
 * so nothing has to be resolved beforehand. Not: a name that does not exist (typed or a
 * dependency, it is judged on its own), sources the registry does not serve (git, URLs).
 */
function wrapperHelps(f: TreeFailure): boolean {
  switch (f.why) {
    case 'missing-tool':
    case 'timeout':
    case 'aborted':
    case 'tool-failed':
    case 'unreadable':
      return true;
    case 'no-wheel':
      return !f.typed;
    // A missing dependency is itself judged (and denied); the install would fail either way.
    case 'not-found':
    case 'unsupported':
      return false;
  }
}

/** A shell word as the user would type it: bare when it is plain, else single-quoted. */
function typedWord(w: string): string {
  return /^[\w@%+=:,./^-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** `slopguard <argv…>` for a note: credentials redacted, clipped like tool output. */
export function wrapperCommandFor(argv: readonly string[]): string {
  return quoteToolOutput(`slopguard ${argv.map(typedWord).join(' ')}`, [], 200);
}

/** The typed names the note is about, shortened for long lists. */
function typedWords(packages: readonly PackageRef[]): string {
  const names = packages.map((p) => p.name);
  const quoted = names.map((n) => `\`${n}\``);
  return names.length > 3 ? `${quoted.slice(0, 3).join(', ')} and ${names.length - 3} more` : quoted.join(', ');
}

/**
 * The unverified note for a tree that was not checked. Located at the first typed name (the
 * install the user or agent wrote), so it is shown next to it.
 */
export function treeNotChecked(ecosystem: Ecosystem, packages: readonly PackageRef[], failure: TreeFailure, wrapArgv?: readonly string[]): ExtractNote {
  const origin: Origin = packages[0]?.origin ? { ...packages[0].origin } : { file: RESOLVED_TREE };
  const note: ExtractNote = {
    level: 'warning',
    code: 'skipped',
    message: `The packages ${typedWords(packages)} would pull in were not checked: ${reason(failure).replace(/\.+$/, '')}.`,
    origin,
    ecosystem,
    unverified: true,
  };
  if (wrapArgv?.length && wrapperHelps(failure)) {
    note.wrapperCommand = wrapperCommandFor(wrapArgv);
    note.message += ` Run it as \`${note.wrapperCommand}\` instead: the wrapper checks every package the install fetches, as it fetches it.`;
  }
  return note;
}

/** The result for a tree that was not checked. */
export function notChecked(request: Pick<TreeRequest, 'ecosystem' | 'packages' | 'wrapArgv'>, failure: TreeFailure): TreeResult {
  return { refs: [], notes: [treeNotChecked(request.ecosystem, request.packages, failure, request.wrapArgv)] };
}

/** Why a resolver run that did not exit on its own gave no tree. */
export function unfinished(tool: string, ran: Exclude<BoundedOutcome, { kind: 'exited' }>, budgetMs: number): TreeFailure {
  switch (ran.kind) {
    case 'missing':
      return { why: 'missing-tool', tool };
    case 'timeout':
      return { why: 'timeout', budgetMs };
    case 'aborted':
      return { why: 'aborted' };
    case 'unstartable':
      return { why: 'tool-failed', tool, detail: `it could not be started (${quoteToolOutput(ran.message)})` };
    case 'signalled':
      return { why: 'tool-failed', tool, detail: `it was killed by ${ran.signal}` };
    case 'too-large':
      return { why: 'tool-failed', tool, detail: 'it printed more than slopguard reads' };
  }
}
