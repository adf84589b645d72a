/**
 * What every route of the guard shares: the judge, the upstream clients, the age gate, the policy
 * and the decision log. A new route (issue 15: `POST /v1/check`, `/metrics`) is one file with a
 * {@link Route} and one line in server.ts's ROUTES.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ecosystem, PackageResult, Policy, Verdict } from '../core/types.js';
import type { Judge } from './judge.js';
import type { TarballMode } from './npm-document.js';
import type { ServeMetrics } from './metrics.js';
import type { RefusalCode } from './refusal.js';
import type { Upstream } from './upstream.js';

/** One decision of the guard, logged as one line (and, later, as one audit record). */
export interface Decision {
  ecosystem: Ecosystem;
  name: string;
  /** What was asked: `packument`, `abbreviated`, `tarball`, `simple`, `json`, `manifest`. */
  what: string;
  status: number;
  /** `allowed` (served), `unverified` (served with a warning), or the refusal's code. */
  decision: 'allowed' | 'unverified' | RefusalCode;
  verdict?: Verdict;
  /** Finding codes behind the verdict. */
  codes?: string[];
  /** Versions or files the age gate removed. */
  gated?: number;
  /** The sentence shown to the client, for refusals and warnings. */
  reason?: string;
  /** The judgement behind it, when there was one (in-process listeners such as the wrappers word their own lines from it). */
  result?: PackageResult;
}

/** Shared state of one guard. */
export interface ServeContext {
  judge: Judge;
  upstream: Upstream;
  policy: Policy;
  /** `--min-release-age` in days; 0 is off. */
  minReleaseAgeDays: number;
  /** Epoch ms before which a release is old enough (meaningful when minReleaseAgeDays > 0). */
  cutoffMs(): number;
  /** Where served tarball URLs point (npm-document.ts TARBALL_MODES). */
  tarballs: TarballMode;
  /** The guard's own base URL as the client reached it (for rewritten tarball URLs), no trailing slash. */
  baseUrl(req: IncomingMessage): string;
  decide(d: Decision): void;
  /** The counters `GET /metrics` renders. */
  metrics: ServeMetrics;
}

/** One family of paths the guard answers. */
export interface Route {
  /** Path prefix, e.g. `/npm/`. */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: ServeContext): Promise<void>;
}
