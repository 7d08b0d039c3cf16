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
}

export type DataSource = 'provider' | 'cache';

/** What the orchestrator returns for every data type. */
export interface MarketDataResult<T> {
  data: T;
  /** 'cache' when L1 answered (then `attempts` is empty). */
  source: DataSource;
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
