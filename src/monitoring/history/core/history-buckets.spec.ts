import { binIndex } from '../../core/log-histogram';
import { ProviderBucket } from '../history-store';
import { bucketStart, cachePoints, mergeProviderBuckets, providerPoints } from './history-buckets';
import { countsFromBins, decodeBins, encodeBins, mergeBins, sumBins } from './latency-bins';

const T = Date.UTC(2026, 0, 1, 10);

describe('latency bins', () => {
  it('merges sparse histograms bin by bin, whatever their overlap', () => {
    expect(mergeBins([[1, 2], [5, 1]], [[0, 1], [5, 3], [9, 1]])).toEqual([[0, 1], [1, 2], [5, 4], [9, 1]]);
    expect(mergeBins([], [[3, 1]])).toEqual([[3, 1]]);
    expect(sumBins([[[1, 2]], [[1, 1], [2, 1]], []])).toEqual([[1, 3], [2, 1]]);
  });

  it('round-trips through JSON and reads anything else as empty', () => {
    const bins: [number, number][] = [[3, 1], [400, 12]];
    expect(decodeBins(encodeBins(bins))).toEqual(bins);
    for (const junk of ['', 'x', '{}', '[[1]]', '[[-1,2]]', '[[99999,1]]', '[[1,"a"]]', '[[1.5,1]]', null]) expect(decodeBins(junk)).toEqual([]);
    expect(countsFromBins(bins)[400]).toBe(12);
  });
});

describe('history points', () => {
  const bucket = (start: number, latencies: number[], failures = 0): ProviderBucket => ({
    provider: 'p',
    bucket: start,
    calls: latencies.length,
    failures,
    timeouts: 0,
    rateLimited: 0,
    latencySumMs: latencies.reduce((a, b) => a + b, 0),
    latencyMinMs: Math.min(...latencies),
    latencyMaxMs: Math.max(...latencies),
    bins: sumBins(latencies.map((ms) => [[binIndex(ms), 1]])),
  });

  it('aligns buckets on UTC minutes, hours and days', () => {
    const t = Date.UTC(2026, 4, 6, 7, 8, 9, 10);
    expect(bucketStart(t, 'minute')).toBe(Date.UTC(2026, 4, 6, 7, 8));
    expect(bucketStart(t, 'hour')).toBe(Date.UTC(2026, 4, 6, 7));
    expect(bucketStart(t, 'day')).toBe(Date.UTC(2026, 4, 6));
  });

  it('gives one point per bucket of the range, empty ones with null rates and latencies', () => {
    const points = providerPoints([bucket(T + 60_000, [10, 20, 30, 40, 1_000], 1)], 'minute', T + 30_000, T + 120_000);
    expect(points.map((p) => p.t)).toEqual([T, T + 60_000, T + 120_000].map((ms) => new Date(ms).toISOString()));
    expect(points[0]).toEqual({
      t: new Date(T).toISOString(),
      calls: 0,
      failures: 0,
      timeouts: 0,
      rateLimited: 0,
      errorRate: null,
      avgLatencyMs: null,
      minLatencyMs: null,
      maxLatencyMs: null,
      p50LatencyMs: null,
      p95LatencyMs: null,
      p99LatencyMs: null,
    });
    expect(points[1]).toMatchObject({ calls: 5, errorRate: 0.2, avgLatencyMs: 220, minLatencyMs: 10, maxLatencyMs: 1_000, p95LatencyMs: 1_000, p99LatencyMs: 1_000 });
    expect(Math.abs(points[1].p50LatencyMs! - 30) / 30).toBeLessThan(0.01);
  });

  it('is the same whether minutes are merged first or read together', () => {
    const a = bucket(T, [5, 6, 7]);
    const b = bucket(T, [100, 200]);
    const merged = mergeProviderBuckets(a, b);
    expect(merged).toEqual(bucket(T, [5, 6, 7, 100, 200]));
    expect(providerPoints([merged], 'hour', T, T)[0]).toMatchObject({ calls: 5, minLatencyMs: 5, maxLatencyMs: 200, p50LatencyMs: expect.any(Number) });
  });

  it('gives cache hit rates, null with no lookups', () => {
    expect(cachePoints([{ level: 'L1', bucket: T, hits: 3, misses: 1 }], 'hour', T, T + 3_600_000)).toEqual([
      { t: new Date(T).toISOString(), hits: 3, misses: 1, hitRate: 0.75 },
      { t: new Date(T + 3_600_000).toISOString(), hits: 0, misses: 0, hitRate: null },
    ]);
  });
});
