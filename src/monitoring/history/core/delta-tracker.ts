import { HISTOGRAM_BINS, binValue } from '../../core/log-histogram';
import type { RestorableTotals } from '../../core/provider-stats';
import type { SavedMonthCounts } from '../../core/cost/billing-period';
import type { LatencyBins } from './latency-bins';

/** The all-time counters a flush reads from one provider; the library's ProviderStats has them all. */
export interface ProviderCounters {
  readonly name: string;
  readonly calls: number;
  readonly successes: number;
  readonly failures: number;
  readonly timeouts: number;
  readonly rateLimited: number;
  readonly latencySum: number;
  readonly latencyHistogram: Float64Array;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly lastSuccessAt: number;
  readonly lastFailureAt: number;
  /** Calls and cache hits per day of this month, saved whole with the totals. */
  readonly month: { save(nowMs: number): SavedMonthCounts };
  /** The last error with credentials removed. */
  errorDetails(): { lastErrorType: string | null; lastErrorMessage: string | null };
}

/** What one provider did between two flushes. */
export interface ProviderDelta {
  provider: string;
  calls: number;
  failures: number;
  timeouts: number;
  rateLimited: number;
  latencySumMs: number;
  /**
   * The reported values of the lowest and highest histogram bins the new calls fell in (within
   * 1 % of the exact value), pulled in to the average if it lies outside them, and exact when the
   * interval saw a single call. The exact min and max of an interval are not kept by the library,
   * and the sliding windows' ones cover a different span.
   */
  latencyMinMs: number;
  latencyMaxMs: number;
  bins: LatencyBins;
}

export interface CacheDelta {
  level: string;
  hits: number;
  misses: number;
}

interface ProviderBaseline {
  /** The stats object counted last time: a reset or an eviction replaces it, and then everything it holds is new. */
  source: ProviderCounters;
  calls: number;
  failures: number;
  timeouts: number;
  rateLimited: number;
  latencySum: number;
  histogram: Float64Array;
}

interface HitMiss {
  hits: number;
  misses: number;
}

/**
 * Turns the monitor's all-time counters into what happened since the last read. It keeps the
 * values it saw last per provider and cache level. When they went down (the monitor was reset)
 * or the provider's stats object changed, the current values are all new, so they are the delta.
 */
export class DeltaTracker {
  private readonly providers = new Map<string, ProviderBaseline>();
  private readonly levels = new Map<string, HitMiss>();

  providerDeltas(current: Iterable<ProviderCounters>): ProviderDelta[] {
    const deltas: ProviderDelta[] = [];
    const seen = new Set<string>();
    for (const stats of current) {
      seen.add(stats.name);
      let base = this.providers.get(stats.name);
      if (base === undefined || base.source !== stats || wentDown(base, stats)) {
        base = emptyBaseline(stats);
        this.providers.set(stats.name, base);
      }
      const delta = deltaOf(base, stats);
      if (delta) deltas.push(delta);
      base.calls = stats.calls;
      base.failures = stats.failures;
      base.timeouts = stats.timeouts;
      base.rateLimited = stats.rateLimited;
      base.latencySum = stats.latencySum;
      base.histogram.set(stats.latencyHistogram);
    }
    for (const name of this.providers.keys()) if (!seen.has(name)) this.providers.delete(name);
    return deltas;
  }

  cacheDeltas(current: Readonly<Record<string, HitMiss>>): CacheDelta[] {
    const deltas: CacheDelta[] = [];
    for (const [level, now] of Object.entries(current)) {
      let base = this.levels.get(level);
      if (base === undefined || now.hits < base.hits || now.misses < base.misses) {
        base = { hits: 0, misses: 0 };
        this.levels.set(level, base);
      }
      const hits = now.hits - base.hits;
      const misses = now.misses - base.misses;
      if (hits > 0 || misses > 0) deltas.push({ level, hits, misses });
      base.hits = now.hits;
      base.misses = now.misses;
    }
    for (const level of this.levels.keys()) if (!(level in current)) this.levels.delete(level);
    return deltas;
  }

  /**
   * Saved totals were just added to `stats`: they are old calls, not new ones, so they join the
   * baseline. Calls recorded live before the restore still count as new.
   */
  adoptRestored(stats: ProviderCounters, saved: RestorableTotals): void {
    let base = this.providers.get(stats.name);
    if (base === undefined || base.source !== stats) {
      base = emptyBaseline(stats);
      this.providers.set(stats.name, base);
    }
    base.calls += saved.calls;
    base.failures += saved.failures;
    base.timeouts += saved.timeouts;
    base.rateLimited += saved.rateLimited;
    base.latencySum += saved.latencySumMs;
  }

  adoptRestoredLevel(level: string, hits: number, misses: number): void {
    const base = this.levels.get(level) ?? { hits: 0, misses: 0 };
    base.hits += hits;
    base.misses += misses;
    this.levels.set(level, base);
  }
}

function emptyBaseline(stats: ProviderCounters): ProviderBaseline {
  return { source: stats, calls: 0, failures: 0, timeouts: 0, rateLimited: 0, latencySum: 0, histogram: new Float64Array(HISTOGRAM_BINS) };
}

function wentDown(base: ProviderBaseline, stats: ProviderCounters): boolean {
  if (stats.calls < base.calls || stats.failures < base.failures || stats.timeouts < base.timeouts || stats.rateLimited < base.rateLimited) return true;
  const histogram = stats.latencyHistogram;
  for (let i = 0; i < HISTOGRAM_BINS; i++) if (histogram[i] < base.histogram[i]) return true;
  return false;
}

function deltaOf(base: ProviderBaseline, stats: ProviderCounters): ProviderDelta | null {
  const calls = stats.calls - base.calls;
  if (calls <= 0) return null;
  const bins: LatencyBins = [];
  const histogram = stats.latencyHistogram;
  for (let i = 0; i < HISTOGRAM_BINS; i++) {
    const count = histogram[i] - base.histogram[i];
    if (count > 0) bins.push([i, count]);
  }
  // Restored sums may differ from the live ones by float rounding: never below zero.
  const latencySumMs = Math.max(0, stats.latencySum - base.latencySum);
  const avg = latencySumMs / calls;
  const single = calls === 1;
  return {
    provider: stats.name,
    calls,
    failures: stats.failures - base.failures,
    timeouts: stats.timeouts - base.timeouts,
    rateLimited: stats.rateLimited - base.rateLimited,
    latencySumMs,
    latencyMinMs: single || bins.length === 0 ? avg : Math.min(binValue(bins[0][0]), avg),
    latencyMaxMs: single || bins.length === 0 ? avg : Math.max(binValue(bins[bins.length - 1][0]), avg),
    bins,
  };
}
