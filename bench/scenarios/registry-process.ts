/**
 * The fixture registry in its own process, so its work (building answers, gzip) never shares an
 * event loop with the code being timed, and its request log is the independent count of what
 * slopguard (or npq) asked.
 *
 * Run as a child (`fork`) with `--count N --latency MS --seed S`; it answers IPC messages:
 * `{ type: 'stats' }`, `{ type: 'reset' }`, `{ type: 'close' }`. The parent side is
 * {@link startRegistryProcess}.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFixtureRegistry, type RecordedRequest } from '../../test/fixture-registry/server.js';
import { buildCorpus, fixtureOf } from './corpus.js';

/** What the registry was asked, by kind of request. */
export interface RequestStats {
  total: number;
  /** Full packuments (no install Accept header). */
  packumentFull: number;
  /** Abbreviated packuments (`application/vnd.npm.install-v1+json`). */
  packumentCorgi: number;
  /** Downloads API requests (a bulk request counts once). */
  downloads: number;
  /** Names asked in downloads requests (bulk members counted one by one). */
  downloadNames: number;
  pypi: number;
  /** Anything else (`/-/npm/v1/keys`, attestations, ...). */
  other: number;
  /** Conditional requests (If-None-Match) among all. */
  conditional: number;
  /** Distinct npm names asked about in any way. */
  distinctNames: number;
  /** Packument requests for a name asked before in this window (should be 0). */
  repeatedPackuments: number;
  /** Names that appeared in more than one downloads request. */
  repeatedDownloadNames: number;
  /** Requests the fixture registry did not expect (unknown names, unserved paths). */
  unexpected: number;
  unexpectedSample: string[];
  /** CPU the registry process itself used since the last reset (it shares the machine's cores). */
  serverCpuMs?: number;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Classify a request log the way the benchmark reports it. */
export function summarizeRequests(requests: readonly RecordedRequest[], unexpected: ReadonlyArray<RecordedRequest & { reason: string }>): RequestStats {
  const s: RequestStats = {
    total: requests.length,
    packumentFull: 0,
    packumentCorgi: 0,
    downloads: 0,
    downloadNames: 0,
    pypi: 0,
    other: 0,
    conditional: 0,
    distinctNames: 0,
    repeatedPackuments: 0,
    repeatedDownloadNames: 0,
    unexpected: unexpected.length,
    unexpectedSample: unexpected.slice(0, 5).map((u) => `${u.method} ${u.path}: ${u.reason}`),
  };
  const names = new Set<string>();
  const packumentSeen = new Set<string>();
  const downloadSeen = new Map<string, number>();
  for (const r of requests) {
    const path = r.path.split('?')[0]!;
    if (r.headers['if-none-match']) s.conditional++;
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/downloads\/point\/[^/]+\/(.+)$/))) {
      s.downloads++;
      const raw = decode(m[1]!);
      const list = raw.startsWith('@') && !raw.includes(',') ? [raw] : raw.split(',');
      for (const n of list) {
        s.downloadNames++;
        names.add(n);
        downloadSeen.set(n, (downloadSeen.get(n) ?? 0) + 1);
      }
    } else if (/^\/(pypi|simple|api\/packages)\//.test(path) || /\/simple\//.test(path)) {
      s.pypi++;
    } else if (path.startsWith('/-/') || path === '/') {
      s.other++;
    } else {
      const name = decode(path.slice(1)).replace(/^(@[^/]+)\/(.+)$/, '$1/$2');
      const corgi = String(r.headers.accept ?? '').includes('application/vnd.npm.install-v1+json');
      if (corgi) s.packumentCorgi++;
      else s.packumentFull++;
      if (packumentSeen.has(name)) s.repeatedPackuments++;
      packumentSeen.add(name);
      names.add(name);
    }
  }
  s.distinctNames = names.size;
  for (const c of downloadSeen.values()) if (c > 1) s.repeatedDownloadNames++;
  return s;
}

/** The parent's handle on a registry child. */
export interface RegistryProcess {
  url: string;
  /** Number of packages the registry serves. */
  count: number;
  latencyMs: number;
  stats(): Promise<RequestStats>;
  /** Forget the request log (before a measured run). */
  reset(): Promise<void>;
  /** The request log since the last reset, as path and Accept header (what bench/floor.ts replays). */
  requests(): Promise<Array<{ path: string; accept?: string }>>;
  close(): Promise<void>;
}

type Reply =
  | { type: 'ready'; url: string }
  | { type: 'stats'; stats: RequestStats }
  | { type: 'requests'; requests: Array<{ path: string; accept?: string }> }
  | { type: 'reset' }
  | { type: 'error'; message: string };

/** Fork a registry child serving the first `count` corpus packages with `latencyMs` per request. */
export async function startRegistryProcess(count: number, latencyMs: number, seed = 8): Promise<RegistryProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--count', String(count), '--latency', String(latencyMs), '--seed', String(seed)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: ['--max-old-space-size=4096'],
  });
  const waiters: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  child.on('message', (m: Reply) => waiters.shift()?.resolve(m));
  child.on('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`registry child exited (${code})`));
  });
  const next = () => new Promise<Reply>((resolve, reject) => void waiters.push({ resolve, reject }));
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`registry child failed: ${ready.type === 'error' ? ready.message : ready.type}`);
  const ask = async (type: 'stats' | 'reset' | 'requests') => {
    const p = next();
    child.send({ type });
    return p;
  };
  return {
    url: ready.url,
    count,
    latencyMs,
    async stats() {
      const r = await ask('stats');
      if (r.type !== 'stats') throw new Error('registry child: unexpected reply');
      return r.stats;
    },
    async reset() {
      await ask('reset');
    },
    async requests() {
      const r = await ask('requests');
      if (r.type !== 'requests') throw new Error('registry child: unexpected reply');
      return r.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}

async function main(): Promise<void> {
  const arg = (flag: string, dflt: number) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const count = arg('--count', 1000);
  const latencyMs = arg('--latency', 20);
  const seed = arg('--seed', 8);
  const corpus = buildCorpus(count, seed);
  const reg = await startFixtureRegistry({ npm: corpus.map(fixtureOf) }, { latencyMs });
  let cpuAtReset = process.cpuUsage();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stats') {
      const u = process.cpuUsage(cpuAtReset);
      process.send!({ type: 'stats', stats: { ...summarizeRequests(reg.requests, reg.unexpected), serverCpuMs: (u.user + u.system) / 1000 } });
    } else if (m.type === 'requests') {
      const requests = reg.requests.map((r) => {
        const accept = r.headers.accept;
        return typeof accept === 'string' ? { path: r.path, accept } : { path: r.path };
      });
      process.send!({ type: 'requests', requests });
    } else if (m.type === 'reset') {
      reg.clearRequests();
      reg.unexpected.splice(0);
      cpuAtReset = process.cpuUsage();
      process.send!({ type: 'reset' });
    } else if (m.type === 'close') {
      void reg.close().then(() => process.exit(0));
    }
  });
  // The parent going away must not leave a server behind.
  process.on('disconnect', () => void reg.close().then(() => process.exit(0)));
  process.send!({ type: 'ready', url: reg.url });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.send?.({ type: 'error', message: String(e) });
    process.exit(1);
  });
}
