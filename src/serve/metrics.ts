/**
 * The guard's counters for `GET /metrics` (issue 15), kept as data and rendered in the Prometheus
 * text exposition format (version 0.0.4). A few counters and one histogram do not justify a
 * metrics library between every install and its registry; the format is small and fixed.
 *
 * Label values are only ever drawn from closed sets (route prefixes, ecosystems, verdicts,
 * decision codes, request kinds), never package names: a name in a label would let any client
 * grow the scrape without bound. They are still escaped as the format requires.
 */

/** Upper bounds (seconds) of the upstream latency histogram's buckets. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** The metric families, with their type and help text (one home for the names). */
export const METRICS = {
  requests: { name: 'slopguard_serve_requests_total', type: 'counter', help: 'HTTP requests answered by the guard, by route prefix and status.' },
  decisions: { name: 'slopguard_serve_decisions_total', type: 'counter', help: 'Package decisions, by ecosystem and decision (allowed, unverified or the refusal code).' },
  verdicts: { name: 'slopguard_serve_verdicts_total', type: 'counter', help: 'Verdicts behind the decisions, by ecosystem and verdict.' },
  upstream: { name: 'slopguard_serve_upstream_requests_total', type: 'counter', help: 'Requests sent to the upstream registries, by kind (retries included).' },
  latency: { name: 'slopguard_serve_upstream_duration_seconds', type: 'histogram', help: 'Time until an upstream answer (retries included), by kind; a download-count lookup is one npm-downloads exchange.' },
  cacheHits: { name: 'slopguard_serve_verdict_cache_hits_total', type: 'counter', help: 'Verdict lookups answered from the judge\'s memo (in flight or within the TTL).' },
  cacheMisses: { name: 'slopguard_serve_verdict_cache_misses_total', type: 'counter', help: 'Verdict lookups that ran the pipeline.' },
} as const;

type Labels = Record<string, string>;

/** Escape a label value: backslash, double quote and line feed (the exposition format's rules). */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',')}}` : '';
}

/** A counter family keyed by its label set. */
class Counter {
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  inc(labels: Labels, by = 1): void {
    const key = labelText(labels);
    const e = this.#values.get(key) ?? { labels, value: 0 };
    e.value += by;
    this.#values.set(key, e);
  }
  lines(name: string): string[] {
    return [...this.#values.values()].map((e) => `${name}${labelText(e.labels)} ${e.value}`);
  }
}

/** A histogram family keyed by its label set (cumulative buckets, sum and count). */
class Histogram {
  readonly #values = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  observe(labels: Labels, seconds: number): void {
    const key = labelText(labels);
    const e = this.#values.get(key) ?? { labels, buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
    LATENCY_BUCKETS.forEach((b, i) => {
      if (seconds <= b) e.buckets[i]!++;
    });
    e.sum += seconds;
    e.count++;
    this.#values.set(key, e);
  }
  lines(name: string): string[] {
    return [...this.#values.values()].flatMap((e) => [
      ...LATENCY_BUCKETS.map((b, i) => `${name}_bucket${labelText({ ...e.labels, le: String(b) })} ${e.buckets[i]}`),
      `${name}_bucket${labelText({ ...e.labels, le: '+Inf' })} ${e.count}`,
      `${name}_sum${labelText(e.labels)} ${e.sum}`,
      `${name}_count${labelText(e.labels)} ${e.count}`,
    ]);
  }
}

/** The counters of one guard. */
export class ServeMetrics {
  readonly requests = new Counter();
  readonly decisions = new Counter();
  readonly verdicts = new Counter();
  readonly upstream = new Counter();
  readonly latency = new Histogram();
  /** Verdict memo lookups answered from memory, and those that ran the pipeline. */
  cacheHits = 0;
  cacheMisses = 0;

  /** The whole scrape in the text exposition format (ends with a line feed). */
  render(): string {
    const family = (m: (typeof METRICS)[keyof typeof METRICS], lines: string[]) => [`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, ...lines];
    return `${[
      ...family(METRICS.requests, this.requests.lines(METRICS.requests.name)),
      ...family(METRICS.decisions, this.decisions.lines(METRICS.decisions.name)),
      ...family(METRICS.verdicts, this.verdicts.lines(METRICS.verdicts.name)),
      ...family(METRICS.upstream, this.upstream.lines(METRICS.upstream.name)),
      ...family(METRICS.latency, this.latency.lines(METRICS.latency.name)),
      ...family(METRICS.cacheHits, [`${METRICS.cacheHits.name} ${this.cacheHits}`]),
      ...family(METRICS.cacheMisses, [`${METRICS.cacheMisses.name} ${this.cacheMisses}`]),
    ].join('\n')}\n`;
  }
}
