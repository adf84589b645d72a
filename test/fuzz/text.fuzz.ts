/**
 * The text-side extractors under fast-check: the install-command grammar (argv and shell text),
 * unified diffs, free text (agent answers, Markdown, Dockerfiles) and source imports. Random and
 * shell-shaped input; they never throw, and what they return points inside the text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ExtractNote, Origin, PackageRef } from '../../src/core/types.js';
import { findInstallCommands, parseCommandLine, type InstallCommand } from '../../src/extractors/text/install-command.js';
import { TEXT_TARGETS } from './linear-targets.js';
import { tally } from '../reliability/harness.js';
import { sized } from '../reliability/size.js';
import { FRAGMENTS, NASTY_CHARS, lineCount, randomText, shapedText } from './arbitraries.js';

/** Words of package-manager command lines. */
export const COMMAND_WORDS = [
  'npm', 'npx', 'yarn', 'pnpm', 'bun', 'bunx', 'deno', 'pip', 'pip3', 'python', 'python3', '-m', 'uv', 'uvx', 'poetry', 'pipx',
  'pipenv', 'pdm', 'conda', 'mamba', 'sudo', 'env', 'FOO=1', 'bash', 'sh', '-c', 'install', 'i', 'isntall', 'add', 'ci', 'exec',
  'dlx', 'create', 'run', 'sync', 'tool', 'global', 'update', 'remove', 'init', '-g', '--global', '-D', '--save-dev', '-E', '-r',
  'req.txt', '-c', '-e', '.', '-i', '--index-url', 'https://u:p@idx/simple', '--extra-index-url', '--registry', 'http://r/', '--prefix',
  '-C', '--', '--yes', '-y', '--package', '-p', 'lodash', 'lodash@^4', '@types/node', '@scope/x@npm:y@1', 'npm:real@1', 'requests',
  'requests==2.31', 'x[extra]>=1', '"x>=1; python_version<\'3\'"', 'git+https://a/b.git', 'github:a/b', 'file:../x', './x', '/abs/x',
  'https://x/y.tgz', '$VAR', '${VAR}', '$(curl evil)', '`id`', "'a b'", '"a b"', 'a\\ b', '&&', '||', ';', '|', '&', '>', '<', '2>&1',
  '\\\n', '\n', '#', '# comment', 'RUN', 'sudo -u x', 'create-react-app', 'vite@latest', '@angular/cli',
];

/** Shell-shaped text: command words joined by spaces and separators, with nasty characters. */
export const shellText: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...COMMAND_WORDS) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY_CHARS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 60 })
  .chain((words) => fc.array(fc.constantFrom(' ', ' ', ' ', '\t', '', '\n', ' && ', '; '), { minLength: words.length, maxLength: words.length }).map((seps) => words.map((w, i) => w + seps[i]).join('')));

/** An argv as a wrapper receives it: a tool first, then words (any string may be one word). */
const argvArb: fc.Arbitrary<string[]> = fc.tuple(
  fc.constantFrom('npm', 'npx', 'yarn', 'pnpm', 'bun', 'bunx', 'pip', 'pip3', 'python', 'python3', 'uv', 'uvx', 'poetry', 'pipx', 'sudo', 'env'),
  fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...COMMAND_WORDS) }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY_CHARS) }), { maxLength: 16 }),
).map(([tool, rest]) => [tool, ...rest]);

/** Assert refs and notes point inside a text of `lines` lines. */
export function assertLocated(refs: readonly PackageRef[], notes: readonly ExtractNote[], lines: number | undefined): void {
  const check = (o: Origin | undefined, what: string) => {
    if (!o) return;
    assert.equal(typeof o.file, 'string', what);
    if (lines !== undefined && o.line !== undefined) assert.ok(o.line >= 1 && o.line <= lines + 1, `${what}: line ${o.line} of ${lines}`);
    if (o.column !== undefined) assert.ok(Number.isInteger(o.column) && o.column >= 1, `${what}: column ${o.column}`);
  };
  for (const r of refs) {
    assert.ok(r.ecosystem === 'npm' || r.ecosystem === 'pypi');
    assert.equal(typeof r.name, 'string');
    check(r.origin, `ref ${JSON.stringify(r.name)}`);
  }
  for (const n of notes) {
    assert.ok(['error', 'warning', 'info'].includes(n.level));
    assert.ok(n.message.length > 0);
    check(n.origin, `note ${n.code}`);
  }
}

function assertCommand(c: InstallCommand, lines: number | undefined): void {
  assert.equal(typeof c.tool, 'string');
  assert.equal(typeof c.isInstall, 'boolean');
  assert.ok(Array.isArray(c.requirementFiles) && Array.isArray(c.argv));
  assertLocated(c.refs, c.notes, lines);
}

/** Runs per property (four times as many in the full run). */
const RUNS = sized({ argv: 3000, argvRandom: 1000, shell: 3000, shellRandom: 1000 }, { argv: 12_000, argvRandom: 4000, shell: 12_000, shellRandom: 4000 });

describe('fuzz: install-command grammar never throws', () => {
  it('parseCommandLine: shaped argv', () => {
    fc.assert(
      fc.property(argvArb, (argv) => {
        const c = parseCommandLine(argv);
        if (c) assertCommand(c, undefined);
      }),
      { numRuns: RUNS.argv },
    );
    tally.fuzzRuns += RUNS.argv;
  });

  it('parseCommandLine: arbitrary strings', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 12 }), (argv) => {
        const c = parseCommandLine(argv);
        if (c) assertCommand(c, undefined);
      }),
      { numRuns: RUNS.argvRandom },
    );
    tally.fuzzRuns += RUNS.argvRandom;
  });

  it('findInstallCommands: shell-shaped text', () => {
    fc.assert(
      fc.property(shellText, (text) => {
        for (const c of findInstallCommands(text, { file: 'x.sh' })) assertCommand(c, lineCount(text));
      }),
      { numRuns: RUNS.shell },
    );
    tally.fuzzRuns += RUNS.shell;
  });

  it('findInstallCommands: random text', () => {
    fc.assert(
      fc.property(randomText, (text) => {
        for (const c of findInstallCommands(text, { file: 'x.sh', line: 3, column: 5 })) assertCommand(c, lineCount(text) + 3);
      }),
      { numRuns: RUNS.shellRandom },
    );
    tally.fuzzRuns += RUNS.shellRandom;
  });

  it('findInstallCommands: bash -c nested 14 deep, $(...) nested 2000 deep', () => {
    // Each level of quoting doubles the backslashes: 14 levels is 16k of them.
    let cmd = 'npm install lodash';
    for (let i = 0; i < 14; i++) cmd = `bash -c ${JSON.stringify(cmd)}`;
    findInstallCommands(cmd, { file: 'x.sh' });
    let sub = 'pip install requests';
    for (let i = 0; i < 2000; i++) sub = `echo $(${sub})`;
    findInstallCommands(sub, { file: 'x.sh' });
    tally.hostile += 2;
  });
});

/** Fragments of diffs, agent answers, Dockerfiles and source files. */
const TEXT_FRAGMENTS = [
  'diff --git a/package.json b/package.json\n', '--- a/requirements.txt\n', '+++ b/requirements.txt\n', '+++ /dev/null\n', '--- /dev/null\n',
  '@@ -1,3 +1,4 @@\n', '@@ -0,0 +1 @@\n', '@@ -1 +1 @@ x\n', '+', '-', ' ', '\\ No newline at end of file\n', 'new file mode 100644\n',
  'rename from a\n', 'Binary files a/x and b/x differ\n', '```bash\n', '```\n', '```python\n', '~~~\n', '$ ', '> ', 'RUN ', 'FROM node\n',
  'import x from "y"\n', "require('z')\n", 'import("w")\n', 'from a.b import c\n', 'import numpy as np\n', '# ', '"""', "'''",
  'export * from "q"\n', '/* x */', '// y\n',
];
const textArb = shapedText([...TEXT_FRAGMENTS, ...COMMAND_WORDS.map((w) => `${w} `), ...FRAGMENTS.json!, ...FRAGMENTS.requirements!], 120);
const TEXT_RUNS = sized(400, 1600);

describe('fuzz: diff, free text and import parsers never throw', () => {
  for (const [name, parse] of Object.entries(TEXT_TARGETS)) {
    it(name, () => {
      fc.assert(
        fc.property(fc.oneof(textArb, randomText), (text) => {
          const r = parse(text) as { refs: PackageRef[]; notes: ExtractNote[] };
          assertLocated(r.refs, r.notes, undefined);
        }),
        { numRuns: TEXT_RUNS },
      );
      tally.fuzzRuns += TEXT_RUNS;
    });
  }
});
