import { MonitoringSettings } from '../monitoring-settings.service';
import { HISTOGRAM_BINS, binIndex } from '../core/log-histogram';
import { ManualClock } from '../core/manual-clock';
import { resolveMonitoringOptions } from '../core/monitoring-options';
import { HealthScorer } from '../health-scorer.service';
import { PerformanceMonitor } from '../performance-monitor.service';
import { createMonitoringRegistry, cumulativeCounts } from './monitoring-collector';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { CostService } from '../cost/cost.service';
import { ProviderCallError } from '../core/provider-call';
import { ProviderRouter } from '../routing/provider-router.service';

function setup(instance?: string) {
  const options = resolveMonitoringOptions({ clock: new ManualClock(), prometheus: { instance, defaultMetrics: false } });
  const monitor = new PerformanceMonitor(options);
  const scorer = new HealthScorer(monitor, new MonitoringSettings(options), options);
  return { monitor, registry: createMonitoringRegistry(monitor, scorer, options.prometheus) };
}

/** The value of one series in Prometheus text, by its exact name and label set. */
function series(text: string, selector: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${selector} `));
  return line === undefined ? undefined : Number(line.slice(selector.length + 1));
}

describe('Prometheus collector with a router', () => {
  it('exports each routed provider’s circuit state and the failovers per pair and kind', async () => {
    const options = resolveMonitoringOptions({ clock: new ManualClock(), prometheus: { defaultMetrics: false }, routing: { circuit: { failureThreshold: 1 } } });
    const monitor = new PerformanceMonitor(options);
    const scorer = new HealthScorer(monitor, new MonitoringSettings(options), options);
    const router = new ProviderRouter(monitor, scorer, new CostService(monitor, options), new EventEmitter2(), options);
    router.register('stock-quote', ['a', 'b']);
    const registry = createMonitoringRegistry(monitor, scorer, options.prometheus, router);
    const call = async (provider: string) => {
      if (provider === 'a') throw new ProviderCallError('down', 'http_error');
      return 1;
    };
    await router.execute('stock-quote', call);
    await router.execute('stock-quote', call);
    const text = await registry.metrics();
    expect(series(text, 'monitoring_circuit_state{provider="a",state="OPEN"}')).toBe(1);
    expect(series(text, 'monitoring_circuit_state{provider="a",state="CLOSED"}')).toBe(0);
    expect(series(text, 'monitoring_circuit_state{provider="b",state="CLOSED"}')).toBe(1);
    expect(series(text, 'monitoring_failovers_total{capability="stock-quote",from="a",to="b",kind="failure"}')).toBe(1);
    expect(series(text, 'monitoring_failovers_total{capability="stock-quote",from="a",to="b",kind="skip"}')).toBe(1);
  });
});

describe('Prometheus collector', () => {
  it('exports per-provider counters read from the engine at scrape time', async () => {
    const { monitor, registry } = setup();
    for (let i = 0; i < 10; i++) monitor.recordProviderCall({ provider: 'finnhub', latencyMs: 20, success: i !== 0, rateLimited: i === 0 });
    monitor.recordProviderCall({ provider: 'finnhub', latencyMs: 2_000, success: false, timedOut: true });
    let text = await registry.metrics();
    expect(series(text, 'monitoring_provider_calls_total{provider="finnhub"}')).toBe(11);
    expect(series(text, 'monitoring_provider_failures_total{provider="finnhub"}')).toBe(2);
    expect(series(text, 'monitoring_provider_timeouts_total{provider="finnhub"}')).toBe(1);
    expect(series(text, 'monitoring_provider_rate_limited_total{provider="finnhub"}')).toBe(1);
    // No second copy: a new call shows on the next scrape.
    monitor.recordProviderCall({ provider: 'finnhub', latencyMs: 20, success: true });
    text = await registry.metrics();
    expect(series(text, 'monitoring_provider_calls_total{provider="finnhub"}')).toBe(12);
  });

  it('exports a cumulative latency histogram in seconds with +Inf, sum and count', async () => {
    const { monitor, registry } = setup();
    for (const ms of [3, 40, 40, 700, 45_000]) monitor.recordProviderCall({ provider: 'p', latencyMs: ms, success: true });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE monitoring_provider_latency_seconds histogram');
    expect(series(text, 'monitoring_provider_latency_seconds_bucket{provider="p",le="0.001"}')).toBe(0);
    expect(series(text, 'monitoring_provider_latency_seconds_bucket{provider="p",le="0.005"}')).toBe(1);
    expect(series(text, 'monitoring_provider_latency_seconds_bucket{provider="p",le="0.05"}')).toBe(3);
    expect(series(text, 'monitoring_provider_latency_seconds_bucket{provider="p",le="1"}')).toBe(4);
    expect(series(text, 'monitoring_provider_latency_seconds_bucket{provider="p",le="30"}')).toBe(4);
    expect(series(text, 'monitoring_provider_latency_seconds_bucket{provider="p",le="+Inf"}')).toBe(5);
    expect(series(text, 'monitoring_provider_latency_seconds_sum{provider="p"}')).toBeCloseTo(45.783, 6);
    expect(series(text, 'monitoring_provider_latency_seconds_count{provider="p"}')).toBe(5);
  });

  it('exports window quantiles, status as a state set, score, cache and refused samples', async () => {
    const { monitor, registry } = setup();
    for (let i = 0; i < 20; i++) monitor.recordProviderCall({ provider: 'bad', latencyMs: 100, success: false });
    monitor.recordCacheHit('L1');
    monitor.recordCacheMiss('L2');
    monitor.recordProviderCall({ provider: '', latencyMs: 1, success: true });
    const text = await registry.metrics();
    expect(series(text, 'monitoring_provider_window_latency_seconds{provider="bad",quantile="0.99"}')).toBe(0.1);
    expect(series(text, 'monitoring_provider_status{provider="bad",status="UNHEALTHY"}')).toBe(1);
    expect(series(text, 'monitoring_provider_status{provider="bad",status="HEALTHY"}')).toBe(0);
    expect(series(text, 'monitoring_system_status{status="UNHEALTHY"}')).toBe(1);
    expect(series(text, 'monitoring_provider_health_score{provider="bad"}')).toBeLessThan(60);
    expect(series(text, 'monitoring_cache_hits_total{level="L1"}')).toBe(1);
    expect(series(text, 'monitoring_cache_misses_total{level="L2"}')).toBe(1);
    expect(series(text, 'monitoring_invalid_samples_total')).toBe(1);
    expect(series(text, 'monitoring_rejected_samples_total')).toBe(0);
  });

  it('escapes awkward provider names in label values', async () => {
    const { monitor, registry } = setup();
    monitor.recordProviderCall({ provider: 'a"b\\c', latencyMs: 1, success: true });
    const text = await registry.metrics();
    expect(series(text, 'monitoring_provider_calls_total{provider="a\\"b\\\\c"}')).toBe(1);
  });

  it('adds the configured instance label to every series', async () => {
    const { monitor, registry } = setup('api-1');
    monitor.recordProviderCall({ provider: 'p', latencyMs: 1, success: true });
    const text = await registry.metrics();
    const seriesLines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(seriesLines.length).toBeGreaterThan(10);
    for (const line of seriesLines) expect(line).toMatch(/instance="api-1"/);
  });

  it('places log buckets into Prometheus buckets by their midpoint', () => {
    const histogram = new Float64Array(HISTOGRAM_BINS);
    histogram[binIndex(0)] += 2;
    histogram[binIndex(9.9)] += 1;
    histogram[binIndex(10.5)] += 1;
    histogram[binIndex(90_000)] += 1;
    expect(cumulativeCounts(histogram, [1, 10, 100, 60_000])).toEqual([2, 3, 4, 4]);
  });
});
