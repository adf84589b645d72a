/**
 * PyPI facts for the resolver: public PyPI's JSON API, or the configured `index-url` (a private
 * simple index, or a mirror of PyPI), with private `extra-index-url`s asked for a name the main
 * index does not have.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizePypiName } from '../core/names.js';
import type { Ecosystem, PackageFacts, RegistrySettings } from '../core/types.js';
import type { CachedLookup } from './cached-lookup.js';
import type { HttpClient } from './http.js';
import { fetchPypiJson, pypiJsonFacts, type PypiAnswer } from './pypi.js';
import { fetchPypiSimple, pypiSimpleFacts } from './pypi-simple.js';
import { redact, stripUserinfo } from './redact.js';
import type { PopularityLookup } from './resolver.js';

/**
 * Names any mirror of public PyPI serves (pip's own toolchain); the first the bundled popular list
 * ranks is asked of an `index-url` to tell a mirror from a private index.
 */
const MIRROR_PROBES = ['pip', 'setuptools', 'wheel'] as const;

/** Whether a local `file://` simple index has a folder for the (PEP 503) name. */
function localIndexHas(indexUrl: string, name: string): boolean {
  try {
    return statSync(join(fileURLToPath(indexUrl), normalizePypiName(name))).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `indexUrl` is public PyPI's own simple index (then the JSON API says more). */
function isPublicPypiIndex(indexUrl: string, pypiUrl: string): boolean {
  try {
    const idx = new URL(indexUrl);
    if (idx.hostname === 'pypi.org' || idx.hostname === 'pypi.python.org') return true;
    const ownIndex = new URL(`${pypiUrl.replace(/\/+$/, '')}/simple/`);
    return idx.origin === ownIndex.origin && idx.pathname.replace(/\/*$/, '/') === ownIndex.pathname;
  } catch {
    return false;
  }
}

/** Options of {@link PypiSource}. */
export interface PypiSourceOptions {
  http: HttpClient;
  settings: RegistrySettings;
  lookup: CachedLookup;
  now: () => Date;
  secrets: string[];
  popularity?: PopularityLookup;
  /** Whether public PyPI has the name, from the bundled complete list (undefined: cannot say). */
  publicExists?: (ecosystem: Ecosystem, name: string) => boolean | undefined;
}

/** PyPI and the configured indexes as one source of facts. */
export class PypiSource {
  readonly #http: HttpClient;
  readonly #settings: RegistrySettings;
  readonly #lookup: CachedLookup;
  readonly #now: () => Date;
  readonly #secrets: string[];
  readonly #popularity: PopularityLookup | undefined;
  readonly #publicExists: PypiSourceOptions['publicExists'];
  /** The `index-url` when it is not public PyPI's own. */
  readonly privateIndex: string | undefined;
  /** Private `extra-index-url`s, asked (in order) for a name the main index does not have. */
  readonly #extraIndexes: string[];
  /** Whether `privateIndex` mirrors public PyPI (decided on first need). */
  #mirror: Promise<boolean> | undefined;

  constructor(o: PypiSourceOptions) {
    this.#http = o.http;
    this.#settings = o.settings;
    this.#lookup = o.lookup;
    this.#now = o.now;
    this.#secrets = o.secrets;
    this.#popularity = o.popularity;
    this.#publicExists = o.publicExists;
    const s = o.settings;
    if (s.pypiIndexUrl && !isPublicPypiIndex(s.pypiIndexUrl, s.pypiUrl)) this.privateIndex = s.pypiIndexUrl;
    this.#extraIndexes = (s.pypiExtraIndexUrls ?? []).filter((u) => !isPublicPypiIndex(u, s.pypiUrl) && u !== this.privateIndex);
  }

  /** The index names are asked of, without credentials. */
  registry(): string {
    return stripUserinfo(this.privateIndex ?? this.#settings.pypiUrl);
  }

  /** Facts that say why there are none (redacted), with what may still hold the name. */
  unverified(name: string, registry: string, error: string): PackageFacts {
    const f: PackageFacts = { ecosystem: 'pypi', name, status: 'unverified', registry, error: redact(error, this.#secrets), fetchedAt: this.#now().toISOString() };
    if (this.privateIndex) f.privateRegistry = true;
    // A local (file://) extra index can be read now: only one that has the name, or one that
    // cannot be read without the network, keeps the public list from calling it missing.
    if (this.#extraIndexes.some((u) => !u.startsWith('file:') || localIndexHas(u, name))) f.extraIndexes = true;
    return f;
  }

  /** Facts of a (normalized) name. Never rejects. */
  async facts(name: string): Promise<PackageFacts> {
    return this.#publicOnMirror(await this.#facts(name));
  }

  #facts(name: string): Promise<PackageFacts> {
    const index = this.privateIndex;
    const registry = stripUserinfo(index ?? this.#settings.pypiUrl);
    const ctx = () => ({ name, registry, privateRegistry: !!index, fetchedAt: this.#now().toISOString() });
    // The answer depends on the extra indexes too: they are part of what the cache entry is for.
    const cacheAs = this.#extraIndexes.length ? [registry, ...this.#extraIndexes.map(stripUserinfo)].join(' + ') : registry;
    return this.#lookup.facts(
      'facts',
      'pypi',
      name,
      cacheAs,
      async (etag, deadline) => {
        const o = { deadline, ...(etag ? { etag } : {}) };
        const a: PypiAnswer = index ? await fetchPypiSimple(this.#http, index, name, o) : await fetchPypiJson(this.#http, this.#settings.pypiUrl, name, o);
        if (a.kind === 'not-found') return { facts: (await this.#fromExtraIndexes(name, deadline)) ?? this.#notFound(name, registry, !!index) };
        if (a.kind === 'not-modified') return 'not-modified';
        const facts = index ? pypiSimpleFacts(a.doc, ctx()) : pypiJsonFacts(a.doc, ctx());
        return a.etag ? { facts, etag: a.etag } : { facts };
      },
      (error) => this.unverified(name, cacheAs, error),
    );
  }

  #notFound(name: string, registry: string, isPrivate: boolean): PackageFacts {
    const f: PackageFacts = { ecosystem: 'pypi', name, status: 'not-found', registry, fetchedAt: this.#now().toISOString() };
    if (isPrivate) f.privateRegistry = true;
    return f;
  }

  /**
   * A PyPI mirror set as `index-url` is not a private registry: a name public PyPI has (by the
   * bundled complete list) is judged as public, so typo checks stay on. Whether the index is a
   * mirror: `privateIndex` from the config when given (false: every name is public), else whether
   * it serves one well-known public name (asked once per run, through the cache).
   */
  async #publicOnMirror(facts: PackageFacts): Promise<PackageFacts> {
    if (!facts.privateRegistry || !this.privateIndex) return facts;
    // Said by the config: every name is public. Detected: only names public PyPI has, so a private
    // package on a proxying index is neither judged as public nor sent to pypistats.
    const said = this.#settings.pypiIndexPrivate;
    if (said === true) return facts;
    if (said === undefined && this.#publicExists?.('pypi', facts.name) !== true) return facts;
    if (!(await (this.#mirror ??= this.#indexIsMirror()))) return facts;
    const { privateRegistry: _, ...rest } = facts;
    return rest;
  }

  async #indexIsMirror(): Promise<boolean> {
    const said = this.#settings.pypiIndexPrivate;
    if (said !== undefined) return !said;
    const probe = MIRROR_PROBES.find((n) => this.#popularity?.('pypi', n) !== undefined);
    if (!probe) return false;
    try {
      return (await this.#facts(probe)).status === 'found';
    } catch {
      return false; // an index that cannot answer is not known to mirror PyPI: names stay private
    }
  }

  /**
   * A name the main index does not have, from the first private extra index that does (pip would
   * install it from there): private facts, never judged against the public lists. Undefined when
   * none has it; an extra index that cannot be reached makes the lookup unverified (throws), since
   * "missing" could then be wrong.
   */
  async #fromExtraIndexes(name: string, deadline: number): Promise<PackageFacts | undefined> {
    for (const extra of this.#extraIndexes) {
      if (extra.startsWith('file:')) {
        // A local PEP 503 index (pip reads `file://` ones): the project is a folder named after it.
        if (localIndexHas(extra, name)) return { ecosystem: 'pypi', name, status: 'found', registry: extra, privateRegistry: true, fetchedAt: this.#now().toISOString() };
        continue;
      }
      const a = await fetchPypiSimple(this.#http, extra, name, { deadline });
      if (a.kind === 'doc') return pypiSimpleFacts(a.doc, { name, registry: stripUserinfo(extra), privateRegistry: true, fetchedAt: this.#now().toISOString() });
    }
    return undefined;
  }
}
