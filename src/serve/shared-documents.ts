/**
 * npm documents shared between guards (issue 15: several `serve` instances behind one load
 * balancer, one Redis). The layer is the packument, not the facts: a guard judges and serves the
 * same document, so an instance that had only another's facts would still ask upstream for the
 * document its client wants.
 *
 * Per name: a fresh shared entry answers; otherwise one instance claims the name and asks
 * upstream while the others poll for its answer (bounded; after the wait they ask themselves).
 * Entries are sealed with the users' cache key (cache-entry.ts) like every cache entry, so a value
 * someone wrote into the Redis without the key is a miss, never a document served to clients.
 * A Redis that is down is a miss (SharedCache never rejects; it warns once).
 */
import { cacheKey, newEntry, openEntry, seal } from '../registry/cache-entry.js';
import type { SharedCache } from '../registry/shared-cache.js';
import type { NpmDocument } from './upstream.js';

/** Options of {@link SharedDocuments}. */
export interface SharedDocumentsOptions {
  cache: SharedCache;
  /** The cache key (cache-key.ts) every instance sharing the cache holds. */
  secret: Buffer;
  now: () => Date;
  /** How long another instance's fetch is waited for before asking upstream ourselves. */
  waitMs: number;
}

/** What is kept: a document or a 404 (failures are never shared: the next instance tries again). */
type Shared = Exclude<NpmDocument, { kind: 'error' }>;

/** Between looks at the shared cache while another instance fetches. */
const POLL_MS = 20;

function isShared(v: unknown): v is Shared {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if (o.kind === 'not-found') return true;
  return o.kind === 'doc' && !!o.doc && typeof o.doc === 'object' && !Array.isArray(o.doc) && (o.etag === undefined || typeof o.etag === 'string');
}

/** The shared side of Upstream's document memo. */
export class SharedDocuments {
  readonly #o: SharedDocumentsOptions;

  constructor(o: SharedDocumentsOptions) {
    this.#o = o;
  }

  async #read(key: string): Promise<Shared | undefined> {
    const [buf] = await this.#o.cache.get([key]);
    const hit = buf ? openEntry(this.#o.secret, buf, key, isShared, this.#o.now()) : undefined;
    return hit?.fresh ? hit.value : undefined;
  }

  /**
   * The document of `name` on `registry`: from the shared cache, or from `fetch` (by this
   * instance or the one that claimed the name first), kept for `ttlOf(answer)` ms.
   */
  async get(registry: string, name: string, fetch: () => Promise<NpmDocument>, ttlOf: (d: NpmDocument) => number): Promise<NpmDocument> {
    const { cache } = this.#o;
    const key = cacheKey('npm-document', registry, 'npm', name);
    const hit = await this.#read(key);
    if (hit) return hit;
    const until = Date.now() + this.#o.waitMs;
    for (let waited = false; ; waited = true) {
      const claim = await cache.claim(key, this.#o.waitMs + 1_000);
      if (claim === 'unavailable') return fetch();
      if (claim === 'ours') {
        try {
          // The claim was free again: its holder may have just stored the answer and let go.
          const again = waited ? await this.#read(key) : undefined;
          if (again) return again;
          const doc = await fetch();
          if (doc.kind !== 'error') {
            const ttl = ttlOf(doc);
            cache.put(key, seal(this.#o.secret, newEntry(key, doc, this.#o.now(), ttl, doc.kind === 'doc' ? doc.etag : undefined)), ttl);
          }
          return doc;
        } finally {
          cache.release(key);
        }
      }
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, until - Date.now()))));
      const theirs = await this.#read(key);
      if (theirs) return theirs;
      if (Date.now() >= until) return fetch();
    }
  }
}
