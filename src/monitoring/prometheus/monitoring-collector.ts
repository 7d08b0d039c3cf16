import { Registry, collectDefaultMetrics } from 'prom-client';
import { HEALTH_STATUSES, HealthStatus } from '../core/health-evaluator';
import { HISTOGRAM_BINS, binValue } from '../core/log-histogram';
import { PrometheusOptions } from '../core/monitoring-options';
import { HealthScorer } from '../health-scorer.service';
import { PerformanceMonitor } from '../performance-monitor.service';
import { CIRCUIT_STATES } from '../core/routing/circuit-breaker';
import type { ProviderRouter } from '../routing/provider-router.service';

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/**
 * A metric family whose samples are computed from the monitor at scrape time, so the engine is
 * the only copy of the data. prom-client's Registry formats anything with this shape.
 */
class ScrapeTimeMetric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    private readonly read: () => Sample[],
  ) {}

  get(): { name: string; help: string; type: MetricType; values: Sample[]; aggregator: 'sum' } {
    return { name: this.name, help: this.help, type: this.type, values: this.read(), aggregator: 'sum' };
  }

  reset(): void {
    // Nothing is stored here; prom-client calls this on registry.resetMetrics().
  }
}

/**
 * Builds a prom-client Registry that reads the monitor when scraped: per-provider counters, an
 * all-time latency histogram in seconds, window quantiles, health status and score, cache and
 * refused-sample counters, circuits and failovers when a router is given, and (optionally)
 * Node's process metrics.
 */
export function createMonitoringRegistry(monitor: PerformanceMonitor, scorer: HealthScorer, options: PrometheusOptions, router?: ProviderRouter): Registry {
  const registry = new Registry();
  if (options.instance) registry.setDefaultLabels({ instance: options.instance });
  const p = options.prefix;
  const add = (name: string, help: string, type: MetricType, read: () => Sample[]) =>
    // prom-client's types only know its own classes; its registry needs only name, help, type and get().
    registry.registerMetric(new ScrapeTimeMetric(`${p}${name}`, help, type, read) as unknown as Parameters<Registry['registerMetric']>[0]);

  // Every family is read in the same tick of one scrape: judge health once for all of them.
  const health = oncePerTick(() => scorer.calculateHealthStatus());
  const perProvider = (read: (s: ReturnType<typeof stats>[number]) => number) => () =>
    stats().map((s) => ({ value: read(s), labels: { provider: s.name } }));
  const stats = () => Array.from(monitor.providerStats());

  add('provider_calls_total', 'Provider calls recorded.', 'counter', perProvider((s) => s.calls));
  add('provider_failures_total', 'Provider calls that failed (timeouts included).', 'counter', perProvider((s) => s.failures));
  add('provider_timeouts_total', 'Provider calls that timed out.', 'counter', perProvider((s) => s.timeouts));
  add('provider_rate_limited_total', 'Provider calls refused by a rate limit.', 'counter', perProvider((s) => s.rateLimited));

  const bucketsSeconds = options.latencyBucketsMs.map((ms) => ms / 1_000);
  add('provider_latency_seconds', 'Provider call latency (all time); a sample is placed by its log-bucket midpoint, within 1 %.', 'histogram', () => {
    const samples: Sample[] = [];
    for (const s of stats()) {
      const cumulative = cumulativeCounts(s.latencyHistogram, options.latencyBucketsMs);
      bucketsSeconds.forEach((le, i) => samples.push({ metricName: `${p}provider_latency_seconds_bucket`, value: cumulative[i], labels: { provider: s.name, le } }));
      samples.push({ metricName: `${p}provider_latency_seconds_bucket`, value: s.calls, labels: { provider: s.name, le: '+Inf' } });
      samples.push({ metricName: `${p}provider_latency_seconds_sum`, value: s.latencySum / 1_000, labels: { provider: s.name } });
      samples.push({ metricName: `${p}provider_latency_seconds_count`, value: s.calls, labels: { provider: s.name } });
    }
    return samples;
  });

  // Like prom-client's Summary with maxAgeSeconds: quantiles over the sliding window, while
  // _sum and _count stay cumulative so rate() works on them.
  add('provider_window_latency_seconds', 'Latency quantiles over the sliding health window (nearest rank, within 1 %); _sum and _count are all-time.', 'summary', () => {
    const samples: Sample[] = [];
    const totals = new Map(stats().map((s) => [s.name, s]));
    for (const m of monitor.getAllProviderMetrics()) {
      const labels = { provider: m.provider };
      const all = totals.get(m.provider)!;
      samples.push({ metricName: `${p}provider_window_latency_seconds_sum`, value: all.latencySum / 1_000, labels });
      samples.push({ metricName: `${p}provider_window_latency_seconds_count`, value: all.calls, labels });
      const quantiles: [string, number | null][] = [
        ['0.5', m.window.p50LatencyMs],
        ['0.95', m.window.p95LatencyMs],
        ['0.99', m.window.p99LatencyMs],
      ];
      for (const [quantile, ms] of quantiles) if (ms !== null) samples.push({ value: ms / 1_000, labels: { provider: m.provider, quantile } });
    }
    return samples;
  });

  add('provider_status', 'Provider health status: 1 for the current status, 0 for the others.', 'gauge', () =>
    health().providers.flatMap((h) => stateSet(h.status, { provider: h.provider })),
  );
  add('provider_health_score', 'Provider health score, 0-100 (absent with no calls in the window).', 'gauge', () =>
    health()
      .providers.filter((h) => h.score !== null)
      .map((h) => ({ value: h.score!, labels: { provider: h.provider } })),
  );
  add('system_status', 'System health status: 1 for the current status, 0 for the others.', 'gauge', () =>
    stateSet(health().status, {}),
  );

  add('cache_hits_total', 'Cache hits per cache level.', 'counter', () =>
    Object.entries(monitor.getCacheStats().byLevel).map(([level, c]) => ({ value: c.hits, labels: { level } })),
  );
  add('cache_misses_total', 'Cache misses per cache level.', 'counter', () =>
    Object.entries(monitor.getCacheStats().byLevel).map(([level, c]) => ({ value: c.misses, labels: { level } })),
  );
  add('invalid_samples_total', 'Samples refused for their content (bad latency, bad name).', 'counter', () => [
    { value: monitor.getStats().invalidSamples, labels: {} },
  ]);
  add('rejected_samples_total', 'Valid samples refused because the provider cap was reached.', 'counter', () => [
    { value: monitor.getStats().rejectedSamples, labels: {} },
  ]);

  if (router) {
    add('circuit_state', 'Circuit of each routed provider: 1 for the current state, 0 for the others.', 'gauge', () =>
      router.circuitStates().flatMap(({ provider, view }) => CIRCUIT_STATES.map((state) => ({ value: state === view.state ? 1 : 0, labels: { provider, state } }))),
    );
    add('failovers_total', 'Requests moved on from one provider to the next, per capability and pair; kind: failure (it was tried) or skip (it was not).', 'counter', () =>
      router.failoverCounts(null).flatMap((c) => [
        { value: c.afterFailure, labels: { capability: c.capability, from: c.from, to: c.to, kind: 'failure' } },
        { value: c.afterSkip, labels: { capability: c.capability, from: c.from, to: c.to, kind: 'skip' } },
      ]),
    );
  }

  if (options.defaultMetrics) {
    collectDefaultMetrics({ register: registry });
    // These gauges end in _total, which Prometheus reserves for counters (promtool flags them);
    // the same numbers are exported per type as nodejs_active_handles and friends.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      registry.removeSingleMetric(name);
    }
  }
  return registry;
}

function oncePerTick<T>(compute: () => T): () => T {
  let cached: { value: T } | null = null;
  return () => {
    if (!cached) {
      cached = { value: compute() };
      setImmediate(() => (cached = null));
    }
    return cached.value;
  };
}

function stateSet(current: HealthStatus, labels: Record<string, string>): Sample[] {
  return HEALTH_STATUSES.map((status) => ({ value: status === current ? 1 : 0, labels: { ...labels, status } }));
}

/** Counts at or below each bound, placing every log bucket by its midpoint value. */
export function cumulativeCounts(histogram: ArrayLike<number>, boundsMs: readonly number[]): number[] {
  const out = new Array<number>(boundsMs.length).fill(0);
  let bound = 0;
  let running = 0;
  for (let i = 0; i < HISTOGRAM_BINS; i++) {
    const value = binValue(i);
    while (bound < boundsMs.length && value > boundsMs[bound]) out[bound++] = running;
    if (bound === boundsMs.length) break;
    running += histogram[i];
  }
  while (bound < boundsMs.length) out[bound++] = running;
  return out;
}
