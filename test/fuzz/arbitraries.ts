/**
 * fast-check arbitraries for hostile documents: random text, text built from fragments shaped
 * like each format (so the fuzzer reaches deep into the parsers instead of failing at byte 1),
 * and seed documents with random edits.
 */
import fc from 'fast-check';
import type { Extractor } from '../../src/core/types.js';

/** Characters that break parsers and terminals: controls, NUL, BOM, CR, bidi, lone surrogates. */
export const NASTY_CHARS = [
  '\u0000', '\r', '\r\n', '\n', '\t', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029',
  '\ufeff', '\u202e', '\u2066', '\u200b', '\ud800', '\udfff', '\uffff', '\\', '"', "'", '`', '$', '#', ';', '|', '&',
  '{', '}', '[', ']', '(', ')', '<', '>', '=', '@', ':', ',', '/', '*', '%', '~', '^', ' ', '  ', '\u0430', '\u0131',
];

/** Fragments common to every format (names, specs, URLs, escapes). */
const COMMON = [
  'lodash', 'requests', '@scope/name', '@', '@/', 'npm:', 'npm:lodash@1', 'pypi:', 'git+ssh://git@github.com/a/b.git',
  'https://registry.npmjs.org/x/-/x-1.0.0.tgz', 'file:../x', 'link:./x', 'workspace:*', 'github:a/b', '^1.2.3', '~1', '>=1,<2',
  '==1.0', '1.0.0', '*', 'latest', '\u001b[31mred\u001b[0m', '\u001b]8;;http://evil\u0007x\u001b]8;;\u0007', 'é', '\u0440eact',
  '../../etc/passwd', '/etc/passwd', 'C:\\x', '%00', '%2f', '\\u0000', 'a'.repeat(300),
];

/** Format-shaped fragments per format family. */
export const FRAGMENTS: Record<string, string[]> = {
  json: [
    '{', '}', '[', ']', ':', ',', '"', 'null', 'true', '1e999', '-0', '"dependencies"', '"devDependencies"', '"packages"',
    '"node_modules/x"', '"node_modules/@a/b/node_modules/c"', '"lockfileVersion"', '3', '"version"', '"resolved"',
    '"integrity"', '"link"', '"workspaces"', '"overrides"', '"$x"', '"resolutions"', '"pnpm"', '"bundleDependencies"',
    '"default"', '"develop"', '"_meta"', '"sources"', '"index"', '"editable"', '"git"', '"path"', '"name"', '"dev"',
    '"optional"', '"requires"', '// c\n', '/* c */', '/*', ',}', ',]', '"\\u0000"', '"\\ud800"', '"\\x"', '"a\nb"',
  ],
  yarn: [
    '# yarn lockfile v1\n', '__metadata:\n', '  version: 6\n', '"x@^1.0.0":\n', 'x@^1.0.0, x@^1.1.0:\n', '"@a/b@npm:^2":\n',
    '  version "1.0.0"\n', '  version: 1.0.0\n', '  resolved "https://r/x.tgz"\n', '  resolution: "x@npm:1.0.0"\n',
    '  dependencies:\n', '    y "^2"\n', '    y: ^2\n', '  integrity sha512-x\n', '  languageName: node\n', '  linkType: hard\n',
    '"x@patch:x@1#./p"', '"x@workspace:."', '"x@git+https://a/b"', '"x@file:./y"', '\n', '  ', '    ', ':', '"', '#',
  ],
  yaml: [
    "lockfileVersion: '9.0'\n", 'lockfileVersion: 5.4\n', 'importers:\n', '  .:\n', '    dependencies:\n', '      x:\n',
    "        specifier: ^1\n", '        version: 1.0.0\n', 'packages:\n', '  /x@1.0.0:\n', '  x@1.0.0:\n', "  '@a/b@2.0.0':\n",
    '    resolution: {integrity: sha512-x}\n', '    resolution: {tarball: file:x.tgz}\n', 'snapshots:\n', 'settings:\n',
    '&a [1, 2]', '*a', '<<: *a\n', '!!js/function x', '!!binary', '---\n', '...\n', '? ', '- ', '|\n', '>\n', '{', '}', '[', ']',
    ':', ' ', '  ', '\t', '"', "'", '#', '%YAML 1.2\n',
  ],
  toml: [
    '[project]\n', 'dependencies = [\n', '"requests>=2",\n', ']\n', '[project.optional-dependencies]\n', 'dev = ["x"]\n',
    '[dependency-groups]\n', 'g = [{include-group = "h"}]\n', '[tool.poetry.dependencies]\n', 'x = "^1"\n',
    'x = {version = "1", optional = true}\n', 'x = {git = "https://a/b"}\n', 'x = {path = "../x"}\n', '[[package]]\n',
    'name = "x"\n', 'version = "1.0"\n', 'source = { registry = "https://pypi.org/simple" }\n', 'source = { git = "https://a" }\n',
    'source = { editable = "." }\n', 'source = { virtual = "." }\n', '[package.source]\n', 'type = "git"\n', '[metadata]\n',
    '[packages]\n', '[dev-packages]\n', '[[source]]\n', 'url = "https://pypi.org/simple"\n', 'x = "*"\n', 'index = "y"\n',
    'version = 1\n', 'a.b.c = 1\n', '"""', "'''", '[', ']', '{', '}', '=', '.', '\n', ' ',
  ],
  requirements: [
    'requests\n', 'requests==2.31.0\n', 'x[extra]>=1; python_version < "3.8"\n', '-r other.txt\n', '-r requirements.txt\n',
    '-c constraints.txt\n', '--requirement=x.txt\n', '-e git+https://a/b#egg=x\n', '-e .\n', '--index-url https://i/simple\n',
    '--extra-index-url https://u:p@i/simple\n', '-i https://i\n', '--hash=sha256:abc\n', ' \\\n', '\\\n', '# c\n', ' #c',
    'https://x/y-1.0-py3-none-any.whl\n', './local/pkg\n', 'x @ https://a/b.zip\n', 'x @ file:///tmp/x\n', '--pre\n',
    '--find-links ./w\n', '-f x\n', '--no-index\n', '==', '>=', '~=', '!=', '===', ';', '[', ']', ',', '@', '\n', '\r\n',
  ],
};

/** Which fragment family each extractor id's format belongs to (unknown ids get every family). */
export function familyOf(id: string): string[] {
  if (/json|lock-?v|package-lock|pipfile-lock|bun-lock$/.test(id) && !/lockb/.test(id)) return ['json'];
  if (/yarn/.test(id)) return ['yarn'];
  if (/pnpm/.test(id)) return ['yaml'];
  if (/requirements/.test(id)) return ['requirements'];
  if (/pyproject|poetry|pipfile|uv/.test(id)) return ['toml'];
  return Object.keys(FRAGMENTS);
}

/** Text built from `fragments`, common fragments, nasty characters and random strings. */
export function shapedText(fragments: readonly string[], maxPieces = 80): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fragments) },
    { weight: 2, arbitrary: fc.constantFrom(...COMMON) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_CHARS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );
  return fc.array(piece, { maxLength: maxPieces }).map((parts) => parts.join(''));
}

/** Arbitrary Unicode (lone surrogates included) and arbitrary bytes read as UTF-8. */
export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
);

/** A seed document with random edits: deletions, insertions of fragments, duplicated slices. */
export function mutated(seeds: readonly string[], fragments: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    del: fc.nat({ max: 40 }),
    insert: fc.oneof(fc.constantFrom(...fragments), fc.constantFrom(...NASTY_CHARS), fc.constant('')),
    dup: fc.boolean(),
  });
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 8 })).map(([seed, edits]) => {
    let s = seed;
    for (const e of edits) {
      const i = Math.floor(e.at * s.length);
      const removed = s.slice(i, i + e.del);
      s = s.slice(0, i) + e.insert + (e.dup ? removed + removed : '') + s.slice(i + e.del);
    }
    return s;
  });
}

/** Lines in `s`, counting CRLF, CR and LF as line ends (origins must stay inside the text). */
export function lineCount(s: string): number {
  return s.split(/\r\n|\r|\n/).length;
}

/** File names to offer each extractor's `matches`; the first it accepts is used. */
const CANDIDATE_PATHS = [
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb',
  'requirements.txt', 'requirements-dev.txt', 'requirements/base.txt', 'constraints.txt', 'requirements.in', 'pyproject.toml',
  'poetry.lock', 'Pipfile', 'Pipfile.lock', 'uv.lock', 'pdm.lock', 'setup.cfg', 'setup.py', 'environment.yml', 'pylock.toml',
  'deno.json', 'deno.lock', 'pixi.toml', '.mcp.json', '.codex/config.toml', 'AGENTS.md',
];

/** A path this extractor reads (throws when none of the candidates matches). */
export function pathFor(ex: Pick<Extractor, 'id' | 'matches'>): string {
  const p = CANDIDATE_PATHS.find((c) => ex.matches(c));
  if (!p) throw new Error(`no candidate file name matches extractor ${ex.id}; add its file name to CANDIDATE_PATHS`);
  return p;
}

