import { quantileOf } from '../../core/log-histogram';
import type { CacheBucket, HistoryResolution, ProviderBucket } from '../history-store';
import { countsFromBins, mergeBins } from './latency-bins';

export const RESOLUTION_MS: Readonly<Record<HistoryResolution, number>> = Object.freeze({
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
});

/** Start of the UTC minute, hour or day holding `ms`. */
export function bucketStart(ms: number, resolution: HistoryResolution): number {
  const size = RESOLUTION_MS[resolution];
  return Math.floor(ms / size) * size;
}

/** `a` and `b` summed as one bucket (of `a`'s provider and start). */
export function mergeProviderBuckets(a: ProviderBucket, b: ProviderBucket): ProviderBucket {
  return {
    provider: a.provider,
    bucket: a.bucket,
    calls: a.calls + b.calls,
    failures: a.failures + b.failures,
    timeouts: a.timeouts + b.timeouts,
    rateLimited: a.rateLimited + b.rateLimited,
    latencySumMs: a.latencySumMs + b.latencySumMs,
    latencyMinMs: Math.min(a.latencyMinMs, b.latencyMinMs),
    latencyMaxMs: Math.max(a.latencyMaxMs, b.latencyMaxMs),
    bins: mergeBins(a.bins, b.bins),
  };
}

export function mergeCacheBuckets(a: CacheBucket, b: CacheBucket): CacheBucket {
  return { level: a.level, bucket: a.bucket, hits: a.hits + b.hits, misses: a.misses + b.misses };
}

export interface ProviderHistoryPoint {
  /** ISO start of the bucket. */
  t: string;
  calls: number;
  failures: number;
  timeouts: number;
  rateLimited: number;
  errorRate: number | null;
  avgLatencyMs: number | null;
  minLatencyMs: number | null;
  maxLatencyMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
}

export interface CacheHistoryPoint {
  t: string;
  hits: number;
  misses: number;
  hitRate: number | null;
}

/** Latencies are reported to the microsecond, as the live windows do. */
const round3 = (value: number) => Math.round(value * 1_000) / 1_000;

/** The starts of every bucket that overlaps [fromMs, toMs], oldest first. */
function* bucketStarts(fromMs: number, toMs: number, resolution: HistoryResolution): Generator<number> {
  const size = RESOLUTION_MS[resolution];
  for (let t = bucketStart(fromMs, resolution); t <= toMs; t += size) yield t;
}

const EMPTY_LATENCY = { avgLatencyMs: null, minLatencyMs: null, maxLatencyMs: null, p50LatencyMs: null, p95LatencyMs: null, p99LatencyMs: null };

/** One point per bucket of the range, empty ones included, so a chart shows gaps as zero calls. */
export function providerPoints(rows: readonly ProviderBucket[], resolution: HistoryResolution, fromMs: number, toMs: number): ProviderHistoryPoint[] {
  const byStart = new Map(rows.map((row) => [row.bucket, row]));
  return Array.from(bucketStarts(fromMs, toMs, resolution), (start) => {
    const row = byStart.get(start);
    const t = new Date(start).toISOString();
    if (!row || row.calls <= 0) {
      return { t, calls: 0, failures: 0, timeouts: 0, rateLimited: 0, errorRate: null, ...EMPTY_LATENCY };
    }
    const { calls, latencyMinMs: min, latencyMaxMs: max } = row;
    const counts = countsFromBins(row.bins);
    const quantile = (q: number) => round3(quantileOf(counts, calls, q, min, max)!);
    return {
      t,
      calls,
      failures: row.failures,
      timeouts: row.timeouts,
      rateLimited: row.rateLimited,
      errorRate: row.failures / calls,
      avgLatencyMs: round3(row.latencySumMs / calls),
      minLatencyMs: round3(min),
      maxLatencyMs: round3(max),
      p50LatencyMs: quantile(0.5),
      p95LatencyMs: quantile(0.95),
      p99LatencyMs: quantile(0.99),
    };
  });
}

export function cachePoints(rows: readonly CacheBucket[], resolution: HistoryResolution, fromMs: number, toMs: number): CacheHistoryPoint[] {
  const byStart = new Map(rows.map((row) => [row.bucket, row]));
  return Array.from(bucketStarts(fromMs, toMs, resolution), (start) => {
    const hits = byStart.get(start)?.hits ?? 0;
    const misses = byStart.get(start)?.misses ?? 0;
    return { t: new Date(start).toISOString(), hits, misses, hitRate: hits + misses === 0 ? null : hits / (hits + misses) };
  });
}
