/**
 * Shared pieces of the counted reliability suite (test/reliability/suite.test.ts): the tally of
 * what was tried, the process-level crash counter, temp dirs, and ways to run slopguard through
 * its public entry points (in-process `run(argv, io)` and the real `bin/slopguard.js`).
 *
 * The tally lives in one process because node --test runs each *.test.js file in its own
 * process: suite.test.ts imports every part, so one closing line covers them all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';
import type { PackageResult, Report } from '../../src/core/types.js';
import type { FixtureRegistry } from '../fixture-registry/server.js';
import { testIo } from '../helpers/io.js';
import { fixtureRegistryEnv } from '../helpers/registry-env.js';

/** What the suite tried, summed over every part. */
export const tally = {
  /** Network fault scenarios run end to end (one fault, one run). */
  faults: 0,
  /** Hostile inputs fed to a public entry point (files, names, registry strings, argv). */
  hostile: 0,
  /** fast-check runs (numRuns summed over every property). */
  fuzzRuns: 0,
  /** Secret-handling and execution scenarios. */
  secrets: 0,
  /** Cache scenarios. */
  cache: 0,
  /** Packages a scenario could not have checked that nevertheless came back `ok`. */
  falseOk: 0,
  /** Uncaught exceptions and unhandled rejections seen by the process. */
  crashes: 0,
  /** `internal error` lines printed by the CLI (a caught bug is still a bug). */
  internalErrors: 0,
};

const crashLog: string[] = [];

/** Count process-level crashes (installed once, when the suite loads). */
export function installCrashCounter(): void {
  process.on('unhandledRejection', (e) => {
    tally.crashes++;
    crashLog.push(`unhandledRejection: ${String((e as Error)?.stack ?? e)}`);
  });
  process.on('uncaughtException', (e) => {
    tally.crashes++;
    crashLog.push(`uncaughtException: ${String(e?.stack ?? e)}`);
  });
}

/** The crashes seen so far, for the failure message. */
export function crashes(): readonly string[] {
  return crashLog;
}

/** Repository root (dist/test/reliability/x.js is three levels below it). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'slopguard.js');

const made: string[] = [];

/** A fresh temp dir, removed when the suite ends. */
export function tempDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `slopguard-rel-${label}-`));
  made.push(d);
  return d;
}

/** Remove every temp dir made by {@link tempDir}. */
export function cleanTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

const homes = new Map<string, string>();

/** Env pointing all four APIs at a fixture registry, with a private cache dir. */
export function registryEnv(reg: Pick<FixtureRegistry, 'url'>, cacheDir: string, extra: Record<string, string> = {}): Record<string, string> {
  // One HOME per cache dir, outside it: the cache key lives in HOME's state dir, and the cache
  // tests rewrite every file in the cache dir.
  let home = homes.get(cacheDir);
  if (!home) homes.set(cacheDir, (home = tempDir('home')));
  return {
    // A HOME of its own: the machine's ~/.npmrc and pip.conf (extra indexes, say) must not change
    // what a run asks, and spawned runs (HOME from passwd otherwise) must see what in-process ones do.
    HOME: home,
    ...fixtureRegistryEnv(reg, cacheDir),
    ...extra,
  };
}

/** One CLI run: exit code, output, and how long it took. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
  ms: number;
}

/** Run `run(argv, io)` in-process with a test Io; counts `internal error` output. */
export async function cli(argv: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string } = {}): Promise<CliResult> {
  const t = testIo({ ...opts, now: new Date('2026-11-26T12:00:00Z') });
  const start = Date.now();
  const code = await run(argv, t.io);
  const res = { code, out: t.out(), err: t.err(), ms: Date.now() - start };
  if (/internal error/.test(res.err)) tally.internalErrors++;
  return res;
}

/** Run the real executable in a child process (a fresh process: nothing shared with the suite). */
export function spawnCli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ PATH: process.env.PATH, NO_COLOR: '1', ...opts.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => void (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => void (err += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (/internal error/.test(err)) tally.internalErrors++;
      resolve({ code: code ?? -1, signal, out, err, ms: Date.now() - start });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Parse a `--format json` report, failing with the raw output when it is not JSON. */
export function parseReport(r: CliResult): Report {
  try {
    return JSON.parse(r.out) as Report;
  } catch {
    assert.fail(`expected a JSON report on stdout (exit ${r.code})\nstdout: ${r.out.slice(0, 2000)}\nstderr: ${r.err.slice(0, 2000)}`);
  }
}

/**
 * Assert that none of `names` came back `ok` (they could not have been checked), counting
 * false oks in the tally before failing.
 */
export function assertNotOk(report: Report, names: readonly string[]): void {
  for (const name of names) {
    const p: PackageResult | undefined = report.packages.find((x) => x.name === name);
    if (p?.verdict === 'ok') tally.falseOk++;
    assert.ok(p, `no result for ${name}: ${JSON.stringify(report.packages.map((x) => x.name))}`);
    assert.notEqual(p.verdict, 'ok', `${name} was reported ok although it could not be checked: ${JSON.stringify(p)}`);
  }
}

/** Every file under `dir` (relative paths), for "nothing else was written" assertions. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  try {
    if (statSync(dir).isDirectory()) walk(dir, '');
  } catch {
    // A dir that does not exist holds no files.
  }
  return out.sort();
}

/** A fake tool: a Node script that appends its argv (as JSON) to $ARGV_OUT and exits 0. */
export function fakeTools(dir: string, names: string[]): void {
  mkdirSync(dir, { recursive: true });
  const script = `#!${process.execPath}\nrequire('fs').appendFileSync(process.env.ARGV_OUT, JSON.stringify({ tool: require('path').basename(process.argv[1]), argv: process.argv.slice(2) }) + '\\n');\n`;
  for (const n of names) {
    writeFileSync(join(dir, n), script);
    chmodSync(join(dir, n), 0o755);
  }
}

/**
 * Characters no output of slopguard may carry raw: C0 controls except newline, DEL, C1 controls,
 * bidi embeddings/overrides/isolates, zero-width characters, line/paragraph separators and BOM.
 * When `colour` is on, slopguard's own SGR sequences (`ESC [ digits m`) are allowed and removed first.
 */
export function assertInert(output: string, colour = false, what = 'output'): void {
  const text = colour ? output.replace(/\u001b\[[0-9;]*m/g, '') : output;
  const bad = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/.exec(text);
  assert.equal(bad, null, `${what} carries a raw U+${bad?.[0].codePointAt(0)!.toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 40), (bad?.index ?? 0) + 40))}`);
}
