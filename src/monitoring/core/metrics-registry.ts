import { Clock } from './clock';
import { ProviderCall, RecordOutcome } from './provider-call';
import { SlidingWindows, WindowSnapshot, WindowSpec, commonStepMs } from './sliding-windows';
import { CacheCounts, ProviderStats, RestorableTotals, cacheCounts } from './provider-stats';
import { isValidCacheLevel, isValidCall, isValidProviderName, providerNameProblem } from './sample-rules';

export interface CacheStats extends CacheCounts {
  byLevel: Record<string, CacheCounts>;
  byProvider: Record<string, CacheCounts>;
}

export interface SampleCounters {
  /** Samples refused for their content (bad latency, bad name, bad cache level). */
  invalidSamples: number;
  /** Valid samples refused because they named a new provider past the provider cap. */
  rejectedSamples: number;
}

/** Cache lookups counted at the level `recordProviderCall` uses for its `cacheHit` flag. */
export const CALL_CACHE_LEVEL = 'L1';

export interface ProviderCountTotals {
  calls: number;
  successes: number;
  failures: number;
  timeouts: number;
  rateLimited: number;
}

interface HitMiss {
  hits: number;
  misses: number;
}

/**
 * Holds every provider's stats and the cache counters. Names are Map keys, never object keys,
 * so `__proto__` or `constructor` are ordinary providers. The number of providers is capped so a
 * caller that puts ids into provider names cannot grow memory without bound.
 */
export class MetricsRegistry {
  private readonly providers = new Map<string, ProviderStats>();
  private readonly cacheLevels = new Map<string, HitMiss>();
  private invalidSamples = 0;
  private rejectedSamples = 0;
  /** Changes with every write, so reads can be reused until something changes. */
  version = 0;

  /**
   * @param windows every window each provider keeps; reads name one by its index here.
   */
  private readonly longestWindowMs: number;
  /** The finest step any window slides by: window contents change only at these edges or on writes. */
  readonly stepMs: number;
  private lastEvictionScan = -Infinity;

  constructor(
    private readonly clock: Clock,
    readonly windows: readonly WindowSpec[],
    readonly maxProviders: number,
    /** Told when a new provider is refused because the cap is reached. */
    private readonly onProviderLimit?: (name: string) => void,
  ) {
    this.longestWindowMs = Math.max(...windows.map((w) => w.windowMs));
    this.stepMs = commonStepMs(windows);
  }

  record(call: ProviderCall): RecordOutcome {
    // The common case first and small enough to inline: a known provider and a plain sample.
    const stats = this.providers.get(call?.provider);
    if (stats !== undefined && isValidCall(call)) {
      stats.record(this.clock.now(), call.latencyMs, call.success, call.timedOut === true, call.rateLimited === true, call.errorType, call.errorMessage);
      if (call.cacheHit !== undefined) this.countCache(CALL_CACHE_LEVEL, stats, call.cacheHit);
      this.version++;
      return 'recorded';
    }
    return this.recordFirstOrInvalid(call);
  }

  private recordFirstOrInvalid(call: ProviderCall): RecordOutcome {
    if (!isValidCall(call)) {
      this.invalidSamples++;
      this.version++;
      return 'invalid';
    }
    const stats = this.statsFor(call.provider);
    if (typeof stats === 'string') return stats;
    return this.record(call);
  }

  recordCacheLookup(level: string, hit: boolean, provider?: string): RecordOutcome {
    if (!isValidCacheLevel(level) || (provider !== undefined && !isValidProviderName(provider))) {
      this.invalidSamples++;
      this.version++;
      return 'invalid';
    }
    let stats: ProviderStats | undefined;
    if (provider !== undefined) {
      const found = this.statsFor(provider);
      if (typeof found === 'string') return found;
      stats = found;
    }
    this.countCache(level, stats, hit);
    this.version++;
    return 'recorded';
  }

  /** True when every name either exists or fits under the cap, so a batch can be stored whole. */
  hasRoomFor(names: Iterable<string>): boolean {
    let fresh = 0;
    for (const name of new Set(names)) if (!this.providers.has(name)) fresh++;
    return this.providers.size + fresh <= this.maxProviders;
  }

  /** Adds saved all-time totals to a provider (created if new and it fits under the cap). */
  restore(name: string, saved: RestorableTotals): RecordOutcome {
    const stats = this.statsFor(name);
    if (typeof stats === 'string') return stats;
    stats.restore(saved, this.clock.now());
    this.version++;
    return 'recorded';
  }

  /** Adds saved all-time hit and miss counts to a cache level. */
  restoreCacheLevel(level: string, hits: number, misses: number): RecordOutcome {
    if (!isValidCacheLevel(level)) return 'invalid';
    const counts = this.cacheLevels.get(level) ?? { hits: 0, misses: 0 };
    counts.hits += hits;
    counts.misses += misses;
    this.cacheLevels.set(level, counts);
    this.version++;
    return 'recorded';
  }

  /** Counts samples refused before they reached record(), e.g. a batch refused whole. */
  countRefused(reason: 'invalid' | 'provider_limit', count: number): void {
    this.version++;
    if (reason === 'invalid') this.invalidSamples += count;
    else this.rejectedSamples += count;
  }

  get(name: string): ProviderStats | undefined {
    return this.providers.get(name);
  }

  all(): IterableIterator<ProviderStats> {
    return this.providers.values();
  }

  get providerCount(): number {
    return this.providers.size;
  }

  /** All-time totals and one window over every provider together. */
  summary(nowMs: number, windowIndex: number): { totals: ProviderCountTotals; window: WindowSnapshot } {
    const totals: ProviderCountTotals = { calls: 0, successes: 0, failures: 0, timeouts: 0, rateLimited: 0 };
    const streams: SlidingWindows[] = [];
    for (const stats of this.providers.values()) {
      totals.calls += stats.calls;
      totals.successes += stats.successes;
      totals.failures += stats.failures;
      totals.timeouts += stats.timeouts;
      totals.rateLimited += stats.rateLimited;
      streams.push(stats.windows);
    }
    const window = SlidingWindows.combine(streams, windowIndex, nowMs);
    return { totals, window: { ...window, windowMs: this.windows[windowIndex].windowMs } };
  }

  sampleCounters(): SampleCounters {
    return { invalidSamples: this.invalidSamples, rejectedSamples: this.rejectedSamples };
  }

  cacheStats(): CacheStats {
    let hits = 0;
    let misses = 0;
    const byLevel: Record<string, CacheCounts> = Object.create(null);
    for (const [level, c] of this.cacheLevels) {
      hits += c.hits;
      misses += c.misses;
      byLevel[level] = cacheCounts(c.hits, c.misses);
    }
    const byProvider: Record<string, CacheCounts> = Object.create(null);
    for (const stats of this.providers.values()) {
      if (stats.cacheHits + stats.cacheMisses > 0) {
        byProvider[stats.name] = cacheCounts(stats.cacheHits, stats.cacheMisses);
      }
    }
    return { ...cacheCounts(hits, misses), byLevel, byProvider };
  }

  reset(): void {
    this.version++;
    this.providers.clear();
    this.cacheLevels.clear();
    this.invalidSamples = 0;
    this.rejectedSamples = 0;
  }

  /** The stats of a provider, created on first use, or why they cannot be. */
  private statsFor(name: string): ProviderStats | 'invalid' | 'provider_limit' {
    let stats = this.providers.get(name);
    if (stats) return stats;
    if (providerNameProblem(name) !== null) {
      this.invalidSamples++;
      this.version++;
      return 'invalid';
    }
    if (this.providers.size >= this.maxProviders && !this.evictIdle()) {
      this.rejectedSamples++;
      this.version++;
      this.onProviderLimit?.(name);
      return 'provider_limit';
    }
    stats = new ProviderStats(name, this.windows);
    this.providers.set(name, stats);
    return stats;
  }

  /**
   * Makes room by dropping one provider with no call inside the longest window: its numbers all
   * read zero or null by then, so only its all-time totals are lost. Scans at most once a
   * second, so a flood of new names against a full cap costs O(1) each.
   */
  private evictIdle(): boolean {
    const now = this.clock.now();
    if (now - this.lastEvictionScan < 1_000) return false;
    this.lastEvictionScan = now;
    const idleBefore = now - this.longestWindowMs;
    for (const [name, stats] of this.providers) {
      if (Math.max(stats.lastSuccessAt, stats.lastFailureAt, stats.lastCacheLookupAt) < idleBefore) {
        this.providers.delete(name);
        this.lastEvictionScan = -Infinity; // there may be more idle ones: look again next time
        return true;
      }
    }
    return false;
  }

  private countCache(level: string, stats: ProviderStats | undefined, hit: boolean): void {
    let counts = this.cacheLevels.get(level);
    if (!counts) {
      // Levels are few by nature (L1, L2...); cap them like providers so a bad caller cannot grow memory.
      if (this.cacheLevels.size >= this.maxProviders) {
        this.rejectedSamples++;
        return;
      }
      counts = { hits: 0, misses: 0 };
      this.cacheLevels.set(level, counts);
    }
    if (hit) counts.hits++;
    else counts.misses++;
    if (stats) {
      const now = this.clock.now();
      if (hit) {
        stats.cacheHits++;
        stats.month.addCacheHit(now);
      } else {
        stats.cacheMisses++;
      }
      stats.lastCacheLookupAt = now;
    }
  }
}
