/**
 * `npm install` of a generated ~300-package tree through `slopguard serve` against the same
 * install straight from the upstream, in one run: the guard's cost as a user meets it.
 *
 * The upstream is a small loopback npm registry in this process (packuments with real tarballs,
 * the downloads API), with a fixed delay before every answer (`latencyMs`, 20 ms as in the check
 * scenarios) standing in for the network. The guard runs as its own process (`slopguard serve
 * --port 0`), as a team would run it. Each install starts from an empty npm cache and no lockfile,
 * so npm asks for every packument and tarball; direct and guarded runs alternate, so load on the
 * shared machine hits both alike. The ratio is of medians; target <= 1.15x (issue 14).
 *
 *   node dist/bench/serve.js [--runs 3] [--packages 300] [--latency 20] [--record]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { recordSection } from './results-file.js';
import { fmtMs, fmtSpread, markdownTable, textTable, type BenchRow } from './scenarios/table.js';

const BIN = fileURLToPath(new URL('../../bin/slopguard.js', import.meta.url));

/** One file in a tar archive (ustar header + data padded to 512 bytes). */
function tarEntry(name: string, data: Buffer): Buffer {
  const h = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => h.write(s.slice(0, len), off, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  put(`${Math.floor(Date.parse('2020-01-01') / 1000).toString(8).padStart(11, '0')}\0`, 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** Requests the upstream received, by kind (the guard's extra ones are its cost). */
interface Counts {
  total: number;
  packument: number;
  tarball: number;
  downloads: number;
  /** TCP connections opened (fewer than requests: keep-alive). */
  connections: number;
  /** performance.now() of the last packument request and of the first tarball request so far. */
  lastPackumentAt: number;
  firstTarballAt: number;
}

/** Counts received between two readings. */
function countsSince(before: Counts, after: Counts): Counts {
  return { total: after.total - before.total, packument: after.packument - before.packument, tarball: after.tarball - before.tarball, downloads: after.downloads - before.downloads, connections: after.connections - before.connections, lastPackumentAt: after.lastPackumentAt, firstTarballAt: after.firstTarballAt };
}

/** "900 upstream (300 packuments, 300 tarballs, 300 downloads)". */
function fmtCounts(c: Counts): string {
  return `${c.total} upstream (${c.packument} packuments, ${c.tarball} tarballs${c.downloads ? `, ${c.downloads} downloads` : ''}; ${c.connections} connections)`;
}

interface Pkg {
  name: string;
  deps: string[];
  tgz: Buffer;
  integrity: string;
  shasum: string;
}

/** A deterministic tree: package i depends on 3i+1..3i+3 (every package reachable from the app's first three). */
function buildTree(count: number): Pkg[] {
  const names = Array.from({ length: count }, (_, i) => `sgbench-pkg-${String(i).padStart(4, '0')}`);
  return names.map((name, i) => {
    const deps = [1, 2, 3].map((k) => i * 3 + k).filter((j) => j < count).map((j) => names[j]!);
    const manifest = { name, version: '1.0.0', main: 'index.js', license: 'MIT', dependencies: Object.fromEntries(deps.map((d) => [d, '^1.0.0'])) };
    const tgz = gzipSync(Buffer.concat([tarEntry('package/package.json', Buffer.from(JSON.stringify(manifest))), tarEntry('package/index.js', Buffer.from(`module.exports = ${JSON.stringify(name)};\n`)), Buffer.alloc(1024)]));
    return { name, deps, tgz, integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`, shasum: createHash('sha1').update(tgz).digest('hex') };
  });
}

/** The upstream: packuments, tarballs and downloads for the tree, `latencyMs` before every answer. */
async function startUpstream(tree: Pkg[], latencyMs: number): Promise<{ url: string; requests: () => Counts; close: () => Promise<void> }> {
  const byName = new Map(tree.map((p) => [p.name, p]));
  const counts: Counts = { total: 0, packument: 0, tarball: 0, downloads: 0, connections: 0, lastPackumentAt: 0, firstTarballAt: 0 };
  let url = '';
  const server: Server = createServer((req, res) => {
    counts.total++;
    const path = decodeURIComponent(req.url ?? '/');
    const kind = path.startsWith('/downloads/') ? 'downloads' : path.endsWith('.tgz') ? 'tarball' : 'packument';
    if (kind === 'packument') counts.lastPackumentAt = performance.now();
    if (kind === 'tarball' && counts.firstTarballAt < counts.lastPackumentAt) counts.firstTarballAt = performance.now();
    counts[kind]++;
    setTimeout(() => {
      const dl = /^\/downloads\/point\/last-week\/(.+)$/.exec(path);
      if (dl) {
        const names = dl[1]!.split(',');
        const one = (n: string) => ({ downloads: 5_000, package: n, start: '2026-11-27', end: '2026-12-03' });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(names.length === 1 ? one(names[0]!) : Object.fromEntries(names.map((n) => [n, one(n)]))));
        return;
      }
      const tgz = /^\/([^/]+)\/-\/[^/]+\.tgz$/.exec(path);
      const pkg = byName.get(tgz ? tgz[1]! : path.slice(1));
      if (!pkg) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      if (tgz) return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': pkg.tgz.length }).end(pkg.tgz);
      const version = { name: pkg.name, version: '1.0.0', main: 'index.js', license: 'MIT', repository: 'https://example.test/r', dependencies: Object.fromEntries(pkg.deps.map((d) => [d, '^1.0.0'])), dist: { tarball: `${url}/${pkg.name}/-/${pkg.name}-1.0.0.tgz`, integrity: pkg.integrity, shasum: pkg.shasum } };
      const doc = { _id: pkg.name, name: pkg.name, 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version }, time: { created: '2019-01-01T00:00:00.000Z', modified: '2019-01-01T00:00:00.000Z', '1.0.0': '2019-01-01T00:00:00.000Z' }, repository: 'https://example.test/r' };
      res.writeHead(200, { 'content-type': 'application/json', etag: `"${pkg.shasum}"` }).end(JSON.stringify(doc));
    }, latencyMs);
  });
  server.on('connection', () => counts.connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests: () => ({ ...counts }), close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** Start `slopguard serve --port 0` as a process; resolves with its URL once it says it listens. */
/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function startGuard(upstream: string, home: string): Promise<{ url: string; cpu: () => number | undefined; stop: () => Promise<void> }> {
  // SG_BENCH_GUARD_NODE_ARGS: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the guard.
  const nodeArgs = (process.env.SG_BENCH_GUARD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--npm-registry', `${upstream}/`, '--npm-downloads-api', upstream, '--no-cache', ...(process.env.SG_BENCH_GUARD_ARGS ?? '').split(' ').filter(Boolean)], { env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/\S+)\n/.exec(err);
      if (m) resolve({ url: m[1]!, cpu: () => cpuSecondsOf(child.pid), stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) });
      // Keep only the tail: one line per decision adds up.
      if (err.length > 100_000) err = err.slice(-1_000);
    });
    child.once('exit', (code) => reject(new Error(`slopguard serve exited ${code}: ${err}`)));
  });
}

/** One `npm install` in a fresh project with a fresh cache; wall ms. Asynchronous: the upstream answers from this process. */
async function npmInstall(root: string, registry: string, run: string, deps: string[]): Promise<number> {
  const dir = join(root, run);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true, dependencies: Object.fromEntries(deps.map((d) => [d, '^1.0.0'])) }));
  const env = { PATH: process.env.PATH, HOME: join(root, 'home'), npm_config_registry: registry, npm_config_cache: join(root, `${run}-cache`), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_userconfig: join(root, 'empty.npmrc') };
  const t = performance.now();
  const r = await new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stderr }));
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`npm install (${run}) failed: ${r.stderr}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(root, `${run}-cache`), { recursive: true, force: true });
  return ms;
}

/** Where an install's time went, from the upstream's view: the last packument asked, the first tarball asked. */
function phases(start: number, c: Counts): string {
  return `last packument at ${fmtMs(c.lastPackumentAt - start)}, first tarball at ${fmtMs(c.firstTarballAt - start)}`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Run the scenario; rows for the results table. */
export async function runServeBench(o: { runs?: number; packages?: number; latencyMs?: number; log?: (l: string) => void } = {}): Promise<BenchRow[]> {
  const runs = o.runs ?? 3;
  const count = o.packages ?? 300;
  const latencyMs = o.latencyMs ?? 20;
  const log = o.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const root = mkdtempSync(join(tmpdir(), 'slopguard-bench-serve-'));
  writeFileSync(join(root, 'empty.npmrc'), '');
  const tree = buildTree(count);
  const upstream = await startUpstream(tree, latencyMs);
  const roots = tree.slice(0, 3).map((p) => p.name);
  const direct: number[] = [];
  const guarded: number[] = [];
  const guardCpu: number[] = [];
  const warm: number[] = [];
  const zero: Counts = { total: 0, packument: 0, tarball: 0, downloads: 0, connections: 0, lastPackumentAt: 0, firstTarballAt: 0 };
  // Until the last packument is asked: the part of an install the guard judges in (the rest is
  // npm's tree building and tarballs, which the guard only passes through).
  const directResolve: number[] = [];
  const guardResolve: number[] = [];
  let directRequests = zero;
  let guardedRequests = zero;
  let warmRequests = zero;
  try {
    for (let i = 0; i < runs; i++) {
      let before = upstream.requests();
      let start = performance.now();
      direct.push(await npmInstall(root, `${upstream.url}/`, `direct-${i}`, roots));
      directRequests = countsSince(before, upstream.requests());
      const directPhases = phases(start, directRequests);
      directResolve.push(directRequests.lastPackumentAt - start);
      // A fresh guard each run: its in-process cache starts empty, as npm's does.
      const guard = await startGuard(upstream.url, join(root, 'home'));
      before = upstream.requests();
      const cpuBefore = guard.cpu();
      let guardPhases = '';
      try {
        start = performance.now();
        guarded.push(await npmInstall(root, `${guard.url}/npm/`, `guarded-${i}`, roots));
        const after = guard.cpu();
        if (after !== undefined && cpuBefore !== undefined) guardCpu.push((after - cpuBefore) * 1000);
        guardedRequests = countsSince(before, upstream.requests());
        guardPhases = phases(start, guardedRequests);
        guardResolve.push(guardedRequests.lastPackumentAt - start);
        before = upstream.requests();
        // The same guard again (another project, empty npm cache): a team's guard has judged most
        // packages already; only its TTL-bound memo of documents and verdicts is warm.
        warm.push(await npmInstall(root, `${guard.url}/npm/`, `warm-${i}`, roots));
      } finally {
        await guard.stop();
      }
      warmRequests = countsSince(before, upstream.requests());
      log(`run ${i + 1}/${runs}: direct ${fmtMs(direct[i]!)} (${directPhases}), through the guard ${fmtMs(guarded[i]!)} (${guardPhases}; guard CPU ${guardCpu[i] === undefined ? '?' : fmtMs(guardCpu[i]!)}), warm guard ${fmtMs(warm[i]!)}`);
    }
  } finally {
    await upstream.close();
    rmSync(root, { recursive: true, force: true });
  }
  const ratio = median(guarded) / median(direct);
  // Each run's pair shares the machine's load of that moment: the median of the pairs' ratios.
  const pairs = guarded.map((g, i) => g / direct[i]!);
  const section = 'serve';
  return [
    { section, scenario: `npm install, ${count}-package tree, straight from the upstream (${latencyMs} ms/request)`, result: fmtMs(median(direct)), ...(fmtSpread(direct) ? { spread: fmtSpread(direct)! } : {}), requests: fmtCounts(directRequests) },
    { section, scenario: `the same through \`slopguard serve\` (own process, empty caches)`, result: fmtMs(median(guarded)), ...(fmtSpread(guarded) ? { spread: fmtSpread(guarded)! } : {}), requests: fmtCounts(guardedRequests), ...(guardCpu.length ? { notes: `guard process CPU ${fmtMs(median(guardCpu))} during the install` } : {}) },
    { section, scenario: 'ratio through the guard / direct (medians)', result: `${ratio.toFixed(2)}x`, target: '<= 1.15x', met: ratio <= 1.15, notes: `per run ${pairs.map((r) => r.toFixed(2)).join(', ')}: median ${median(pairs).toFixed(2)}x` },
    { section, scenario: 'time to the last packument request (resolution), through the guard / direct', result: `${(median(guardResolve) / median(directResolve)).toFixed(2)}x`, notes: `${fmtMs(median(guardResolve))} vs ${fmtMs(median(directResolve))}` },
    { section, scenario: 'the same guard again, another project (packages already judged)', result: fmtMs(median(warm)), ...(fmtSpread(warm) ? { spread: fmtSpread(warm)! } : {}), requests: fmtCounts(warmRequests), notes: `${(median(warm) / median(direct)).toFixed(2)}x direct` },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const num = (flag: string, d: number) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : d);
  const rows = await runServeBench({ runs: num('--runs', 3), packages: num('--packages', 300), latencyMs: num('--latency', 20) });
  process.stdout.write(`${textTable(rows)}\n`);
  if (args.includes('--record')) {
    // run.ts's machineLine() cannot be imported (importing run.ts runs every suite): the same facts.
    const machineLine = () => `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${process.platform}, ${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0]!.toFixed(1)} at end`;
    recordSection(`## Registry guard (\`slopguard serve\`)\n\n${machineLine()}; median of ${num('--runs', 3)} alternating runs.\n\n${markdownTable(rows)}`);
  }
}
