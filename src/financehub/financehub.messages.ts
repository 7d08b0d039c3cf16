import type { MarketDataType } from './providers/market-data-provider';

const LABELS: Record<MarketDataType, string> = {
  stock_quote: 'stock quote',
  crypto_price: 'crypto price',
};

export const invalidParameter = (name: string, rule: string): string =>
  `Invalid ${name}: ${rule}`;

export const allProvidersFailed = (
  type: MarketDataType,
  subject: string,
  summary: string,
): string => `No provider could serve the ${LABELS[type]} for ${subject} (${summary})`;

export const servedStale = (
  type: MarketDataType,
  subject: string,
  cachedAt: string,
  summary: string,
): string => `Served a stale ${LABELS[type]} for ${subject}, cached at ${cachedAt}: no provider answered (${summary})`;

export const attemptFailed = (
  provider: string,
  type: MarketDataType,
  subject: string,
  errorType: string,
  detail: string,
): string =>
  `${provider} failed for ${LABELS[type]} ${subject} with ${errorType}: ${detail}`;

export const providerDoesNotServe = (
  provider: string,
  type: MarketDataType,
): string =>
  `Provider "${provider}" is configured for ${LABELS[type]}s but does not serve them`;

export const noProviderFor = (type: MarketDataType): string =>
  `No provider is configured for ${LABELS[type]}s`;

export const simulatorListening = (url: string): string =>
  `Provider simulator listening on ${url}`;
