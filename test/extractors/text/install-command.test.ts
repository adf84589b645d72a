import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInstallCommands, parseCommandLine, type InstallCommand } from '../../../src/extractors/text/install-command.js';

/** `name`, `name@spec`, `name [source]`, `real<-alias`: one label per ref, in order. */
function refs(cmd: InstallCommand | undefined): string[] {
  return (cmd?.refs ?? []).map((r) => `${r.name}${r.alias ? `<-${r.alias}` : ''}${r.spec ? `@${r.spec}` : ''}${r.source && r.source !== 'registry' ? ` [${r.source}]` : ''}`);
}

const codes = (cmd: InstallCommand | undefined) => (cmd?.notes ?? []).map((n) => n.code);

interface ArgvCase {
  argv: string;
  tool?: string;
  sub?: string;
  install?: boolean;
  refs?: string[];
  manifest?: boolean;
  files?: string[];
  program?: string;
  notes?: string[];
  extra?: (c: InstallCommand) => void;
}

// argv cases: words split on spaces (no word below contains one).
const ARGV: ArgvCase[] = [
  // npm install and its aliases (typos included: npm accepts them)
  { argv: 'npm install lodash', tool: 'npm', sub: 'install', refs: ['lodash'] },
  { argv: 'npm i lodash@^4.17.0 @types/node@20', refs: ['lodash@^4.17.0', '@types/node@20'] },
  { argv: 'npm isntall left-pad', sub: 'install', refs: ['left-pad'] },
  { argv: 'npm add -D typescript', sub: 'install', refs: ['typescript'] },
  { argv: 'npm instal --save-dev --save-exact eslint', refs: ['eslint'] },
  { argv: 'npm install sw@npm:string-width@4', refs: ['string-width<-sw@4'] },
  { argv: 'npm install user/repo github:a/b git+ssh://git@github.com/a/b.git', refs: ['user/repo@user/repo [git]', 'github:a/b@github:a/b [git]', 'git+ssh://git@github.com/a/b.git@git+ssh://git@github.com/a/b.git [git]'], notes: ['not-registry', 'not-registry', 'not-registry'] },
  { argv: 'npm install ./local-dir ../pkg.tgz https://example.com/x.tgz', refs: ['./local-dir@./local-dir [directory]', '../pkg.tgz@../pkg.tgz [file]', 'https://example.com/x.tgz@https://example.com/x.tgz [url]'], manifest: true },
  { argv: 'npm install --registry https://npm.example.com/ -g pm2', refs: ['pm2'], extra: (c) => (assert.equal(c.registry, 'https://npm.example.com/'), assert.equal(c.global, true)) },
  { argv: 'npm install --registry=https://r.example/ --tag beta x', refs: ['x'], extra: (c) => assert.equal(c.registry, 'https://r.example/') },
  { argv: 'npm --prefix ./web install react', refs: ['react'], extra: (c) => assert.equal(c.cwd, './web') },
  { argv: 'npm install -w packages/a --omit dev zod', refs: ['zod'] },
  { argv: 'npm install', sub: 'install', refs: [], manifest: true },
  { argv: 'npm ci', sub: 'ci', refs: [], manifest: true },
  { argv: 'npm update lodash', sub: 'update', refs: ['lodash'], manifest: false },
  { argv: 'npm update', sub: 'update', manifest: true },
  { argv: 'npm run build', sub: 'run', install: false },
  { argv: 'npm uninstall lodash', sub: 'uninstall', install: false, refs: [] },
  { argv: 'npm', sub: '', install: false },
  // npx / npm exec: only the package, never the program's arguments
  { argv: 'npx cowsay hello world', tool: 'npx', sub: 'exec', refs: ['cowsay'], program: 'cowsay' },
  { argv: 'npx -y create-react-app my-app', refs: ['create-react-app'] },
  { argv: 'npx -p typescript -p ts-node tsc --init', refs: ['typescript', 'ts-node'], program: 'tsc' },
  { argv: 'npx --package=@angular/cli@17 ng new app', refs: ['@angular/cli@17'], program: 'ng' },
  { argv: 'npm exec -- eslint --fix .', tool: 'npm', sub: 'exec', refs: ['eslint'] },
  { argv: 'npm x prettier@3 --write .', sub: 'exec', refs: ['prettier@3'] },
  { argv: 'npx -c echo', sub: 'exec', install: false, refs: [] },
  // create / init run create-<name>
  { argv: 'npm create vite@latest my-app -- --template react', sub: 'create', refs: ['create-vite@latest'] },
  { argv: 'npm init @angular', refs: ['@angular/create'] },
  { argv: 'npm init @scope/thing', refs: ['@scope/create-thing'] },
  { argv: 'npm init -y', sub: 'create', install: false },
  { argv: 'yarn create next-app', tool: 'yarn', refs: ['create-next-app'] },
  // yarn
  { argv: 'yarn', tool: 'yarn', sub: '', install: true, manifest: true },
  { argv: 'yarn install --frozen-lockfile', manifest: true },
  { argv: 'yarn add -D react react-dom', sub: 'add', refs: ['react', 'react-dom'] },
  { argv: 'yarn add --cwd packages/web zod', refs: ['zod'], extra: (c) => assert.equal(c.cwd, 'packages/web') },
  { argv: 'yarn global add serve', sub: 'global add', refs: ['serve'], extra: (c) => assert.equal(c.global, true) },
  { argv: 'yarn workspace web add axios', sub: 'add', refs: ['axios'] },
  { argv: 'yarn dlx -p a -p b bin', sub: 'dlx', refs: ['a', 'b'], program: 'bin' },
  { argv: 'yarn dlx create-astro', refs: ['create-astro'] },
  { argv: 'yarn up lodash', sub: 'up', refs: ['lodash'] },
  { argv: 'yarn build', sub: 'build', install: false },
  // pnpm
  { argv: 'pnpm add zod', tool: 'pnpm', sub: 'add', refs: ['zod'] },
  { argv: 'pnpm --filter web add -D vitest', refs: ['vitest'] },
  { argv: 'pnpm -C apps/api i fastify', sub: 'install', refs: ['fastify'] },
  { argv: 'pnpm install', manifest: true },
  { argv: 'pnpm dlx --package typescript tsc', sub: 'dlx', refs: ['typescript'], program: 'tsc' },
  { argv: 'pnpx degit user/repo dir', tool: 'pnpm', sub: 'dlx', refs: ['degit'] },
  { argv: 'pnpm exec tsc', install: false },
  // bun: `-p` is --production in add, --package in bunx
  { argv: 'bun add -p elysia', tool: 'bun', refs: ['elysia'] },
  { argv: 'bun add --dev @types/bun', refs: ['@types/bun'] },
  { argv: 'bun install', manifest: true },
  { argv: 'bun i hono', sub: 'install', refs: ['hono'] },
  { argv: 'bunx -p @biomejs/biome biome check', tool: 'bunx', refs: ['@biomejs/biome'], program: 'biome' },
  { argv: 'bunx cowsay@1.6 hi', refs: ['cowsay@1.6'] },
  { argv: 'bun x vite', sub: 'exec', refs: ['vite'] },
  { argv: 'bun run dev', install: false },
  // deno: only npm: specifiers are npm packages
  { argv: 'deno add npm:chalk@5', tool: 'deno', refs: ['chalk@5'] },
  { argv: 'deno add jsr:@std/path', refs: [], notes: ['unsupported'] },
  { argv: 'deno run -A npm:cowsay hi', refs: ['cowsay'] },
  { argv: 'deno run main.ts', install: false },
  // pip
  { argv: 'pip install requests', tool: 'pip', sub: 'install', refs: ['requests'] },
  { argv: 'pip3 install requests==2.31.0 flask>=3,<4', refs: ['requests@==2.31.0', 'flask@>=3,<4'] },
  { argv: 'pip3.12 install -U pip', refs: ['pip'] },
  { argv: 'python -m pip install -r requirements.txt', tool: 'pip', refs: [], files: ['requirements.txt'] },
  { argv: 'python3 -m pip install -rreq.txt -c constraints.txt', files: ['req.txt', 'constraints.txt'] },
  { argv: 'py -3.12 -m pip install httpx', tool: 'pip', refs: ['httpx'] },
  { argv: '/usr/bin/python3.11 -m pip install rich', refs: ['rich'] },
  { argv: 'python -c print(1)', tool: undefined },
  { argv: 'pip install -e .', refs: ['.@. [directory]'], manifest: true, notes: ['not-registry'] },
  { argv: 'pip install .', manifest: true },
  { argv: 'pip install -e git+https://github.com/org/repo.git@main#egg=mypkg', refs: ['mypkg@git+https://github.com/org/repo.git@main#egg=mypkg [git]'] },
  { argv: 'pip install ./dist/my_pkg-1.0-py3-none-any.whl', refs: ['my_pkg@./dist/my_pkg-1.0-py3-none-any.whl [file]'] },
  { argv: 'pip install mypkg@https://example.com/mypkg-1.0.tar.gz', refs: ['mypkg@https://example.com/mypkg-1.0.tar.gz [url]'] },
  { argv: 'pip install requests[socks,security]>=2', refs: ['requests@>=2'] },
  { argv: 'pip install -i https://idx.example/simple --extra-index-url https://extra/simple torch', refs: ['torch'], extra: (c) => (assert.equal(c.indexUrl, 'https://idx.example/simple'), assert.deepEqual(c.extraIndexUrls, ['https://extra/simple'])) },
  { argv: 'pip install --index-url=https://a/simple --target /opt/x --no-deps numpy', refs: ['numpy'], extra: (c) => assert.equal(c.indexUrl, 'https://a/simple') },
  { argv: 'pip install --user --upgrade --pre --platform manylinux2014_x86_64 --only-binary=:all: scipy', refs: ['scipy'] },
  { argv: 'pip download -d wheels pandas', sub: 'download', refs: ['pandas'] },
  { argv: 'pip install --group dev', manifest: true },
  { argv: 'pip uninstall requests', install: false },
  { argv: 'pip freeze', install: false },
  // uv
  { argv: 'uv add httpx ruff==0.5', tool: 'uv', sub: 'add', refs: ['httpx', 'ruff@==0.5'] },
  { argv: 'uv add --dev --group lint -r requirements.txt mypy', refs: ['mypy'], files: ['requirements.txt'] },
  { argv: 'uv pip install flask', sub: 'pip install', refs: ['flask'] },
  { argv: 'uv pip install -e . --system', manifest: true },
  { argv: 'uv pip sync requirements.lock', sub: 'pip sync', files: ['requirements.lock'] },
  { argv: 'uv sync', sub: 'sync', manifest: true },
  { argv: 'uv run --with rich python x.py', sub: 'run', refs: ['rich'], manifest: true },
  { argv: 'uv run pytest', sub: 'run', refs: [], manifest: true, program: 'pytest' },
  { argv: 'uv tool install ruff', sub: 'tool install', refs: ['ruff'] },
  { argv: 'uv tool run --from httpie http GET x', sub: 'tool run', refs: ['httpie'], program: 'http' },
  { argv: 'uvx ruff@0.3.0 check .', tool: 'uvx', sub: 'tool run', refs: ['ruff@0.3.0'], program: 'ruff' },
  { argv: 'uvx --with numpy --from jupyterlab jupyter lab', refs: ['numpy', 'jupyterlab'], program: 'jupyter' },
  { argv: 'uv lock', install: false },
  // poetry
  { argv: 'poetry add requests@^2.31 pendulum>=2', tool: 'poetry', refs: ['requests@^2.31', 'pendulum@>=2'] },
  { argv: 'poetry add -G dev pytest@latest', refs: ['pytest@latest'] },
  { argv: 'poetry install', manifest: true },
  { argv: 'poetry self add poetry-plugin-export', sub: 'self add', refs: ['poetry-plugin-export'] },
  { argv: 'poetry run pip install black', tool: 'pip', refs: ['black'] },
  { argv: 'poetry build', install: false },
  // pipx
  { argv: 'pipx install black', tool: 'pipx', refs: ['black'] },
  { argv: 'pipx install --preinstall ipython jupyterlab', refs: ['ipython', 'jupyterlab'] },
  { argv: 'pipx run --spec cowsay==6 cowsay moo', sub: 'run', refs: ['cowsay@==6'], program: 'cowsay' },
  { argv: 'pipx run pycowsay hello', refs: ['pycowsay'], program: 'pycowsay' },
  { argv: 'pipx inject myapp rich tqdm', sub: 'inject', refs: ['rich', 'tqdm'] },
  { argv: 'pipx list', install: false },
  // pipenv and pdm
  { argv: 'pipenv install requests', tool: 'pipenv', refs: ['requests'] },
  { argv: 'pipenv install', manifest: true },
  { argv: 'pdm add httpx', tool: 'pdm', refs: ['httpx'] },
  { argv: 'pdm sync', manifest: true },
  // conda: not PyPI, said out loud
  { argv: 'conda install -c conda-forge numpy=1.24', tool: 'conda', refs: [], notes: ['unsupported'] },
  { argv: 'mamba create -n env python=3.12', tool: 'conda', notes: ['unsupported'] },
  { argv: 'conda activate env', install: false },
  // wrappers in front of the command
  { argv: 'sudo npm install -g pm2', tool: 'npm', refs: ['pm2'] },
  { argv: 'sudo -u deploy -H pip install gunicorn', tool: 'pip', refs: ['gunicorn'] },
  { argv: 'env NODE_ENV=production npm ci', sub: 'ci', manifest: true },
  { argv: 'FOO=1 BAR=2 yarn add x', refs: ['x'] },
  { argv: 'time nice -n 10 pip install y', refs: ['y'] },
  { argv: 'corepack pnpm add z', tool: 'pnpm', refs: ['z'] },
  { argv: 'command -v npm', tool: undefined },
  { argv: 'ls -la', tool: undefined },
  // unhappy: names no registry would take
  { argv: 'npm install Bad^Name', refs: [], notes: ['invalid-name'] },
  { argv: 'pip install -bad-', refs: [] },
  { argv: 'pip install requests,', refs: [], notes: ['invalid-name'] },
  { argv: 'pip install foo-', refs: [], notes: ['invalid-name'] },
  { argv: 'npm install', refs: [] },
];

describe('parseCommandLine (argv)', () => {
  for (const c of ARGV) {
    it(c.argv, () => {
      const cmd = parseCommandLine(c.argv.split(' '));
      if (c.tool === undefined && 'tool' in c) {
        assert.equal(cmd, undefined);
        return;
      }
      assert.ok(cmd, 'a command');
      if (c.tool) assert.equal(cmd.tool, c.tool);
      if (c.sub !== undefined) assert.equal(cmd.subcommand, c.sub);
      assert.equal(cmd.isInstall, c.install ?? true);
      if (c.refs) assert.deepEqual(refs(cmd), c.refs);
      if (c.manifest !== undefined) assert.equal(cmd.installsFromManifest, c.manifest);
      if (c.files) assert.deepEqual(cmd.requirementFiles, c.files);
      if (c.program !== undefined) assert.equal(cmd.program, c.program);
      if (c.notes) assert.deepEqual(codes(cmd), c.notes);
      c.extra?.(cmd);
    });
  }

  it('locates each ref at its argument (1-based index) in <args>', () => {
    const cmd = parseCommandLine(['npm', 'install', '-D', 'a', 'b']);
    assert.deepEqual(
      cmd?.refs.map((r) => r.origin),
      [
        { file: '<args>', column: 4, context: 'npm install' },
        { file: '<args>', column: 5, context: 'npm install' },
      ],
    );
  });

  it('invalid names on the command line are errors (the user typed them)', () => {
    const cmd = parseCommandLine(['pip', 'install', 'foo-']);
    assert.equal(cmd?.notes[0]?.level, 'error');
  });

  it('a value-taking flag at the very end does not crash or invent a package', () => {
    for (const argv of [['npm', 'install', '--registry'], ['pip', 'install', '-r'], ['npx', '-p'], ['uvx', '--from']]) {
      const cmd = parseCommandLine(argv);
      assert.deepEqual(cmd?.refs, [], argv.join(' '));
    }
  });

  it('keeps argv (wrappers removed) and never reads flags as packages', () => {
    const cmd = parseCommandLine(['sudo', 'env', 'A=1', 'npm', 'i', '--cache', '/tmp/c', '--loglevel', 'silly', 'x']);
    assert.deepEqual(cmd?.argv, ['npm', 'i', '--cache', '/tmp/c', '--loglevel', 'silly', 'x']);
    assert.deepEqual(refs(cmd), ['x']);
  });
});

/** Every ref of every install command in `text`, as `name@line:column-endColumn`. */
function located(text: string): string[] {
  return findInstallCommands(text, { file: 'x.sh' }).flatMap((c) => c.refs.map((r) => `${r.name}@${r.origin?.line}:${r.origin?.column}-${r.origin?.endColumn}`));
}

describe('findInstallCommands (shell text)', () => {
  const TEXT: Array<[string, string, string[]]> = [
    ['a plain command', 'npm install lodash', ['lodash@1:13-19']],
    ['&& || ; | &', 'cd x && npm i a || pip install b; yarn add c | cat & pnpm add d', ['a@1:15-16', 'b@1:32-33', 'c@1:44-45', 'd@1:63-64']],
    ['line continuations', 'pip install \\\n  numpy \\\n  pandas', ['numpy@2:3-8', 'pandas@3:3-9']],
    ['several lines', 'npm ci\nnpm i x\n\npip install y', ['x@2:7-8', 'y@4:13-14']],
    ['quotes: the name is found inside', `pip install 'requests[socks]>=2' "flask==3"`, ['requests@1:14-22', 'flask@1:35-40']],
    ['sudo, env, FOO=1', 'sudo -E env A=1 B=2 npm install -g x', ['x@1:36-37']],
    ['$(...) and backticks run too', 'echo $(npm i a) `pip install b`', ['a@1:14-15', 'b@1:30-31']],
    ['bash -c and sh -c', `bash -lc 'npm i a && pip install b'`, ['a@1:17-18', 'b@1:34-35']],
    ['a Dockerfile RUN line', 'RUN --mount=type=cache,target=/root/.cache pip install x', ['x@1:56-57']],
    ['comments are not commands', '# npm install nope\nnpm i yes # pip install nope2', ['yes@2:7-10']],
    ['here-documents are data', 'cat <<EOF > f\nnpm install nope\nEOF\nnpm i yes', ['yes@4:7-10']],
    ['redirections drop their target', 'npm install a > log.txt 2>&1 < /dev/null', ['a@1:13-14']],
    ['CRLF line ends', 'npm i a\r\npip install b\r\n', ['a@1:7-8', 'b@2:13-14']],
    ['not install commands', 'npm run build && npm test && ls', []],
    ['npx does not read the program arguments', 'npx eslint --fix src lodash', ['eslint@1:5-11']],
    ['python -m pip', 'python3 -m pip install --upgrade pip setuptools', ['pip@1:34-37', 'setuptools@1:38-48']],
  ];
  for (const [what, text, want] of TEXT) it(what, () => assert.deepEqual(located(text), want));

  it('shifts origins by the given line and column', () => {
    const cmds = findInstallCommands('npm i a\nnpm i b', { file: 'README.md', line: 10, column: 5 });
    assert.deepEqual(
      cmds.map((c) => c.refs[0]?.origin),
      [
        { file: 'README.md', line: 10, column: 11, endColumn: 12, context: 'npm install' },
        { file: 'README.md', line: 11, column: 7, endColumn: 8, context: 'npm install' },
      ],
    );
  });

  it('variables and command substitutions are noted, never looked up', () => {
    const [cmd] = findInstallCommands('npm install $PKG "$(cat list)" ok', { file: 'x.sh' });
    assert.deepEqual(refs(cmd), ['ok']);
    assert.deepEqual(codes(cmd), ['skipped', 'skipped']);
    assert.match(cmd!.notes[0]!.message, /\$PKG/);
  });

  it('an unterminated quote is reported and the command read as far as possible', () => {
    const [cmd] = findInstallCommands(`pip install "requests`, { file: 'x.sh' });
    assert.deepEqual(refs(cmd), ['requests']);
    assert.deepEqual(codes(cmd), ['malformed']);
    assert.equal(cmd!.notes[0]!.level, 'warning');
  });

  it('unterminated single quote, $( and backtick do not hang or throw', () => {
    for (const t of [`npm i 'a`, 'npm i $(npm i b', 'npm i `x', 'npm i ${X', 'npm i "$(', "npm i $'x"]) {
      assert.doesNotThrow(() => findInstallCommands(t, { file: 'x.sh' }), t);
    }
  });

  it('invalid names in text are warnings (text is not the user typing)', () => {
    const [cmd] = findInstallCommands('npm install "Bad Name"', { file: 'x.sh' });
    assert.deepEqual(codes(cmd), ['invalid-name']);
    assert.equal(cmd!.notes[0]!.level, 'warning');
  });

  it('deep nesting of substitutions is bounded', () => {
    const deep = `${'$('.repeat(5000)}npm i x${')'.repeat(5000)}`;
    assert.doesNotThrow(() => findInstallCommands(deep, { file: 'x.sh' }));
  });

  it('a huge line is read in one pass', () => {
    const huge = `npm install ${Array.from({ length: 20_000 }, (_, i) => `p${i}`).join(' ')}`;
    const [cmd] = findInstallCommands(huge, { file: 'x.sh' });
    assert.equal(cmd?.refs.length, 5000 - 2); // at most 5,000 words a command: npm, install, then names
  });

  it('weird flags never become packages', () => {
    const [cmd] = findInstallCommands('pip install --weird-flag ---x -- -y requests', { file: 'x.sh' });
    // after `--` everything is positional, so `-y` is read (and refused) as a name
    assert.deepEqual(refs(cmd), ['requests']);
    assert.deepEqual(codes(cmd), ['invalid-name']);
  });
});
