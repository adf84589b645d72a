import { lazyRequire } from './lazy-require.js';
import type npaType from 'npm-package-arg';
import validateNpmName from 'validate-npm-package-name';
import { PYPI_NAME } from './names.js';
import type { Ecosystem, PackageRef } from './types.js';

/** The outcome of reading command-line specs: refs to check, and problems to report (exit 2). */
export interface ParsedSpecs {
  refs: PackageRef[];
  errors: string[];
}

/** Why an npm name is not valid, or undefined when npm accepts it (old-style capitals included). */
export function npmNameProblem(name: string): string | undefined {
  // validate-npm-package-name calls encodeURIComponent, which throws on an unpaired surrogate
  // (a `\udfff` escape in a JSON key gets one into a name): that is a bad name, not a crash.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) return 'name contains an unpaired UTF-16 surrogate';
  const v = validateNpmName(name);
  if (v.validForOldPackages) return undefined;
  // A space is plain ASCII, just not allowed: say so instead of calling it a look-alike.
  if (/^[\x20-\x7e]*$/.test(name) && name.includes(' ')) return 'name contains a space (npm names have none; two names are two arguments)';
  // Say which characters: a Cyrillic `е` in `ехpress` is invisible in "URL-friendly characters".
  const odd = [...name].filter((c) => !/[\x21-\x7e]/.test(c));
  if (odd.length) {
    const codes = [...new Set(odd)].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
    return `name contains characters that are not plain ASCII (${codes}): look-alikes of Latin letters, invisible or control characters`;
  }
  return [...(v.errors ?? []), ...(v.warnings ?? [])][0] ?? 'not a valid npm package name';
}

// PEP 508: name, optional [extras], then version specifiers, URL or markers.
const PEP508_HEAD = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/s;
const PEP440_SPECIFIERS = /^(?:(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)+$/;

function parsePypi(text: string, origin: PackageRef['origin']): PackageRef | string {
  const m = PEP508_HEAD.exec(text.trim());
  if (!m || !PYPI_NAME.test(m[1]!)) return `\`${text}\` is not a valid PyPI project name (PEP 508)`;
  const rest = (m[3] ?? '').trim();
  if (rest && !PEP440_SPECIFIERS.test(rest)) return `\`${text}\`: expected a version specifier such as ==1.2 or >=2 after the name`;
  const ref: PackageRef = { ecosystem: 'pypi', name: m[1]!, source: 'registry' };
  if (rest) ref.spec = rest;
  if (origin) ref.origin = origin;
  return ref;
}

// npm-package-arg brings all of semver and hosted-git-info (~60 modules, a third of what a warm
// `slopguard check express` loaded); a bare name, the usual spec and every hook's, does not need it.
const npaModule = lazyRequire<typeof npaType>('npm-package-arg');
const npa = (spec: string) => npaModule()(spec);

/** `name` or `@scope/name` in the characters npm allows everywhere; not a path, URL, tarball or range. */
const BARE_NPM_NAME = /^(?:@[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;
const TARBALL = /\.(tgz|tar\.gz|tar)$/;

function parseNpm(text: string, origin: PackageRef['origin']): PackageRef | string {
  if (BARE_NPM_NAME.test(text) && !TARBALL.test(text)) {
    const problem = npmNameProblem(text);
    if (problem) return `\`${text}\` is not a valid npm package name: ${problem}`;
    const ref: PackageRef = { ecosystem: 'npm', name: text, source: 'registry' };
    if (origin) ref.origin = origin;
    return ref;
  }
  // Judge a plain `name[@spec]` ourselves first: npm-package-arg's errors speak of tags and
  // encodeURIComponent, which tells a user nothing about what is wrong with the name.
  const at = text.indexOf('@', 1);
  const namePart = at === -1 ? text : text.slice(0, at);
  const looksLikePath = /^(\.{1,2}[\\/]|[\\/]|~[\\/]|[a-z+]+:)/i.test(text) || /\.(tgz|tar\.gz|tar)$/.test(text);
  if (!looksLikePath && !/^[^@]*\/[^/]*\/|^[\w-]+\/[\w.-]+$/.test(namePart)) {
    const problem = npmNameProblem(namePart);
    if (problem) return `\`${namePart}\` is not a valid npm package name: ${problem} (names look like \`express\` or \`@scope/name\`)`;
  }
  let parsed: npaType.Result;
  try {
    parsed = npa(text);
  } catch {
    return at === -1
      ? `\`${text}\` is not a valid npm package spec`
      : `\`${text}\`: \`${text.slice(at + 1)}\` is not a valid version, range or dist-tag`;
  }
  // npm reads anything it cannot take for a name as a path (`@/x`, `.hidden`); on our command
  // line only an explicit path is a path, so judge the rest as a (bad) name.
  if ((parsed.type === 'directory' || parsed.type === 'file') && !/^(\.{1,2}[\\/]|[\\/]|~[\\/]|file:)/.test(text) && !/\.(tgz|tar\.gz|tar)$/.test(text)) {
    const name = text.startsWith('@') ? text.replace(/^(@[^@]*)@.*$/, '$1') : text.replace(/@.*$/, '');
    return `\`${name}\` is not a valid npm package name: ${npmNameProblem(name) ?? 'npm would read it as a path'}`;
  }
  const real = parsed.type === 'alias' ? (parsed as npaType.Result & { subSpec: npaType.Result }).subSpec : parsed;
  if (real.type !== 'version' && real.type !== 'range' && real.type !== 'tag') {
    return `\`${text}\` is a ${real.type} spec, not a registry package: nothing to look up`;
  }
  const name = real.name ?? '';
  const problem = npmNameProblem(name);
  if (problem) return `\`${name}\` is not a valid npm package name: ${problem}`;
  const ref: PackageRef = { ecosystem: 'npm', name, source: 'registry' };
  if (real.rawSpec && real.rawSpec !== '*') ref.spec = real.rawSpec;
  if (parsed.type === 'alias' && parsed.name) ref.alias = parsed.name;
  if (origin) ref.origin = origin;
  return ref;
}

/**
 * Read specs as typed on the command line: `name`, `name@range`, `npm:name`, `pypi:name`,
 * `pypi:name==1.2`. Bad specs are collected, never looked up.
 */
export function parseSpecs(specs: readonly string[], defaultEcosystem: Ecosystem, file = '<args>'): ParsedSpecs {
  const refs: PackageRef[] = [];
  const errors: string[] = [];
  specs.forEach((raw, i) => {
    const text = raw.trim();
    if (!text) return;
    const origin = file === '<args>' ? { file, column: i + 1 } : { file, line: i + 1 };
    let eco = defaultEcosystem;
    let body = text;
    const prefix = /^(npm|pypi):/.exec(text);
    // `npm:` is also npm's own alias syntax inside a spec; at the start of an argument it picks the ecosystem.
    if (prefix) {
      eco = prefix[1] as Ecosystem;
      body = text.slice(prefix[0].length);
    }
    if (!body) {
      errors.push(`\`${text}\`: a package name is missing after "${eco}:"`);
      return;
    }
    const result = eco === 'pypi' ? parsePypi(body, origin) : parseNpm(body, origin);
    if (typeof result === 'string') errors.push(result);
    else refs.push(result);
  });
  return { refs, errors };
}
