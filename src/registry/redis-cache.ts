/**
 * The shared cache on Redis or Valkey (node-redis, the `redis` package), for `--cache-url
 * redis://HOST:PORT[/DB]` (`rediss://` for TLS; user and password in the URL as Redis expects).
 *
 * - Loaded and connected on first use: a run that the disk cache answers never loads the client
 *   (~150 ms to import) nor opens a connection.
 * - Bounded: connecting and every command have a deadline. The first failure (refused, reset,
 *   timed out, an error reply) marks the cache down for `retryAfterMs` (default: the rest of the
 *   run) and says so once through `warn`; every call then answers "miss" at once, so the disk
 *   cache and the registry carry the run. No reconnect loop, no offline queue.
 * - Keys: `slopguard:v4:<sha256 of the cache key>` for entries, `...:claim` for claims
 *   (`SET NX PX`); values are the sealed entries themselves, so nothing here is trusted without
 *   the key (a forged value is a miss).
 * - close() waits (bounded) for writes in flight, then destroys the connection: no hang at exit.
 */
import { lazyRequire } from '../core/lazy-require.js';
import { ENTRY_FORMAT } from './cache-entry.js';
import { redact, stripUserinfo } from './redact.js';
import type { Claim, SharedCache } from './shared-cache.js';

/** Options of {@link RedisCache}. */
export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...`. */
  url: string;
  /** Told once when the cache goes down. */
  warn?: (message: string) => void;
  /** Longest wait for a connection (default 1,000 ms). */
  connectTimeoutMs?: number;
  /** Longest wait for one command's reply (default 500 ms). */
  commandTimeoutMs?: number;
  /** After a failure, try again after this long (default never: a CLI run stays on the disk cache). */
  retryAfterMs?: number;
}

/** The few node-redis calls used here (its generic client type is far larger). */
interface Client {
  connect(): Promise<unknown>;
  on(event: 'error', listener: (e: Error) => void): unknown;
  mGet(keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string, options: { PX: number; NX?: true }): Promise<string | null>;
  del(key: string): Promise<number>;
  destroy(): void;
}

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

class Down extends Error {}

function redisKey(cacheKey: string): string {
  return `slopguard:${ENTRY_FORMAT}:${crypto().createHash('sha256').update(cacheKey).digest('hex')}`;
}

/** A shared cache on one Redis/Valkey server. */
export class RedisCache implements SharedCache {
  readonly #o: RedisCacheOptions;
  readonly #shown: string;
  #client: Promise<Client> | undefined;
  #downUntil = 0;
  #warned = false;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(o: RedisCacheOptions) {
    this.#o = o;
    this.#shown = redact(stripUserinfo(o.url));
  }

  #connectTimeout(): number {
    return this.#o.connectTimeoutMs ?? 1_000;
  }

  /** Reject with Down after `ms`; clears its timer either way. */
  #bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Down(`${what} took longer than ${ms} ms`)), ms);
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  }

  #connect(): Promise<Client> {
    if (!this.#client) {
      const attempt = (async () => {
        // A CommonJS package: its exports are the namespace's own, or its default's, depending on the loader.
        const mod = (await import('redis')) as unknown as { createClient?: (o: object) => Client; default?: { createClient: (o: object) => Client } };
        const createClient = mod.createClient ?? mod.default!.createClient;
        const client = createClient({
          url: this.#o.url,
          socket: { connectTimeout: this.#connectTimeout(), reconnectStrategy: false },
          disableOfflineQueue: true,
        });
        // node-redis emits connection errors as events; unheard, they would crash the process.
        client.on('error', (e) => this.#fail(e));
        try {
          await this.#bounded(client.connect(), this.#connectTimeout() + 250, 'connecting');
        } catch (e) {
          client.destroy();
          throw e;
        }
        return client;
      })();
      // Every caller awaits this promise; mark it handled so a failure is not "unhandled" first.
      attempt.catch(() => undefined);
      this.#client = attempt;
    }
    return this.#client;
  }

  /** Run one command against a live connection, or throw Down. */
  async #run<T>(what: string, fn: (c: Client) => Promise<T>): Promise<T> {
    if (Date.now() < this.#downUntil) throw new Down('down');
    let client: Client;
    try {
      client = await this.#connect();
    } catch (e) {
      this.#fail(e);
      throw new Down('down');
    }
    try {
      return await this.#bounded(fn(client), this.#o.commandTimeoutMs ?? 500, what);
    } catch (e) {
      this.#fail(e);
      throw new Down('down');
    }
  }

  #fail(e: unknown): void {
    if (Date.now() < this.#downUntil) return;
    this.#downUntil = this.#o.retryAfterMs === undefined ? Infinity : Date.now() + this.#o.retryAfterMs;
    const old = this.#client;
    this.#client = undefined;
    void old?.then((c) => c.destroy(), () => undefined);
    if (this.#warned && this.#o.retryAfterMs === undefined) return;
    this.#warned = true;
    const why = redact((e as { code?: string }).code ?? (e as Error)?.message ?? String(e));
    this.#o.warn?.(`the shared cache ${this.#shown} is not answering (${why}); continuing with the local cache`);
  }

  async get(keys: readonly string[]): Promise<Array<Buffer | undefined>> {
    if (!keys.length) return [];
    try {
      const values = await this.#run('MGET', (c) => c.mGet(keys.map(redisKey)));
      return keys.map((_, i) => (typeof values[i] === 'string' ? Buffer.from(values[i]!, 'utf8') : undefined));
    } catch {
      return keys.map(() => undefined);
    }
  }

  put(key: string, sealed: string, keepMs: number): void {
    if (Date.now() < this.#downUntil) return;
    const p = this.#run('SET', (c) => c.set(redisKey(key), sealed, { PX: Math.max(1, Math.round(keepMs)) })).catch(() => undefined);
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async claim(key: string, holdMs: number): Promise<Claim> {
    try {
      const ok = await this.#run('SET NX', (c) => c.set(`${redisKey(key)}:claim`, String(process.pid), { PX: Math.max(1, Math.round(holdMs)), NX: true }));
      return ok === 'OK' ? 'ours' : 'taken';
    } catch {
      return 'unavailable';
    }
  }

  release(key: string): void {
    if (Date.now() < this.#downUntil) return;
    const p = this.#run('DEL', (c) => c.del(`${redisKey(key)}:claim`)).catch(() => undefined);
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async close(): Promise<void> {
    // Writes are bounded by the command timeout, so this wait is too.
    while (this.#pending.size) await Promise.all([...this.#pending]);
    const c = this.#client;
    this.#client = undefined;
    this.#downUntil = Infinity;
    if (c) await c.then((client) => client.destroy(), () => undefined);
  }
}
