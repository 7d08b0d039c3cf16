import type { ProviderCallError } from '../monitoring';
import type {
  CryptoPrice,
  Quote,
} from './providers/market-data-provider';

/** Error classes from the monitoring library, plus 'unknown' for anything else thrown. */
export type AttemptErrorType = ProviderCallError['type'] | 'unknown';

// A record rather than a list so that a new error type in the library fails to compile here.
const ERROR_TYPES: Record<AttemptErrorType, true> = {
  rate_limited: true,
  auth: true,
  no_data: true,
  http_error: true,
  bad_response: true,
  network: true,
  timeout: true,
  unknown: true,
};
export const ATTEMPT_ERROR_TYPES = Object.keys(ERROR_TYPES) as AttemptErrorType[];

export interface ProviderAttempt {
  provider: string;
  ok: boolean;
  errorType?: AttemptErrorType;
  /** How the router let the call through when not normally: as a half-open circuit's probe, or forced through an open circuit because every provider was bad. */
  via?: 'probe' | 'forced';
}

/** 'stale-cache': an L1 entry past its TTL (within its stale window), served because no provider answered. */
export type DataSource = 'provider' | 'cache' | 'stale-cache';

/** What the orchestrator returns for every data type. */
export interface MarketDataResult<T> {
  data: T;
  /** 'cache' when L1 answered (then `attempts` is empty). */
  source: DataSource;
  /** True when the data came from a degraded path: every provider was unhealthy or out of quota, or a stale cache entry answered. */
  degraded: boolean;
  /** For 'stale-cache': when the entry was stored. */
  cachedAt?: string;
  /** Provider that produced the data (for cache hits, the one that filled the cache). */
  provider: string;
  /** Providers tried for this answer, in order. */
  attempts: ProviderAttempt[];
}

export type QuoteResult = MarketDataResult<Quote>;
export type CryptoPriceResult = MarketDataResult<CryptoPrice>;

/** Body of the 502 answer when every provider failed. */
/** 404 when every provider answered that it has no such symbol, 502 when any failed. */
export interface ProvidersFailedBody {
  statusCode: 404 | 502;
  error: 'Not Found' | 'Bad Gateway';
  message: string;
  attempts: ProviderAttempt[];
}
