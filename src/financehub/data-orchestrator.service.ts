import {
  BadGatewayException,
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { ProviderCallError } from '../monitoring';
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
import { redactSecrets } from '../monitoring';
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

/** One step of a provider chain: a named call the tracker can time and abort. */
interface ChainLink<T> {
  provider: string;
  call: (signal: AbortSignal) => Promise<T>;
}

/**
 * Answers market-data requests from L1 or from the first provider in the chain that
 * succeeds. Identical concurrent requests share one provider call (single flight).
 */
@Injectable()
export class DataOrchestrator {
  private readonly logger = new Logger(DataOrchestrator.name);
  private readonly stockChain: StockQuoteProvider[];
  private readonly cryptoChain: CryptoPriceProvider[];
  private readonly inFlight = new Map<string, Promise<MarketDataResult<unknown>>>();

  constructor(
    @Inject(CALL_TRACKER) private readonly tracker: CallTracker,
    @Inject(L1_CACHE) private readonly cache: L1Cache,
    @Inject(MARKET_DATA_PROVIDERS) providers: readonly MarketDataProvider[],
    @Inject(FINANCEHUB_CONFIG) private readonly config: FinanceHubConfig,
  ) {
    // Order comes from config; the capability check makes a misconfiguration fail at startup.
    this.stockChain = config.stockProviderOrder.map((name) => {
      const p = providers.find((candidate) => candidate.name === name);
      if (!p || !servesStockQuotes(p)) {
        throw new Error(providerDoesNotServe(name, 'stock_quote'));
      }
      return p;
    });
    this.cryptoChain = providers.filter(servesCryptoPrices);
    if (this.stockChain.length === 0) throw new Error(noProviderFor('stock_quote'));
    if (this.cryptoChain.length === 0) throw new Error(noProviderFor('crypto_price'));
  }

  /** Provider names tried for each data type, in order. */
  get chains(): Record<MarketDataType, string[]> {
    return {
      stock_quote: this.stockChain.map((p) => p.name),
      crypto_price: this.cryptoChain.map((p) => p.name),
    };
  }

  async getQuote(symbol: string): Promise<QuoteResult> {
    const sym = validate(
      symbol,
      STOCK_SYMBOL,
      'symbol',
      '1-15 characters: letters, digits, "." or "-"',
    ).toUpperCase();
    return this.resolve(
      'stock_quote',
      sym,
      sym,
      this.stockChain.map((p) => ({
        provider: p.name,
        call: (signal: AbortSignal) => p.fetchQuote(sym, signal),
      })),
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
    return this.resolve(
      'crypto_price',
      `${coin}:${cur}`,
      `${coin} in ${cur}`,
      this.cryptoChain.map((p) => ({
        provider: p.name,
        call: (signal: AbortSignal) => p.fetchCryptoPrice(coin, cur, signal),
      })),
    );
  }

  /** `key` identifies the request (cache, single flight); `label` names it in messages. */
  private async resolve<K extends MarketDataType>(
    type: K,
    key: string,
    label: string,
    chain: ChainLink<MarketDataByType[K]>[],
  ): Promise<MarketDataResult<MarketDataByType[K]>> {
    const hit = this.cache.get(type, key);
    if (hit) {
      this.tracker.recordCacheHit(CACHE_LEVEL_L1, hit.provider);
      return { data: hit.value, source: 'cache', provider: hit.provider, attempts: [] };
    }

    const flightKey = `${type}:${key}`;
    let flight = this.inFlight.get(flightKey) as
      | Promise<MarketDataResult<MarketDataByType[K]>>
      | undefined;
    if (!flight) {
      flight = this.callChain(type, key, label, chain).finally(() =>
        this.inFlight.delete(flightKey),
      );
      this.inFlight.set(flightKey, flight);
    }
    // A miss is charged to the provider that then served the data, so each provider's hit
    // rate says how much of its data the cache answered.
    try {
      const result = await flight;
      this.tracker.recordCacheMiss(CACHE_LEVEL_L1, result.provider);
      return result;
    } catch (error) {
      this.tracker.recordCacheMiss(CACHE_LEVEL_L1);
      throw error;
    }
  }

  private async callChain<K extends MarketDataType>(
    type: K,
    key: string,
    label: string,
    chain: ChainLink<MarketDataByType[K]>[],
  ): Promise<MarketDataResult<MarketDataByType[K]>> {
    const attempts: ProviderAttempt[] = [];
    for (const link of chain) {
      try {
        const data = await this.tracker.track(link.provider, link.call, {
          timeoutMs: this.config.providerTimeoutMs,
        });
        attempts.push({ provider: link.provider, ok: true });
        this.cache.set(type, key, data, link.provider);
        return { data, source: 'provider', provider: link.provider, attempts };
      } catch (err) {
        const errorType = errorTypeOf(err);
        attempts.push({ provider: link.provider, ok: false, errorType });
        // Adapter messages are built key-free (redacted again in case a provider is not ours);
        // other errors are not ours to print.
        const detail =
          err instanceof ProviderCallError
            ? redactSecrets(err.message)
            : 'unexpected error';
        this.logger.debug(attemptFailed(link.provider, type, label, errorType, detail));
      }
    }

    const summary = attempts.map((a) => `${a.provider}: ${a.errorType}`).join(', ');
    const message = allProvidersFailed(type, label, summary);
    // Every provider answering "no such symbol" is the client's mistake (a typo): 404, no warning.
    if (attempts.every((a) => a.errorType === 'no_data')) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message, attempts } satisfies ProvidersFailedBody);
    }
    this.logger.warn(message);
    throw new BadGatewayException({ statusCode: 502, error: 'Bad Gateway', message, attempts } satisfies ProvidersFailedBody);
  }
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

function errorTypeOf(err: unknown): AttemptErrorType {
  if (err instanceof ProviderCallError) return err.type;
  // Same shape from another copy of the library (e.g. a second module instance in tests).
  const type = (err as { type?: unknown } | null)?.type;
  return ATTEMPT_ERROR_TYPES.includes(type as AttemptErrorType)
    ? (type as AttemptErrorType)
    : 'unknown';
}
