import type {
  MarketDataByType,
  MarketDataType,
} from '../providers/market-data-provider';

export interface L1CacheOptions {
  /** Time to live per data type, in ms; 0 turns caching off for that type. */
  ttlMs: Readonly<Record<MarketDataType, number>>;
  /**
   * How long past its TTL an entry is kept for getStale(), per data type: served only when no
   * provider can answer. 0 (the default) keeps nothing past the TTL.
   */
  staleMs?: Readonly<Partial<Record<MarketDataType, number>>>;
  /** Upper bound on stored entries; the least recently used goes first. */
  maxEntries: number;
  /** Milliseconds clock; tests inject a fake. */
  now?: () => number;
}

export interface CacheEntry<V> {
  value: V;
  /** Provider that produced the value, reported on cache hits. */
  provider: string;
  storedAt: number;
  expiresAt: number;
}

/**
 * In-memory cache with a TTL per data type and a size bound. A Map keeps insertion order,
 * so re-inserting on read makes its first key the least recently used: O(1) LRU.
 */
export class L1Cache {
  private readonly entries = new Map<string, CacheEntry<unknown>>();
  private readonly now: () => number;

  constructor(private readonly options: L1CacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new Error(
        `L1Cache maxEntries must be a positive integer, got ${options.maxEntries}`,
      );
    }
    for (const [field, values] of Object.entries({ ttlMs: options.ttlMs, staleMs: options.staleMs ?? {} })) {
      for (const [type, ms] of Object.entries(values)) {
        if (!Number.isFinite(ms) || ms < 0) {
          throw new Error(`L1Cache ${field}.${type} must be >= 0, got ${ms}`);
        }
      }
    }
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get<K extends MarketDataType>(
    type: K,
    key: string,
  ): CacheEntry<MarketDataByType[K]> | undefined {
    const entry = this.kept(type, key);
    if (!entry || this.now() >= entry.expiresAt) return undefined;
    const k = cacheKey(type, key);
    this.entries.delete(k);
    this.entries.set(k, entry);
    return entry;
  }

  /** An entry, even past its TTL while inside its stale window (see L1CacheOptions.staleMs), for when no provider answers. */
  getStale<K extends MarketDataType>(
    type: K,
    key: string,
  ): CacheEntry<MarketDataByType[K]> | undefined {
    return this.kept(type, key);
  }

  /** The entry unless it is past its stale window too, in which case it is dropped. */
  private kept<K extends MarketDataType>(type: K, key: string): CacheEntry<MarketDataByType[K]> | undefined {
    const k = cacheKey(type, key);
    const entry = this.entries.get(k);
    if (entry && this.now() >= entry.expiresAt + this.staleMs(type)) {
      this.entries.delete(k);
      return undefined;
    }
    return entry as CacheEntry<MarketDataByType[K]> | undefined;
  }

  private staleMs(type: MarketDataType): number {
    return this.options.staleMs?.[type] ?? 0;
  }

  set<K extends MarketDataType>(
    type: K,
    key: string,
    value: MarketDataByType[K],
    provider: string,
  ): void {
    const ttl = this.options.ttlMs[type];
    if (ttl <= 0) return;
    const k = cacheKey(type, key);
    const storedAt = this.now();
    this.entries.delete(k);
    this.entries.set(k, { value, provider, storedAt, expiresAt: storedAt + ttl });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(type: MarketDataType, key: string): boolean {
    return this.entries.delete(cacheKey(type, key));
  }

  clear(): void {
    this.entries.clear();
  }
}

function cacheKey(type: MarketDataType, key: string): string {
  return `${type}:${key}`;
}
