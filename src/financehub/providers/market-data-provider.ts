/** Kinds of data a provider can serve; each has its own provider chain and cache TTL. */
export const MARKET_DATA_TYPES = ['stock_quote', 'crypto_price'] as const;
export type MarketDataType = (typeof MARKET_DATA_TYPES)[number];

/** Providers this app knows how to build adapters for (config refers to them by name). */
export const PROVIDER_NAMES = ['finnhub', 'alphavantage', 'coingecko'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface Quote {
  symbol: string;
  price: number;
  change: number;
  changePercent: number;
  high?: number;
  low?: number;
  open?: number;
  previousClose?: number;
  /** ISO 8601 time of the price. */
  timestamp: string;
  provider: string;
}

export interface CryptoPrice {
  id: string;
  currency: string;
  price: number;
  provider: string;
  /** ISO 8601 time of the price. */
  timestamp: string;
}

/** Result type served for each data type. */
export interface MarketDataByType {
  stock_quote: Quote;
  crypto_price: CryptoPrice;
}

export interface MarketDataProvider {
  readonly name: string;
  /** Which data types this provider serves; the orchestrator builds its chains from this. */
  readonly dataTypes: readonly MarketDataType[];
}

export interface StockQuoteProvider extends MarketDataProvider {
  fetchQuote(symbol: string, signal: AbortSignal): Promise<Quote>;
}

export interface CryptoPriceProvider extends MarketDataProvider {
  fetchCryptoPrice(
    id: string,
    currency: string,
    signal: AbortSignal,
  ): Promise<CryptoPrice>;
}

export function servesStockQuotes(
  provider: MarketDataProvider,
): provider is StockQuoteProvider {
  return (
    provider.dataTypes.includes('stock_quote') &&
    typeof (provider as Partial<StockQuoteProvider>).fetchQuote === 'function'
  );
}

export function servesCryptoPrices(
  provider: MarketDataProvider,
): provider is CryptoPriceProvider {
  return (
    provider.dataTypes.includes('crypto_price') &&
    typeof (provider as Partial<CryptoPriceProvider>).fetchCryptoPrice ===
      'function'
  );
}

/** Settings every HTTP adapter takes. */
export interface ProviderAdapterOptions {
  /** Scheme, host and optional path prefix, e.g. `https://finnhub.io`. */
  baseUrl: string;
  apiKey?: string;
  /** Clock for timestamps the provider does not give; tests inject a fixed one. */
  now?: () => Date;
}
