/**
 * slopguard as a Verdaccio 6 filter plugin: every packument Verdaccio serves passes through
 * `filter_metadata`, so every npm client of that Verdaccio gets slopguard's judgement and the
 * release-age gate, whatever its own settings.
 *
 * How a refusal is expressed: Verdaccio (lib/storage.js `_applyFilters`) catches an error thrown
 * by a filter, logs it at debug level and serves the manifest unfiltered, so throwing would let a
 * squat through. A refused package is therefore served with no versions and no dist-tags: npm
 * cannot resolve it (ENOVERSIONS / ETARGET), and Verdaccio refuses its tarballs too, because it
 * serves a tarball only when the filtered manifest still lists it (`_isTarballAllowedByFilters`).
 * Fields Verdaccio does not copy into the abbreviated document npm asks for are lost, so the
 * reason cannot ride in the manifest; it goes to Verdaccio's log.
 *
 * Facts come from the manifest Verdaccio hands over (npmFacts), so judging makes no request. They
 * are not marked private: what a Verdaccio serves mostly comes through its uplink from the public
 * registry, where squats live, and a look-alike published straight to Verdaccio is just as bad.
 */
import { check } from '../core/check.js';
import type { PackageFacts, Policy, Resolver, ResolverStats } from '../core/types.js';
import { DEFAULT_POLICY } from '../policy/defaults.js';
import { npmFacts } from '../registry/npm.js';
import { gateNpmDocument } from '../serve/age-gate.js';
import { refusalFor, tooYoung } from '../serve/refusal.js';
import { escapeForTerminal } from '../reporters/escape.js';
import { VERDACCIO_TEXT } from '../reporters/messages.js';
import { describe } from '../registry/http.js';
import { parseFilterConfig, type FilterConfig } from './config.js';

/** The part of Verdaccio's logger the plugin uses. */
export interface FilterLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** What Verdaccio passes as the plugin's second argument (only the logger is used). */
export interface FilterPluginOptions {
  logger?: FilterLogger;
}

/** A packument as Verdaccio hands it to a filter. */
export type Manifest = Record<string, unknown> & { name?: unknown; versions?: unknown; time?: unknown };

const ONE_DAY_MS = 86_400_000;

/** The Verdaccio filter plugin (the `filter_metadata` contract of @verdaccio/types IPluginStorageFilter). */
export class SlopguardFilter {
  readonly #config: FilterConfig;
  readonly #policy: Policy;
  readonly #logger: FilterLogger | undefined;
  readonly #now: () => Date;

  constructor(config: unknown, options: FilterPluginOptions = {}, now: () => Date = () => new Date()) {
    this.#config = parseFilterConfig(config);
    this.#policy = { ...DEFAULT_POLICY, failOn: this.#config.failOn, failClosed: this.#config.failClosed };
    this.#logger = options.logger;
    this.#now = now;
  }

  /** Verdaccio's filter hook: the manifest clients may see. Never throws (a throw would serve the input). */
  async filter_metadata(manifest: Manifest): Promise<Manifest> {
    const name = typeof manifest?.name === 'string' ? manifest.name : '';
    try {
      return await this.#filter(name, manifest);
    } catch (e) {
      // Nothing was decided: refused under failClosed, served with a warning otherwise.
      const why = describe(e);
      this.#log({ package: name, reason: why }, VERDACCIO_TEXT.couldNotJudge(name, why));
      return this.#config.failClosed ? refused(manifest) : manifest;
    }
  }

  async #filter(name: string, manifest: Manifest): Promise<Manifest> {
    const report = await check([{ ecosystem: 'npm', name, origin: { file: '<verdaccio>' } }], { policy: this.#policy, resolver: this.#resolver(manifest), now: this.#now });
    const result = report.packages[0];
    if (!result) {
      const note = report.notes.find((n) => n.code === 'invalid-name');
      this.#log({ package: name }, note?.message ?? VERDACCIO_TEXT.invalidName(name));
      return refused(manifest);
    }
    const refusal = refusalFor({ kind: 'result', result }, this.#policy);
    if (refusal) {
      this.#log({ package: name, code: refusal.code }, refusal.message);
      return refused(manifest);
    }
    if (result.verdict === 'unknown') this.#log({ package: name, code: 'unverified' }, VERDACCIO_TEXT.served(result));
    const days = this.#config.minReleaseAgeDays;
    if (days <= 0) return manifest;
    const gate = gateNpmDocument(manifest, { cutoffMs: this.#now().getTime() - days * ONE_DAY_MS, dropUnknown: this.#config.failClosed });
    if (gate.kept === 0) {
      const r = tooYoung('npm', name, days);
      this.#log({ package: name, code: r.code }, r.message);
      return refused(manifest);
    }
    if (gate.removed.length) this.#log({ package: name, removed: gate.removed }, VERDACCIO_TEXT.hidYoung(name, gate.removed.length, days));
    return gate.doc as Manifest;
  }

  /** A resolver whose only document is the manifest Verdaccio handed over: no request is made. */
  #resolver(manifest: Manifest): Resolver {
    return {
      resolve: async (ecosystem, name): Promise<PackageFacts> => {
        const fetchedAt = this.#now().toISOString();
        const base = { ecosystem, name, registry: 'verdaccio', fetchedAt } as const;
        if (ecosystem !== 'npm' || name !== manifest.name) return { ...base, status: 'unverified', error: 'the Verdaccio filter judges only the package Verdaccio asked about' };
        try {
          const facts = npmFacts(manifest, true, { name, registry: 'verdaccio', privateRegistry: false, fetchedAt });
          return facts ?? { ...base, status: 'unverified', error: `Verdaccio's manifest for ${name} has no versions` };
        } catch (e) {
          return { ...base, status: 'unverified', error: describe(e) };
        }
      },
      stats: (): ResolverStats => ({ requests: {}, cacheHits: 0, cacheMisses: 0, revalidated: 0 }),
      close: async () => {},
    };
  }

  #log(fields: Record<string, unknown>, message: string): void {
    // Verdaccio's logger treats @{...} as a template; the sentence is passed as a field. Names come
    // from publishers: no control character reaches a terminal running Verdaccio's pretty log.
    this.#logger?.warn({ ...fields, slopguard: escapeForTerminal(message) }, 'slopguard: @{slopguard}');
  }
}

/** The manifest with nothing left to install: no versions, no dist-tags, no version times. */
function refused(manifest: Manifest): Manifest {
  const time = manifest.time && typeof manifest.time === 'object' ? (manifest.time as Record<string, unknown>) : {};
  const keptTime: Record<string, unknown> = {};
  for (const k of ['created', 'modified']) if (time[k] !== undefined) keptTime[k] = time[k];
  return { ...manifest, versions: {}, 'dist-tags': {}, time: keptTime };
}
