import { MonthCounters, SavedMonthCounts } from './cost/billing-period';
import { MAX_ERROR_TYPE_LENGTH } from './sample-rules';
import { redactErrorMessage, redactSecrets } from './redact';
import { HISTOGRAM_BINS, binIndex } from './log-histogram';
import { SlidingWindows, WindowSnapshot, WindowSpec } from './sliding-windows';

export interface ProviderTotals {
  calls: number;
  successes: number;
  failures: number;
  timeouts: number;
  rateLimited: number;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastErrorType: string | null;
  /** Credentials (token, apikey, bearer values) are replaced by *** before it is stored. */
  lastErrorMessage: string | null;
}

export interface CacheCounts {
  hits: number;
  misses: number;
  /** hits / (hits + misses); null before the first lookup. */
  hitRate: number | null;
}

export interface ProviderMetrics {
  provider: string;
  totals: ProviderTotals;
  window: WindowSnapshot;
  cache: CacheCounts;
}

/** What survives a restart of a provider's all-time totals. */
export interface RestorableTotals {
  calls: number;
  successes: number;
  failures: number;
  timeouts: number;
  rateLimited: number;
  latencySumMs: number;
  cacheHits: number;
  cacheMisses: number;
  /** Epoch ms, 0 for never. */
  lastSuccessAt: number;
  lastFailureAt: number;
  /** Calls and cache hits per day of the month they were saved in (what costs are worked out from). */
  month?: SavedMonthCounts;
  /** The last error, already redacted, so a restart does not forget what went wrong. */
  lastErrorType?: string | null;
  lastErrorMessage?: string | null;
}

export function cacheCounts(hits: number, misses: number): CacheCounts {
  const lookups = hits + misses;
  return { hits, misses, hitRate: lookups === 0 ? null : hits / lookups };
}

/** Everything kept for one provider: fixed size whatever the call count. */
export class ProviderStats {
  calls = 0;
  successes = 0;
  failures = 0;
  timeouts = 0;
  rateLimited = 0;
  consecutiveFailures = 0;
  lastSuccessAt = 0;
  lastFailureAt = 0;
  /** As reported; redacted when read (see errorDetails), so a failure costs no regex work. */
  private rawErrorType: string | null = null;
  private rawErrorMessage: string | null = null;
  private redacted: { type: string | null; message: string | null } | null = null;
  cacheHits = 0;
  cacheMisses = 0;
  lastCacheLookupAt = 0;
  /** Sum of every latency recorded, for Prometheus' _sum. */
  latencySum = 0;
  /** Every latency ever recorded, as log-histogram counts: Prometheus buckets are read from it. */
  readonly latencyHistogram = new Float64Array(HISTOGRAM_BINS);
  readonly windows: SlidingWindows;
  /** Calls and cache hits per UTC day of this month, for costs and quotas. */
  readonly month = new MonthCounters();

  constructor(
    readonly name: string,
    windows: readonly WindowSpec[],
  ) {
    this.windows = new SlidingWindows(windows);
  }

  record(
    nowMs: number,
    latencyMs: number,
    success: boolean,
    timedOut: boolean,
    rateLimited: boolean,
    errorType: string | undefined,
    errorMessage: string | undefined,
  ): void {
    // A timed-out call never counts as a success, whatever the caller said.
    const failed = !success || timedOut;
    this.calls++;
    this.month.addCall(nowMs);
    if (failed) {
      this.recordFailure(nowMs, timedOut, rateLimited, errorType, errorMessage);
    } else {
      this.successes++;
      this.consecutiveFailures = 0;
      this.lastSuccessAt = nowMs;
      if (rateLimited) this.rateLimited++;
    }
    const bin = binIndex(latencyMs);
    this.latencySum += latencyMs;
    this.latencyHistogram[bin]++;
    this.windows.record(nowMs, latencyMs, bin, failed, timedOut, rateLimited);
  }

  /** Totals, and the window at `windowIndex` (an index into the registry's window specs). */
  /** Adds all-time totals saved by an earlier run (the windows start empty: they are about now). */
  restore(saved: RestorableTotals, nowMs: number): void {
    this.calls += saved.calls;
    this.successes += saved.successes;
    this.failures += saved.failures;
    this.timeouts += saved.timeouts;
    this.rateLimited += saved.rateLimited;
    this.latencySum += saved.latencySumMs;
    this.cacheHits += saved.cacheHits;
    this.cacheMisses += saved.cacheMisses;
    if (saved.lastSuccessAt > this.lastSuccessAt) this.lastSuccessAt = saved.lastSuccessAt;
    if (saved.lastFailureAt > this.lastFailureAt) {
      this.lastFailureAt = saved.lastFailureAt;
      // The saved error is the newer one: a failure recorded since start-up keeps its own.
      if (saved.lastErrorType !== undefined) {
        this.rawErrorType = saved.lastErrorType;
        this.rawErrorMessage = saved.lastErrorMessage ?? null;
        this.redacted = null;
      }
    }
    if (saved.month) this.month.restore(saved.month, nowMs);
  }

  /** Kept out of record() so the success path stays small enough to inline. */
  private recordFailure(nowMs: number, timedOut: boolean, rateLimited: boolean, errorType: string | undefined, errorMessage: string | undefined): void {
    this.failures++;
    this.consecutiveFailures++;
    this.lastFailureAt = nowMs;
    this.rawErrorType = errorType ?? (timedOut ? 'timeout' : 'error');
    this.rawErrorMessage = errorMessage ?? null;
    this.redacted = null;
    if (timedOut) this.timeouts++;
    if (rateLimited) this.rateLimited++;
  }

  /** The last error's type and message with credentials removed, worked out once per new error. */
  errorDetails(): { lastErrorType: string | null; lastErrorMessage: string | null } {
    this.redacted ??= {
      type: this.rawErrorType === null ? null : redactSecrets(this.rawErrorType.slice(0, MAX_ERROR_TYPE_LENGTH)),
      message: this.rawErrorMessage === null ? null : redactErrorMessage(this.rawErrorMessage),
    };
    return { lastErrorType: this.redacted.type, lastErrorMessage: this.redacted.message };
  }

  metrics(nowMs: number, windowIndex: number): ProviderMetrics {
    return {
      provider: this.name,
      totals: {
        calls: this.calls,
        successes: this.successes,
        failures: this.failures,
        timeouts: this.timeouts,
        rateLimited: this.rateLimited,
        consecutiveFailures: this.consecutiveFailures,
        lastSuccessAt: this.lastSuccessAt ? new Date(this.lastSuccessAt).toISOString() : null,
        lastFailureAt: this.lastFailureAt ? new Date(this.lastFailureAt).toISOString() : null,
        ...this.errorDetails(),
      },
      window: this.windows.snapshot(windowIndex, nowMs),
      cache: cacheCounts(this.cacheHits, this.cacheMisses),
    };
  }
}
