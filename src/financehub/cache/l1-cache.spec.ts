import type { CryptoPrice, Quote } from '../providers/market-data-provider';
import { L1Cache } from './l1-cache';

const quote = (symbol: string, price = 100): Quote => ({
  symbol,
  price,
  change: 0,
  changePercent: 0,
  timestamp: '2025-01-15T14:30:00.000Z',
  provider: 'finnhub',
});
const btc: CryptoPrice = {
  id: 'bitcoin',
  currency: 'usd',
  price: 67000,
  provider: 'coingecko',
  timestamp: '2025-01-15T14:30:00.000Z',
};

describe('L1Cache', () => {
  let now: number;
  const clock = () => now;
  const make = (maxEntries = 10) =>
    new L1Cache({
      ttlMs: { stock_quote: 5000, crypto_price: 10000 },
      maxEntries,
      now: clock,
    });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('returns what was stored, with the provider that produced it', () => {
    const cache = make();
    cache.set('stock_quote', 'AAPL', quote('AAPL'), 'finnhub');
    expect(cache.get('stock_quote', 'AAPL')).toEqual({
      value: quote('AAPL'),
      provider: 'finnhub',
      storedAt: 1_000_000,
      expiresAt: 1_005_000,
    });
    expect(cache.get('stock_quote', 'MSFT')).toBeUndefined();
  });

  it('expires entries after the TTL of their data type', () => {
    const cache = make();
    cache.set('stock_quote', 'AAPL', quote('AAPL'), 'finnhub');
    cache.set('crypto_price', 'bitcoin:usd', btc, 'coingecko');
    now += 4999;
    expect(cache.get('stock_quote', 'AAPL')).toBeDefined();
    now += 1;
    expect(cache.get('stock_quote', 'AAPL')).toBeUndefined();
    expect(cache.get('crypto_price', 'bitcoin:usd')?.value).toEqual(btc);
    now += 5000;
    expect(cache.get('crypto_price', 'bitcoin:usd')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps data types apart under the same key', () => {
    const cache = make();
    cache.set('stock_quote', 'X', quote('X'), 'finnhub');
    expect(cache.get('crypto_price', 'X')).toBeUndefined();
  });

  it('evicts the least recently used entry when full', () => {
    const cache = make(3);
    cache.set('stock_quote', 'A', quote('A'), 'finnhub');
    cache.set('stock_quote', 'B', quote('B'), 'finnhub');
    cache.set('stock_quote', 'C', quote('C'), 'finnhub');
    cache.get('stock_quote', 'A'); // A is now the most recently used
    cache.set('stock_quote', 'D', quote('D'), 'finnhub');
    expect(cache.size).toBe(3);
    expect(cache.get('stock_quote', 'B')).toBeUndefined();
    expect(cache.get('stock_quote', 'A')).toBeDefined();
    expect(cache.get('stock_quote', 'C')).toBeDefined();
    expect(cache.get('stock_quote', 'D')).toBeDefined();
  });

  it('replaces an entry in place without growing, restarting its TTL', () => {
    const cache = make(2);
    cache.set('stock_quote', 'A', quote('A', 1), 'finnhub');
    now += 4000;
    cache.set('stock_quote', 'A', quote('A', 2), 'alphavantage');
    now += 4000;
    expect(cache.size).toBe(1);
    expect(cache.get('stock_quote', 'A')).toMatchObject({
      value: { price: 2 },
      provider: 'alphavantage',
    });
  });

  it('does not store anything for a TTL of 0', () => {
    const cache = new L1Cache({
      ttlMs: { stock_quote: 0, crypto_price: 1 },
      maxEntries: 5,
      now: clock,
    });
    cache.set('stock_quote', 'A', quote('A'), 'finnhub');
    expect(cache.size).toBe(0);
  });

  it('rejects nonsense options', () => {
    expect(() => make(0)).toThrow(/maxEntries must be a positive integer/);
    expect(
      () =>
        new L1Cache({ ttlMs: { stock_quote: -1, crypto_price: 1 }, maxEntries: 1 }),
    ).toThrow(/ttlMs.stock_quote must be >= 0/);
  });
});
