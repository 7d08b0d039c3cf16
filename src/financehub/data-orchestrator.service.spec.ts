import {
  BadGatewayException,
  BadRequestException,
  Logger,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { CostService, HealthScorer, ManualClock, MonitoringSettings, PerformanceMonitor, ProviderCallError, ProviderRouter, resolveMonitoringOptions } from '../monitoring';
import { L1Cache } from './cache/l1-cache';
import type { CallTracker } from './call-tracker';
import { DataOrchestrator } from './data-orchestrator.service';
import { parseFinanceHubConfig, type FinanceHubEnv } from './financehub.config';
import type {
  CryptoPrice,
  CryptoPriceProvider,
  MarketDataProvider,
  MarketDataType,
  Quote,
  StockQuoteProvider,
} from './providers/market-data-provider';

/** Records what the orchestrator reports; enforces timeouts the way the monitor does. */
class FakeTracker implements CallTracker {
  readonly tracked: { provider: string; timeoutMs?: number }[] = [];
  readonly hits: (string | undefined)[][] = [];
  readonly misses: (string | undefined)[][] = [];

  async track<T>(
    provider: string,
    fn: (signal: AbortSignal) => Promise<T>,
    options?: { timeoutMs?: number },
  ): Promise<T> {
    this.tracked.push({ provider, timeoutMs: options?.timeoutMs });
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const err = new ProviderCallError(`${provider} timed out`, 'timeout');
        controller.abort(err);
        reject(err);
      }, options?.timeoutMs ?? 1000);
    });
    try {
      return await Promise.race([fn(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  recordCacheHit(level: string, provider?: string): void {
    this.hits.push([level, provider]);
  }

  recordCacheMiss(level: string, provider?: string): void {
    this.misses.push([level, provider]);
  }
}

type Behaviour<T> = (signal: AbortSignal) => Promise<T>;

const quote = (symbol: string, provider: string): Quote => ({
  symbol,
  price: 190.12,
  change: 0.62,
  changePercent: 0.3272,
  timestamp: '2025-01-15T14:30:00.000Z',
  provider,
});

class FakeStockProvider implements StockQuoteProvider {
  readonly dataTypes: readonly MarketDataType[] = ['stock_quote'];
  readonly symbols: string[] = [];
  behaviour: Behaviour<Quote>;

  constructor(readonly name: string, behaviour?: Behaviour<Quote>) {
    this.behaviour = behaviour ?? (async () => quote(this.symbols.at(-1)!, name));
  }

  fetchQuote(symbol: string, signal: AbortSignal): Promise<Quote> {
    this.symbols.push(symbol);
    return this.behaviour(signal);
  }
}

class FakeCryptoProvider implements CryptoPriceProvider {
  readonly name = 'coingecko';
  readonly dataTypes: readonly MarketDataType[] = ['crypto_price'];
  readonly requests: [string, string][] = [];

  async fetchCryptoPrice(id: string, currency: string): Promise<CryptoPrice> {
    this.requests.push([id, currency]);
    return {
      id,
      currency,
      price: 67187.33,
      provider: this.name,
      timestamp: '2025-01-15T14:30:00.000Z',
    };
  }
}

const fail =
  (type: ProviderCallError['type'], message = `failed with ${type}`): Behaviour<never> =>
  async () => {
    throw new ProviderCallError(message, type);
  };

/** Resolves when the caller aborts, like a provider that never answers. */
const hang: Behaviour<never> = (signal) =>
  new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason)),
  );

afterEach(() => jest.restoreAllMocks());

/** The real router over a real, empty monitor: every provider starts UNKNOWN with a closed circuit. */
function routerFor(clock: ManualClock): ProviderRouter {
  const options = resolveMonitoringOptions({ clock, routing: { circuit: { failureThreshold: 3, cooldownMs: 60_000, halfOpenProbes: 2 } } });
  const monitor = new PerformanceMonitor(options);
  const scorer = new HealthScorer(monitor, new MonitoringSettings(options), options);
  return new ProviderRouter(monitor, scorer, new CostService(monitor, options), new EventEmitter2(), options);
}

describe('DataOrchestrator', () => {
  let router: ProviderRouter;
  let clock: ManualClock;
  let tracker: FakeTracker;
  let now: number;
  let finnhub: FakeStockProvider;
  let alphavantage: FakeStockProvider;
  let coingecko: FakeCryptoProvider;

  function build(
    env: FinanceHubEnv = {},
    providers: MarketDataProvider[] = [finnhub, alphavantage, coingecko],
  ): DataOrchestrator {
    const config = parseFinanceHubConfig({ PROVIDER_TIMEOUT_MS: '30', ...env });
    const cache = new L1Cache({ ...config.cache, now: () => now });
    router = routerFor(clock);
    return new DataOrchestrator(tracker, cache, providers, config, router);
  }

  let logged: string[];

  beforeEach(() => {
    logged = [];
    for (const level of ['debug', 'warn'] as const) {
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation((message: unknown, ..._rest: unknown[]) => {
          logged.push(String(message));
        });
    }
    tracker = new FakeTracker();
    clock = new ManualClock();
    now = 0;
    finnhub = new FakeStockProvider('finnhub');
    alphavantage = new FakeStockProvider('alphavantage');
    coingecko = new FakeCryptoProvider();
  });

  it('builds its chains from the configured order and the declared capabilities', () => {
    expect(build({ STOCK_PROVIDER_ORDER: 'alphavantage,finnhub' }).chains).toEqual({
      stock_quote: ['alphavantage', 'finnhub'],
      crypto_price: ['coingecko'],
    });
  });

  it('refuses an order naming a provider that does not serve stock quotes', () => {
    expect(() => build({ STOCK_PROVIDER_ORDER: 'finnhub,coingecko' })).toThrow(
      'Provider "coingecko" is configured for stock quotes but does not serve them',
    );
  });

  it('answers from the first provider, through track with the configured timeout', async () => {
    const result = await build().getQuote('aapl');
    expect(result).toEqual({
      data: quote('AAPL', 'finnhub'),
      source: 'provider',
      degraded: false,
      provider: 'finnhub',
      attempts: [{ provider: 'finnhub', ok: true }],
    });
    expect(finnhub.symbols).toEqual(['AAPL']);
    expect(alphavantage.symbols).toEqual([]);
    expect(tracker.tracked).toEqual([{ provider: 'finnhub', timeoutMs: 30 }]);
    expect(tracker.misses).toEqual([['L1', 'finnhub']]);
    expect(tracker.hits).toEqual([]);
  });

  it('answers the next identical request from L1 and records the hit with its provider', async () => {
    const orchestrator = build();
    await orchestrator.getQuote('AAPL');
    const second = await orchestrator.getQuote('AAPL');
    expect(second).toEqual({
      data: quote('AAPL', 'finnhub'),
      source: 'cache',
      degraded: false,
      provider: 'finnhub',
      attempts: [],
    });
    expect(finnhub.symbols).toHaveLength(1);
    expect(tracker.hits).toEqual([['L1', 'finnhub']]);
    expect(tracker.misses).toHaveLength(1);
  });

  it('goes back to the providers once the entry expires', async () => {
    const orchestrator = build({ CACHE_TTL_QUOTE_MS: '5000' });
    await orchestrator.getQuote('AAPL');
    now += 5000;
    await expect(orchestrator.getQuote('AAPL')).resolves.toMatchObject({ source: 'provider' });
    expect(finnhub.symbols).toHaveLength(2);
  });

  it('falls back in order and reports each attempt', async () => {
    finnhub.behaviour = fail('rate_limited');
    const orchestrator = build();
    await expect(orchestrator.getQuote('MSFT')).resolves.toEqual({
      data: quote('MSFT', 'alphavantage'),
      source: 'provider',
      degraded: false,
      provider: 'alphavantage',
      attempts: [
        { provider: 'finnhub', ok: false, errorType: 'rate_limited' },
        { provider: 'alphavantage', ok: true },
      ],
    });
    await orchestrator.getQuote('MSFT');
    expect(tracker.hits).toEqual([['L1', 'alphavantage']]);
  });

  it('stops calling a provider once its circuit opens, and sends it traffic again after its probes succeed', async () => {
    finnhub.behaviour = fail('http_error');
    const orchestrator = build({ CACHE_TTL_QUOTE_MS: '0' });
    for (const symbol of ['A', 'B', 'C']) await expect(orchestrator.getQuote(symbol)).resolves.toMatchObject({ provider: 'alphavantage' });
    expect(finnhub.symbols).toEqual(['A', 'B', 'C']);

    // Three failures in a row opened it: the next request goes straight to the next provider.
    await expect(orchestrator.getQuote('D')).resolves.toMatchObject({ provider: 'alphavantage', degraded: false, attempts: [{ provider: 'alphavantage', ok: true }] });
    expect(finnhub.symbols).toEqual(['A', 'B', 'C']);
    expect(router.view(60_000).circuits.find((c) => c.provider === 'finnhub')).toMatchObject({ state: 'OPEN', lastOpenReason: '3 calls in a row failed (last: http_error)' });
    expect(router.view(60_000).failovers).toEqual([
      { capability: 'stock-quote', from: 'finnhub', to: 'alphavantage', afterFailure: 3, afterSkip: 1, total: 4 },
    ]);

    // After the cool-down, requests probe it; two good probes close it.
    finnhub.behaviour = async () => quote(finnhub.symbols.at(-1)!, 'finnhub');
    clock.advance(60_000);
    await expect(orchestrator.getQuote('E')).resolves.toMatchObject({ provider: 'finnhub', attempts: [{ provider: 'finnhub', ok: true, via: 'probe' }] });
    await orchestrator.getQuote('F');
    expect(router.view(60_000).circuits.find((c) => c.provider === 'finnhub')).toMatchObject({ state: 'CLOSED' });
    await expect(orchestrator.getQuote('G')).resolves.toMatchObject({ provider: 'finnhub', attempts: [{ provider: 'finnhub', ok: true }] });
  });

  it('tries every provider, least bad first, when every circuit is open, and says the answer is degraded', async () => {
    finnhub.behaviour = fail('network');
    alphavantage.behaviour = fail('network');
    const orchestrator = build({ CACHE_TTL_QUOTE_MS: '0' });
    for (const symbol of ['A', 'B', 'C']) await expect(orchestrator.getQuote(symbol)).rejects.toBeInstanceOf(BadGatewayException);
    expect(router.plan('stock-quote')).toMatchObject({ attempts: ['finnhub', 'alphavantage'], degraded: true });

    // finnhub is still down; alphavantage is back: the request is not lost.
    alphavantage.behaviour = async () => quote('D', 'alphavantage');
    await expect(orchestrator.getQuote('D')).resolves.toMatchObject({
      provider: 'alphavantage',
      source: 'provider',
      degraded: true,
      attempts: [
        { provider: 'finnhub', ok: false, errorType: 'network', via: 'forced' },
        { provider: 'alphavantage', ok: true, via: 'forced' },
      ],
    });
    // The forced success half-opened alphavantage's circuit: the next request probes it normally.
    expect(router.plan('stock-quote')).toMatchObject({ attempts: ['alphavantage'], skipped: [{ provider: 'finnhub', reason: 'circuit_open' }], degraded: false });
  });

  it('serves a stale entry, marked degraded, when no provider answers within its stale window', async () => {
    const orchestrator = build({ CACHE_TTL_QUOTE_MS: '5000', CACHE_STALE_QUOTE_MS: '60000' });
    await orchestrator.getQuote('AAPL');
    finnhub.behaviour = fail('http_error');
    alphavantage.behaviour = fail('timeout');
    now = 10_000;
    await expect(orchestrator.getQuote('AAPL')).resolves.toEqual({
      data: quote('AAPL', 'finnhub'),
      source: 'stale-cache',
      provider: 'finnhub',
      degraded: true,
      cachedAt: '1970-01-01T00:00:00.000Z',
      attempts: [
        { provider: 'finnhub', ok: false, errorType: 'http_error' },
        { provider: 'alphavantage', ok: false, errorType: 'timeout' },
      ],
    });
    expect(logged.join('\n')).toContain('Served a stale stock quote for AAPL, cached at 1970-01-01T00:00:00.000Z');
    now = 65_000;
    await expect(orchestrator.getQuote('AAPL')).rejects.toBeInstanceOf(BadGatewayException);
  });

  it('does not answer 404 when a provider left out (circuit open) might have had the symbol', async () => {
    finnhub.behaviour = fail('http_error');
    const orchestrator = build({ CACHE_TTL_QUOTE_MS: '5000', CACHE_STALE_QUOTE_MS: '60000' });
    await orchestrator.getQuote('AAPL');
    for (const symbol of ['A', 'B', 'C']) await orchestrator.getQuote(symbol);
    alphavantage.behaviour = fail('no_data');
    now = 10_000;
    // finnhub is skipped, alphavantage says "no such symbol": the stale entry answers, not a 404.
    await expect(orchestrator.getQuote('AAPL')).resolves.toMatchObject({ source: 'stale-cache', degraded: true, attempts: [{ provider: 'alphavantage', ok: false, errorType: 'no_data' }] });
    await expect(orchestrator.getQuote('MSFT')).rejects.toBeInstanceOf(BadGatewayException);
  });

  it('follows STOCK_PROVIDER_ORDER', async () => {
    await expect(
      build({ STOCK_PROVIDER_ORDER: 'alphavantage,finnhub' }).getQuote('IBM'),
    ).resolves.toMatchObject({ provider: 'alphavantage' });
    expect(finnhub.symbols).toEqual([]);
  });

  it('falls back when a provider times out, and the hung call is aborted', async () => {
    let aborted = false;
    finnhub.behaviour = (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return hang(signal);
    };
    await expect(build().getQuote('NVDA')).resolves.toMatchObject({
      provider: 'alphavantage',
      attempts: [
        { provider: 'finnhub', ok: false, errorType: 'timeout' },
        { provider: 'alphavantage', ok: true },
      ],
    });
    expect(aborted).toBe(true);
  });

  it('shares one provider call between concurrent identical requests', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    finnhub.behaviour = async () => {
      await gate;
      return quote('AAPL', 'finnhub');
    };
    const orchestrator = build();
    const requests = ['AAPL', 'AAPL', 'aapl', 'AAPL', 'Aapl'].map((s) =>
      orchestrator.getQuote(s),
    );
    const other = orchestrator.getQuote('MSFT');
    release();
    const results = await Promise.all(requests);
    await other;

    expect(finnhub.symbols).toEqual(['AAPL', 'MSFT']);
    for (const r of results) {
      expect(r).toEqual({
        data: quote('AAPL', 'finnhub'),
        source: 'provider',
        degraded: false,
        provider: 'finnhub',
        attempts: [{ provider: 'finnhub', ok: true }],
      });
    }
    expect(tracker.misses).toHaveLength(6);
  });

  it('shares a failure too, then tries again on the next request', async () => {
    finnhub.behaviour = fail('http_error');
    alphavantage.behaviour = fail('no_data');
    const orchestrator = build();
    const all = await Promise.allSettled([1, 2, 3].map(() => orchestrator.getQuote('ZZZ')));
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(finnhub.symbols).toHaveLength(1);

    await expect(orchestrator.getQuote('ZZZ')).rejects.toBeInstanceOf(BadGatewayException);
    expect(finnhub.symbols).toHaveLength(2);
  });

  it('answers 502 listing every provider and its error type, without keys or URLs', async () => {
    finnhub.behaviour = fail(
      'auth',
      'finnhub rejected GET https://finnhub.io/api/v1/quote?symbol=AAPL&token=SECRET',
    );
    alphavantage.behaviour = async () => {
      throw new Error('socket hang up at https://www.alphavantage.co/query?apikey=SECRET');
    };
    const attempt = build().getQuote('AAPL');
    await expect(attempt).rejects.toBeInstanceOf(BadGatewayException);
    const err = (await attempt.catch((e: unknown) => e)) as BadGatewayException;
    expect(err.getStatus()).toBe(502);
    expect(err.getResponse()).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message:
        'No provider could serve the stock quote for AAPL (finnhub: auth, alphavantage: unknown)',
      attempts: [
        { provider: 'finnhub', ok: false, errorType: 'auth' },
        { provider: 'alphavantage', ok: false, errorType: 'unknown' },
      ],
    });
    const body = JSON.stringify(err.getResponse());
    expect(body).not.toContain('SECRET');
    expect(body).not.toContain('http');
    expect(logged.join('\n')).toContain('token=***');
    expect(logged.join('\n')).not.toContain('SECRET');
    expect(tracker.tracked.map((t) => t.provider)).toEqual(['finnhub', 'alphavantage']);
    // No provider served it, so the miss is charged to none.
    expect(tracker.misses).toEqual([['L1', undefined]]);
  });

  it('does not cache failures', async () => {
    finnhub.behaviour = fail('network');
    alphavantage.behaviour = fail('network');
    const orchestrator = build();
    await expect(orchestrator.getQuote('AAPL')).rejects.toBeInstanceOf(BadGatewayException);
    finnhub.behaviour = async () => quote('AAPL', 'finnhub');
    await expect(orchestrator.getQuote('AAPL')).resolves.toMatchObject({ source: 'provider' });
  });

  it.each(['', 'AAPL$', 'A'.repeat(16), '../etc', 'AA PL'])(
    'answers 400 naming the parameter for symbol %p, without calling anyone',
    async (symbol) => {
      await expect(build().getQuote(symbol)).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(/^Invalid symbol: /),
      });
      expect(tracker.tracked).toEqual([]);
      expect(tracker.misses).toEqual([]);
    },
  );

  it('accepts symbols with dots and dashes', async () => {
    await expect(build().getQuote('brk.b')).resolves.toMatchObject({ data: { symbol: 'BRK.B' } });
    await expect(build().getQuote('RDS-A')).resolves.toMatchObject({ data: { symbol: 'RDS-A' } });
  });

  describe('crypto prices', () => {
    it('defaults to usd and caches per id and currency', async () => {
      const orchestrator = build();
      await expect(orchestrator.getCryptoPrice('bitcoin')).resolves.toEqual({
        data: {
          id: 'bitcoin',
          currency: 'usd',
          price: 67187.33,
          provider: 'coingecko',
          timestamp: '2025-01-15T14:30:00.000Z',
        },
        source: 'provider',
        degraded: false,
        provider: 'coingecko',
        attempts: [{ provider: 'coingecko', ok: true }],
      });
      await orchestrator.getCryptoPrice('bitcoin', 'eur');
      await expect(orchestrator.getCryptoPrice('bitcoin', 'usd')).resolves.toMatchObject({
        source: 'cache',
        degraded: false,
      });
      expect(coingecko.requests).toEqual([
        ['bitcoin', 'usd'],
        ['bitcoin', 'eur'],
      ]);
      expect(tracker.hits).toEqual([['L1', 'coingecko']]);
    });

    it.each([
      ['Bitcoin', 'usd', 'id'],
      ['bit coin', 'usd', 'id'],
      ['b'.repeat(65), 'usd', 'id'],
      ['bitcoin', 'USD', 'currency'],
      ['bitcoin', 'us', 'currency'],
      ['bitcoin', ['usd', 'eur'] as unknown as string, 'currency'],
    ])('answers 400 for id %p / currency %p naming %s', async (id, currency, name) => {
      const err = await build()
        .getCryptoPrice(id, currency)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadRequestException);
      expect((err as BadRequestException).message).toMatch(new RegExp(`^Invalid ${name}: `));
      expect(coingecko.requests).toEqual([]);
    });
  });
});
