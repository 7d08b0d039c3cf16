import { binIndex, binValue } from '../../core/log-histogram';
import { ManualClock } from '../../core/manual-clock';
import { resolveMonitoringOptions } from '../../core/monitoring-options';
import { PerformanceMonitor } from '../../performance-monitor.service';
import { DeltaTracker } from './delta-tracker';

function setup() {
  const monitor = new PerformanceMonitor(resolveMonitoringOptions({ clock: new ManualClock() }));
  const tracker = new DeltaTracker();
  const record = (provider: string, latencies: number[], success = true) => {
    for (const latencyMs of latencies) monitor.recordProviderCall({ provider, latencyMs, success });
  };
  const deltas = () => tracker.providerDeltas(monitor.providerStats());
  return { monitor, tracker, record, deltas };
}

describe('DeltaTracker', () => {
  it('reports what each provider did since the last read, and nothing for an idle one', () => {
    const { record, deltas } = setup();
    record('p', [10, 20]);
    record('q', [5], false);
    expect(deltas().map((d) => [d.provider, d.calls, d.failures])).toEqual([
      ['p', 2, 0],
      ['q', 1, 1],
    ]);
    record('p', [30, 40, 50]);
    const [p, ...rest] = deltas();
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ provider: 'p', calls: 3, latencySumMs: 120 });
    expect(p.bins).toEqual([30, 40, 50].map((ms) => [binIndex(ms), 1]));
  });

  it('gives min and max from the bins, exact for a single call and never outside the average', () => {
    const { record, deltas } = setup();
    record('p', [12.34]);
    expect(deltas()[0]).toMatchObject({ latencyMinMs: 12.34, latencyMaxMs: 12.34 });
    record('p', [10, 1_000]);
    const [d] = deltas();
    expect(d.latencyMinMs).toBe(binValue(binIndex(10)));
    expect(d.latencyMaxMs).toBe(binValue(binIndex(1_000)));
    expect(Math.abs(d.latencyMaxMs - 1_000) / 1_000).toBeLessThan(0.01);
    record('p', [0, 0]);
    expect(deltas()[0]).toMatchObject({ latencyMinMs: 0, latencyMaxMs: 0 });
  });

  it('treats the current values as the delta after a reset, even when they went past the old ones', () => {
    const { monitor, record, deltas } = setup();
    record('p', [10, 10]);
    deltas();
    monitor.reset();
    record('p', [20, 20, 20]); // more calls than before the reset: only the new stats object tells
    expect(deltas()[0]).toMatchObject({ calls: 3, latencySumMs: 60 });
  });

  it('forgets a provider that is gone, and counts it afresh when it comes back', () => {
    const { monitor, record, deltas } = setup();
    record('p', [10]);
    deltas();
    monitor.reset();
    expect(deltas()).toEqual([]);
    record('p', [10]);
    expect(deltas()[0].calls).toBe(1);
  });

  it('counts restored totals as old, and calls recorded before the restore as new', () => {
    const { monitor, tracker, record, deltas } = setup();
    record('p', [10]);
    const saved = { calls: 100, successes: 90, failures: 10, timeouts: 2, rateLimited: 1, latencySumMs: 5_000, cacheHits: 0, cacheMisses: 0, lastSuccessAt: 0, lastFailureAt: 0 };
    monitor.restoreTotals('p', saved);
    monitor.restoreTotals('r', saved);
    for (const stats of monitor.providerStats()) tracker.adoptRestored(stats, saved);
    expect(deltas()).toEqual([expect.objectContaining({ provider: 'p', calls: 1, failures: 0, latencySumMs: 10 })]);
    record('r', [30]);
    expect(deltas()).toEqual([expect.objectContaining({ provider: 'r', calls: 1, latencySumMs: 30 })]);
  });

  it('counts cache lookups per level since the last read, afresh when a level goes down', () => {
    const { monitor, tracker } = setup();
    monitor.recordCacheHit('L1');
    monitor.recordCacheMiss('L1');
    monitor.recordCacheMiss('L2');
    expect(tracker.cacheDeltas(monitor.getCacheStats().byLevel)).toEqual([
      { level: 'L1', hits: 1, misses: 1 },
      { level: 'L2', hits: 0, misses: 1 },
    ]);
    monitor.recordCacheHit('L1');
    expect(tracker.cacheDeltas(monitor.getCacheStats().byLevel)).toEqual([{ level: 'L1', hits: 1, misses: 0 }]);
    monitor.reset();
    monitor.recordCacheHit('L1');
    expect(tracker.cacheDeltas(monitor.getCacheStats().byLevel)).toEqual([{ level: 'L1', hits: 1, misses: 0 }]);
    monitor.restoreCacheLevel('L1', 50, 5);
    tracker.adoptRestoredLevel('L1', 50, 5);
    expect(tracker.cacheDeltas(monitor.getCacheStats().byLevel)).toEqual([]);
  });
});
