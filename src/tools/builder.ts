/**
 * The builder every grammar fills: one {@link InstallCommand} with its refs (each located), the
 * notes for arguments that were not read, and the registry, index and folder flags applied.
 * Grammars only take it as a type; install-command.ts makes one per command. It loads the name
 * readers (install-args.ts), which the tool table must not load on every CLI start.
 */
import type { Ecosystem, PackageRef } from '../core/types.js';
import type { Arg, ReadContext } from './args.js';
import { readArg, type ArgReading, type PypiArgStyle } from '../extractors/text/install-args.js';
import type { InstallCommand, InstallTool } from '../extractors/text/install-command.js';
import type { FlagValue } from './flags.js';
import { clip, note } from './notes.js';

/** Collects one command's findings. */
export class Builder {
  readonly cmd: InstallCommand;
  private readonly context: string;

  constructor(
    tool: InstallTool,
    readonly ecosystem: Ecosystem,
    head: Arg,
    args: readonly Arg[],
    private readonly ctx: ReadContext,
  ) {
    this.context = tool;
    this.cmd = {
      tool,
      ecosystem,
      subcommand: '',
      isInstall: false,
      refs: [],
      requirementFiles: [],
      installsFromManifest: false,
      notes: [],
      origin: head.at(0, head.value.length, tool),
      argv: args.map((a) => a.value),
    };
  }

  /** Names the subcommand (and the origin context `npm install`). */
  sub(name: string, isInstall: boolean): this {
    this.cmd.subcommand = name;
    this.cmd.isInstall = isInstall;
    this.cmd.origin.context = name ? `${this.context} ${name}` : this.context;
    return this;
  }

  /** Reads a package argument into a ref (or a note). Returns the name read, if any. */
  spec(arg: Arg, style: PypiArgStyle = 'pep508', rewrite?: (value: string) => string): string | undefined {
    const where = this.cmd.origin.context ?? this.context;
    if (arg.dynamic) {
      const n = note('warning', 'skipped', `"${clip(arg.raw ?? arg.value)}" is only known when the shell runs it (a variable or command substitution); it was not checked.`, arg.at(0, arg.value.length, where), undefined, this.ecosystem);
      n.unverified = true;
      this.cmd.notes.push(n);
      return undefined;
    }
    if (arg.value.trim() === '') return undefined; // an escaped blank, an empty quoted string
    const value = rewrite ? rewrite(arg.value) : arg.value;
    const read: ArgReading = readArg(this.ecosystem, value, style);
    if (read.kind === 'unsupported') {
      this.cmd.notes.push(note('info', 'unsupported', `${clip(read.what)}; it was not checked.`, arg.at(0, arg.value.length, where), undefined, this.ecosystem));
      return undefined;
    }
    if (read.kind === 'invalid') {
      const eco = this.ecosystem === 'npm' ? 'npm' : 'PyPI';
      this.cmd.notes.push(note(this.ctx.level, 'invalid-name', `"${clip(read.name)}" is not a valid ${eco} package name (${read.problem}); it is not looked up.`, arg.at(0, arg.value.length, where), read.name, this.ecosystem));
      return undefined;
    }
    const origin = rewrite || read.nameIndex === undefined ? arg.at(0, arg.value.length, where) : arg.at(read.nameIndex, read.name.length, where);
    const ref: PackageRef = { ecosystem: this.ecosystem, name: read.name, origin };
    if (read.spec) ref.spec = read.spec;
    if (read.alias !== undefined) ref.alias = read.alias;
    if (read.source !== 'registry') {
      ref.source = read.source;
      const from = read.sourceDetail ?? SOURCE_WORDS[read.source] ?? 'a source other than the registry';
      this.cmd.notes.push(note('info', 'not-registry', `${clip(read.name)} comes from ${from}${read.spec && read.spec !== read.name ? ` (${clip(read.spec)})` : ''}; it is not looked up in the registry.`, origin, read.name, this.ecosystem));
    }
    if (read.localProject) this.cmd.installsFromManifest = true;
    this.cmd.refs.push(ref);
    return read.name;
  }

  /** Applies flag values: registry, index, requirement files, folders, package flags. */
  values(values: readonly FlagValue[], style: PypiArgStyle = 'pep508'): void {
    for (const { role, arg } of values) {
      switch (role) {
        case 'registry':
          this.cmd.registry = arg.value;
          break;
        case 'index':
          this.cmd.indexUrl = arg.value;
          break;
        case 'extra-index':
          (this.cmd.extraIndexUrls ??= []).push(arg.value);
          break;
        case 'requirements':
          if (arg.dynamic) {
            // `-r <(…)`, `-r $FILE`: which file is only known when the shell runs.
            const n = note('warning', 'skipped', `the requirements file "${clip(arg.raw ?? arg.value)}" is only known when the shell runs it; the packages it lists were not checked.`, arg.at(0, arg.value.length, this.cmd.origin.context ?? this.context), undefined, this.ecosystem);
            n.unverified = true;
            this.cmd.notes.push(n);
          } else this.cmd.requirementFiles.push(arg.value);
          break;
        case 'cwd':
          this.cmd.cwd = arg.value;
          break;
        case 'package':
          this.spec(arg, style);
          break;
        case 'editable':
          this.spec(arg, style);
          break;
        case 'group':
          this.cmd.installsFromManifest = true;
          break;
        default:
          break;
      }
    }
  }

  booleans(flags: ReadonlySet<string>): void {
    if (this.ecosystem === 'npm' && (flags.has('-g') || flags.has('--global'))) this.cmd.global = true;
  }

  done(): InstallCommand[] {
    // Flags are read before positionals; report refs in the order they were written.
    this.cmd.refs.sort((a, b) => (a.origin?.line ?? 0) - (b.origin?.line ?? 0) || (a.origin?.column ?? 0) - (b.origin?.column ?? 0));
    return [this.cmd];
  }
}

const SOURCE_WORDS: Record<string, string> = {
  git: 'a git repository',
  file: 'a local archive',
  directory: 'a local folder',
  url: 'a URL',
  link: 'a linked folder',
  workspace: 'a workspace package',
  other: 'a source other than the public registry',
};
