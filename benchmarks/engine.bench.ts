import { MonitoringSettings } from '../src/monitoring/monitoring-settings.service';
import { DDSketch } from '@datadog/sketches-js';
import { Histogram, Registry } from 'prom-client';
import { HealthScorer } from '../src/monitoring/health-scorer.service';
import { ManualClock } from '../src/monitoring/core/manual-clock';
import { resolveMonitoringOptions } from '../src/monitoring/core/monitoring-options';
import { PerformanceMonitor } from '../src/monitoring/performance-monitor.service';
import { Verdict, compareNsPerOp, fmt, gc, lognormalLatencies, median, table } from './bench-utils';

const PROVIDERS = Array.from({ length: 50 }, (_, i) => `provider-${i}`);
const LATENCIES = lognormalLatencies(1 << 20, 80, 0.9);
const MASK = LATENCIES.length - 1;

export interface EngineResults {
  markdown: string;
  verdicts: Verdict[];
}

export function runEngineBenchmarks(samples: number, runs: number): EngineResults {
  const verdicts: Verdict[] = [];

  // --- Recording cost -------------------------------------------------------------------
  const monitor = new PerformanceMonitor(resolveMonitoringOptions());
  const floorMap = new Map(PROVIDERS.map((p) => [p, new Float64Array(1_024)]));
  const invLog = 1 / Math.log(1.02);
  const registry = new Registry();
  const promHistogram = new Histogram({ name: 'latency_ms', help: 'h', labelNames: ['provider'], registers: [registry] });
  const sketches = new Map(PROVIDERS.map((p) => [p, new DDSketch({ relativeAccuracy: 0.01 })]));
  const results = compareNsPerOp(
    {
      ours: {
        run: (n) => {
          for (let i = 0; i < n; i++) {
            monitor.recordProviderCall({ provider: PROVIDERS[i % 50], latencyMs: LATENCIES[i & MASK], success: (i & 31) !== 0 });
          }
        },
      },
      floor: {
        run: (n) => {
          for (let i = 0; i < n; i++) {
            const bins = floorMap.get(PROVIDERS[i % 50])!;
            const v = LATENCIES[i & MASK];
            bins[v < 1 ? 0 : Math.ceil(Math.log(v) * invLog) & 1_023]++;
          }
        },
      },
      // prom-client is an order of magnitude slower: a tenth of the samples keeps the run short.
      prom: {
        run: (n) => {
          for (let i = 0; i < n; i++) promHistogram.observe({ provider: PROVIDERS[i % 50] }, LATENCIES[i & MASK]);
        },
        scale: 0.1,
      },
      dd: {
        run: (n) => {
          for (let i = 0; i < n; i++) sketches.get(PROVIDERS[i % 50])!.accept(LATENCIES[i & MASK]);
        },
      },
    },
    samples,
    runs,
  );
  const { ours, floor, prom, dd } = results;

  verdicts.push({
    target: 'record at least 8x faster than prom-client Histogram.observe',
    measured: `${fmt(prom.median / ours.median)}x`,
    met: prom.median / ours.median >= 8,
  });
  verdicts.push({
    target: 'record within 2x of the Map + Float64Array floor',
    measured: `${fmt(ours.median / floor.median, 2)}x`,
    met: ours.median / floor.median <= 2,
  });

  // --- Memory -------------------------------------------------------------------------------
  const heapMonitor = new PerformanceMonitor(resolveMonitoringOptions());
  const feed = (n: number) => {
    for (let i = 0; i < n; i++) heapMonitor.recordProviderCall({ provider: PROVIDERS[i % 50], latencyMs: LATENCIES[i & MASK], success: true });
  };
  feed(1_000_000);
  heapMonitor.getAllProviderMetrics('1h'); // every window allocated and folded once
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  feed(samples);
  heapMonitor.getAllProviderMetrics('1h');
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const growthKiB = (heapAfter - heapBefore) / 1_024;
  verdicts.push({ target: 'heap growth under 1 MiB over the records after warm-up', measured: `${fmt(growthKiB)} KiB`, met: growthKiB < 1_024 });

  // --- Percentile accuracy -------------------------------------------------------------------
  const accuracyMonitor = new PerformanceMonitor(resolveMonitoringOptions({ clock: new ManualClock() }));
  const sample = lognormalLatencies(1_000_000, 120, 1.1, 99);
  const sketch = new DDSketch({ relativeAccuracy: 0.01 });
  for (const v of sample) {
    accuracyMonitor.recordProviderCall({ provider: 'p', latencyMs: v, success: true });
    sketch.accept(v);
  }
  const sorted = Float64Array.from(sample).sort();
  const exact = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
  const window = accuracyMonitor.getProviderMetrics('p')!.window;
  const accuracyRows: (string | number)[][] = [];
  for (const [q, ours] of [
    [0.5, window.p50LatencyMs!],
    [0.95, window.p95LatencyMs!],
    [0.99, window.p99LatencyMs!],
  ] as const) {
    const truth = exact(q);
    const error = Math.abs(ours - truth) / truth;
    const ddError = Math.abs(sketch.getValueAtQuantile(q) - truth) / truth;
    accuracyRows.push([`p${q * 100}`, fmt(truth, 3), fmt(ours, 3), `${fmt(error * 100, 3)} %`, `${fmt(ddError * 100, 3)} %`]);
    verdicts.push({ target: `p${q * 100} relative error at most 1 %`, measured: `${fmt(error * 100, 3)} %`, met: error <= 0.01 });
  }

  // --- Reads over 1,000 providers ---------------------------------------------------------------
  const bigOptions = resolveMonitoringOptions();
  const big = new PerformanceMonitor(bigOptions);
  const scorer = new HealthScorer(big, new MonitoringSettings(bigOptions), bigOptions);
  for (let p = 0; p < 1_000; p++) {
    for (let i = 0; i < 100; i++) big.recordProviderCall({ provider: `p-${p}`, latencyMs: LATENCIES[(p * 100 + i) & MASK], success: i % 20 !== 0 });
  }
  const time = (fn: () => unknown) => {
    const all: number[] = [];
    for (let r = 0; r < 21; r++) {
      const start = process.hrtime.bigint();
      fn();
      all.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return median(all);
  };
  // One new call before each read, so every read is worked out afresh rather than reused.
  const touch = () => big.recordProviderCall({ provider: 'p-0', latencyMs: 10, success: true });
  const healthMs = time(() => (touch(), scorer.calculateHealthStatus()));
  const listingMs = time(() => (touch(), big.getAllProviderMetrics()));

  const markdown = [
    `### Recording one sample (50 providers round-robin, median of ${runs} interleaved runs of ${samples.toLocaleString('en-US')} records; prom-client a tenth of that)`,
    '',
    table(
      ['recorder', 'ns/op (median)', 'runs', 'vs ours'],
      [
        ['PerformanceMonitor.recordProviderCall (validation, totals, 4 windows)', fmt(ours.median), ours.all.map((v) => fmt(v)).join(', '), '1.0x'],
        ['floor: Map + Float64Array log histogram', fmt(floor.median), floor.all.map((v) => fmt(v)).join(', '), `${fmt(floor.median / ours.median, 2)}x`],
        ['prom-client Histogram.observe with a provider label', fmt(prom.median), prom.all.map((v) => fmt(v)).join(', '), `${fmt(prom.median / ours.median)}x`],
        ['@datadog/sketches-js DDSketch.accept (no windows)', fmt(dd.median), dd.all.map((v) => fmt(v)).join(', '), `${fmt(dd.median / ours.median, 2)}x`],
      ],
    ),
    '',
    `### Memory: heap after warm-up, then after ${samples.toLocaleString('en-US')} more records (50 providers, --expose-gc)`,
    '',
    table(['heap before', 'heap after', 'growth'], [[`${fmt(heapBefore / 1_048_576, 2)} MiB`, `${fmt(heapAfter / 1_048_576, 2)} MiB`, `${fmt(growthKiB)} KiB`]]),
    '',
    '### Percentile accuracy (1,000,000 lognormal latencies, median 120 ms, sigma 1.1; nearest-rank truth)',
    '',
    table(['quantile', 'exact ms', 'ours ms', 'our error', 'DDSketch error'], accuracyRows),
    '',
    '### Reads over 1,000 providers (100 calls each, median of 21; a call is recorded before each read so nothing is reused)',
    '',
    table(
      ['read', 'ms'],
      [
        ['HealthScorer.calculateHealthStatus()', fmt(healthMs, 2)],
        ['PerformanceMonitor.getAllProviderMetrics()', fmt(listingMs, 2)],
      ],
    ),
  ].join('\n');
  return { markdown, verdicts };
}
