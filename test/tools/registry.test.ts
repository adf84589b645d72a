/**
 * The package-manager table (src/tools/index.ts) against everything derived from it: each
 * definition's declared subcommands and examples against its grammar (parseCommandLine, the
 * wrappers' entry), every program against the prose detector (`slopguard text` on an answer of
 * prose lines) and the hook fast path, the wrapped and routed words against
 * `slopguard shell-init` and the wrapper's dispatch, and the project files against the formats
 * slopguard reads. A tool added with one file and one registration line is held to all of it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { run, WRAPPED_TOOLS } from '../../src/cli/run.js';
import { ECOSYSTEMS } from '../../src/core/types.js';
import { findExtractor } from '../../src/extractors/index.js';
import { parseCommandLine, type InstallCommand } from '../../src/extractors/text/install-command.js';
import { TOOL_START } from '../../src/extractors/text/script-files.js';
import { mayInstall } from '../../src/hook/fast-path.js';
import { PROJECT_FILES } from '../../src/install/project-files.js';
import { TOOLS, toolForProgram } from '../../src/tools/index.js';
import { PYTHON_LAUNCHER } from '../../src/tools/python.js';
import { ROUTED_TOOLS } from '../../src/wrap/shell-init.js';
import { testIo } from '../helpers/io.js';

/** An example command line, read as the wrapper reads an argv. */
function read(example: string): InstallCommand {
  const cmd = parseCommandLine(example.split(' '));
  assert.ok(cmd, `${example}: the grammar does not read it`);
  return cmd;
}

/** The program word an example starts with (`python -m pip …` -> `python`). */
const programOf = (example: string) => example.split(' ')[0] as string;

/** Versioned spellings of a versioned program (`pip` -> `pip2`, `pip3`, `pip3.12`). */
const versions = (p: string) => [`${p}2`, `${p}3`, `${p}3.12`];

describe('the tool table: every definition is complete', () => {
  it('has unique ids and program words, an ecosystem, install subcommands and examples', () => {
    assert.ok(TOOLS.length >= 15, `only ${TOOLS.length} tools`);
    const ids = new Set<string>();
    const programs = new Map<string, string>();
    for (const t of TOOLS) {
      assert.ok(!ids.has(t.id), `${t.id} registered twice`);
      ids.add(t.id);
      assert.ok((ECOSYSTEMS as readonly string[]).includes(t.ecosystem), `${t.id}: ecosystem ${t.ecosystem}`);
      assert.ok(t.programs.length > 0, `${t.id} has no program`);
      for (const p of t.programs) {
        assert.match(p, /^[a-z][a-z0-9.-]*$/, `${t.id}: program ${p} must be lower-case, as programName() gives it`);
        assert.ok(!programs.has(p), `${p} is a program of both ${programs.get(p)} and ${t.id}`);
        programs.set(p, t.id);
      }
      assert.ok(t.installs.length > 0, `${t.id} declares no install subcommand`);
      assert.ok(t.examples.length > 0, `${t.id} has no example`);
      for (const sub of t.lockfileOnly?.subcommands ?? []) assert.ok(t.installs.includes(sub), `${t.id}: lockfile-only ${sub} is not an install subcommand`);
    }
    for (const p of PYTHON_LAUNCHER.programs) assert.equal(toolForProgram(p), undefined, `${p} is a launcher and a tool`);
  });

  it('every example reads as an install of its tool, with a declared subcommand', () => {
    for (const t of TOOLS) {
      for (const example of t.examples) {
        const cmd = read(example);
        assert.equal(cmd.tool, t.id, example);
        assert.equal(cmd.ecosystem, t.ecosystem, example);
        assert.equal(cmd.isInstall, true, `${example} does not install`);
        assert.ok(t.installs.includes(cmd.subcommand), `${example}: subcommand "${cmd.subcommand}" is not in ${t.id}'s installs`);
      }
    }
  });

  it('every declared install subcommand, program and Python module has an example', () => {
    for (const t of TOOLS) {
      const subs = new Set(t.examples.map((e) => read(e).subcommand));
      for (const sub of t.installs) assert.ok(subs.has(sub), `${t.id}: no example of "${sub}"`);
      const starts = new Set(t.examples.map(programOf));
      for (const p of t.programs) assert.ok(starts.has(p), `${t.id}: no example starts with ${p}`);
      for (const m of t.pythonModules ?? []) assert.ok(t.examples.some((e) => e.startsWith(`python -m ${m} `)), `${t.id}: no example of python -m ${m}`);
    }
  });

  it('a read tool names packages or says why not; an unread one (conda) never looks a name up and says so', () => {
    for (const t of TOOLS) {
      for (const example of t.examples) {
        const cmd = read(example);
        const unverified = cmd.notes.filter((n) => n.unverified);
        if (t.unread) {
          assert.deepEqual(cmd.refs, [], `${example}: an unread tool's names are never checked`);
          assert.equal(unverified.length, 1, `${example}: says it was not checked`);
        } else {
          assert.deepEqual(unverified, [], `${example}: ${unverified.map((n) => n.message).join('; ')}`);
        }
      }
    }
  });

  it('versioned programs and modules read in every spelling; others do not', () => {
    for (const t of TOOLS) {
      const example = t.examples.find((e) => t.programs.includes(programOf(e))) as string;
      const [program, ...rest] = example.split(' ') as [string, ...string[]];
      for (const v of versions(program)) {
        const cmd = parseCommandLine([v, ...rest]);
        if (t.versioned) assert.equal(cmd?.tool, t.id, `${v} ${rest.join(' ')}`);
        else assert.equal(cmd, undefined, `${v} is not ${t.id}`);
      }
    }
    for (const launcher of [...PYTHON_LAUNCHER.programs, ...versions('python')]) assert.equal(parseCommandLine([launcher, '-m', 'pip', 'install', 'requests'])?.tool, 'pip', launcher);
  });
});

describe('the tool table: every list is derived from it', () => {
  it('the prose detector reads a prose line for every program, launcher and versioned spelling (slopguard text)', async () => {
    const lines: string[] = [];
    for (const t of TOOLS) {
      for (const p of t.programs) {
        const mine = t.examples.filter((e) => programOf(e) === p);
        lines.push(...mine);
        if (t.versioned) for (const v of versions(p)) lines.push((mine[0] as string).replace(p, v));
      }
    }
    for (const launcher of [...PYTHON_LAUNCHER.programs, ...versions('python')]) lines.push(`${launcher} -m pip install requests`);
    // One answer, each command a prose paragraph of its own (line 5, 7, 9, ...), read as `slopguard text` reads it.
    const dir = mkdtempSync(join(tmpdir(), 'sg-tools-prose-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'answer.md');
    writeFileSync(file, `# Setting up\n\nSome prose first.\n\n${lines.map((l) => `${l}\n\n`).join('')}`);
    const t = testIo({ cwd: dir, env: { SLOPGUARD_CACHE_DIR: join(dir, 'cache') } });
    await run(['text', '--offline', '--format', 'json', file], t.io);
    const report = JSON.parse(t.out()) as { packages: Array<{ name: string; origins: Array<{ line?: number }> }>; notes: Array<{ origin: { line?: number } }> };
    lines.forEach((line, i) => {
      const at = 5 + 2 * i;
      assert.match(line, TOOL_START, line);
      assert.equal(mayInstall(line), true, `the hook fast path would wave through: ${line}`);
      const names = report.packages.filter((p) => p.origins.some((o) => o.line === at)).map((p) => p.name);
      const want = read(line).refs.map((r) => r.name);
      if (want.length) assert.deepEqual(names.sort(), [...want].sort(), `line ${at}: ${line}`);
      // Nothing named (a bare or lockfile install, requirement files, conda): a note says what was not read.
      else assert.ok(names.length > 0 || report.notes.some((n) => n.origin.line === at), `line ${at}: ${line} was not read`);
    });
  });

  it('wrapped words are the table\'s; each is read by the grammar as its own tool; a word that is not routed says why', () => {
    const wrapped = [...TOOLS.flatMap((t) => t.wrapping.wrapped), ...PYTHON_LAUNCHER.wrapping.wrapped];
    assert.deepEqual([...WRAPPED_TOOLS].sort(), [...wrapped].sort());
    for (const t of TOOLS) {
      for (const w of t.wrapping.wrapped) assert.equal(toolForProgram(w), t, `${t.id} wraps ${w}, which the grammar does not read as ${t.id}`);
      for (const r of t.wrapping.routed) assert.ok(t.wrapping.wrapped.includes(r), `${t.id} routes ${r} without wrapping it`);
      const unwrapped = t.programs.filter((p) => !t.wrapping.wrapped.includes(p));
      const unrouted = t.wrapping.wrapped.filter((w) => !t.wrapping.routed.includes(w));
      if (unwrapped.length || unrouted.length) assert.ok(t.wrapping.why, `${t.id}: ${[...unwrapped, ...unrouted].join(', ')} not wrapped or routed, and no reason given`);
    }
    assert.ok(PYTHON_LAUNCHER.wrapping.why);
    for (const w of PYTHON_LAUNCHER.wrapping.wrapped) assert.equal(parseCommandLine([w, '-m', 'pip', 'install', 'requests'])?.tool, 'pip', w);
  });

  it('shell-init defines a function for exactly the routed words, in every shell', async () => {
    const routed = [...TOOLS.flatMap((t) => t.wrapping.routed), ...PYTHON_LAUNCHER.wrapping.routed];
    assert.deepEqual([...ROUTED_TOOLS], routed);
    const t = testIo();
    assert.equal(await run(['shell-init', 'bash'], t.io), 0, t.err());
    const defined = [...t.out().matchAll(/^([a-z][a-z0-9.-]*)\(\) \{ __slopguard_run /gm)].map((m) => m[1]);
    assert.deepEqual(defined, routed);
    for (const program of [...TOOLS.flatMap((x) => x.programs), ...PYTHON_LAUNCHER.programs]) {
      if (!routed.includes(program)) assert.doesNotMatch(t.out(), new RegExp(`^${program.replace(/[.]/g, '\\.')}\\(\\)`, 'm'), `${program} is routed but not declared so`);
    }
  });

  it('the project files each tool installs from are formats slopguard reads', () => {
    for (const t of TOOLS) {
      assert.deepEqual(PROJECT_FILES[t.id], t.projectFiles);
      for (const name of [...t.projectFiles.lockfiles, ...t.projectFiles.manifests]) assert.ok(findExtractor(name), `${t.id} installs from ${name}, which no extractor reads`);
    }
  });
});
