/**
 * The agent-command corpus (issue 13): several hundred shell commands and manifest edits as coding
 * agents emit them, each labelled `bad` (installs an invented name, a fresh squat or a typo of a
 * popular package) or `good` (installs established packages, or installs nothing), run through every
 * install door: the Claude Code hook, the Cursor hook and, for single plain commands, the wrappers.
 *
 * Per door it counts bad cases stopped (deny or ask; for the wrapper: the package manager never
 * started), good cases let through, and crashes, and prints one summary line plus the misses by id.
 * The bar is >= 99.5% of bad cases stopped, no good case stopped, no crash, per door, enforced,
 * `transitive` cases (a good package whose dependency is bad) included: the hooks resolve the tree
 * with the real npm (install/tree-option.ts, on by default), and the wrapper door runs those cases
 * with the real npm and pnpm, whose every request passes the wrapper's install guard
 * (src/wrap/guard.ts). SLOPGUARD_CORPUS_VERBOSE=1 prints each miss with the door's answer.
 *
 * Run: node --test dist/test/corpus/agent-commands.test.js
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureRegistry, type FixtureRegistry } from '../fixture-registry/server.js';
import { registryEnv } from '../hook/fixtures.js';
import { DOORS, installFakeTools, plainArgv, runClaude, runCursor, runWrapper, runWrapperReal, type Door, type DoorOutcome, type RunContext } from './doors.js';
import { categoryOf, CORPUS_DIR, loadCases, loadRegistry, PROJECTS_DIR, privateFixtures, publicFixtures, type CorpusCase } from './load.js';

/** The evaluation lists beside the repository (read to prove the corpus does not use them). */
const EVAL_DIR = join(CORPUS_DIR, '..', '..', '..', 'shared', 'eval');

/** The clock of the corpus (the bundled popular lists are from 2026-11). */
const NOW = new Date('2026-11-26T12:00:00Z');
/** SLOPGUARD_CORPUS_VERBOSE=1 prints each miss with the door's answer, not only its id. */
const VERBOSE = !!process.env.SLOPGUARD_CORPUS_VERBOSE && process.env.SLOPGUARD_CORPUS_VERBOSE !== '0';
/** The bar of issue 13, per door. */
const MIN_BAD_STOPPED = 0.995;
/** Categories the wrapper door runs with the real client (only the install itself reveals them). */
const REAL_CLIENT_CATEGORIES: ReadonlySet<string> = new Set(['transitive']);

interface Tally {
  bad: number;
  stopped: number;
  good: number;
  passed: number;
  /** Bad cases let through, good cases stopped, crashes: `id: detail`. */
  missedBad: string[];
  stoppedGood: string[];
  crashes: string[];
}

const cases = loadCases();
const tallies = new Map<Door, Tally>(DOORS.map((d) => [d, { bad: 0, stopped: 0, good: 0, passed: 0, missedBad: [], stoppedGood: [], crashes: [] }]));

let root: string;
let pub: FixtureRegistry;
let priv: FixtureRegistry;
let ctx: RunContext;
let fakeLog: string;
/** PATH for the real clients: this Node's npm, and pnpm from node_modules/.bin (nothing else of it). */
let realPath: string;

before(async () => {
  const registry = loadRegistry();
  pub = await startFixtureRegistry(publicFixtures(registry, NOW));
  priv = await startFixtureRegistry(privateFixtures(registry));
  root = mkdtempSync(join(tmpdir(), 'slopguard-corpus-'));
  mkdirSync(join(root, 'cache'));
  // One copy of the project folders for the whole run: the doors judge commands and edits, none runs them.
  cpSync(PROJECTS_DIR, join(root, 'projects'), { recursive: true });
  installFakeTools(join(root, 'bin'));
  mkdirSync(join(root, 'real-bin'));
  const pnpm = join(CORPUS_DIR, '..', '..', 'node_modules', '.bin', 'pnpm');
  if (existsSync(pnpm)) symlinkSync(pnpm, join(root, 'real-bin', 'pnpm'));
  realPath = `${join(root, 'real-bin')}:${dirname(process.execPath)}:/usr/bin:/bin`;
  fakeLog = join(root, 'fake-tools.log');
  ctx = {
    projectDir: (name) => join(root, 'projects', name),
    env: {
      ...registryEnv(pub.url, join(root, 'cache')),
      PATH: `${join(root, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
      CORPUS_FAKE_LOG: fakeLog,
      // The machine's pip.conf (extra indexes, constraints) is not part of the corpus's world.
      PIP_CONFIG_FILE: '/dev/null',
    },
    now: NOW,
    privateUrl: priv.url,
  };
  // The hooks resolve trees by default, with the package manager on the agent's PATH: here the real
  // npm (its own HOME, config and cache) against the corpus registry. The corpus's PyPI world
  // serves no wheels, so pip could only answer "not checked": its trees are left to
  // test/install/resolve-tree.test.ts (a PEP 503 index of real wheels), SLOPGUARD_RESOLVE_TREE=npm.
  const hookHome = join(root, 'hook-home');
  mkdirSync(hookHome);
  writeFileSync(join(hookHome, '.npmrc'), '');
  const hookEnv: Record<string, string> = {
    ...ctx.env,
    PATH: realPath,
    HOME: hookHome,
    npm_config_userconfig: join(hookHome, '.npmrc'),
    npm_config_cache: join(hookHome, 'npm-cache'),
    npm_config_update_notifier: 'false',
    SLOPGUARD_RESOLVE_TREE: 'npm',
  };
  ctx.hookEnv = hookEnv;
});

after(async () => {
  await pub?.close();
  await priv?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function record(door: Door, c: CorpusCase, o: DoorOutcome): void {
  const t = tallies.get(door)!;
  const line = `${c.id}: ${o.crash ?? o.detail}`.replace(/\s+/g, ' ').slice(0, 240);
  if (o.crash) t.crashes.push(line);
  if (c.label === 'bad') {
    t.bad++;
    if (o.stopped) t.stopped++;
    else if (!o.crash) t.missedBad.push(line);
  } else {
    t.good++;
    if (!o.stopped) t.passed++;
    else if (!o.crash) t.stoppedGood.push(line);
  }
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${(Math.floor((n / d) * 1000) / 10).toFixed(1)}%`);

function summary(): string {
  const parts = DOORS.map((d) => {
    const t = tallies.get(d)!;
    return `${d}: bad stopped ${pct(t.stopped, t.bad)} (${t.stopped}/${t.bad}), good passed ${pct(t.passed, t.good)} (${t.passed}/${t.good}), crashes ${t.crashes.length}`;
  });
  return `corpus: ${cases.length} cases; ${parts.join('; ')}`;
}

/** Misses grouped by category, for the report: ids per category, or every door's answer when verbose. */
function missList(door: Door, verbose: boolean): string {
  const t = tallies.get(door)!;
  const out: string[] = [];
  for (const [title, list] of [['bad let through', t.missedBad], ['good stopped', t.stoppedGood], ['crashes', t.crashes]] as const) {
    if (!list.length) continue;
    const byCat = new Map<string, string[]>();
    for (const l of list) {
      const cat = categoryOf(l.slice(0, l.indexOf(':')));
      byCat.set(cat, [...(byCat.get(cat) ?? []), l]);
    }
    out.push(`  ${door} ${title} (${list.length}):`);
    for (const [cat, ls] of byCat) {
      const ids = ls.map((l) => l.slice(0, l.indexOf(':')).slice(cat.length + 1));
      out.push(`    ${cat} ${ids.join(',')}`, ...(verbose ? ls.map((l) => `      ${l}`) : []));
    }
  }
  return out.join('\n');
}

describe('agent-command corpus: the harness', () => {
  it('gives the wrappers only what the shell would run as one program', () => {
    const table: Array<[string, string[] | undefined]> = [
      ['npm i -D typescript', ['npm', 'i', '-D', 'typescript']],
      ["npm i 'lod''sah'", ['npm', 'i', 'lodsah']],
      ['pip install "fastapi>=0.110" --index-url=http://x/simple/', ['pip', 'install', 'fastapi>=0.110', '--index-url=http://x/simple/']],
      ['npm install \\\n  express', ['npm', 'install', 'express']],
      ['CI=1 npm i x', undefined],
      ['sudo npm i x', undefined],
      ['npm i x && npm test', undefined],
      ['npm i $PKG', undefined],
      ['pip install "$HOME/x"', undefined],
      ['npm i x # comment', undefined],
      ['npm i x\nnpm test', undefined],
      ["npm i 'unterminated", undefined],
      ['ls -la', undefined],
    ];
    for (const [command, argv] of table) assert.deepEqual(plainArgv(command), argv, command);
  });

  it('invents its bad names: none is a real hallucinated name or squat from ../shared/eval', { skip: existsSync(EVAL_DIR) ? false : 'no ../shared/eval here' }, () => {
    const norm = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
    const known = new Set<string>();
    for (const f of ['hallucinated-npm.txt', 'hallucinated-pypi.txt']) for (const l of readFileSync(join(EVAL_DIR, f), 'utf8').split('\n')) if (l.trim()) known.add(norm(l.trim()));
    for (const [f, col] of [['hallucinated-sources.tsv', 1], ['typosquats.tsv', 1]] as const) {
      for (const l of readFileSync(join(EVAL_DIR, f), 'utf8').split('\n').slice(1)) if (l.trim()) known.add(norm(l.split('\t')[col] ?? ''));
    }
    const r = loadRegistry();
    const bad = [...r.npm.missing, ...r.npm.fresh, ...r.pypi.missing, ...r.pypi.fresh];
    assert.ok(known.size > 1000 && bad.length > 50);
    assert.deepEqual(bad.filter((n) => known.has(norm(n))), []);
  });

  it('rejects a malformed case with file:line and what was expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slopguard-corpus-cases-'));
    try {
      const good = JSON.stringify({ id: 'plain-01', door: 'bash', command: 'npm i x', cwd: 'empty', label: 'bad', note: '' });
      for (const [line, message] of [
        ['{"id": ', /cases\.jsonl:2: not JSON/],
        [JSON.stringify({ id: 'plain-02', door: 'bash', command: 'npm i x', cwd: 'nowhere', label: 'bad', note: '' }), /cases\.jsonl:2: expected "cwd" to name a folder/],
        [JSON.stringify({ id: 'plain-01', door: 'bash', command: 'npm i x', cwd: 'empty', label: 'bad', note: '' }), /cases\.jsonl:2: duplicate id plain-01/],
        [JSON.stringify({ id: 'plain-02', door: 'bash', command: 'npm i x', cwd: 'empty', label: 'maybe', note: '' }), /cases\.jsonl:2: expected "label"/],
        [JSON.stringify({ id: 'edit-01', door: 'edit', file_path: '../x/package.json', old_string: 'a', new_string: 'b', cwd: 'empty', label: 'bad', note: '' }), /cases\.jsonl:2: expected "file_path" relative/],
      ] as const) {
        const file = join(dir, 'cases.jsonl');
        writeFileSync(file, `${good}\n${line}\n`);
        assert.throws(() => loadCases(file), message);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('agent-command corpus', () => {
  it('has at least 300 cases, both labels, every door and every project folder in use', () => {
    assert.ok(cases.length >= 300, `${cases.length} cases`);
    for (const label of ['bad', 'good']) assert.ok(cases.some((c) => c.label === label), label);
    for (const door of ['bash', 'write', 'edit']) assert.ok(cases.some((c) => c.door === door), door);
    assert.ok(cases.filter((c) => c.door === 'bash' && plainArgv(c.command!)).length >= 100, 'enough single plain commands for the wrappers');
  });

  it('runs every case through the Claude Code hook, the Cursor hook and the wrappers', async () => {
    for (const c of cases) {
      record('claude', c, await runClaude(c, ctx));
      if (c.door !== 'bash') continue;
      record('cursor', c, await runCursor(c, ctx));
      const argv = plainArgv(c.command!);
      if (argv) record('wrapper', c, REAL_CLIENT_CATEGORIES.has(categoryOf(c.id)) ? await runWrapperReal(c, argv, ctx, { path: realPath, scratch: join(root, 'real') }) : await runWrapper(c, argv, ctx, fakeLog));
    }
    const misses = DOORS.map((d) => missList(d, VERBOSE)).filter(Boolean).join('\n');
    const unexpected = [...pub.unexpected, ...priv.unexpected].map((u) => `  unexpected registry request: ${u.method} ${u.path} (${u.reason})`);
    console.log([summary(), misses, ...unexpected].filter(Boolean).join('\n'));
    // Every door must have been exercised and have answered both ways, or its figures measure the harness.
    for (const d of DOORS) {
      const t = tallies.get(d)!;
      assert.ok(t.bad > 0 && t.good > 0, `${d} saw both labels`);
      assert.ok(t.stopped > 0 && t.passed > 0, `${d} stopped something and let something through`);
    }
  });

  it(`meets the bar per door: >= ${MIN_BAD_STOPPED * 100}% of bad stopped, no good stopped, no crash`, () => {
    const failures: string[] = [];
    for (const d of DOORS) {
      const t = tallies.get(d)!;
      const idOf = (l: string) => l.slice(0, l.indexOf(':'));
      if (t.stopped / t.bad < MIN_BAD_STOPPED) failures.push(`${d}: bad stopped ${pct(t.stopped, t.bad)}; let through: ${t.missedBad.map(idOf).join(', ')}`);
      if (t.stoppedGood.length) failures.push(`${d}: good stopped: ${t.stoppedGood.map(idOf).join(', ')}`);
      if (t.crashes.length) failures.push(`${d}: crashes: ${t.crashes.map(idOf).join(', ')}`);
    }
    const unexpected = [...pub.unexpected, ...priv.unexpected];
    if (unexpected.length) failures.push(`registry requests the corpus does not describe: ${unexpected.map((u) => u.path).join(', ')}`);
    assert.deepEqual(failures, []);
  });
});
