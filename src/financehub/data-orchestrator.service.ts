import {
  BadGatewayException,
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { ProviderCallError, ProviderRouter, RoutingFailedError, redactSecrets, type RouteAttempt } from '../monitoring';
import { L1Cache } from './cache/l1-cache';
import { CALL_TRACKER, type CallTracker } from './call-tracker';
import type { FinanceHubConfig } from './financehub.config';
import {
  CACHE_LEVEL_L1,
  FINANCEHUB_CONFIG,
  L1_CACHE,
  MARKET_DATA_PROVIDERS,
} from './financehub.constants';
import {
  allProvidersFailed,
  attemptFailed,
  invalidParameter,
  noProviderFor,
  providerDoesNotServe,
  servedStale,
} from './financehub.messages';
import {
  ATTEMPT_ERROR_TYPES,
  type AttemptErrorType,
  type CryptoPriceResult,
  type MarketDataResult,
  type ProviderAttempt,
  type ProvidersFailedBody,
  type QuoteResult,
} from './market-data.types';
import {
  servesCryptoPrices,
  servesStockQuotes,
  type CryptoPriceProvider,
  type MarketDataByType,
  type MarketDataProvider,
  type MarketDataType,
  type StockQuoteProvider,
} from './providers/market-data-provider';

const STOCK_SYMBOL = /^[A-Za-z0-9.\-]{1,15}$/;
const CRYPTO_ID = /^[a-z0-9-]{1,64}$/;
const CURRENCY = /^[a-z]{3,5}$/;

/** The router's name for each data type: the capability its providers share. */
export const CAPABILITY_OF: Readonly<Record<MarketDataType, string>> = {
  stock_quote: 'stock-quote',
  crypto_price: 'crypto-price',
};

/**
 * Answers market-data requests from L1, or from the providers of the data type in the order
 * the ProviderRouter picks (health, circuits, quotas), falling back on failure, and from a
 * stale L1 entry when no provider answers. Identical concurrent requests share one provider
 * call (single flight).
 */
@Injectable()
export class DataOrchestrator {
  private readonly logger = new Logger(DataOrchestrator.name);
  private readonly stockProviders: Map<string, StockQuoteProvider>;
  private readonly cryptoProviders: Map<string, CryptoPriceProvider>;
  private readonly inFlight = new Map<string, Promise<MarketDataResult<unknown>>>();

  constructor(
    @Inject(CALL_TRACKER) private readonly tracker: CallTracker,
    @Inject(L1_CACHE) private readonly cache: L1Cache,
    @Inject(MARKET_DATA_PROVIDERS) providers: readonly MarketDataProvider[],
    @Inject(FINANCEHUB_CONFIG) private readonly config: FinanceHubConfig,
    private readonly router: ProviderRouter,
  ) {
    // Order comes from config; the capability check makes a misconfiguration fail at startup.
    this.stockProviders = new Map(
      config.stockProviderOrder.map((name) => {
        const p = providers.find((candidate) => candidate.name === name);
        if (!p || !servesStockQuotes(p)) {
          throw new Error(providerDoesNotServe(name, 'stock_quote'));
        }
        return [name, p];
      }),
    );
    this.cryptoProviders = new Map(providers.filter(servesCryptoPrices).map((p) => [p.name, p]));
    if (this.stockProviders.size === 0) throw new Error(noProviderFor('stock_quote'));
    if (this.cryptoProviders.size === 0) throw new Error(noProviderFor('crypto_price'));
    router.register(CAPABILITY_OF.stock_quote, [...this.stockProviders.keys()]);
    router.register(CAPABILITY_OF.crypto_price, [...this.cryptoProviders.keys()]);
  }

  /** Provider names of each data type, in configured (priority) order. */
  get chains(): Record<MarketDataType, string[]> {
    return {
      stock_quote: [...this.stockProviders.keys()],
      crypto_price: [...this.cryptoProviders.keys()],
    };
  }

  async getQuote(symbol: string): Promise<QuoteResult> {
    const sym = validate(
      symbol,
      STOCK_SYMBOL,
      'symbol',
      '1-15 characters: letters, digits, "." or "-"',
    ).toUpperCase();
    return this.resolve('stock_quote', sym, sym, (provider, signal) =>
      this.stockProviders.get(provider)!.fetchQuote(sym, signal),
    );
  }

  async getCryptoPrice(
    id: string,
    currency = 'usd',
  ): Promise<CryptoPriceResult> {
    const coin = validate(
      id,
      CRYPTO_ID,
      'id',
      '1-64 characters: lowercase letters, digits or "-"',
    );
    const cur = validate(
      currency,
      CURRENCY,
      'currency',
      '3-5 lowercase letters, e.g. usd',
    );
    return this.resolve('crypto_price', `${coin}:${cur}`, `${coin} in ${cur}`, (provider, signal) =>
      this.cryptoProviders.get(provider)!.fetchCryptoPrice(coin, cur, signal),
    );
  }

  /** `key` identifies the request (cache, single flight); `label` names it in messages. */
  private async resolve<K extends MarketDataType>(
    type: K,
    key: string,
    label: string,
    call: (provider: string, signal: AbortSignal) => Promise<MarketDataByType[K]>,
  ): Promise<MarketDataResult<MarketDataByType[K]>> {
    const hit = this.cache.get(type, key);
    if (hit) {
      this.tracker.recordCacheHit(CACHE_LEVEL_L1, hit.provider);
      return { data: hit.value, source: 'cache', provider: hit.provider, degraded: false, attempts: [] };
    }

    const flightKey = `${type}:${key}`;
    let flight = this.inFlight.get(flightKey) as
      | Promise<MarketDataResult<MarketDataByType[K]>>
      | undefined;
    if (!flight) {
      flight = this.fetch(type, key, label, call).finally(() =>
        this.inFlight.delete(flightKey),
      );
      this.inFlight.set(flightKey, flight);
    }
    // A miss is charged to the provider that then served the data, so each provider's hit
    // rate says how much of its data the cache answered.
    try {
      const result = await flight;
      this.tracker.recordCacheMiss(CACHE_LEVEL_L1, result.source === 'provider' ? result.provider : undefined);
      return result;
    } catch (error) {
      this.tracker.recordCacheMiss(CACHE_LEVEL_L1);
      throw error;
    }
  }

  private async fetch<K extends MarketDataType>(
    type: K,
    key: string,
    label: string,
    call: (provider: string, signal: AbortSignal) => Promise<MarketDataByType[K]>,
  ): Promise<MarketDataResult<MarketDataByType[K]>> {
    try {
      const routed = await this.router.execute(CAPABILITY_OF[type], call, {
        timeoutMs: this.config.providerTimeoutMs,
        tracker: this.tracker,
      });
      this.cache.set(type, key, routed.value, routed.provider);
      return {
        data: routed.value,
        source: 'provider',
        provider: routed.provider,
        degraded: routed.degraded,
        attempts: routed.attempts.map(toAttempt),
      };
    } catch (error) {
      if (!(error instanceof RoutingFailedError)) throw error;
      return this.whenNoProviderAnswered(type, key, label, error);
    }
  }

  private whenNoProviderAnswered<K extends MarketDataType>(
    type: K,
    key: string,
    label: string,
    failure: RoutingFailedError,
  ): MarketDataResult<MarketDataByType[K]> {
    const attempts = failure.attempts.map(toAttempt);
    failure.errors.forEach((err, i) => {
      // Adapter messages are built key-free (redacted again in case a provider is not ours);
      // other errors are not ours to print.
      const detail = err instanceof ProviderCallError ? redactSecrets(err.message) : 'unexpected error';
      this.logger.debug(attemptFailed(attempts[i].provider, type, label, attempts[i].errorType ?? 'unknown', detail));
    });
    const summary = attempts.map((a) => `${a.provider}: ${a.errorType}`).join(', ') || 'no provider could be tried';
    const message = allProvidersFailed(type, label, summary);
    // Every provider answering "no such symbol" is the client's mistake (a typo): 404, no warning.
    // Only every provider: one left out (its circuit open) might have had it.
    const everyProvider = this.chains[type].every((name) => attempts.some((a) => a.provider === name));
    if (everyProvider && attempts.every((a) => a.errorType === 'no_data')) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message, attempts } satisfies ProvidersFailedBody);
    }
    const stale = this.cache.getStale(type, key);
    if (stale) {
      this.logger.warn(servedStale(type, label, new Date(stale.storedAt).toISOString(), summary));
      return {
        data: stale.value,
        source: 'stale-cache',
        provider: stale.provider,
        degraded: true,
        cachedAt: new Date(stale.storedAt).toISOString(),
        attempts,
      };
    }
    this.logger.warn(message);
    throw new BadGatewayException({ statusCode: 502, error: 'Bad Gateway', message, attempts } satisfies ProvidersFailedBody);
  }
}

function toAttempt(a: RouteAttempt): ProviderAttempt {
  const attempt: ProviderAttempt = { provider: a.provider, ok: a.ok };
  if (!a.ok) attempt.errorType = ATTEMPT_ERROR_TYPES.includes(a.errorType as AttemptErrorType) ? (a.errorType as AttemptErrorType) : 'unknown';
  // Said only when it is news: a half-open probe, or a call forced through an open circuit.
  if (a.kind !== 'normal') attempt.via = a.kind;
  return attempt;
}

function validate(
  value: unknown,
  pattern: RegExp,
  name: string,
  rule: string,
): string {
  // Query values can arrive as arrays (?currency=a&currency=b): only a single string passes.
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new BadRequestException(invalidParameter(name, rule));
  }
  return value;
}
