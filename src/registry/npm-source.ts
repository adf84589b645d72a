/**
 * npm facts for the resolver: which registry serves a name (scoped registries from .npmrc), its
 * packument (abbreviated or full) through the cache, and the facts read from it.
 */
import type { PackageFacts, RegistrySettings } from '../core/types.js';
import type { CachedLookup } from './cached-lookup.js';
import { NpmClient, npmFacts, type NpmAnswer } from './npm.js';
import { downloadsWouldLeak } from './public-npm.js';
import { redact, stripUserinfo } from './redact.js';
import type { PopularityLookup } from './resolver.js';


/** Options of {@link NpmSource}. */
export interface NpmSourceOptions {
  client: NpmClient;
  settings: RegistrySettings;
  lookup: CachedLookup;
  now: () => Date;
  secrets: string[];
  popularity?: PopularityLookup;
}

/** npm registries as one source of facts. */
export class NpmSource {
  readonly #client: NpmClient;
  readonly #settings: RegistrySettings;
  readonly #lookup: CachedLookup;
  readonly #now: () => Date;
  readonly #secrets: string[];
  readonly #popularity: PopularityLookup | undefined;

  constructor(o: NpmSourceOptions) {
    this.#client = o.client;
    this.#settings = o.settings;
    this.#lookup = o.lookup;
    this.#now = o.now;
    this.#secrets = o.secrets;
    this.#popularity = o.popularity;
  }

  /** The registry a name is asked of, without credentials (for facts and reports). */
  registryOf(name: string): string {
    return this.#client.displayRegistry(name);
  }

  /** Whether the name's registry is a private (scoped, configured) one. */
  isPrivate(name: string): boolean {
    return this.#client.registryFor(name).private;
  }

  /**
   * With a private default npm registry (a company mirror) and the public downloads API, a name the
   * bundled public list does not know may be a private package: asking api.npmjs.org about it
   * would tell the world the name. Its downloads stay unknown instead (never 0). Scoped private
   * registries are handled by {@link isPrivate}.
   */
  mayBePrivate(name: string): boolean {
    return downloadsWouldLeak(this.#settings, () => this.#popularity?.('npm', name) !== undefined);
  }

  /** Facts that say why there are none (redacted), marked private for a private registry. */
  unverified(name: string, registry: string, error: string): PackageFacts {
    const f: PackageFacts = { ecosystem: 'npm', name, status: 'unverified', registry, error: redact(error, this.#secrets), fetchedAt: this.#now().toISOString() };
    if (this.isPrivate(name)) f.privateRegistry = true;
    return f;
  }

  #notFound(name: string, registry: string, isPrivate: boolean): PackageFacts {
    const f: PackageFacts = { ecosystem: 'npm', name, status: 'not-found', registry, fetchedAt: this.#now().toISOString() };
    if (isPrivate) f.privateRegistry = true;
    return f;
  }

  /** Facts from the full packument (creation date, repository) or the abbreviated one. Never rejects. */
  facts(name: string, full: boolean): Promise<PackageFacts> {
    const reg = this.#client.registryFor(name);
    const registry = stripUserinfo(reg.url);
    const ctx = () => ({ name, registry, privateRegistry: reg.private, fetchedAt: this.#now().toISOString() });
    const toFacts = (a: NpmAnswer, isFull: boolean) => {
      if (a.kind === 'not-found') return { facts: this.#notFound(name, registry, reg.private) };
      if (a.kind === 'not-modified') return 'not-modified' as const;
      const facts = npmFacts(a.doc, isFull, ctx());
      return facts ? { facts, ...(a.etag ? { etag: a.etag } : {}) } : undefined;
    };
    return this.#lookup.facts(
      full ? 'facts' : 'facts-abbreviated',
      'npm',
      name,
      registry,
      async (etag, deadline) => {
        const first = toFacts(await this.#client.packument(name, { full, deadline, ...(etag ? { etag } : {}) }), full);
        if (first) return first;
        // The abbreviated document cannot tell a tombstone from an empty package: ask for the full one.
        const second = toFacts(await this.#client.packument(name, { full: true, deadline }), true);
        if (second && second !== 'not-modified') return second;
        throw new Error(`the registry's answer for ${name} has no versions`);
      },
      (error) => this.unverified(name, registry, error),
      full ? undefined : 'facts',
    );
  }
}
