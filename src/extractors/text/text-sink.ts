/**
 * Collects what the text extractors find in one document: install commands (flattened into
 * refs and notes), JS imports and Python imports, all located in the document.
 */
import type { ExtractNote, ExtractResult, PackageRef } from '../../core/types.js';
import { jsImportsIn, pythonImportsIn, type ImportScanOptions } from './imports.js';
import { installCommandsIn, type InstallCommand } from './install-command.js';
import { shellSteps, type ShellStep } from './shell-effects.js';
import { textLocator, type Locate } from './text-origin.js';

/** Where to scan: a range of `text`, which may be a masked copy of part of the document. */
export interface Region {
  text: string;
  start: number;
  end: number;
  /** Locates offsets of `text` in the document; the document's own locator by default. */
  locate?: Locate;
}

/** Options for the text extractors. */
export interface TextOptions extends ImportScanOptions {
  /** Keep the install commands found (diff and hooks want more than refs). */
  keepCommands?: boolean;
  /**
   * Collect what the shell would do (install commands, heredocs, `cd`, files written) here for
   * the install planner, instead of adding the install commands' refs and notes to the result.
   */
  steps?: ShellStep[];
}

/** The findings of one document. */
export class TextSink {
  readonly refs: PackageRef[] = [];
  readonly notes: ExtractNote[] = [];
  readonly commands: InstallCommand[] = [];
  /** Locates offsets of the document text. */
  readonly locate: Locate;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly options: TextOptions = {},
    locate?: Locate,
  ) {
    this.locate = locate ?? textLocator(text, { file });
  }

  /** A locator for a copy of `text[base, …)` that starts at offset 0. */
  at(base: number): Locate {
    return (offset, length, context) => this.locate(base + offset, length, context);
  }

  /** Install commands in a region of shell text. */
  shell(r: Region, how: { prose?: boolean; newlinesAreBlanks?: boolean } = {}): void {
    const scan = { file: this.file, locate: r.locate ?? this.locate, prose: how.prose === true, newlinesAreBlanks: how.newlinesAreBlanks === true };
    const steps = this.options.steps;
    if (steps) {
      for (const step of shellSteps(r.text, r.start, r.end, scan)) {
        steps.push(step);
        if (step.kind === 'install' && step.command.isInstall && this.options.keepCommands) this.commands.push(step.command);
      }
      return;
    }
    for (const cmd of installCommandsIn(r.text, r.start, r.end, scan)) {
      this.refs.push(...cmd.refs);
      this.notes.push(...cmd.notes);
      if (this.options.keepCommands) this.commands.push(cmd);
    }
  }

  /** JS/TS imports in a region of code. */
  js(r: Region): void {
    jsImportsIn(r.text, r.start, r.end, { file: this.file, locate: r.locate ?? this.locate }, this);
  }

  /** Python imports in a region of code. */
  python(r: Region): void {
    pythonImportsIn(r.text, r.start, r.end, { file: this.file, locate: r.locate ?? this.locate }, this, this.options);
  }

  /** Adds another extractor's result (manifest snippets). */
  add(result: ExtractResult): void {
    this.refs.push(...result.refs);
    this.notes.push(...result.notes);
  }

  result(): ExtractResult {
    return { refs: this.refs, notes: this.notes };
  }
}

/** `text` with `[from, to)` replaced by spaces (newlines kept, so lines and columns stay put). */
export function blank(text: string, from = 0, to = text.length): string {
  return text.slice(from, to).replace(/[^\n]/g, ' ');
}
