/**
 * What one package argument of an install command means: a registry name (with its version),
 * a git/URL/file/folder source that is not looked up, or something no registry would accept.
 *
 * npm arguments go through npm-package-arg (npm's own reader) and the shared `readNpmSpec`;
 * Python arguments are PEP 508 requirements, URLs or paths, read here because pip's command
 * line also takes archive paths and `name @ url` forms that a requirement grammar alone rejects.
 */
import type Npa from 'npm-package-arg';
import { lazyRequire } from '../../core/lazy-require.js';
import { PYPI_NAME } from '../../core/names.js';
import { npmNameProblem } from '../../core/specs.js';
import type { Ecosystem, RefSource } from '../../core/types.js';
import { splitDescriptor } from '../locate.js';
import { readNpmSpec } from '../npm/spec.js';

// npm-package-arg (and the hosted-git-info, semver and validate-npm-package-name it pulls in) is
// only needed for arguments the fast path below cannot read; loading it at start-up cost every
// `scan` 57-178 ms on this machine although a lockfile never reaches it (bench/results.md, issue 19).
const npa = lazyRequire<typeof Npa>('npm-package-arg');

/** A package argument, read. */
export type ArgReading =
  | {
      kind: 'ref';
      name: string;
      spec?: string;
      source: RefSource;
      alias?: string;
      /** Where the name starts in the argument, when it is written there. */
      nameIndex?: number;
      /** Words for the not-registry note (`a git repository`, ...), when not the generic ones. */
      sourceDetail?: string;
      /** A local project folder: installing it installs what its own manifest lists. */
      localProject?: boolean;
    }
  | { kind: 'invalid'; name: string; problem: string }
  | { kind: 'unsupported'; what: string };

/** How a Python tool writes a version next to a name. */
export type PypiArgStyle =
  /** pip, uv, pipx, pipenv, pdm: PEP 508 (`name[extra]>=1; marker`, `name @ url`). */
  | 'pep508'
  /** poetry and uvx also take `name@constraint` (`requests@^2.0`, `ruff@latest`). */
  | 'at-version';

const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const VCS_SCHEME = /^(?:git|hg|svn|bzr)\+/i;
const PY_ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tar\.xz|tbz|txz|zip|tar|egg)$/i;
const NPM_TARBALL = /\.(?:tgz|tar\.gz|tar)$/i;
/** An explicit path (not a name): `./x`, `../x`, `/x`, `~/x`, `C:\x`, `file:`. */
/** `.[dev]`, `..[test]`: the current (or parent) folder's project with extras. */
const LOCAL_WITH_EXTRAS = /^\.{1,2}\[[^\]]*\]$/;
const EXPLICIT_PATH = /^(?:\.{1,2}(?:[\\/]|$)|[\\/]|~(?:[\\/]|$)|[A-Za-z]:[\\/]|file:)/;

/** npm refuses longer names; PyPI has no written limit, but no real project comes close. */
const MAX_NPM_NAME = 214;
const MAX_PYPI_NAME = 200;
/** Arguments longer than this are not parsed at all (a hostile or garbled line). */
const MAX_ARG = 4096;

/** A scoped or plain package name (npm's URL-safe characters; capitals allowed, as npm does for old names). */
const PLAIN_NAME = /^(?:@[A-Za-z0-9][\w.~-]*\/)?[A-Za-z0-9][\w.~-]*$/;
/** A version, range or tag: no `:` (protocols, aliases) and no `/` (paths, git). */
const PLAIN_RANGE = /^[\w.^~<>=*|+ -]*$/;

const nameProblems = new Map<string, string | undefined>();
/**
 * npm's name rules (validate-npm-package-name), remembered: the same names come back in every
 * hunk of a diff. The memory is bounded (cleared when it grows past 50,000 names).
 */
export function npmNameProblemCached(name: string): string | undefined {
  if (nameProblems.has(name)) return nameProblems.get(name);
  if (nameProblems.size > 50_000) nameProblems.clear();
  const problem = npmNameProblem(name);
  nameProblems.set(name, problem);
  return problem;
}

/** Reads one npm package argument (`name`, `name@range`, `alias@npm:real@1`, `user/repo`, `./x.tgz`, ...). */
export function readNpmArg(arg: string): ArgReading {
  if (arg.length > MAX_ARG) return { kind: 'invalid', name: arg, problem: `longer than ${MAX_ARG} characters` };
  if (arg.startsWith('jsr:')) return { kind: 'unsupported', what: `${arg} is a JSR package (jsr:), not an npm registry package` };
  // `npm:real@1` without an alias name (bun, deno): the real name is what is fetched.
  if (arg.startsWith('npm:')) {
    const read = readNpmArg(arg.slice(4));
    return read.kind === 'ref' && read.nameIndex !== undefined ? { ...read, nameIndex: read.nameIndex + 4 } : read;
  }
  // Protocols npa does not know (`workspace:`, `link:`, `portal:`, `patch:`, `catalog:`) after `name@`.
  const { name: head, range } = splitDescriptor(arg);
  // The common case, `name` or `name@range|tag`, without npm-package-arg (which parses every
  // argument as a possible hosted-git URL and dominates the time of a large diff).
  if (PLAIN_NAME.test(head) && !NPM_TARBALL.test(arg) && (range === undefined || PLAIN_RANGE.test(range))) {
    const problem = npmNameProblemCached(head);
    if (problem) return { kind: 'invalid', name: head, problem };
    if (head.length > MAX_NPM_NAME) return { kind: 'invalid', name: head, problem: `longer than ${MAX_NPM_NAME} characters` };
    return range ? { kind: 'ref', name: head, spec: range, source: 'registry', nameIndex: 0 } : { kind: 'ref', name: head, source: 'registry', nameIndex: 0 };
  }
  if (range !== undefined && /^(?:workspace|link|portal|patch|catalog|exec|jsr):/.test(range)) return fromSpec(head, range);
  let parsed: Npa.Result;
  try {
    parsed = npa()(arg, '/');
  } catch (e) {
    const problem = String((e as Error).message).split('\n')[0] ?? 'not a valid npm package spec';
    return { kind: 'invalid', name: head || arg, problem };
  }
  switch (parsed.type) {
    case 'git':
      return { kind: 'ref', name: parsed.name ?? arg, spec: arg, source: 'git' };
    case 'remote':
      return { kind: 'ref', name: parsed.name ?? arg, spec: arg, source: 'url' };
    case 'file':
    case 'directory': {
      // npm reads anything that is not a valid name as a path (`Foo Bar`, `@/x`); only an
      // explicit path or a tarball is a path here, the rest is a bad name.
      if (!EXPLICIT_PATH.test(arg) && !NPM_TARBALL.test(arg)) {
        return { kind: 'invalid', name: arg, problem: npmNameProblem(arg) ?? 'npm would read it as a folder path' };
      }
      const source: RefSource = NPM_TARBALL.test(arg) ? 'file' : 'directory';
      return { kind: 'ref', name: parsed.name ?? arg, spec: arg, source, localProject: source === 'directory' };
    }
    default: {
      const name = parsed.name ?? '';
      return fromSpec(name, parsed.rawSpec === '*' && !arg.endsWith('@*') ? '' : parsed.rawSpec);
    }
  }
}

/** `name` + `range` through the shared npm spec reader (aliases, protocols). */
function fromSpec(name: string, range: string): ArgReading {
  const read = readNpmSpec(name, range || '*');
  if ('invalid' in read) return { kind: 'invalid', name: read.invalid, problem: read.problem };
  if (read.source === 'registry' && read.name.length > MAX_NPM_NAME) return { kind: 'invalid', name: read.name, problem: `longer than ${MAX_NPM_NAME} characters` };
  const out: ArgReading = { kind: 'ref', name: read.name, source: read.source };
  if (range) out.spec = read.source === 'registry' ? read.spec : range;
  if (read.alias !== undefined) out.alias = read.alias;
  if (read.sourceDetail !== undefined) out.sourceDetail = read.sourceDetail;
  // The name sits at the start, or after `alias@npm:` for aliases.
  out.nameIndex = read.alias !== undefined ? name.length + 1 + (read.nameIndex ?? 4) : 0;
  if (read.alias !== undefined && read.nameIndex === undefined) delete out.nameIndex;
  return out;
}

/** Reads one Python package argument (a PEP 508 requirement, a URL, an archive or a folder). */
export function readPypiArg(arg: string, style: PypiArgStyle = 'pep508'): ArgReading {
  const text = arg.trim();
  if (text === '') return { kind: 'invalid', name: arg, problem: 'empty argument' };
  if (text.length > MAX_ARG) return { kind: 'invalid', name: text, problem: `longer than ${MAX_ARG} characters` };
  if (URL_SCHEME.test(text) || VCS_SCHEME.test(text)) return fromPythonUrl(text);
  const head = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(text);
  let rest = head ? text.slice(head[0].length).trimStart() : '';
  if (head && rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return { kind: 'invalid', name: head[0], problem: 'unclosed [extras]' };
    rest = rest.slice(close + 1).trimStart();
  }
  // `name @ url` (PEP 508 direct reference) before paths: the URL may end in `.tar.gz`.
  if (head && rest.startsWith('@')) {
    const target = rest.slice(1).trim();
    if (URL_SCHEME.test(target) || VCS_SCHEME.test(target) || target.startsWith('file:')) {
      const url = fromPythonUrl(target);
      return url.kind === 'ref' && PYPI_NAME.test(head[0]) ? { ...url, name: head[0], nameIndex: 0 } : url;
    }
  }
  if (EXPLICIT_PATH.test(text) || LOCAL_WITH_EXTRAS.test(text) || /[\\/]/.test(text.split(/[=<>!~;@[ ]/)[0] ?? '') || PY_ARCHIVE.test(text)) return fromPythonPath(text);
  if (!head) return { kind: 'invalid', name: text, problem: 'a PyPI name starts with a letter or digit' };
  const name = head[0];
  if (!PYPI_NAME.test(name)) return { kind: 'invalid', name, problem: 'a PyPI name ends with a letter or digit (PEP 508)' };
  if (name.length > MAX_PYPI_NAME) return { kind: 'invalid', name, problem: `longer than ${MAX_PYPI_NAME} characters` };
  if (rest.startsWith('@')) {
    // poetry/uvx `name@^2.0`; pip would refuse it, but the name is still the name.
    const target = rest.slice(1).trim();
    if (style === 'at-version' || target !== '') {
      return target ? { kind: 'ref', name, spec: target, source: 'registry', nameIndex: 0 } : { kind: 'ref', name, source: 'registry', nameIndex: 0 };
    }
  }
  const spec = rest.split(';')[0]?.trim() ?? '';
  if (rest !== '' && !/^[<>=!~(;]/.test(rest)) {
    return { kind: 'invalid', name: text, problem: 'expected a version specifier such as ==1.2 or >=2 after the name' };
  }
  return spec ? { kind: 'ref', name, spec, source: 'registry', nameIndex: 0 } : { kind: 'ref', name, source: 'registry', nameIndex: 0 };
}

/** A URL: VCS (`git+https://…#egg=name`) or an archive (`https://…/name-1.0.tar.gz`). */
function fromPythonUrl(url: string): ArgReading {
  const source: RefSource = VCS_SCHEME.test(url) ? 'git' : url.startsWith('file:') ? 'file' : 'url';
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url)?.[1];
  const name = egg ?? distributionOfFilename(url.split(/[?#]/)[0]?.split('/').pop() ?? '') ?? url;
  return { kind: 'ref', name, spec: url, source };
}

/** A local path: an archive (wheel, sdist) or a project folder. */
function fromPythonPath(path: string): ArgReading {
  if (PY_ARCHIVE.test(path)) {
    const file = path.split(/[\\/]/).pop() ?? path;
    return { kind: 'ref', name: distributionOfFilename(file) ?? path, spec: path, source: 'file' };
  }
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(path)?.[1];
  // `.[dev]`, `./pkg[test,docs]`: the folder, with extras its manifest defines.
  const folder = path.replace(/\[[^\]]*\]$/, '') || '.';
  return { kind: 'ref', name: egg ?? folder, spec: path, source: 'directory', localProject: true };
}

/** The distribution name in a wheel or sdist file name (`pkg_name-1.0-py3-none-any.whl` -> `pkg_name`). */
function distributionOfFilename(file: string): string | undefined {
  if (!PY_ARCHIVE.test(file)) return undefined;
  const m = /^([A-Za-z0-9][A-Za-z0-9._]*?)-\d/.exec(file);
  return m?.[1];
}

/** The ecosystem's reader. */
export function readArg(ecosystem: Ecosystem, arg: string, style: PypiArgStyle = 'pep508'): ArgReading {
  return ecosystem === 'npm' ? readNpmArg(arg) : readPypiArg(arg, style);
}
