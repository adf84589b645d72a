/**
 * What an npm dependency spec means for a lookup: which registry name it installs (aliases
 * resolved), or that it does not come from the registry at all.
 *
 * npm-package-arg knows npm's own spec kinds; the protocols other managers added (`workspace:`,
 * `link:`, `catalog:`, `portal:`, `patch:`, `jsr:`, `exec:`) are recognised here first, because
 * npa rejects them as unknown URL types.
 */
import type npa from 'npm-package-arg';
import { lazyRequire } from '../../core/lazy-require.js';
import { npmNameProblem } from '../../core/specs.js';
import type { RefSource } from '../../core/types.js';
import { splitDescriptor } from '../locate.js';

// Loaded for the first spec that is not a plain version or range (most lockfiles have none):
// with semver and hosted-git-info it is ~20 modules to initialise.
const npaModule = lazyRequire<typeof npa>('npm-package-arg');

/** A spec read for a dependency named `key`. */
export interface NpmSpec {
  /** The registry name it installs (the real one for aliases). */
  name: string;
  /** The version range (for aliases: the range after `npm:name@`), or the spec as written. */
  spec: string;
  source: RefSource;
  /** The key, when the spec is an alias for another name. */
  alias?: string;
  /** Where `name` starts inside the spec text, when the name is written there (aliases). */
  nameIndex?: number;
  /** Words for the not-registry note, when the generic ones would mislead. */
  sourceDetail?: string;
}

/** A name npm refuses. */
export interface InvalidNpmName {
  invalid: string;
  problem: string;
}

const TARBALL = /\.(?:tgz|tar\.gz|tar)$/i;

/**
 * Names that are plainly valid: URL-safe characters, no leading `.` or `_`. Checked first
 * because lockfiles hold thousands of names and validate-npm-package-name is slow in bulk;
 * anything else gets the library's verdict and reason.
 */
const PLAIN_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

/** Why `name` is not a valid npm name (old-style capitals are fine), or undefined. */
export function invalidNpmName(name: string): string | undefined {
  if (PLAIN_NAME.test(name) && name !== 'node_modules' && name !== 'favicon.ico') return undefined;
  return npmNameProblem(name);
}

/**
 * Specs that can only be a version, range or tag: no protocol, no path, no `user/repo`, no
 * tarball. npa parses these through URL and semver, which dominates extraction time for a
 * lockfile of thousands of entries, and would say "registry" anyway.
 */
function isPlainRegistrySpec(spec: string): boolean {
  return !/[:/\\]/.test(spec) && !spec.startsWith('.') && !TARBALL.test(spec);
}

/**
 * Reads `spec` for the dependency `key`. Specs npm itself would refuse (a bad tag, say) are
 * still read as registry specs: the name is what matters for a lookup.
 */
export function readNpmSpec(key: string, rawSpec: string): NpmSpec | InvalidNpmName {
  const spec = rawSpec.trim();
  const keyProblem = invalidNpmName(key);
  const protocol = /^([a-z][a-z+]*):/.exec(spec)?.[1];
  switch (protocol) {
    case 'workspace':
      return { name: key, spec, source: 'workspace' };
    case 'link':
    case 'portal':
      return { name: key, spec, source: 'link' };
    case 'exec':
      return { name: key, spec, source: 'other', sourceDetail: 'a script run at install time (exec:)' };
    case 'jsr':
      return { name: key, spec, source: 'other', sourceDetail: 'the JSR registry (jsr:)' };
    case 'catalog':
      // A catalog only names the version range (in pnpm-workspace.yaml or the bun/yarn catalog);
      // the package itself still comes from the registry, so the name is checked like any other.
      return keyProblem ? { invalid: key, problem: keyProblem } : { name: key, spec, source: 'registry' };
    case 'patch':
      return readPatch(key, spec);
    default:
      break;
  }
  if (isPlainRegistrySpec(spec)) return keyProblem ? { invalid: key, problem: keyProblem } : { name: key, spec, source: 'registry' };
  let parsed: npa.Result;
  try {
    parsed = npaModule().resolve(key, spec, '/');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (keyProblem) return { invalid: key, problem: keyProblem };
    if (code === 'EINVALIDPACKAGENAME') {
      // The key is fine, so the bad name is the alias target (`npm:.hidden@1`).
      const target = spec.startsWith('npm:') ? splitDescriptor(spec.slice(4)).name : key;
      return { invalid: target, problem: invalidNpmName(target) ?? String((e as Error).message) };
    }
    if (code === 'EUNSUPPORTEDPROTOCOL') return { name: key, spec, source: 'other', sourceDetail: `an unknown protocol (${protocol ?? spec}:)` };
    // npa refuses tags it finds odd (`1.0 beta`); the name is still a registry name.
    return { name: key, spec, source: 'registry' };
  }
  if (keyProblem) return { invalid: key, problem: keyProblem };
  switch (parsed.type) {
    case 'alias': {
      const sub = (parsed as npa.AliasResult).subSpec;
      const real = sub.name ?? '';
      const realProblem = invalidNpmName(real);
      if (realProblem) return { invalid: real, problem: realProblem };
      const after = spec.indexOf(real, 4);
      const out: NpmSpec = { name: real, spec: sub.rawSpec, source: 'registry', alias: key };
      if (after !== -1) out.nameIndex = after;
      return out;
    }
    case 'git':
      return { name: key, spec, source: 'git' };
    case 'remote':
      return { name: key, spec, source: 'url' };
    case 'file':
      return { name: key, spec, source: 'file' };
    case 'directory':
      return { name: key, spec, source: TARBALL.test(spec) ? 'file' : 'directory' };
    default:
      return { name: key, spec, source: 'registry' };
  }
}

/**
 * Yarn's `patch:` wraps the descriptor it patches (`patch:lodash@npm%3A4.17.21#./p.patch`);
 * the wrapped package is what gets fetched, so read that.
 */
function readPatch(key: string, spec: string): NpmSpec | InvalidNpmName {
  const inner = safeDecode(spec.slice('patch:'.length).split('#')[0] ?? '');
  const { name, range } = splitDescriptor(inner);
  if (!name || range === undefined) return { name: key, spec, source: 'other', sourceDetail: 'a patched package (patch:)' };
  const read = readNpmSpec(name, range.startsWith('npm:') && !range.slice(4).includes('@') ? range.slice(4) : range);
  if ('invalid' in read) return read;
  const out: NpmSpec = { ...read, spec };
  delete out.nameIndex;
  if (read.name !== key) out.alias = key;
  const at = spec.indexOf(read.name, 'patch:'.length);
  if (at !== -1 && read.name !== key) out.nameIndex = at;
  return out;
}

/** decodeURIComponent that gives the text back unchanged when it is not valid encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Where a resolved URL or path in a lockfile fetches from: `registry` for registry tarballs
 * (any registry: `…/name/-/name-1.0.0.tgz`) and for no URL at all (bundled or registry-less
 * lockfiles), else git, file, directory or url.
 */
export function sourceOfResolved(resolved: string | undefined): RefSource {
  if (resolved === undefined || resolved === '') return 'registry';
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(resolved)) return 'git';
  if (/^https?:\/\//i.test(resolved)) return /\/-\/[^/]+\.tgz(?:[?#].*)?$/.test(resolved) ? 'registry' : 'url';
  if (resolved.startsWith('file:')) return TARBALL.test(resolved) ? 'file' : 'directory';
  if (/^[a-z][a-z+]*:/i.test(resolved)) return 'other';
  return TARBALL.test(resolved) ? 'file' : 'directory';
}
