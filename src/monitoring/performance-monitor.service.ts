import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { CoarseClock, systemClock } from './core/clock';
import { CacheStats, MetricsRegistry, ProviderCountTotals, SampleCounters } from './core/metrics-registry';
import { MonitoringOptions } from './core/monitoring-options';
import { ProviderCall, ProviderTimeoutError, RecordOutcome, TrackOptions } from './core/provider-call';
import { invalidCallReason } from './core/sample-rules';
import { ProviderMetrics, ProviderStats, RestorableTotals } from './core/provider-stats';
import { WindowName, WindowSnapshot, windowLayout } from './core/sliding-windows';
import { MONITORING_OPTIONS } from './monitoring.constants';
import { MonthUsage } from './core/cost/billing-period';

/** How stale the time stamped on a record may be. */
const RECORD_CLOCK_RESOLUTION_MS = 10;

export interface MonitorStats extends SampleCounters {
  /** All-time counts over every provider. */
  totals: ProviderCountTotals;
  /** The sliding window over every provider together: rates and latency percentiles. */
  window: WindowSnapshot;
  cache: CacheStats;
  providers: number;
  maxProviders: number;
  startedAt: string;
  uptimeSeconds: number;
}

/**
 * Records provider calls and cache lookups and answers questions about them. Recording is cheap
 * and never throws: a bad sample is counted and dropped.
 */
@Injectable()
export class PerformanceMonitor implements OnModuleDestroy {
  private readonly registry: MetricsRegistry;
  private readonly healthIndex: number;
  private readonly startedAt: number;
  /** Only the real clock is worth caching; an injected one is used as it is. */
  private readonly recordClock: CoarseClock | null;

  constructor(@Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions) {
    const { specs, healthIndex } = windowLayout(options.windowMs, options.windowBuckets);
    this.recordClock = options.clock === systemClock ? new CoarseClock(systemClock, RECORD_CLOCK_RESOLUTION_MS) : null;
    this.registry = new MetricsRegistry(this.recordClock ?? options.clock, specs, options.maxProviders, (name) => this.warnProviderLimit(name));
    this.healthIndex = healthIndex;
    this.startedAt = options.clock.now();
  }

  private readonly logger = new Logger(PerformanceMonitor.name);
  private lastLimitWarning = -Infinity;

  /** Once a minute at most: a full cap usually means ids or URLs are being used as provider names. */
  private warnProviderLimit(name: string): void {
    const now = this.options.clock.now();
    if (now - this.lastLimitWarning < 60_000) return;
    this.lastLimitWarning = now;
    this.logger.warn(
      `Provider limit of ${this.options.maxProviders} reached: calls for new providers such as "${name.slice(0, 40)}" are refused until ` +
        'one has been idle for an hour. Check that provider names are not ids or URLs; set MONITORING_API_KEY so only trusted callers can report.',
    );
  }

  /**
   * Stores a batch whole or not at all: every call must be valid, and the new providers it names
   * must fit under the cap. Refused calls are counted like single ones.
   */
  recordCalls(calls: readonly ProviderCall[]): RecordOutcome {
    if (calls.some((c) => invalidCallReason(c) !== null)) {
      this.registry.countRefused('invalid', calls.length);
      return 'invalid';
    }
    if (!this.registry.hasRoomFor(calls.map((c) => c.provider))) {
      this.registry.countRefused('provider_limit', calls.length);
      this.warnProviderLimit(calls[0].provider);
      return 'provider_limit';
    }
    for (const call of calls) this.registry.record(call);
    return 'recorded';
  }

  onModuleDestroy(): void {
    this.recordClock?.stop();
  }

  /** Window index for a name; no name means the window health is judged on. */
  private windowIndex(window: WindowName | undefined): number {
    if (window === undefined) return this.healthIndex;
    const index = this.registry.windows.findIndex((s) => s.name === window);
    if (index < 0) throw new RangeError(`unknown window "${window}"`);
    return index;
  }

  recordProviderCall(call: ProviderCall): RecordOutcome {
    return this.registry.record(call);
  }

  recordCacheHit(level: string, provider?: string): RecordOutcome {
    return this.registry.recordCacheLookup(level, true, provider);
  }

  recordCacheMiss(level: string, provider?: string): RecordOutcome {
    return this.registry.recordCacheLookup(level, false, provider);
  }

  /**
   * Runs `fn`, times it on the monotonic clock and records the outcome. Past `timeoutMs` the
   * signal given to `fn` is aborted, a timeout is recorded with the time waited as its latency,
   * and the returned promise rejects with ProviderTimeoutError even if `fn` ignores the signal.
   * A ProviderCallError of type `no_data` is rethrown but recorded as an answered call.
   */
  track<T>(provider: string, fn: (signal: AbortSignal) => Promise<T>, options: TrackOptions = {}): Promise<T> {
    const clock = this.options.clock;
    const controller = new AbortController();
    const started = clock.monotonic();
    const elapsed = () => Math.max(0, clock.monotonic() - started);
    let settled = false;

    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          const error = new ProviderTimeoutError(provider, options.timeoutMs!);
          controller.abort(error);
          this.recordProviderCall({ provider, latencyMs: elapsed(), success: false, timedOut: true, errorType: 'timeout', errorMessage: error.message });
          reject(error);
        }, options.timeoutMs);
      }
      const finish = () => {
        if (timer) clearTimeout(timer);
        if (settled) return false;
        settled = true;
        return true;
      };
      let running: Promise<T>;
      try {
        running = Promise.resolve(fn(controller.signal));
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (value) => {
          if (!finish()) return;
          this.recordProviderCall({ provider, latencyMs: elapsed(), success: true });
          resolve(value);
        },
        (error: unknown) => {
          if (!finish()) return;
          const details = error as { type?: unknown; name?: unknown; rateLimited?: unknown; message?: unknown };
          const errorType = typeof details?.type === 'string' ? details.type : typeof details?.name === 'string' ? details.name : 'Error';
          if (errorType === 'no_data') {
            // The provider answered correctly that it has nothing for this symbol: a typo in a
            // request must not make a provider look sick.
            this.recordProviderCall({ provider, latencyMs: elapsed(), success: true });
            reject(error);
            return;
          }
          this.recordProviderCall({
            provider,
            latencyMs: elapsed(),
            success: false,
            timedOut: errorType === 'timeout',
            rateLimited: details?.rateLimited === true,
            errorType,
            errorMessage: typeof details?.message === 'string' ? details.message : String(error),
          });
          reject(error);
        },
      );
    });
  }

  /**
   * Names the state reads see: it changes with every write and every step of the windows
   * (10 s by default), so a read keyed by it never misses a write or a bucket sliding out, and
   * clock-derived figures (calls per minute, freshness) are at most one step old.
   */
  snapshotVersion(): string {
    return `${this.registry.version}:${Math.floor(this.options.clock.now() / this.registry.stepMs)}`;
  }

  private readonly memo = new Map<string, { version: string; value: unknown }>();

  /** Reuses a read over every provider until the snapshot version changes. */
  memoize<T>(key: string, compute: () => T): T {
    const version = this.snapshotVersion();
    const hit = this.memo.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = compute();
    this.memo.set(key, { version, value });
    return value;
  }

  /** A provider's window by any name it keeps (1m, 5m, 15m, 1h, 30m, 2h, 6h, 1d), for alert rules. */
  windowSnapshot(provider: string, window: string): WindowSnapshot | undefined {
    const index = this.registry.windows.findIndex((s) => s.name === window);
    if (index < 0) throw new RangeError(`unknown window "${window}"`);
    return this.registry.get(provider)?.windows.snapshot(index, this.options.clock.now());
  }

  /** Calls of one provider in a window, without percentiles: cheap enough to ask per request. 0 for an unknown provider. */
  windowCalls(provider: string, window: WindowName): number {
    return this.registry.get(provider)?.windows.callsIn(this.windowIndex(window), this.options.clock.now()) ?? 0;
  }

  /** Calls and cache hits per UTC day of the current month, or undefined for an unknown provider. */
  monthUsage(provider: string): MonthUsage | undefined {
    return this.registry.get(provider)?.month.usage(this.options.clock.now());
  }

  /** One provider's totals and window (`window` defaults to the health window). */
  getProviderMetrics(name: string, window?: WindowName): ProviderMetrics | undefined {
    return this.registry.get(name)?.metrics(this.options.clock.now(), this.windowIndex(window));
  }

  /** Every provider; the array is shared with other readers until the next write, so do not change it. */
  getAllProviderMetrics(window?: WindowName): readonly ProviderMetrics[] {
    const index = this.windowIndex(window);
    return this.memoize(`providers:${index}`, () => {
      const now = this.options.clock.now();
      return Array.from(this.registry.all(), (stats) => stats.metrics(now, index));
    });
  }

  /** Adds all-time totals saved by an earlier run, e.g. by the history store at start-up. */
  restoreTotals(provider: string, saved: RestorableTotals): RecordOutcome {
    return this.registry.restore(provider, saved);
  }

  /** Adds saved all-time hit and miss counts to a cache level. */
  restoreCacheLevel(level: string, hits: number, misses: number): RecordOutcome {
    return this.registry.restoreCacheLevel(level, hits, misses);
  }

  /** The raw per-provider state, read at scrape time by the Prometheus collector. */
  providerStats(): Iterable<Readonly<ProviderStats>> {
    return this.registry.all();
  }

  getCacheStats(): CacheStats {
    return this.registry.cacheStats();
  }

  /** Providers with window calls, slowest window p95 first. */
  getSlowestProviders(limit = 5, window?: WindowName): ProviderMetrics[] {
    return this.getAllProviderMetrics(window)
      .filter((m) => m.window.p95LatencyMs !== null)
      .sort((a, b) => b.window.p95LatencyMs! - a.window.p95LatencyMs! || a.provider.localeCompare(b.provider))
      .slice(0, limit);
  }

  /** Providers whose window error rate is at or above `threshold`, worst first. */
  getErrorProneProviders(threshold = 0.05, window?: WindowName): ProviderMetrics[] {
    return this.getAllProviderMetrics(window)
      .filter((m) => m.window.errorRate !== null && m.window.errorRate >= threshold)
      .sort((a, b) => b.window.errorRate! - a.window.errorRate! || b.window.calls - a.window.calls);
  }

  getStats(window?: WindowName): MonitorStats {
    const now = this.options.clock.now();
    return {
      ...this.registry.summary(now, this.windowIndex(window)),
      cache: this.registry.cacheStats(),
      ...this.registry.sampleCounters(),
      providers: this.registry.providerCount,
      maxProviders: this.registry.maxProviders,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeSeconds: Math.max(0, Math.round((now - this.startedAt) / 1000)),
    };
  }

  reset(): void {
    this.registry.reset();
  }
}
